"""How many SQL statements the two hot paths send (issue 28): the annotate page and a save
through the API with a token, as the benchmark's clients send it. A statement added
without need fails here; each expected statement is named below. The signed-in user
comes with their site roles and memberships in one SELECT (models/user.access_options:
joined, not one SELECT per collection): 2 statements fewer per request than before."""

from __future__ import annotations

from flask import g

from factcheck.extensions import db
from factcheck.models import Role
from tests.annotate.conftest import span_of
from tests.sql import statements

#: GET /articles/<id>/annotate
PAGE = [
    "FROM user_account",  # the signed-in user, with their roles and memberships (joined)
    "FROM article",  # the article (article_or_404)
    "FROM assignment_task",  # is it assigned (who may annotate it, whose claims show)
    "FROM annotation",  # its claims, for the highlights and the list
    "FROM user_account",  # their authors' names (one SELECT for all)
    "FROM verdict",  # the project's verdict scale (labels, colours, shortcuts)
    "FROM project",  # the article's project (its settings)
    "FROM project",  # the projects of the switcher in the header
]

#: POST /api/v1/articles/<id>/annotations with a Bearer token (transaction control aside)
SAVE = [
    "FROM rate_limit",  # too many bad tokens from this address lately? (throttle)
    "FROM api_token",  # the token, its user, their roles and memberships (joined)
    "UPDATE api_token",  # its last use (at most once a minute; the user stays loaded)
    "FROM article",  # the article (article_or_404)
    "FROM assignment_task",  # assigned to someone else? (may this user annotate it)
    "FROM verdict",  # the verdict given is one of the project's scale
    "FROM evidence_source",  # the cited page already known to the project?
    "INSERT INTO evidence_source",  # no: remembered once for the whole desk
    "SELECT article.revision",  # the revision the claim is anchored in
    "INSERT INTO annotation",  # the claim
    "INSERT INTO source",  # its source
    "INSERT INTO review_event",  # its history's first line
    "FROM review_event",  # the history, for the answer
]


def _work(seen: list[str]) -> list[str]:
    control = ("BEGIN", "SAVEPOINT", "RELEASE", "COMMIT", "ROLLBACK")
    return [" ".join(s.split()) for s in seen if not s.lstrip().upper().startswith(control)]


def _check(seen: list[str], expected: list[str]) -> None:
    work = _work(seen)
    listing = "\n".join(s[:120] for s in work)
    assert len(work) <= len(expected), f"{len(work)} statements:\n{listing}"
    for statement, wanted in zip(work, expected, strict=False):
        assert wanted in statement, f"expected {wanted!r}:\n{listing}"


def test_the_annotate_page(client, make, login):
    me = make.user(roles=[Role.ANNOTATOR])
    article = make.article()
    make.annotation(article=article, author=me)
    url = f"/articles/{article.id}/annotate"
    login(me)
    db.session.expunge_all()
    g.pop("_login_user", None)
    with statements() as seen:
        assert client.get(url).status_code == 200
    _check(seen, PAGE)


def test_a_save_through_the_api(client, make):
    me = make.user(roles=[Role.ANNOTATOR])
    article = make.article()
    token = make.token(me)
    url = f"/api/v1/articles/{article.id}/annotations"
    body = {
        **span_of(article.text, "Le chômage a baissé"),
        "claim": "Le chômage a baissé de 10 %.",
        "verdict": "false",
        "rationale": "r",
        "sources": [{"url": "https://insee.fr/x", "title": "t", "note": ""}],
    }
    db.session.expunge_all()
    with statements() as seen:
        response = client.post(url, json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.get_json()
    _check(seen, SAVE)
