"""One load-or-404 per resource: the same lookup, the same rule and the same message for
the pages, the API and the services.

A ``NotFound`` becomes a 404 page for the HTML routes and the JSON error for the API
(errors.py), so a caller never needs to catch it. A resource the user may not see is
"not found" too: its existence is not theirs to know.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import ORMOption

from .models import Annotation, Article, Status, User
from .permissions import can_see_version, is_member
from .services import assignment_rules
from .services.errors import NotFound

NO_CLAIM = _l("No such claim.")
NO_ARTICLE = _l("No such article.")


def annotation_or_404(
    session: Session, annotation_id: int, user: User, *options: ORMOption
) -> Annotation:
    """The claim, when ``user`` may see it (``permissions.can_see_version``: ``can_see``, or
    a co-annotator's version in an open assignment, to members of the project); ``options``
    load what the caller needs with it."""
    annotation = session.get(Annotation, annotation_id, options=options)
    if annotation is None or not can_see_version(
        user,
        annotation,
        lambda: assignment_rules.visible_peers(session, annotation.article_id, user.id),
    ):
        raise NotFound(str(NO_CLAIM))
    return annotation


def in_review_or_404(
    session: Session, annotation_id: int, user: User, *options: ORMOption
) -> Annotation:
    """The claim for the review routes: drafts are not in review, so another user's draft
    does not exist there (admins included); the author's own draft gets the workflow's
    answer (409)."""
    annotation = annotation_or_404(session, annotation_id, user, *options)
    if annotation.status is Status.DRAFT and annotation.author_id != user.id:
        raise NotFound(str(NO_CLAIM))
    return annotation


def article_or_404(session: Session, article_id: int, user: User | None) -> Article:
    """The article, for the members of its project (``user`` None: anybody, the CLI)."""
    article = session.get(Article, article_id)
    if article is None or (user is not None and not is_member(user, article.project_id)):
        raise NotFound(str(NO_ARTICLE))
    return article
