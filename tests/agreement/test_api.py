"""Assignments, done marks, agreement and adjudication through the JSON API."""

from __future__ import annotations

import csv
import io

import pytest

from factcheck.extensions import db
from factcheck.models import Annotation, Status
from factcheck.permissions import Role
from factcheck.services import review
from factcheck.services.errors import Invalid

TEXT = (
    "Le ministre affirme que le chômage a baissé de 10 % en un an.\n\n"
    "Il ajoute que la dette publique a doublé depuis 2015, ce que conteste l'opposition.\n\n"
    "Enfin, il assure que les exportations n'ont jamais été aussi fortes."
)


@pytest.fixture
def world(make):
    admin = make.user("admin", roles=[Role.ADMIN])
    ann = make.user("ann")
    bob = make.user("bob")
    cat = make.user("cat")
    rev = make.user("rev", roles=[Role.REVIEWER])
    articles = [make.article(TEXT, title=f"Article {i}") for i in range(3)]
    return {"admin": admin, "ann": ann, "bob": bob, "cat": cat, "rev": rev, "articles": articles}


def _create(client, login, world, **over):
    login(world["admin"])
    body = {
        "name": "Double check",
        "article_ids": [a.id for a in world["articles"]],
        "annotators": ["ann", "bob", "cat"],
        "per_article": 2,
        "blind": True,
    }
    body.update(over)
    return client.post("/api/v1/assignments", json=body)


def test_articles_are_spread_evenly_over_the_annotators(client, login, world):
    response = _create(client, login, world)
    assert response.status_code == 201
    articles = response.get_json()["articles"]
    assert all(len(a["annotators"]) == 2 for a in articles)
    load = {}
    for a in articles:
        for name in a["annotators"]:
            load[name] = load.get(name, 0) + 1
    assert sorted(load.values()) == [2, 2, 2]


@pytest.mark.parametrize(
    ("over", "field", "words"),
    [
        ({"per_article": 4}, "per_article", "to be read by 4 annotators"),
        ({"article_ids": [999999]}, "article_ids", "999999"),
        ({"annotators": ["ann", "nobody"]}, "annotators", "nobody"),
        ({"annotators": ["ann", "rev"]}, "annotators", "rev"),
        ({"name": ""}, "name", "name"),
    ],
)
def test_bad_assignments_are_refused_naming_the_problem(client, login, world, over, field, words):
    response = _create(client, login, world, **over)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["field"] == field and words in error["message"]


def test_only_admins_create_assignments(client, login, world):
    login(world["rev"])
    response = client.post(
        "/api/v1/assignments",
        json={"name": "x", "article_ids": [], "annotators": [], "per_article": 1},
    )
    assert response.status_code == 403


def test_marking_an_article_not_assigned_to_you_is_404(client, login, world):
    assignment = _create(client, login, world).get_json()
    article = assignment["articles"][0]
    outsider = next(n for n in ("ann", "bob", "cat") if n not in article["annotators"])
    login(world[outsider])
    url = f"/api/v1/assignments/{assignment['id']}/articles/{article['article_id']}/done"
    assert client.post(url).status_code == 404


def _annotate(make, world, name, article, start, end, verdict):
    return make.annotation(
        article=article, author=world[name], start=start, end=end, verdict=verdict
    )


def _settle_first_article(client, login, make, world, verdicts=("false", "false")):
    assignment = _create(client, login, world, article_ids=[world["articles"][0].id]).get_json()
    article = world["articles"][0]
    names = assignment["articles"][0]["annotators"]
    for name, verdict in zip(names, verdicts, strict=True):
        _annotate(make, world, name, article, 0, 30, verdict)
    for name in names:
        login(world[name])
        url = f"/api/v1/assignments/{assignment['id']}/articles/{article.id}/done"
        assert client.post(url).status_code == 200
    return assignment, article, names


def test_agreement_counts_only_articles_whose_annotators_are_all_done(client, login, make, world):
    assignment = _create(client, login, world).get_json()
    login(world["rev"])
    report = client.get(f"/api/v1/assignments/{assignment['id']}/agreement").get_json()
    assert report["articles"] == 0
    assert report["verdict"]["alpha_nominal"] is None


def test_agreement_of_identical_work_is_perfect(client, login, make, world):
    assignment, _article, _names = _settle_first_article(client, login, make, world)
    login(world["rev"])
    report = client.get(f"/api/v1/assignments/{assignment['id']}/agreement").get_json()
    assert report["articles"] == 1
    assert report["span"] == {"f1_exact": 1.0, "f1_overlap": 1.0}
    assert report["verdict"]["units"] == 1
    assert len(report["pairs"]) == 1


