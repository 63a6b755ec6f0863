"""The fast CSV path writes exactly what ``csv.writer`` writes for ``export.rows``."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.extensions import db
from factcheck.models import Source, Status
from factcheck.services import export, export_csv

#: text that trips writers: separators, quotes, both line ends, formula starts, accents, emoji
NASTY = [
    "",
    "plain",
    "a,b",
    'say "hi"',
    '"',
    "line\nbreak",
    "cr\ronly",
    "crlf\r\nend",
    "=SUM(A1)",
    "+33 1",
    "-1",
    "@user",
    "\ttab",
    "\rlead",
    "  spaced  ",
    "Noël « été » — 🎉",
    "\u2028sep",
    "'already",
]


def reference(session, filters, safe: bool = False) -> bytes:
    """What the generic path writes: ``rows`` through the csv module."""
    buffer = io.StringIO()
    if safe:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(export.COLUMNS)
    for batch in export.rows(session, filters, batch_size=4):
        writer.writerows(export._make_safe(batch) if safe else batch)
    return buffer.getvalue().encode("utf-8")


def fast(session, filters, safe: bool = False, batch_size: int = 3) -> bytes:
    pairs = export.csv_batches(
        session, filters, spreadsheet_safe=safe, bom=safe, batch_size=batch_size
    )
    return b"".join(data for _n, data in pairs)


@pytest.fixture
def nasty_rows(make):
    """An annotation per nasty text in every text field, with nasty sources and titles."""
    reviewer = make.user(username="relecteur")
    author = make.user(username="=author")
    for i, value in enumerate(NASTY):
        article = make.article(
            title=value or "t", url=None if i % 3 else "https://x.example/?a=1,2"
        )
        if i % 2:
            article.external_id = value + str(i)
        annotation = make.annotation(
            article=article,
            author=author,
            status=Status.APPROVED if i % 4 else Status.REJECTED,
            sources=0,
            claim=value,
            claimant=value,
            rationale=value,
            review_comment=value,
            verdict=None if i % 5 == 0 else "false",
            reviewer_id=reviewer.id if i % 2 else None,
            reviewed_at=datetime(2026, 1, 2, 3, 4, 5, 999999, tzinfo=UTC) if i % 2 else None,
        )
        for position, url in enumerate([f"https://s.example/{i},{value[:3]}", "=http://y/"]):
            make.session.add(Source(annotation_id=annotation.id, position=position, url=url))
    make.session.commit()


@pytest.mark.parametrize("safe", [False, True])
@pytest.mark.parametrize("batch_size", [1, 3, 10_000])
def test_fast_path_is_byte_identical_to_the_csv_module(app_ctx, nasty_rows, safe, batch_size):
    filters = export.parse_filters({"status": "all"})
    expected = reference(db.session, filters, safe)
    assert fast(db.session, filters, safe, batch_size) == expected
    assert expected.count(b"\r\n") > len(NASTY)  # really exported every row


def test_filters_apply_on_the_fast_path(app_ctx, nasty_rows):
    for args in ({}, {"status": "rejected"}, {"verdict": "false", "from": "2026-01-02"}):
        filters = export.parse_filters(args)
        assert fast(db.session, filters) == reference(db.session, filters)


cells = st.text(st.characters(codec="utf-8"), max_size=12)


@given(st.lists(st.lists(cells, min_size=3, max_size=3), min_size=1, max_size=6))
def test_column_quoting_matches_csv_module(rows):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    columns = [[cell.encode() for cell in column] for column in zip(*rows, strict=True)]
    quoted = [export_csv._quoted(column) for column in columns]
    lines = [b",".join(row) + b"\r\n" for row in zip(*quoted, strict=True)]
    assert b"".join(lines) == buffer.getvalue().encode()


def test_lookup_cache_stays_bounded_and_correct(app_ctx, nasty_rows, monkeypatch):
    """Articles are cached by id; when the cache is full it is emptied, not grown."""
    monkeypatch.setattr(export_csv._Cells, "LIMIT", 4)
    filters = export.parse_filters({"status": "all"})
    assert fast(db.session, filters, batch_size=3) == reference(db.session, filters)
