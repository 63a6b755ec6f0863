"""The models, one area per module."""

from .annotation import Annotation, ReviewEvent, Source, Status
from .article import Article
from .base import utcnow
from .matching import ClaimLink, ClaimText, ClaimVector, FactCheck
from .user import ApiToken, LoginAttempt, User, UserRole, hash_token
from .verdict import DEFAULT_VERDICTS, Verdict

__all__ = [
    "Annotation",
    "ApiToken",
    "Article",
    "ClaimLink",
    "ClaimText",
    "ClaimVector",
    "FactCheck",
    "DEFAULT_VERDICTS",
    "LoginAttempt",
    "ReviewEvent",
    "Source",
    "Status",
    "User",
    "UserRole",
    "Verdict",
    "hash_token",
    "utcnow",
]
