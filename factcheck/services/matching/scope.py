"""Which claims a user's "Checked before?" may show: one place, so that projects can
narrow it (only the projects the user belongs to) without touching the search."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_

from ...models import Annotation, Status, User


def visible_claims(user: User) -> ColumnElement[bool]:
    """Every claim except other people's drafts (admins included: a draft is private
    until its author submits it, and a suggestion must never leak one)."""
    return or_(Annotation.status != Status.DRAFT, Annotation.author_id == user.id)
