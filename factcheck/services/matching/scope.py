"""Which claims a user's "Checked before?" may show: the one place for that rule."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_

from ...models import Annotation, Status, User
from ...permissions import visible_projects


def visible_claims(user: User) -> ColumnElement[bool]:
    """Claims of the projects the user belongs to, except other people's drafts (admins
    included: a draft is private until its author submits it, and a suggestion must never
    leak one). Past fact-checks are shared by every project."""
    return and_(
        visible_projects(user, Annotation.project_id),
        or_(Annotation.status != Status.DRAFT, Annotation.author_id == user.id),
    )
