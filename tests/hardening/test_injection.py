"""XSS and injection probes through every text field, checked everywhere the text appears:
HTML pages (parsed: nothing injected), the JSON API (exact text), CSV and JSON Lines
exports (exact; formula-neutralized in spreadsheet-safe mode), ClaimReview for HTML, and the
JSON data block of the annotate page. Dangerous URL schemes are refused at write time."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import ReviewEvent, Role, Source, Status, Verdict
from factcheck.services.export import jsonld_for_html

PROBES = {
    "img": "<img src=x onerror=alert(1)>",
    "script": "</script><script>alert(1)</script>",
    "template": "{{7*7}}",
    "js_url": "javascript:alert(1)",
    "data_url": "data:text/html,<script>alert(1)</script>",
    "bidi": "abc\u202edcba\u202c txt.exe",
    "formula": '=HYPERLINK("http://evil.example","x")',
}

#: every text field a user can write, with the marker that shows where the probe landed
FIELDS = (
    "title",
    "text",
    "claim",
    "claimant",
    "rationale",
    "source_title",
    "source_note",
    "review_comment",
    "verdict_label",
    "display_name",
)


def _value(field: str, probe: str) -> str:
    return f"{field} {probe} end"


@pytest.fixture
def planted(make, request):
    """An article, a rejected annotation (with comment) and every text field carrying the probe."""
    probe = PROBES[request.param]
    author = make.user("author", roles=[Role.ANNOTATOR], display_name=_value("display_name", probe))
    reviewer = make.user("checker", roles=[Role.REVIEWER])
    admin = make.user("boss", roles=[Role.ADMIN])
    text = "Intro sentence here. " + _value("text", probe) + "\n\nSecond paragraph."
    article = make.article(text=text, title=_value("title", probe), url="https://example.org/a")
    verdict = db.session.scalar(select(Verdict).where(Verdict.key == "false"))
    verdict.label = verdict.label_fr = _value("verdict_label", probe)
    start = text.index("text ")
    annotation = make.annotation(
        article=article,
        author=author,
        start=start,
        end=start + len(_value("text", probe)),
        status=Status.REJECTED,
        claim=_value("claim", probe),
        claimant=_value("claimant", probe),
        rationale=_value("rationale", probe),
        review_comment=_value("review_comment", probe),
        reviewer_id=reviewer.id,
    )
    source = db.session.scalar(select(Source).where(Source.annotation_id == annotation.id))
    source.title = _value("source_title", probe)
    source.note = _value("source_note", probe)
    db.session.add(
        ReviewEvent(
            annotation_id=annotation.id,
            actor_id=reviewer.id,
            from_status=Status.SUBMITTED,
            to_status=Status.REJECTED,
            comment=_value("review_comment", probe),
            version=annotation.version,
        )
    )
    db.session.commit()
    return {
        "probe": probe,
        "author": author,
        "admin": admin,
        "article": article,
        "annotation": annotation,
    }


all_probes = pytest.mark.parametrize("planted", sorted(PROBES), indirect=True)


class Scan(HTMLParser):
    """Elements, attributes, visible text and script bodies of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.scripts: list[tuple[dict, str]] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "script":
            self._script = attributes
            self.scripts.append((attributes, ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)
        else:
            self.text.append(data)


def assert_inert_html(html: str, probe: str, fields: tuple[str, ...]) -> Scan:
    scan = Scan()
    scan.feed(html)
    for tag, attrs in scan.tags:
        handlers = [name for name in attrs if name.startswith("on")]
        assert not handlers, f"event handler injected on <{tag}>: {handlers}"
        assert not (tag == "img" and attrs.get("src") == "x"), "an <img> was injected"
        for name in ("href", "src", "action", "formaction"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:")), f"<{tag} {name}={value}>"
    for attrs, body in scan.scripts:
        if "src" in attrs:
            assert not body.strip()
            continue
        assert attrs.get("type") == "application/json", f"inline script injected: {body[:80]}"
        json.loads(body)  # the data block is whole: nothing broke out of it
        assert "alert(1)" not in body or "\\u003c" in body or "<" not in body
    visible = "".join(scan.text)
    for field in fields:
        assert _value(field, probe) in visible, f"{field} is not shown as its exact text"
    return scan


def _get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


@all_probes
def test_pages_show_every_field_as_inert_text(client, login, planted):
    p, a = planted, planted["annotation"]
    login(p["admin"])
    article = p["article"].id
    pages = {
        "/articles/": ("title",),
        f"/articles/{article}": ("title",),
        f"/articles/{article}/annotate?annotation={a.id}": (
            "title",
            "claim",
            "claimant",
            "rationale",
            "source_title",
            "source_note",
            "review_comment",
            "verdict_label",
        ),
        "/admin/verdicts": (),
        "/admin/users": ("display_name",),
        "/export/?status=all": ("title", "claim"),
    }
    for url, fields in pages.items():
        assert_inert_html(_get(client, url), p["probe"], fields)
    login(p["author"])
    assert_inert_html(_get(client, "/mine"), p["probe"], ())
    assert_inert_html(_get(client, "/profile"), p["probe"], ())


@all_probes
def test_annotate_data_block_carries_the_exact_text_and_stays_closed(client, login, planted):
    p = planted
    login(p["admin"])
    html = _get(client, f"/articles/{p['article'].id}/annotate")
    scan = assert_inert_html(html, p["probe"], ("title",))
    (block,) = [body for attrs, body in scan.scripts if attrs.get("id") == "annotate-data"]
    data = json.loads(block)
    assert data["verdicts"]["false"] == _value("verdict_label", p["probe"])
    assert "<" not in block and ">" not in block  # escaped as \u003c / \u003e


@all_probes
def test_api_returns_the_exact_text(client, login, planted):
    p, a = planted, planted["annotation"]
    login(p["admin"])
    got = client.get(f"/api/v1/annotations/{a.id}").get_json()
    assert got["claim"] == _value("claim", p["probe"])
    assert got["claimant"] == _value("claimant", p["probe"])
    assert got["rationale"] == _value("rationale", p["probe"])
    assert got["review_comment"] == _value("review_comment", p["probe"])
    assert got["sources"][0]["title"] == _value("source_title", p["probe"])
    assert got["sources"][0]["note"] == _value("source_note", p["probe"])
    article = client.get(f"/api/v1/articles/{p['article'].id}").get_json()
    assert article["title"] == _value("title", p["probe"])
    assert _value("text", p["probe"]) in article["text"]
    verdicts = client.get("/api/v1/verdicts").get_json()["items"]
    assert _value("verdict_label", p["probe"]) in [v["label"] for v in verdicts]
    response = client.get(f"/api/v1/annotations/{a.id}")
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def _csv(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    text = response.get_data(as_text=True).lstrip("\ufeff")
    (row,) = list(csv.DictReader(io.StringIO(text, newline="")))
    return row


CSV_FIELDS = {
    "article_title": "title",
    "claim": "claim",
    "claimant": "claimant",
    "rationale": "rationale",
    "review_comment": "review_comment",
    "verdict_label": "verdict_label",
}


@all_probes
def test_csv_exact_mode_keeps_exact_text(client, login, planted):
    p = planted
    login(p["admin"])
    row = _csv(client, "/api/v1/export.csv?status=all")
    for column, field in CSV_FIELDS.items():
        assert row[column] == _value(field, p["probe"])
    assert row["quote"] == _value("text", p["probe"])


@pytest.mark.parametrize("planted", ["formula"], indirect=True)
def test_csv_safe_mode_neutralizes_formulas(client, login, planted):
    """A cell that starts with = is prefixed with ' in the spreadsheet-safe download."""
    p = planted
    login(p["admin"])
    db.session.get(type(p["annotation"]), p["annotation"].id).claim = p["probe"]
    db.session.commit()
    row = _csv(client, "/export/download.csv?status=all")
    assert row["claim"] == "'" + p["probe"]
    exact = _csv(client, "/export/download.csv?status=all&mode=exact")
    assert exact["claim"] == p["probe"]


@all_probes
def test_jsonl_keeps_exact_text(client, login, planted):
    p = planted
    login(p["admin"])
    response = client.get("/api/v1/export.jsonl?status=all")
    (line,) = response.get_data(as_text=True).splitlines()
    record = json.loads(line)
    for column, field in CSV_FIELDS.items():
        assert record[column] == _value(field, p["probe"])
    assert record["sources"][0]["note"] == _value("source_note", p["probe"])


@pytest.mark.parametrize("probe", sorted(PROBES))
def test_claimreview_for_html_cannot_close_its_script(probe):
    data = {"claimReviewed": _value("claim", PROBES[probe]), "name": PROBES[probe]}
    body = jsonld_for_html(data)
    assert "<" not in body and ">" not in body and "&" not in body
    page = f'<html><head><script type="application/ld+json">{body}</script></head></html>'
    scan = Scan()
    scan.feed(page)
    (script,) = scan.scripts
    assert json.loads(script[1]) == data


@pytest.mark.parametrize(
    "url",
    [
        PROBES["js_url"],
        PROBES["data_url"],
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "http:/x",
    ],
)
def test_dangerous_source_urls_are_refused_at_write_time(client, login, make, url):
    user = make.user(roles=[Role.ANNOTATOR])
    article = make.article()
    login(user)
    response = client.post(
        f"/api/v1/articles/{article.id}/annotations",
        json={"start": 0, "end": 5, "quote": article.text[:5], "sources": [{"url": url}]},
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "sources"


@pytest.mark.parametrize("url", [PROBES["js_url"], PROBES["data_url"], "vbscript:x"])
def test_dangerous_article_urls_are_refused_at_write_time(client, login, make, url):
    login(make.user(roles=[Role.ADMIN]))
    response = client.post(
        "/api/v1/articles", json={"title": "T", "text": "Some text.", "url": url}
    )
    assert response.status_code == 422
    article = make.article()
    response = client.patch(f"/api/v1/articles/{article.id}", json={"url": url})
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "url"


@pytest.mark.parametrize("probe", sorted(PROBES))
def test_usernames_with_markup_are_refused(client, login, make, probe):
    login(make.user(roles=[Role.ADMIN]))
    response = client.post(
        "/admin/users",
        data={
            "username": PROBES[probe],
            "password": "a long enough password",
            "roles": "annotator",
        },
    )
    assert response.status_code == 422
    assert_inert_html(response.get_data(as_text=True), PROBES[probe], ())


@pytest.mark.parametrize("probe", sorted(PROBES))
def test_display_name_through_the_profile_form_is_stored_exactly(client, login, make, probe):
    user = make.user(roles=[Role.ANNOTATOR])
    login(user)
    response = client.post(
        "/profile",
        data={"prefs-display_name": PROBES[probe], "prefs-locale": "", "prefs-submit": "1"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    db.session.expire_all()
    assert user.display_name == PROBES[probe].strip()
    assert_inert_html(response.get_data(as_text=True), PROBES[probe], ())


@pytest.mark.parametrize("probe", sorted(PROBES))
def test_verdict_labels_from_the_admin_form_are_inert(client, login, make, probe):
    login(make.user(roles=[Role.ADMIN]))
    response = client.post(
        "/admin/verdicts",
        data={
            "key": "probe",
            "label": PROBES[probe],
            "label_fr": PROBES[probe],
            "colour": "#123456",
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert_inert_html(response.get_data(as_text=True), PROBES[probe], ())
    css = client.get("/verdicts.css").get_data(as_text=True)
    assert "alert" not in css and "</" not in css
