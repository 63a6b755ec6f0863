"""The verdict scale as a labeled table (issue 14): one row per verdict, one column per
field with its header, every input named for assistive technology by its column and its
verdict, every row's inputs sent by the one scale form; the server still checks every value."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Verdict
from factcheck.permissions import Role


class Page(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.ids: dict[str, str] = {}
        self._open: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self._open.append(attrs["id"])
            self.ids[attrs["id"]] = ""
        elif tag in ("th", "td"):
            self._open.append("")

    def handle_endtag(self, tag):
        if tag in ("th", "td", "form", "tr") and self._open:
            self._open.pop()

    def handle_data(self, data):
        for key in self._open:
            if key:
                self.ids[key] += data


@pytest.fixture
def page(client, make, login):
    login(make.user(roles=[Role.ADMIN]))
    response = client.get("/admin/verdicts")
    assert response.status_code == 200
    return Page(response.get_data(as_text=True))


def scale() -> list[Verdict]:
    db.session.expire_all()
    return list(db.session.scalars(select(Verdict).order_by(Verdict.position)))


def test_columns_have_headers(page):
    headers = [page.ids[i].strip() for i in ("col-key", "col-label", "col-label-fr", "col-colour")]
    assert headers == ["Key", "English label", "French label", "Colour"]
    assert {"col-order", "col-rating", "col-shortcut"} <= set(page.ids)


def test_every_input_is_labeled_by_its_column_and_verdict_and_sent_by_its_row(page):
    verdicts = scale()
    assert verdicts
    inputs = [a for tag, a in page.tags if tag == "input" and a.get("form")]
    assert len(inputs) == 5 * len(verdicts)
    forms = {a["id"]: a["action"] for tag, a in page.tags if tag == "form" and "id" in a}
    # every row's inputs go with the one scale form: Save in a row keeps the others' edits
    assert forms["verdict-scale"].startswith("/admin/verdicts/scale")
    assert {a["form"] for a in inputs} == {"verdict-scale"}
    for verdict in verdicts:
        row = [a for a in inputs if a["name"].endswith(f"-{verdict.id}")]
        names = {a["name"].rsplit("-", 1)[0] for a in row}
        assert names == {"label", "label_fr", "rating", "colour", "shortcut"}
        for a in row:
            column, key = a["aria-labelledby"].split()
            assert page.ids[column].strip()  # the column header exists and says something
            assert verdict.key in page.ids[key]
    # the add form keeps its visible labels
    assert all(
        any(t == "label" and a.get("for") == f"new-{n}" for t, a in page.tags)
        for n in ("key", "label", "label-fr", "rating", "colour", "shortcut")
    )


@pytest.mark.parametrize(
    "fields, status, words",
    [
        ({"label": ""}, 422, "1 to 100"),
        ({"label": "ok", "colour": "red"}, 422, "#rrggbb"),
        ({"label": "ok", "rating": "9"}, 422, "rating"),
        ({"label": "ok", "shortcut": "!"}, 422, "shortcut"),
    ],
)
def test_a_row_is_still_checked_by_the_server(client, page, fields, status, words):
    target = scale()[0]
    before = (target.label, target.colour, target.rating, target.shortcut)
    response = client.post(f"/admin/verdicts/{target.id}", data=fields)
    assert response.status_code == status
    assert words in response.get_data(as_text=True)
    target = scale()[0]
    assert (target.label, target.colour, target.rating, target.shortcut) == before


def test_a_row_saves_all_its_fields(client, page):
    target = scale()[1]
    data = {
        "label": "Mostly false",
        "label_fr": "Plutôt faux",
        "rating": "2",
        "colour": "#AA3300",
        "shortcut": "z",
    }
    assert client.post(f"/admin/verdicts/{target.id}", data=data).status_code == 302
    saved = scale()[1]
    assert (saved.label, saved.label_fr, saved.rating, saved.colour, saved.shortcut) == (
        "Mostly false", "Plutôt faux", 2, "#aa3300", "z",
    )  # fmt: skip