def test_agreement_csv_has_one_row_per_finished_article(client, login, make, world):
    assignment, article, _names = _settle_first_article(client, login, make, world)
    login(world["rev"])
    response = client.get(f"/api/v1/assignments/{assignment['id']}/agreement.csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [int(r["article_id"]) for r in rows] == [article.id]
    assert rows[0]["f1_exact"] == "1.0"


def test_assigned_claims_cannot_enter_the_review_queue(client, login, make, world):
    assignment = _create(client, login, world).get_json()
    first = assignment["articles"][0]
    login(world[first["annotators"][0]])
    response = client.post(
        f"/api/v1/articles/{first['article_id']}/annotations",
        json={
            "start": 0,
            "end": 12,
            "quote": TEXT[:12],
            "claim": "Le chômage a baissé.",
            "verdict": "false",
            "sources": [{"url": "https://example.org/a"}],
            "status": "submitted",
        },
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "assigned_article"


def test_the_submit_step_itself_refuses_an_assigned_article(client, login, make, world):
    """The assignment hook is the submit step's precheck (services/workflow.py): every
    path to ``submitted`` meets it, not only the API's create and submit routes."""
    first = _create(client, login, world).get_json()["articles"][0]
    author = world[first["annotators"][0]]
    article = next(a for a in world["articles"] if a.id == first["article_id"])
    draft = make.annotation(article=article, author=author, status=Status.DRAFT)
    with pytest.raises(Invalid) as refused:
        review.submit(db.session, draft, author, version=draft.version)
    assert refused.value.code == "assigned_article"
    db.session.refresh(draft)
    assert draft.status is Status.DRAFT


def test_done_freezes_the_claims_until_undone(client, login, make, world):
    assignment = _create(client, login, world).get_json()
    first = assignment["articles"][0]
    name = first["annotators"][0]
    claim = _annotate(make, world, name, world["articles"][0], 0, 12, "false")
    login(world[name])
    url = f"/api/v1/assignments/{assignment['id']}/articles/{first['article_id']}/done"
    client.post(url)
    patch = client.patch(f"/api/v1/annotations/{claim.id}", json={"claim": "x", "version": 1})
    assert patch.status_code == 409
    assert client.delete(url).status_code == 200
    patch = client.patch(f"/api/v1/annotations/{claim.id}", json={"claim": "x", "version": 1})
    assert patch.status_code == 200


def test_blind_annotators_never_see_each_others_claims(client, login, make, world):
    assignment = _create(client, login, world).get_json()
    first = assignment["articles"][0]
    a, b = first["annotators"]
    claim = _annotate(make, world, a, world["articles"][0], 0, 12, "false")
    login(world[b])
    listed = client.get(f"/api/v1/articles/{first['article_id']}/annotations").get_json()
    assert listed["items"] == []
    assert client.get(f"/api/v1/annotations/{claim.id}").status_code == 404


def test_adjudication_accepts_one_version_as_an_approved_claim(client, login, make, world):
    assignment, article, names = _settle_first_article(
        client, login, make, world, ("false", "mostly_false")
    )
    login(world["rev"])
    nxt = client.get("/api/v1/adjudication/next").get_json()
    assert nxt["item"] == {"assignment_id": assignment["id"], "article_id": article.id}
    url = f"/api/v1/assignments/{assignment['id']}/articles/{article.id}/groups"
    groups = client.get(url).get_json()["groups"]
    assert len(groups) == 1 and len(groups[0]["versions"]) == 2
    chosen = groups[0]["versions"][1]
    response = client.post(
        url,
        json={
            "start": 0,
            "end": 30,
            "decision": "accept",
            "annotation_id": chosen["id"],
            "edits": {"claim": "Le chômage a baissé de 10 %."},
        },
    )
    assert response.status_code == 201
    answer = response.get_json()
    assert answer["adjudicated"] is True
    result = db.session.get(Annotation, answer["annotation_id"])
    assert result.status is Status.APPROVED
    assert result.reviewer_id == world["rev"].id
    assert result.claim == "Le chômage a baissé de 10 %."
    assert result.verdict == chosen["verdict"]
    assert "accepted" in result.events[-1].comment
    # the annotators' own versions are untouched
    assert db.session.get(Annotation, chosen["id"]).status is Status.DRAFT
    again = client.post(url, json={"start": 0, "end": 30, "decision": "drop"})
    assert again.status_code == 409
    assert "rev" in again.get_json()["error"]["message"]


def test_an_annotator_of_the_article_cannot_adjudicate_it(client, login, make, world):
    assignment, article, names = _settle_first_article(client, login, make, world)
    annotator = world[names[0]]
    annotator.roles = [Role.ANNOTATOR, Role.REVIEWER]
    db.session.commit()
    login(annotator)
    url = f"/api/v1/assignments/{assignment['id']}/articles/{article.id}/groups"
    assert client.get(url).status_code == 403
    response = client.post(url, json={"start": 0, "end": 30, "decision": "drop"})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "own_article"
    assert client.get("/api/v1/adjudication/next").get_json() == {"item": None}


def test_undo_is_refused_once_adjudication_started(client, login, make, world):
    assignment, article, names = _settle_first_article(client, login, make, world)
    login(world["rev"])
    url = f"/api/v1/assignments/{assignment['id']}/articles/{article.id}/groups"
    assert client.post(url, json={"start": 0, "end": 30, "decision": "drop"}).status_code == 201
    login(world[names[0]])
    done = f"/api/v1/assignments/{assignment['id']}/articles/{article.id}/done"
    assert client.delete(done).status_code == 409


def test_other_annotators_do_not_see_the_assignment(client, login, make, world):
    assignment = _create(client, login, world, article_ids=[world["articles"][0].id]).get_json()
    names = assignment["articles"][0]["annotators"]
    outsider = next(n for n in ("ann", "bob", "cat") if n not in names)
    login(world[outsider])
    assert client.get(f"/api/v1/assignments/{assignment['id']}").status_code == 404


def test_open_assignments_show_the_co_annotators_versions(client, login, make, world):
    assignment = _create(client, login, world, blind=False).get_json()
    first = assignment["articles"][0]
    a, b = first["annotators"]
    claim = _annotate(make, world, a, world["articles"][0], 0, 12, "false")
    login(world[b])
    listed = client.get(f"/api/v1/articles/{first['article_id']}/annotations").get_json()
    assert [item["id"] for item in listed["items"]] == [claim.id]
    assert client.get(f"/api/v1/annotations/{claim.id}").status_code == 200
    # somebody outside the assignment still sees nothing of a draft
    outsider = next(n for n in ("ann", "bob", "cat") if n not in (a, b))
    login(world[outsider])
    assert client.get(f"/api/v1/annotations/{claim.id}").status_code == 404


def test_blind_versions_open_to_co_annotators_once_adjudicated(client, login, make, world):
    assignment, article, names = _settle_first_article(client, login, make, world)
    login(world[names[1]])
    before = client.get(f"/api/v1/articles/{article.id}/annotations").get_json()
    assert len(before["items"]) == 1  # their own only
    login(world["rev"])
    url = f"/api/v1/assignments/{assignment['id']}/articles/{article.id}/groups"
    client.post(url, json={"start": 0, "end": 30, "decision": "drop"})
    login(world[names[1]])
    after = client.get(f"/api/v1/articles/{article.id}/annotations").get_json()
    assert len(after["items"]) == 2


def test_blind_claims_stay_out_of_the_export_and_the_annotate_page(client, login, make, world):
    assignment = _create(client, login, world).get_json()
    first = assignment["articles"][0]
    a, b = first["annotators"]
    _annotate(make, world, a, world["articles"][0], 0, 12, "false")
    login(world[b])
    page = client.get(f"/articles/{first['article_id']}/annotate").get_data(as_text=True)
    assert "A checkable claim." not in page
    login(world["rev"])
    exported = client.get("/api/v1/export.csv?status=all").get_data(as_text=True)
    assert exported.count("\n") == 1  # the header only


def test_assignments_stay_inside_their_project(client, login, make, world):
    from factcheck.services import projects

    desk = projects.create_project(db.session, name="Santé", slug="sante", template="fever")
    db.session.commit()
    nurse = make.user("nurse", roles=[])
    projects.set_member_roles(db.session, desk, nurse, [Role.ANNOTATOR, Role.REVIEWER])
    db.session.commit()
    assignment = _create(client, login, world).get_json()
    assert assignment["project"] == "default"
    login(nurse)  # a reviewer elsewhere sees nothing of it
    assert client.get(f"/api/v1/assignments/{assignment['id']}").status_code == 404
    assert client.get(f"/api/v1/assignments/{assignment['id']}/agreement").status_code == 404
    assert client.get("/api/v1/assignments").get_json()["items"] == []
    # the default project's admin cannot hand its articles to a non-member
    login(world["admin"])
    body = {
        "name": "Cross",
        "article_ids": [make.article(TEXT).id],
        "annotators": ["ann", "nurse"],
        "per_article": 2,
    }
    response = client.post("/api/v1/assignments", json=body)
    assert response.status_code == 422
    assert "nurse" in response.get_json()["error"]["message"]
    # nor put another project's article in an assignment of this one
    theirs = make.article(TEXT, project_id=desk.id)
    body |= {"article_ids": [theirs.id], "annotators": ["ann", "bob"]}
    response = client.post("/api/v1/assignments", json=body)
    assert response.status_code == 422 and response.get_json()["error"]["field"] == "article_ids"
