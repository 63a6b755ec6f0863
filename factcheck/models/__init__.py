"""The models, one area per module."""

from .annotation import Annotation, ReviewEvent, Source, Status
from .article import Article
from .base import utcnow
from .idempotency import IdempotencyKey
from .user import ApiToken, LoginAttempt, User, UserRole, hash_token
from .verdict import DEFAULT_VERDICTS, Verdict

__all__ = [
    "Annotation",
    "ApiToken",
    "Article",
    "DEFAULT_VERDICTS",
    "IdempotencyKey",
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
