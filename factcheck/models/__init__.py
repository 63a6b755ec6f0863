"""The models, one area per module."""

from ..extensions import db
from .annotation import Anchor, Annotation, ReviewEvent, Source, Status
from .article import Article, ArticleRevision
from .assignment import Adjudication, Assignment, AssignmentArticle, AssignmentTask
from .base import utcnow
from .desk import (
    Appearance,
    ArticleSuggestions,
    Claimant,
    ClaimantAlias,
    ClaimantKind,
    ClaimantWord,
    ClaimMedium,
    SuggestionDismissal,
)
from .evidence import (
    Capture,
    CaptureKind,
    EvidenceSource,
    Excerpt,
    Health,
    Medium,
    SourceCheck,
    Stance,
)
from .idempotency import IdempotencyKey
from .matching import ClaimLink, ClaimText, ClaimVector, FactCheck
from .project import DEFAULT_SLUG, GuidelineVersion, Project, ProjectMember
from .second_verdict import SecondVerdict
from .user import PROJECT_ROLES, SITE_ROLES, ApiToken, RateLimit, Role, User, UserRole, hash_token
from .verdict import DEFAULT_VERDICTS, Verdict


def _never_reuse_ids() -> None:
    """SQLite: AUTOINCREMENT on every table, so a deleted row's id is never given again
    (old links and scripts must never reach another row). PostgreSQL sequences already
    behave so. Applies to tables added later too; their migrations need
    ``sqlite_autoincrement=True`` (see migrations/versions/sec_0001_autoincrement.py)."""
    for table in db.metadata.tables.values():
        table.dialect_options["sqlite"]["autoincrement"] = True


_never_reuse_ids()

__all__ = [
    "Adjudication",
    "Assignment",
    "AssignmentArticle",
    "AssignmentTask",
    "Anchor",
    "Appearance",
    "ArticleSuggestions",
    "Claimant",
    "ClaimantAlias",
    "ClaimantKind",
    "ClaimantWord",
    "ClaimMedium",
    "SuggestionDismissal",
    "Annotation",
    "ApiToken",
    "Article",
    "ArticleRevision",
    "Capture",
    "CaptureKind",
    "EvidenceSource",
    "Excerpt",
    "Health",
    "Medium",
    "SourceCheck",
    "Stance",
    "DEFAULT_SLUG",
    "ClaimLink",
    "ClaimText",
    "ClaimVector",
    "FactCheck",
    "DEFAULT_VERDICTS",
    "GuidelineVersion",
    "IdempotencyKey",
    "Project",
    "PROJECT_ROLES",
    "ProjectMember",
    "RateLimit",
    "ReviewEvent",
    "Role",
    "SITE_ROLES",
    "SecondVerdict",
    "Source",
    "Status",
    "User",
    "UserRole",
    "Verdict",
    "hash_token",
    "utcnow",
]
