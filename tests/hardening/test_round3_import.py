"""Security and reliability, round 3 (issue 24, items 6 and 7): a ClaimReview archive with
hostile records imports the others and names each bad one by file and line; the import
reads everything before it writes, then writes in short batches, each committed."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import event, func, select

from factcheck.extensions import db
from factcheck.models import FactCheck, Role
from factcheck.services import factchecks


def review(n: int, **extra) -> dict:
    return {
        "@type": "ClaimReview",
        "claimReviewed": f"Claim number {n}",
        "url": f"https://fact.example.org/{n}",
        "reviewRating": {"alternateName": "Faux"},
        **extra,
    }


#: one record a line, so that each one's position is its line; (line, words of the message)
HOSTILE = [
    (
        '{"claimReviewed": "Deep", "url": "https://e.org/d", "x": ' + "[" * 5000 + "]" * 5000 + "}",
        "nested",
    ),
    ('{"claimReviewed": "Big", "url": "https://e.org/b", "x": ' + "9" * 5000 + "}", "digits"),
    (json.dumps(review(90, datePublished="0001-01-01T00:00:00+05:00")), "datePublished"),
    (json.dumps(review(91, datePublished="9999-12-31T23:00:00-05:00")), "datePublished"),
    (json.dumps(review(92, datePublished="10000-01-01")), "datePublished"),
    (json.dumps(review(93, claimReviewed="NUL \x00 here")), "claimReviewed"),
    (json.dumps(review(94, author={"name": "Lone \ud800"})), "author"),
    ('{"claimReviewed": "NaN", "url": "https://e.org/n", "x": NaN}', "NaN"),
    (
        '{"claimReviewed": "Deep", "url": "https://e.org/d2", "x": ' + "[" * 100 + "]" * 100 + "}",
        "nested",
    ),
]


def _archive(layout: str) -> tuple[str, list[int]]:
    """Two good records around the hostile ones; the hostile ones' lines."""
    lines = [json.dumps(review(1)), *(text for text, _ in HOSTILE), json.dumps(review(2))]
    if layout == "jsonl":
        return "\n".join(lines) + "\n", list(range(2, 2 + len(HOSTILE)))
    return "[\n" + ",\n".join(lines) + "\n]\n", list(range(3, 3 + len(HOSTILE)))


@pytest.mark.parametrize("layout", ["array", "jsonl"])
def test_hostile_records_are_reported_by_line_and_the_others_imported(app_ctx, layout):
    text, lines = _archive(layout)
    report = factchecks.import_text(db.session, text, "hostile.json")
    assert (report.created, report.updated) == (2, 0)
    assert [(e["file"], e["line"]) for e in report.errors] == [("hostile.json", n) for n in lines]
    for error, (_, words) in zip(report.errors, HOSTILE, strict=True):
        assert words in error["message"], error
    db.session.rollback()
    urls = set(db.session.scalars(select(FactCheck.url)))
    assert urls == {"https://fact.example.org/1", "https://fact.example.org/2"}


def test_a_hostile_item_of_a_json_ld_graph_is_reported_and_the_others_imported(app_ctx):
    deep = review(3, x=json.loads("[" * 100 + "]" * 100))
    document = {"@context": "https://schema.org", "@graph": [review(1), deep, review(2)]}
    report = factchecks.import_text(db.session, json.dumps(document), "graph.jsonld")
    assert report.created == 2
    assert len(report.errors) == 1 and "nested" in report.errors[0]["message"]
    assert report.errors[0]["message"].startswith("Record 2 of the document")


@pytest.mark.parametrize("content_type", ["application/json", "application/ld+json", "text/plain"])
def test_the_api_imports_the_good_records_of_a_hostile_archive(client, make, login, content_type):
    login(make.user(roles=[Role.ADMIN]))
    text, lines = _archive("array")
    response = client.post("/api/v1/factchecks", data=text, content_type=content_type)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    answer = response.get_json()
    assert answer["created"] == 2 and answer["skipped"] == len(HOSTILE)
    assert [e["line"] for e in answer["errors"]] == lines


def test_the_cli_names_each_bad_record_by_file_and_line(app, tmp_path):
    text, lines = _archive("jsonl")
    path = tmp_path / "hostile.jsonl"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    result = app.test_cli_runner().invoke(args=["import-claimreview", "--no-index", str(path)])
    assert result.exit_code == 1, result.output
    assert f"2 fact-checks imported, 0 updated, 0 unchanged, {len(HOSTILE)} skipped" in (
        result.output
    )
    for line in lines:
        assert f"{path}:{line}: error:" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(FactCheck.id))) == 2


def test_copies_of_one_record_are_written_once(app_ctx):
    text = "\n".join(json.dumps(review(7)) for _ in range(50))
    report = factchecks.import_text(db.session, text, "copies.jsonl")
    assert (report.created, report.updated, report.unchanged) == (1, 0, 49)
    changed = [json.dumps(review(7, claimReviewed=f"Version {i}")) for i in range(3)]
    report = factchecks.import_text(db.session, "\n".join([*changed, changed[-1]]), "v.jsonl")
    assert (report.created, report.updated, report.unchanged) == (0, 3, 1)
    db.session.rollback()
    assert db.session.scalar(select(FactCheck.claim)) == "Version 2"


def test_everything_is_read_before_the_first_write_and_writes_come_in_short_batches(
    app_ctx, monkeypatch
):
    monkeypatch.setattr(factchecks, "BATCH", 10)
    read = []
    monkeypatch.setattr(
        factchecks, "record", lambda obj, _r=factchecks.record: read.append(1) or _r(obj)
    )
    existing = [json.dumps(review(n, claimReviewed="Old")) for n in range(5)]
    factchecks.import_text(db.session, "\n".join(existing), "old.jsonl")
    read.clear()
    rows_per_commit, rows, read_before_first_write = [], [0], []

    def on_execute(_conn, _cursor, statement, parameters, _context, executemany):
        if statement.lstrip().upper().startswith(("INSERT INTO FACTCHECK", "UPDATE FACTCHECK")):
            if not read_before_first_write:
                read_before_first_write.append(len(read))
            rows[0] += len(parameters) if executemany else 1

    def on_commit(_conn):
        if rows[0]:
            rows_per_commit.append(rows[0])
        rows[0] = 0

    event.listen(db.engine, "before_cursor_execute", on_execute)
    event.listen(db.engine, "commit", on_commit)
    try:
        text = "\n".join(json.dumps(review(n)) for n in range(35))
        report = factchecks.import_text(db.session, text, "new.jsonl")
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)
        event.remove(db.engine, "commit", on_commit)
    assert (report.created, report.updated) == (30, 5)
    assert read_before_first_write == [35]
    assert rows_per_commit == [10, 10, 10, 5]


def test_an_article_file_with_hostile_json_lines_reports_them_and_reads_the_others():
    from factcheck.services import importing

    lines = [
        json.dumps({"title": "One", "text": "First article."}),
        '{"title": "Deep", "text": "x", "n": ' + "[" * 5000 + "]" * 5000 + "}",
        '{"title": "Big", "text": "x", "n": ' + "9" * 5000 + "}",
        json.dumps({"title": "Two", "text": "Second article."}),
    ]
    parsed = importing.parse_all([("a.jsonl", "\n".join(lines).encode())], fmt="jsonl")
    assert [r.data["title"] for r in parsed.records] == ["One", "Two"]
    assert [(p.line, p.source) for p in parsed.problems] == [(2, "a.jsonl"), (3, "a.jsonl")]
    assert "nested" in parsed.problems[0].message and "digits" in parsed.problems[1].message
