"""A non-member sees nothing of a project: not in lists, not in search, not in the queue,
not in the export, not in the dashboard. (Every single route, one by one, is in
tests/hardening/test_route_matrix.py with its "outsider" principal.)"""

from __future__ import annotations

import pytest

from factcheck.extensions import db
from factcheck.models import Role, Status
from factcheck.services import projects

SECRET = "Zanzibar-secret-phrase"


@pytest.fixture
def two_desks(make):
    """The default project (health desk) and a research project; one member in each."""
    research = projects.create_project(
        db.session, name="Research", slug="research", template="fever"
    )
    db.session.commit()
    health_author = make.user("hanna", roles=[Role.ANNOTATOR])
    research_reviewer = make.user("remi", roles=[])
    projects.set_member_roles(
        db.session, research, research_reviewer, [Role.ANNOTATOR, Role.REVIEWER, Role.PROJECT_ADMIN]
    )
    db.session.commit()
    article = make.article(text=f"{SECRET} says the unemployment fell.", title=f"{SECRET} title")
    submitted = make.annotation(article=article, author=health_author, status=Status.SUBMITTED)
    approved = make.annotation(
        article=article, author=health_author, status=Status.APPROVED, start=5, end=15
    )
    own_article = make.article(text="Research text for the dataset.", project_id=research.id)
    own = make.annotation(
        article=own_article, author=research_reviewer, status=Status.APPROVED, verdict="refuted"
    )
    return {
        "research": research,
        "outsider": research_reviewer,
        "article": article,
        "submitted": submitted,
        "approved": approved,
        "own": own,
    }


def test_lists_and_search_hold_nothing_of_another_project(client, login, two_desks):
    login(two_desks["outsider"])
    listed = client.get("/api/v1/articles").get_json()
    assert [a["project"] for a in listed["items"]] == ["research"]
    assert client.get(f"/api/v1/articles?q={SECRET}").get_json()["total"] == 0
    assert client.get("/api/v1/articles?project=default").status_code == 404
    page = client.get(f"/articles/?q={SECRET}").get_data(as_text=True)
    assert f"{SECRET} title" not in page  # (the query itself is echoed in the search box)
    assert SECRET not in client.get("/").get_data(as_text=True)
    assert SECRET not in client.get("/articles/?project=research").get_data(as_text=True)
    assert client.get("/articles/?project=default").status_code == 404
    assert client.get("/api/v1/verdicts?project=default").status_code == 404
    assert client.get("/api/v1/projects/default").status_code == 404
    slugs = [p["slug"] for p in client.get("/api/v1/projects").get_json()["items"]]
    assert slugs == ["research"]


def test_the_queue_and_next_hold_only_my_projects(client, login, two_desks):
    login(two_desks["outsider"])
    page = client.get("/review/").get_data(as_text=True)
    assert SECRET not in page
    nothing = client.get("/api/v1/review/next").get_json()
    assert nothing == {"item": None}  # the health desk's submitted claim is not theirs
    assert client.get("/api/v1/review/next?project=default").status_code == 404


def test_the_export_holds_only_the_projects_claims(client, login, two_desks):
    login(two_desks["outsider"])
    everything = client.get("/api/v1/export.csv?status=all").get_data(as_text=True)
    lines = everything.strip().split("\r\n")
    assert lines[0].endswith(
        ",review_comment,article_revision,same_as,project,guidelines_version,source_stances,"
        "claimant_id,claim_date,claim_medium,appearances,published_url"
    )
    assert len(lines) == 2 and lines[1].startswith(f"{two_desks['own'].id},approved,")
    # no guidelines; one source, no stance yet; no claimant id, date, medium, appearance, url
    assert lines[1].endswith(",research,,-,,,,,")
    assert client.get("/api/v1/export.csv?project=default").status_code == 404
    jsonl = client.get("/api/v1/export.jsonl?status=all").get_data(as_text=True)
    assert SECRET not in jsonl and '"project": "research"' in jsonl


def test_a_site_admin_exports_one_project_or_all(client, login, make, two_desks):
    login(make.user(roles=[Role.ADMIN]))
    research = client.get("/api/v1/export.csv?project=research").get_data(as_text=True)
    assert research.count("\r\n") == 2 and ",research," in research
    both = client.get("/api/v1/export.csv").get_data(as_text=True)
    assert both.count("\r\n") == 3  # header + the two approved claims


def test_a_member_sees_the_project_it_belongs_to(client, login, two_desks):
    hanna = db.session.get(type(two_desks["outsider"]), two_desks["submitted"].author_id)
    login(hanna)
    assert client.get(f"/api/v1/annotations/{two_desks['submitted'].id}").status_code == 200
    assert client.get(f"/api/v1/annotations/{two_desks['own'].id}").status_code == 404
    assert client.get(f"/review/{two_desks['own'].id}").status_code == 404
    assert client.get("/projects/research/").status_code == 404


def test_an_article_of_another_project_is_unknown_to_the_export(client, login, two_desks):
    login(two_desks["outsider"])
    other = client.get(f"/api/v1/export.csv?article={two_desks['article'].id}")
    missing = client.get("/api/v1/export.csv?article=999999")
    assert other.status_code == missing.status_code == 422
    assert other.get_json()["error"]["message"].startswith("No article with id")
