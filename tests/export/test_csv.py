"""The CSV contract: columns, rows, filters, exactness and spreadsheet safety."""

from __future__ import annotations

import csv
import io

import pytest

from factcheck.extensions import db
from factcheck.models import Annotation, Article, Source, Status, Verdict
from factcheck.permissions import Role
from factcheck.services import export
from factcheck.services.export import csv as csv_writer

from .conftest import parse_csv
from .oracle import make_safe

CONTRACT_HEADER = (
    "annotation_id,status,article_id,article_external_id,article_title,article_url,"
    "start,end,quote,claim,claimant,verdict,verdict_label,rationale,source_urls,"
    "annotator,reviewer,created_at,submitted_at,reviewed_at,review_comment,article_revision,"
    "same_as,project,guidelines_version,source_stances,"
    "claimant_id,claim_date,claim_medium,appearances,published_url"
)

#: every character a cell may hold that can trip a CSV writer, reader or spreadsheet
TRICKY = "a, \"quoted\" b;\nline two\r\nline three — Noël été 🎉 'apostrophe'"


def csv_text(filters, **options) -> str:
    """The CSV of ``filters`` as text, straight from the writer (no HTTP)."""
    pairs = export.csv_batches(db.session, filters, **options)
    return b"".join(data for _n, data in pairs).decode("utf-8")


def get_csv(client, **params):
    response = client.get("/api/v1/export.csv", query_string=params)
    assert response.status_code == 200, response.data
    return response


def test_header_is_the_contract_columns_in_order(client, login, reviewer):
    login(reviewer)
    data = get_csv(client).data
    assert data.split(b"\r\n")[0].decode() == CONTRACT_HEADER
    assert ",".join(export.COLUMNS) == CONTRACT_HEADER


def test_one_row_per_annotation_with_sources_in_position_order(
    client, login, reviewer, reviewed, make
):
    annotation = reviewed(sources=0)
    for position, url in [
        (2, "https://c.example/"),
        (0, "https://a.example/"),
        (1, "http://b.example/"),
    ]:
        make.session.add(Source(annotation_id=annotation.id, position=position, url=url))
    make.session.commit()
    reviewed(sources=2)
    login(reviewer)
    rows = parse_csv(get_csv(client).data)
    assert [r["annotation_id"] for r in rows] == sorted(r["annotation_id"] for r in rows)
    assert len(rows) == 2
    first = rows[0]
    assert first["source_urls"] == "https://a.example/ http://b.example/ https://c.example/"
    assert first["status"] == "approved"
    assert first["reviewer"] == reviewer.username
    assert first["reviewed_at"] == "2026-11-25T10:04:05Z"
    assert first["created_at"].endswith("Z") and "T" in first["created_at"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"approved"}),
        ({"status": "approved"}, {"approved"}),
        ({"status": "all"}, {"draft", "submitted", "approved", "rejected"}),
        ({"status": "submitted,rejected"}, {"submitted", "rejected"}),
        ({"status": "draft"}, {"draft"}),
    ],
)
def test_status_filter(client, login, admin, reviewed, params, expected):
    for status in Status:
        reviewed(status=status)
    login(admin)
    rows = parse_csv(get_csv(client, **params).data)
    assert sorted(r["status"] for r in rows) == sorted(expected)


def test_reviewers_export_all_but_drafts(client, login, reviewer, reviewed):
    for status in Status:
        reviewed(status=status)
    login(reviewer)
    rows = parse_csv(get_csv(client, status="all").data)
    assert {r["status"] for r in rows} == {"submitted", "approved", "rejected"}
    assert client.get("/api/v1/export.csv?status=draft").status_code == 403


def test_article_verdict_and_date_filters(client, login, reviewer, reviewed, make):
    article = make.article()
    wanted = reviewed(article=article, verdict="mixed", day=20)
    reviewed(article=article, verdict="false", day=20)
    reviewed(verdict="mixed", day=20)
    late = reviewed(verdict="mixed", day=28)
    reviewed(status=Status.SUBMITTED, article=article, verdict="mixed")
    login(reviewer)

    def ids(**params):
        return [int(r["annotation_id"]) for r in parse_csv(get_csv(client, **params).data)]

    assert ids(article=article.id, verdict="mixed") == [wanted.id]
    assert len(ids(article=article.id, status="all")) == 3
    assert ids(verdict="mixed", **{"from": "2026-11-21"}) == [late.id]
    # both ends inclusive, whole days in UTC
    assert late.id not in ids(**{"from": "2026-11-20", "to": "2026-11-27"})
    assert len(ids(**{"from": "2026-11-20", "to": "2026-11-20"})) == 3
    assert ids(**{"from": "2026-11-28", "to": "2026-11-28"}) == [late.id]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"status": "pending"}, 422),
        ({"from": "25/11/2026"}, 422),
        ({"from": "2026-11-26", "to": "2026-11-25"}, 422),
        ({"article": "abc"}, 422),
        ({"article": "999999"}, 422),
        ({"verdict": "no_such_verdict"}, 422),
        ({"format": "xml"}, 400),
        ({"spreadsheet_safe": "maybe"}, 400),
    ],
)
def test_bad_filters_are_refused_with_a_message(client, login, reviewer, params, status):
    login(reviewer)
    response = client.get("/api/v1/export.csv", query_string=params)
    assert response.status_code == status
    assert response.json["error"]["message"]


