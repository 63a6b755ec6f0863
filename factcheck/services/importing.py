"""Importing articles: every path (admin page, CLI, API, demo) goes through here.

Text is normalized exactly once, here (``clean_record``): BOM removed, CRLF/CR → LF,
Unicode NFC. Nothing else is rewritten: no whitespace collapsing, no quote changes.

A batch is atomic: ``import_records`` only adds and flushes; the caller commits once,
so a crash leaves the whole batch or nothing. Invalid records are reported (line and
reason) and skipped; with ``strict=True`` nothing is imported when any is invalid.
A record whose ``external_id`` is already known (stored, or earlier in the same batch)
is skipped and reported as a duplicate; with ``update=True`` a stored article whose text
differs gets a new revision instead (services/revisions.py: its claims are re-anchored).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from .. import tasks
from ..models import Article, User, utcnow
from ..text.fold import TABLE
from ..text.language import detect_language
from . import revisions
from .formats import FIELDS, Parsed, Problem, RawRecord, parse
from .projects import resolve
from .reading import suggestions as reading_suggestions
from .records import (
    RecordError,
    clean_language,
    clean_record,
    max_article_chars,
    normalize_text,
    text_hash,
)

__all__ = [
    "FIELDS",
    "ImportReport",
    "Problem",
    "RawRecord",
    "RecordError",
    "clean_language",
    "clean_record",
    "import_files",
    "import_records",
    "normalize_text",
    "text_hash",
]

_NON_ASCII = re.compile("[^\x00-\x7f]")
CHUNK = 500  # rows per INSERT / per duplicate lookup (well under any bind-parameter limit)


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    strict: bool = False
    #: (article id, new revision number) of the known articles given a new text (--update)
    revised: list[tuple[int, int]] = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        return [a.id for a in self.articles]

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    def as_dict(self) -> dict:
        return {
            "imported": self.imported,
            "ids": self.ids,
            "duplicates": [d.as_dict() | {"external_id": d.external_id} for d in self.duplicates],
            "errors": [e.as_dict() for e in self.errors],
            "strict": self.strict,
            "revised": [{"id": i, "revision": n} for i, n in self.revised],
        }


def known_external_ids(session: Session, external_ids: Iterable[str]) -> set[str]:
    """Those of ``external_ids`` already stored: one query per CHUNK, not one per record."""
    wanted = list(dict.fromkeys(external_ids))
    found: set[str] = set()
    for i in range(0, len(wanted), CHUNK):
        chunk = wanted[i : i + CHUNK]
        found.update(
            session.scalars(select(Article.external_id).where(Article.external_id.in_(chunk)))
        )
    return found


def import_records(
    session: Session,
    records: Iterable[dict | RawRecord],
    user: User | None,
    *,
    language: str | None = None,
    strict: bool = False,
    problems: Iterable[Problem] = (),
    progress: Callable[[int], None] | None = None,
    update: bool = False,
    project=None,
) -> ImportReport:
    """Validate, de-duplicate and insert ``records`` as one batch (flushed, not committed)
    into ``project`` (None: the default project).

    ``update``: a known ``external_id`` with a different text makes a revision of that
    article, by ``user`` (an admin: the re-anchoring history names them).

    ``problems`` are errors found earlier (undecodable file, bad JSON line): they count
    as invalid records for ``strict``. ``progress(n)`` is called as records are handled.
    """
    report = ImportReport(errors=list(problems), strict=strict)
    limit = max_article_chars()
    valid: list[tuple[RawRecord, dict]] = []
    raw_records = [
        r if isinstance(r, RawRecord) else RawRecord(r, "", i) for i, r in _number(records)
    ]
    for raw in raw_records:
        try:
            valid.append((raw, clean_record(raw.data, language=language, max_chars=limit)))
        except RecordError as error:
            external_id = raw.data.get("external_id")
            report.errors.append(
                Problem(raw.line, error.message, raw.source, _as_id(external_id), error.field)
            )
    _in_file_order(report.errors, raw_records)
    if strict and report.errors:
        if progress:
            progress(len(raw_records))
        return report
    if progress and len(valid) < len(raw_records):
        progress(len(raw_records) - len(valid))
    rows = _drop_duplicates(session, valid, report, user if update else None)
    if progress and len(rows) < len(valid):
        progress(len(valid) - len(rows))
    if project is None:
        project = resolve(session, None, None)
    if language is None:
        # a file says nothing of its language: read it from the text (an English file
        # imported into a French desk stays English), else the project's default
        for row in rows:
            row["language"] = (
                row["language"] or detect_language(row["text"]) or project.default_language
            )
    _insert(session, rows, user, report, progress, project.id)
    if reading_suggestions.on_import():  # their suggestions, after the commit
        for i in range(0, len(report.articles), CHUNK):
            ids = [article.id for article in report.articles[i : i + CHUNK]]
            tasks.after_commit(session, "compute_suggestions_many", *ids)
    return report


def _in_file_order(problems: list[Problem], raw_records: list[RawRecord]) -> None:
    """Sort ``problems`` as a reader meets them: files in the order given, lines up."""
    rank: dict[str, int] = {}
    for source in [p.source for p in problems] + [r.source for r in raw_records]:
        rank.setdefault(source or "", len(rank))
    problems.sort(key=lambda p: (rank[p.source or ""], p.line or 0))


def _number(records: Iterable[dict | RawRecord]):
    return enumerate(records, start=1)


def _as_id(value) -> str | None:
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None


def _drop_duplicates(
    session: Session,
    valid: list[tuple[RawRecord, dict]],
    report: ImportReport,
    reviser: User | None = None,
) -> list[dict]:
    known = known_external_ids(session, (v["external_id"] for _r, v in valid if v["external_id"]))
    stored = set(known)
    rows = []
    for raw, values in valid:
        external_id = values["external_id"]
        if external_id is not None:
            if reviser is not None and external_id in stored:
                stored.discard(external_id)  # a second copy in the batch is a duplicate
                if _revise(session, raw, values, reviser, report):
                    continue
            if external_id in known:
                message = _("An article with external_id %(id)s exists.", id=external_id)
                report.duplicates.append(Problem(raw.line, message, raw.source, external_id))
                continue
            known.add(external_id)  # a second copy later in this batch is a duplicate too
        rows.append(values)
    return rows


def _revise(
    session: Session, raw: RawRecord, values: dict, user: User, report: ImportReport
) -> bool:
    """A new revision of the stored article when the text differs; False if it does not."""
    article = session.scalar(select(Article).where(Article.external_id == values["external_id"]))
    if article is None or article.text == values["text"]:
        return False
    result = revisions.create_revision(
        session, article, values["text"], note=f"import: {raw.source or 'record'}", user=user
    )
    report.revised.append((article.id, result.revision.number))
    return True


def _insert(
    session: Session,
    rows: list[dict],
    user: User | None,
    report: ImportReport,
    progress: Callable[[int], None] | None,
    project_id: int,
) -> None:
    # One multi-row INSERT ... RETURNING per chunk: thousands of articles per second,
    # and the ORM objects come back (for ids and callers) without a SELECT each. Not
    # ``sort_by_parameter_order``: SQLite has no sentinel for it, and SQLAlchemy then sends
    # one INSERT per row (10,000 statements for 10,000 articles); the rows are put back in
    # the file's order here instead (_in_given_order).
    now = utcnow()
    user_id = user.id if user is not None else None
    statement = insert(Article).returning(Article)
    for i in range(0, len(rows), CHUNK):
        chunk = [
            row
            | {
                "imported_by_id": user_id,
                "created_at": now,
                "updated_at": now,
                "project_id": project_id,
                # a bulk INSERT skips the model's listeners: fold for search here
                "search_text": search_text(row.get("title"), row.get("text")),
            }
            for row in rows[i : i + CHUNK]
        ]
        report.articles.extend(_in_given_order(chunk, session.scalars(statement, chunk).all()))
        report.imported += len(chunk)
        if progress:
            progress(len(chunk))
    session.flush()


def _key(external_id, title, text) -> tuple:
    return (external_id, title, text)


def _in_given_order(chunk: list[dict], articles: list[Article]) -> list[Article]:
    """``articles`` (RETURNING's rows, in any order) in the order of the ``chunk`` they were
    made from. Rows alike in external id, title and text are interchangeable; among them
    the lower id goes to the earlier row, as one INSERT numbers them."""
    waiting: dict[tuple, list[int]] = {}
    for index, row in enumerate(chunk):
        waiting.setdefault(_key(row["external_id"], row["title"], row["text"]), []).append(index)
    placed: list[Article | None] = [None] * len(chunk)
    for article in sorted(articles, key=lambda a: a.id):
        indexes = waiting[_key(article.external_id, article.title, article.text)]
        placed[indexes.pop(0)] = article
    return placed  # type: ignore[return-value]


def search_text(title: str | None, text: str | None) -> str:
    """``services.fold.article_search_text``, the same string, faster on a text that is
    mostly ASCII: ``str.translate`` through a dict goes through Python for every
    character (about 0.9 ms for 3,000 characters); here each distinct non-ASCII character
    is replaced once over the whole string (C loops), then the ASCII letters are lowered
    on the UTF-8 bytes (``bytes.lower`` touches A-Z only, and no byte of a multi-byte
    character is below 0x80). A character folding to something other than itself or
    lower-case ASCII (Greek, ligatures spelled with a non-ASCII letter…) takes the table's
    route, so the result is always the table's (tests/text/test_import_fold.py)."""
    value = f"{title or ''}\n{text or ''}"
    if value.isascii():
        return value.lower()
    position, kept = 0, set()
    while (found := _NON_ASCII.search(value, position)) is not None:
        char = found.group()
        folded = char if char in kept else TABLE[ord(char)]
        if folded == char:  # stays as it is (an emoji, a CJK character)
            kept.add(char)
            position = found.end()
            continue
        if not folded.isascii() or folded.lower() != folded:
            return value.translate(TABLE)
        value = value.replace(char, folded)  # every occurrence at once
        position = found.start()
    return value.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")


def import_files(
    session: Session,
    files: Iterable[tuple[str, bytes]],
    user: User | None,
    *,
    fmt: str = "auto",
    language: str | None = None,
    strict: bool = False,
    title: str | None = None,
    progress: Callable[[int], None] | None = None,
    project=None,
) -> ImportReport:
    """Parse every file, then import all their records as one batch."""
    parsed = parse_all(files, fmt=fmt, title=title)
    return import_records(
        session,
        parsed.records,
        user,
        language=language,
        strict=strict,
        problems=parsed.problems,
        progress=progress,
        project=project,
    )


def parse_all(
    files: Iterable[tuple[str, bytes]], *, fmt: str = "auto", title: str | None = None
) -> Parsed:
    combined = Parsed()
    for name, data in files:
        one = parse(data, name, fmt, title)
        combined.records.extend(one.records)
        combined.problems.extend(one.problems)
    return combined
