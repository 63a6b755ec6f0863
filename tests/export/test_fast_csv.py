"""The CSV writer writes exactly what the oracle (tests/export/oracle.py) writes."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import (
    Annotation,
    Appearance,
    Article,
    Claimant,
    ClaimLink,
    ClaimMedium,
    Source,
    Status,
)
from factcheck.services import export, projects
from factcheck.services.export import csv as csv_writer

from .oracle import fast, reference

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
            published_url=value or None,
            claim_medium=list(ClaimMedium)[i % len(ClaimMedium)] if i % 3 else None,
        )
        for position, url in enumerate([f"https://s.example/{i},{value[:3]}", "=http://y/"]):
            make.session.add(Source(annotation_id=annotation.id, position=position, url=url))
            if i % 2:
                make.session.add(
                    Appearance(annotation_id=annotation.id, position=position, url=url)
                )
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
    quoted = [csv_writer._quoted(column) for column in columns]
    lines = [b",".join(row) + b"\r\n" for row in zip(*quoted, strict=True)]
    assert b"".join(lines) == buffer.getvalue().encode()


def test_lookup_cache_stays_bounded_and_correct(app_ctx, nasty_rows, monkeypatch):
    """Articles are cached by id; when the cache is full it is emptied, not grown."""
    monkeypatch.setattr(csv_writer._Cells, "LIMIT", 4)
    filters = export.parse_filters({"status": "all"})
    assert fast(db.session, filters, batch_size=3) == reference(db.session, filters)


@pytest.fixture
def full_world(make):
    """Every column filled, in two projects (each with its own verdict scale): revised
    articles, confirmed matches, guidelines versions, review comments, unicode."""
    research = projects.create_project(
        db.session, name="Recherche", slug="recherche", template="fever"
    )
    db.session.commit()
    reviewer = make.user(username="rémi-relecteur")
    author = make.user(username="anne_ü")
    claimant = Claimant(name="Élisabeth Borne", folded="elisabeth borne", same_as=[])
    make.session.add(claimant)
    make.session.commit()
    ids = []
    for i, (project_id, verdict) in enumerate(
        [(None, "false"), (research.id, "refuted"), (None, "mixed"), (research.id, "supported")]
    ):
        kw = {"project_id": project_id} if project_id else {}
        article = make.article(
            title=f"Dette, « été » nº {i} 🌞",
            url=f"https://news.example/a/{i}?x=1,2",
            external_id=f'ext "{i}"',
            **kw,
        )
        annotation = make.annotation(
            article=article,
            author=author,
            status=Status.APPROVED,
            verdict=verdict,
            claim=f"La dette a « baissé », dit-on\r\nn° {i}",
            claimant="Élisabeth, « Borne »",
            rationale="=Voir l'Insee ; 🎉",
            review_comment=f'-Vérifié "deux fois" {i}',
            reviewer_id=reviewer.id,
            reviewed_at=datetime(2026, 3, 4, 5, 6, 7, 890, tzinfo=UTC),
            guidelines_version=3 + i,
            article_revision=2 + i,
            claimant_id=claimant.id,
            claim_date=date(2026, 2, 1 + i),
            claim_medium=list(ClaimMedium)[i],
            published_url=f"https://desk.example/fc/{i}?a=1,2",
        )
        for position in range(1 + i % 2):
            make.session.add(
                Appearance(
                    annotation_id=annotation.id,
                    position=1 - position,  # written out of order: the file keeps position order
                    url=f"https://seen.example/{i}/{position}",
                    first=position == 0,
                )
            )
        ids.append(annotation.id)
    for i, annotation_id in enumerate(ids):
        targets = [f"annotation:{ids[(i + 1) % len(ids)]}", f"https://past.example/fc/{i},x"]
        for target in targets[: 1 + i % 2]:
            make.session.add(
                ClaimLink(annotation_id=annotation_id, target=target, created_by_id=reviewer.id)
            )
    make.session.commit()
    return ids


@pytest.mark.parametrize("safe", [False, True])
def test_every_column_filled_matches_the_oracle(app_ctx, full_world, safe):
    filters = export.parse_filters({"status": "all", "anchor": "all"})
    expected = reference(db.session, filters, safe)
    assert fast(db.session, filters, safe, batch_size=3) == expected
    rows = list(csv.DictReader(io.StringIO(expected.decode("utf-8-sig"), newline="")))
    assert [int(r["annotation_id"]) for r in rows] == full_world
    empty = {name for row in rows for name, value in row.items() if value == ""}
    assert empty == set(), f"columns left empty: {empty}"
    assert {r["project"] for r in rows} == {"default", "recherche"}
    assert rows[0]["same_as"] == f"annotation:{full_world[1]}"
    assert rows[1]["same_as"] == f"annotation:{full_world[2]} https://past.example/fc/1,x"
    assert [r["guidelines_version"] for r in rows] == ["3", "4", "5", "6"]
    assert [r["article_revision"] for r in rows] == ["2", "3", "4", "5"]
    assert [r["claim_date"] for r in rows] == [
        "2026-02-01",
        "2026-02-02",
        "2026-02-03",
        "2026-02-04",
    ]
    assert [r["claim_medium"] for r in rows] == ["article", "tv", "radio", "social"]
    assert rows[1]["appearances"] == "https://seen.example/1/1 https://seen.example/1/0"
    assert rows[3]["published_url"] == "https://desk.example/fc/3?a=1,2"
    assert rows[1]["verdict"] == "refuted" and rows[1]["verdict_label"]
    if safe:
        assert rows[0]["rationale"].startswith("'=") and rows[0]["review_comment"][:2] == "'-"


def test_the_columns_come_from_one_list():
    """The header, the numeric columns and the line layout all derive from ``SPEC``."""
    assert export.COLUMNS == tuple(column.name for column in csv_writer.SPEC)
    assert export.NUMERIC_COLUMNS == {
        "annotation_id",
        "article_id",
        "start",
        "end",
        "article_revision",
        "guidelines_version",
        "claimant_id",
    }
    # one piece per column, except that a lookup's consecutive columns make one piece
    width = sum(
        len(p.fields) if isinstance(p, csv_writer._Looked) else 1 for p in csv_writer._PIECES
    )
    assert width == len(export.COLUMNS)


def test_a_new_column_is_one_entry_in_the_list(app_ctx, nasty_rows, monkeypatch):
    """Appending to ``SPEC`` is all it takes: select, lookups and layout follow."""
    Column = csv_writer.Column
    spec = csv_writer.SPEC + (
        Column("article_language", Article.__table__.c.language, csv_writer.ARTICLE),
        Column("prefix", Annotation.__table__.c.prefix),
    )
    monkeypatch.setattr(csv_writer, "SPEC", spec)
    monkeypatch.setattr(csv_writer, "COLUMNS", tuple(c.name for c in spec))
    selected, pieces = csv_writer._plan()
    monkeypatch.setattr(csv_writer, "_SELECTED", selected)
    monkeypatch.setattr(csv_writer, "_PIECES", pieces)
    filters = export.parse_filters({"status": "all"})
    old = list(csv.DictReader(io.StringIO(reference(db.session, filters).decode(), newline="")))
    new = list(csv.DictReader(io.StringIO(fast(db.session, filters).decode(), newline="")))
    assert [{k: v for k, v in row.items() if k in old[0]} for row in new] == old
    by_id = {a.id: a for a in db.session.scalars(select(Annotation))}
    for row in new:
        assert row["article_language"] == "fr"
        assert row["prefix"] == by_id[int(row["annotation_id"])].prefix


def test_a_column_of_another_table_needs_its_lookup(monkeypatch):
    title = csv_writer.Column("title", Article.__table__.c.title)  # no via: would cross join
    monkeypatch.setattr(csv_writer, "SPEC", (*csv_writer.SPEC, title))
    with pytest.raises(ValueError, match="title"):
        csv_writer._plan()