def tricky_annotation(make, reviewer, lead: str):
    """An approved annotation with ``lead`` + tricky text in every text field."""
    body = lead + TRICKY
    text = "Intro « début ». " + body + " fin 🎉."
    article = make.article(
        text=text, title=lead + "Titre, « été »", external_id=lead + "ext-" + str(id(lead))
    )
    article.text  # noqa: B018  (normalized text, as stored)
    start = article.text.index(lead + "a,")
    annotation = make.annotation(
        article=article,
        start=start,
        end=start + len(body),
        status=Status.APPROVED,
        claim=lead + "claim " + TRICKY,
        claimant=lead + "Élisabeth « Borne »",
        rationale=lead + "rationale " + TRICKY,
        review_comment=lead + "comment " + TRICKY,
        reviewer_id=reviewer.id,
    )
    return annotation


LEADS = ["=", "+", "-", "@", "\t", ""]


def test_exact_mode_round_trips_every_character(client, login, reviewer, make):
    annotations = {tricky_annotation(make, reviewer, lead).id: lead for lead in LEADS}
    login(reviewer)
    rows = parse_csv(get_csv(client).data)
    assert len(rows) == len(LEADS)
    for row in rows:
        annotation_id = int(row["annotation_id"])
        lead = annotations[annotation_id]
        stored = db.session.get(Annotation, annotation_id)
        article = db.session.get(Article, int(row["article_id"]))
        assert article.text[int(row["start"]) : int(row["end"])] == row["quote"]
        assert row["quote"] == stored.quote
        assert row["claim"] == lead + "claim " + TRICKY
        assert row["claimant"] == stored.claimant
        assert row["rationale"] == stored.rationale
        assert row["review_comment"] == stored.review_comment
        assert row["article_title"] == article.title
        assert row["article_external_id"] == article.external_id


def test_exact_mode_cells_with_cr_lf_survive(app_ctx, make, reviewer):
    """A cell holding \\r\\n and a lone \\r comes back byte for byte (services, no HTTP)."""
    annotation = make.annotation(
        status=Status.APPROVED, rationale="one\r\ntwo\rthree\nfour", claim="\u2028sep"
    )
    text = csv_text(export.parse_filters({}))
    (row,) = list(csv.DictReader(io.StringIO(text, newline="")))
    assert row["rationale"] == "one\r\ntwo\rthree\nfour"
    assert row["claim"] == "\u2028sep"
    assert int(row["annotation_id"]) == annotation.id


def test_nul_is_neutralized_too():
    """PostgreSQL stores no NUL, so this one is checked on the writer alone."""
    column = [b"\0=1", b"\0a", b"x=1", b"", b"'=already"]
    assert csv_writer.neutralized(column) == [b"'\0=1", b"'\0a", b"x=1", b"", b"'=already"]
    row = ["1", "\0=1", "2"] + ["\0a"] * (len(export.COLUMNS) - 3)
    safe = make_safe(row)  # the oracle agrees
    assert safe[:3] == ["1", "'\0=1", "2"] and safe[8] == "'\0a"


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"])
def test_spreadsheet_safe_mode_neutralizes_each_formula_start(client, login, reviewer, make, lead):
    make.session.add(Verdict(key="tricky", label=lead + "label", rating=3))
    make.session.commit()
    annotation = make.annotation(
        status=Status.APPROVED,
        verdict="tricky",
        claim=lead + "1+1",
        claimant=lead + "Someone",
        rationale=lead + "why",
        review_comment=lead + "ok",
        reviewer_id=reviewer.id,
    )
    login(reviewer)
    safe = parse_csv(get_csv(client, spreadsheet_safe=1).data)[0]
    exact = parse_csv(get_csv(client).data)[0]
    for column in ("claim", "claimant", "rationale", "review_comment", "verdict_label"):
        assert safe[column] == "'" + exact[column], column
        assert exact[column].startswith(lead), column
    for column in ("annotation_id", "article_id", "start", "end"):
        assert safe[column] == exact[column]
    assert int(safe["annotation_id"]) == annotation.id
    assert safe["quote"] == exact["quote"]  # does not start with a formula character


def test_safe_mode_leaves_ordinary_cells_alone(app_ctx, make):
    make.annotation(status=Status.APPROVED, claim="Le chômage a baissé de 10 %")
    filters = export.parse_filters({})
    safe = csv_text(filters, spreadsheet_safe=True)
    exact = csv_text(filters)
    assert safe == exact


def test_bom_only_in_the_browser_download(client, login, reviewer, reviewed):
    reviewed(claim="Noël")
    login(reviewer)
    browser = client.get("/export/download.csv")
    assert browser.status_code == 200
    assert browser.data.startswith(b"\xef\xbb\xbf" + b"annotation_id,")
    assert "attachment" in browser.headers["Content-Disposition"]
    exact = client.get("/export/download.csv?mode=exact")
    assert exact.data.startswith(b"annotation_id,")
    assert get_csv(client).data.startswith(b"annotation_id,")
    assert get_csv(client, spreadsheet_safe=1).data.startswith(b"annotation_id,")


def test_browser_download_is_spreadsheet_safe_by_default(client, login, reviewer, reviewed):
    reviewed(claim='=HYPERLINK("http://evil.example")')
    login(reviewer)
    row = parse_csv(client.get("/export/download.csv").data.decode("utf-8-sig"))[0]
    assert row["claim"].startswith("'=")
    row = parse_csv(client.get("/export/download.csv?mode=exact").data)[0]
    assert row["claim"].startswith("=")


def test_csv_response_streams_with_attachment_name(client, login, reviewer, reviewed):
    reviewed()
    login(reviewer)
    response = client.get("/api/v1/export.csv")
    assert response.is_streamed
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    # the project read is named (issue 23: a desk exporting two projects tells them apart)
    assert disposition.startswith('attachment; filename="factcheck-default-20')
    assert disposition.endswith('.csv"')


def test_annotator_role_cannot_see_admin_only_draft_filter(client, login, make):
    user = make.user(roles=[Role.REVIEWER])
    login(user)
    page = client.get("/export/")
    assert page.status_code == 200
    assert b'value="draft"' not in page.data
