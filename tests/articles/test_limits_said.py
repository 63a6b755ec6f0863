"""Issue 23, item 17: a text over a field's limit is refused with a sentence naming the
limit, never cut by the browser (no maxlength) nor told it is something else."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Article
from factcheck.services import factchecks
from factcheck.services.errors import Invalid


def test_the_paste_form_has_no_maxlength_that_cuts_a_title(client, login, admin):
    login(admin)
    html = client.get("/articles/import").get_data(as_text=True)
    title = re.search(r'<input[^>]*name="title"[^>]*>', html).group(0)
    assert "maxlength" not in title
    url = re.search(r'<input[^>]*name="url"[^>]*>', html).group(0)
    assert "maxlength" not in url


def test_a_600_character_title_is_refused_naming_the_limit(client, login, admin):
    login(admin)
    response = client.post(
        "/articles/import", data={"title": "T" * 600, "text": "Some text.", "paste": "1"}
    )
    html = response.get_data(as_text=True)
    assert "Title: at most 500 characters, this one has 600. Nothing was cut" in html
    assert db.session.scalar(select(func.count()).select_from(Article)) == 0
    assert 'value="' + "T" * 600 + '"' in html  # what was typed is given back whole


def test_a_3014_character_url_is_told_it_is_too_long(client, login, admin):
    login(admin)
    url = "https://example.org/" + "a" * 2994
    assert len(url) == 3014
    response = client.post(
        "/articles/import", data={"title": "T", "text": "Some text.", "url": url, "paste": "1"}
    )
    html = response.get_data(as_text=True)
    assert "at most 2,000 characters, this one has 3,014" in html
    assert "must be an http" not in html  # not told it is no web address


def test_a_past_fact_checks_long_url_is_told_it_is_too_long(app_ctx):
    url = "https://example.org/" + "a" * 2994
    with pytest.raises(Invalid) as error:
        factchecks.record({"@type": "ClaimReview", "claimReviewed": "x", "url": url})
    assert "too long: at most 2,000 characters, this one has 3,014" in error.value.message
