"""Importing articles: every path (admin page, CLI, API, demo) goes through here.

Text is normalized exactly once, here: BOM removed, CRLF/CR → LF, Unicode NFC.
Nothing else is rewritten.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Article, User


def normalize_text(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: list[tuple[int, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)


def import_records(session: Session, records: list[dict], user: User | None) -> ImportReport:
    report = ImportReport()
    for line, record in enumerate(records, start=1):
        external_id = record.get("external_id") or None
        if external_id and session.scalar(
            select(Article.id).where(Article.external_id == external_id)
        ):
            report.duplicates.append((line, external_id))
            continue
        text = normalize_text(record["text"])
        article = Article(
            title=normalize_text(record["title"]).strip(),
            text=text,
            url=record.get("url") or None,
            language=record.get("language") or None,
            external_id=external_id,
            text_sha256=text_hash(text),
            imported_by_id=user.id if user else None,
        )
        session.add(article)
        report.articles.append(article)
        report.imported += 1
    session.flush()
    return report
