"""Blind second verdict in the exports: a reviewer (not an admin) of a blind project does
not get the claims in review whose verdict is hidden from them; everybody else gets the
same bytes as before."""

from __future__ import annotations

import json

import pytest

from factcheck.cli.exporting import export_command
from factcheck.extensions import db
from factcheck.models import Role, Status
from factcheck.services import projects, second_verdict

from .conftest import parse_csv

URLS = ["/api/v1/export.csv", "/api/v1/export.jsonl", "/export/download.csv"]


@pytest.fixture
def cast(make):
    class Cast:
        # the author reviews too, but never their own claims
        author = make.user("anna", roles=[Role.ANNOTATOR, Role.REVIEWER])
        reviewer = make.user("rita", roles=[Role.REVIEWER])
        committed = make.user("remi", roles=[Role.REVIEWER])
        site_admin = make.user("ada", roles=[Role.ADMIN])
        project_admin = make.user("pat", roles=[Role.PROJECT_ADMIN])

    return Cast


@pytest.fixture
def claims(make, cast, reviewed, blind):
    """In the blind default project, in review: ``hidden`` (verdict misleading; remi has
    given his own), ``own`` (by rita); and ``known``, approved."""
    hidden = make.annotation(author=cast.author, status=Status.SUBMITTED, verdict="misleading")
    own = make.annotation(author=cast.reviewer, status=Status.SUBMITTED, verdict="true")
    known = reviewed(author=cast.author, verdict="false")
    second_verdict.commit(db.session, hidden, cast.committed, "false")
    db.session.commit()
    return hidden, own, known


def ids(response) -> set[int]:
    assert response.status_code == 200, response.data[:300]
    if "jsonl" in response.headers["Content-Type"]:
        return {json.loads(line)["annotation_id"] for line in response.data.splitlines()}
    return {int(row["annotation_id"]) for row in parse_csv(response.data.lstrip(b"\xef\xbb\xbf"))}


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("status", ["submitted", "all", "submitted,approved"])
def test_a_reviewer_who_owes_their_verdict_does_not_export_the_claim(
    client, login_as, cast, claims, blind, url, status
):
    hidden, own, known = claims
    login_as(cast.reviewer)
    got = ids(client.get(url, query_string={"status": status}))
    assert hidden.id not in got
    assert own.id in got  # their own claim is not hidden from them
    assert (known.id in got) is (status != "submitted")


def test_the_verdict_filter_tells_nothing_about_a_hidden_claim(
    client, login_as, cast, claims, blind
):
    login_as(cast.reviewer)
    query = {"status": "submitted", "verdict": "misleading"}
    assert ids(client.get("/api/v1/export.csv", query_string=query)) == set()


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("who", ["author", "committed", "site_admin", "project_admin"])
def test_the_author_admins_and_whoever_committed_export_it_unchanged(
    client, login_as, cast, claims, blind, url, who
):
    hidden, own, known = claims
    user = getattr(cast, who)
    if who in ("author", "committed"):
        # rita's claim in review is hidden from them too, until they give their verdict
        second_verdict.commit(db.session, own, user, "true")
        db.session.commit()
    login_as(user)
    blind_bytes = client.get(url, query_string={"status": "all"}).data
    assert ids(client.get(url, query_string={"status": "all"})) == {hidden.id, own.id, known.id}
    blind.blind_second_verdict = False
    db.session.commit()
    login_as(getattr(cast, who))
    assert client.get(url, query_string={"status": "all"}).data == blind_bytes


def test_nothing_is_left_out_with_the_setting_off(client, login_as, cast, claims, blind):
    hidden, own, known = claims
    blind.blind_second_verdict = False
    db.session.commit()
    login_as(cast.reviewer)
    assert ids(client.get("/api/v1/export.csv?status=all")) == {hidden.id, own.id, known.id}


def test_only_the_blind_project_s_claims_are_left_out(client, login_as, make, cast, claims, blind):
    hidden, own, known = claims
    blind.blind_second_verdict = False  # the default project; "desk" reviews blind
    desk = projects.create_project(db.session, name="Desk", slug="desk")
    desk.blind_second_verdict = True
    for user, role in ((cast.reviewer, Role.REVIEWER), (cast.author, Role.ANNOTATOR)):
        projects.set_member_roles(db.session, desk, user, [role])
    db.session.commit()
    there = make.annotation(
        article=make.article(project_id=desk.id), author=cast.author, status=Status.SUBMITTED
    )
    login_as(cast.reviewer)
    assert ids(client.get("/api/v1/export.csv?status=submitted&project=default")) == {
        hidden.id,
        own.id,
    }
    assert ids(client.get("/api/v1/export.csv?status=submitted&project=desk")) == set()
    assert there.id not in ids(client.get("/api/v1/export.csv?status=submitted"))


def test_the_export_page_says_what_is_left_out_and_why(client, login_as, cast, claims, blind):
    hidden, own, known = claims
    login_as(cast.reviewer)
    html = client.get("/export/?status=submitted").get_data(as_text=True)
    assert 'id="blind-left-out"' in html
    assert "1 claim in review is left out" in html
    assert "1 row" in html  # their own claim
    html = client.get("/export/?status=approved").get_data(as_text=True)
    assert 'id="blind-left-out"' not in html
    second_verdict.commit(db.session, own, cast.committed, "true")
    db.session.commit()
    for who in ("committed", "site_admin"):
        login_as(getattr(cast, who))
        html = client.get("/export/?status=submitted").get_data(as_text=True)
        assert 'id="blind-left-out"' not in html


def test_the_operator_s_cli_exports_everything(app, cast, claims, blind):
    hidden, own, known = claims
    result = app.test_cli_runner().invoke(export_command, ["--status", "all"])
    assert result.exit_code == 0, result.output
    assert {int(r["annotation_id"]) for r in parse_csv(result.stdout_bytes)} == {
        hidden.id,
        own.id,
        known.id,
    }
