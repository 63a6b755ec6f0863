"""Blind second verdict on the pages: the review page, the queue, the project admin page."""

from __future__ import annotations

import json
import re

import pytest

from factcheck.extensions import db
from factcheck.models import SecondVerdict, Status
from factcheck.services import projects

SECRET = "Insee-7.3-SECRET-RATIONALE"


@pytest.fixture
def claim(submitted):
    (a,) = submitted(1, verdict="misleading", rationale=SECRET)
    return a


def spans(html: str) -> dict[int, str]:
    """The annotate page's highlights: claim id → the verdict its colour shows."""
    data = html.split('id="annotate-data">')[1].split("</script>")[0]
    return {row[0]: row[3] for row in json.loads(data)["spans"]}


def annotator_verdict(html: str) -> str:
    return re.search(r'id="annotator-verdict">(.*?)</dd>', html, re.S).group(1)


def test_the_review_page_hides_verdict_and_rationale_until_commit(
    client, login_as, cast, claim, blind
):
    login_as(cast.reviewer)
    html = client.get(f"/review/{claim.id}").get_data(as_text=True)
    assert SECRET not in html
    assert "verdict-misleading" not in annotator_verdict(html)
    assert "hidden until you give yours" in annotator_verdict(html)
    assert "verdict-mark-misleading" not in html
    assert 'id="blind-form"' in html
    # the decision forms come after the commit; skipping stays possible
    for form in ("approve-form", "reject-form", "fix-form"):
        assert f'id="{form}"' not in html
    assert 'id="skip-form"' in html
    # every active verdict of the scale is a choice, with its shortcut
    assert len(re.findall(r'name="verdict" value="', html)) == 7


def test_commit_reveals_both_verdicts_then_approve(client, login_as, cast, claim, blind):
    login_as(cast.reviewer)
    r = client.post(
        f"/review/{claim.id}/second-verdict", data={"verdict": "false", "version": claim.version}
    )
    assert r.status_code == 302
    assert r.headers["Location"].endswith(f"/review/{claim.id}#blind-result")
    html = client.get(f"/review/{claim.id}").get_data(as_text=True)
    assert SECRET in html
    assert "verdict-misleading" in annotator_verdict(html)
    assert 'id="blind-result"' in html and "blind-differs" in html
    assert 'id="blind-form"' not in html
    assert 'id="approve-form"' in html
    r = client.post(f"/review/{claim.id}/approve", data={"version": claim.version})
    assert r.status_code == 302
    db.session.refresh(claim)
    assert claim.status is Status.APPROVED


def test_approve_before_commit_is_refused_with_a_message(client, login_as, cast, claim, blind):
    login_as(cast.reviewer)
    r = client.post(
        f"/review/{claim.id}/approve",
        data={"version": claim.version},
        headers={"Referer": f"http://localhost/review/{claim.id}"},
    )
    assert r.status_code == 302
    db.session.refresh(claim)
    assert claim.status is Status.SUBMITTED
    html = client.get(f"/review/{claim.id}").get_data(as_text=True)
    assert "Give your own verdict first: this project reviews blind." in html


def test_a_bad_verdict_on_the_page_flashes_and_stores_nothing(client, login_as, cast, claim, blind):
    login_as(cast.reviewer)
    r = client.post(f"/review/{claim.id}/second-verdict", data={"verdict": "nope"})
    assert r.status_code == 302
    html = client.get(f"/review/{claim.id}").get_data(as_text=True)
    assert "Pick a verdict of the project" in html
    assert SECRET not in html
    assert db.session.query(SecondVerdict).count() == 0


def test_agreeing_verdicts_say_so(client, login_as, cast, claim, blind):
    login_as(cast.reviewer)
    client.post(f"/review/{claim.id}/second-verdict", data={"verdict": "misleading"})
    html = client.get(f"/review/{claim.id}").get_data(as_text=True)
    assert "blind-same" in html and "You agree." in html


