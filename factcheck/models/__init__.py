"""The models, one area per module."""

from .annotation import Anchor, Annotation, ReviewEvent, Source, Status
from .article import Article, ArticleRevision
from .assignment import Adjudication, Assignment, AssignmentArticle, AssignmentTask
from .base import utcnow
from .project import DEFAULT_SLUG, GuidelineVersion, Project, ProjectMember
from .user import ApiToken, LoginAttempt, User, UserRole, hash_token
from .verdict import DEFAULT_VERDICTS, Verdict

__all__ = [
    "Adjudication",
    "Assignment",
    "AssignmentArticle",
    "AssignmentTask",
    "Anchor",
    "Annotation",
    "ApiToken",
    "Article",
    "ArticleRevision",
    "DEFAULT_SLUG",
    "DEFAULT_VERDICTS",
    "GuidelineVersion",
    "LoginAttempt",
    "Project",
    "ProjectMember",
    "ReviewEvent",
    "Source",
    "Status",
    "User",
    "UserRole",
    "Verdict",
    "hash_token",
    "utcnow",
]