def test_skip_after_commit_keeps_the_verdict(client, login_as, cast, claim, blind):
    login_as(cast.reviewer)
    client.post("/review/next")
    client.post(f"/review/{claim.id}/second-verdict", data={"verdict": "true"})
    client.post(f"/review/{claim.id}/skip")
    html = client.get(f"/review/{claim.id}").get_data(as_text=True)
    assert SECRET in html and 'id="blind-result"' in html
    assert db.session.query(SecondVerdict).count() == 1


def test_the_author_and_other_readers_see_the_page_as_before(
    client, login_as, make, cast, claim, blind
):
    login_as(cast.annotator)
    html = client.get(f"/review/{claim.id}").get_data(as_text=True)
    assert SECRET in html and 'id="blind-form"' not in html
    assert "verdict-misleading" in annotator_verdict(html)


def test_setting_off_shows_the_page_as_before(client, login_as, cast, claim):
    login_as(cast.reviewer)
    html = client.get(f"/review/{claim.id}").get_data(as_text=True)
    assert SECRET in html
    assert 'id="blind-form"' not in html and 'id="approve-form"' in html


def test_the_queue_shows_no_verdict_and_ignores_a_verdict_filter(
    client, login_as, cast, claim, blind
):
    login_as(cast.reviewer)
    html = client.get("/review/?verdict=true").get_data(as_text=True)
    assert f"/review/{claim.id}" in html  # a filter on the hidden verdict is ignored
    assert 'name="verdict"' not in html
    assert "verdict-misleading" not in html


def test_the_queue_keeps_its_verdict_column_when_the_setting_is_off(client, login_as, cast, claim):
    login_as(cast.reviewer)
    html = client.get("/review/").get_data(as_text=True)
    assert 'name="verdict"' in html and "verdict-misleading" in html
    assert f"/review/{claim.id}" not in client.get("/review/?verdict=true").get_data(as_text=True)


def test_the_project_admin_page_toggles_the_setting(client, login_as, cast):
    login_as(cast.admin)
    html = client.get("/projects/default/admin").get_data(as_text=True)
    assert 'name="blind_second_verdict"' in html
    project = projects.default_project(db.session)
    r = client.post(
        "/projects/default/settings",
        data={"name": project.name, "description": "", "blind_second_verdict": "y"},
    )
    assert r.status_code in (200, 302)
    db.session.refresh(project)
    assert project.blind_second_verdict is True
    client.post("/projects/default/settings", data={"name": project.name, "description": ""})
    db.session.refresh(project)
    assert project.blind_second_verdict is False


@pytest.mark.csrf
def test_the_commit_form_needs_csrf(client, login_as, cast, claim, blind):
    login_as(cast.reviewer)
    html = client.get(f"/review/{claim.id}").get_data(as_text=True)
    r = client.post(f"/review/{claim.id}/second-verdict", data={"verdict": "true"})
    assert r.status_code == 400
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    r = client.post(
        f"/review/{claim.id}/second-verdict", data={"verdict": "true", "csrf_token": token}
    )
    assert r.status_code == 302
    assert db.session.query(SecondVerdict).count() == 1


def test_the_annotate_page_hides_verdict_colour_and_rationale_until_commit(
    client, login_as, cast, claim, blind
):
    """The article's annotate page must not give away what the review page hides."""
    login_as(cast.reviewer)
    page = f"/articles/{cast.article.id}/annotate?annotation={claim.id}"
    html = client.get(page).get_data(as_text=True)
    assert SECRET not in html
    assert spans(html)[claim.id] == ""  # no colour on the highlight either
    assert f'id="claim-{claim.id}" class="v-none"' in html
    assert "Verdict hidden: give your own on the review page first" in html
    client.post(
        f"/review/{claim.id}/second-verdict", data={"verdict": "false", "version": claim.version}
    )
    html = client.get(page).get_data(as_text=True)
    assert SECRET in html
    assert spans(html)[claim.id] == "misleading"
    assert f'id="claim-{claim.id}" class="v-misleading"' in html
    # the author always sees their own
    login_as(cast.annotator)
    assert SECRET in client.get(page).get_data(as_text=True)
