"""The assignment pages: create, My work, done, the agreement page and adjudication."""

from __future__ import annotations

import re

from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Annotation, Assignment, AssignmentTask, Role, Status

from .test_api import TEXT


def _world(make):
    admin = make.user("admin", roles=[Role.ADMIN])
    ann, bob = make.user("ann"), make.user("bob")
    rev = make.user("rev", roles=[Role.REVIEWER])
    article = make.article(TEXT, title="Un article à double lecture")
    return admin, ann, bob, rev, article


def test_admin_creates_an_assignment_from_the_page(client, login, make):
    admin, _ann, _bob, _rev, article = _world(make)
    login(admin)
    page = client.get("/assignments/")
    assert "Un article à double lecture" in page.get_data(as_text=True)
    response = client.post(
        "/assignments/",
        data={
            "name": "Élection",
            "article_ids": [str(article.id)],
            "annotators": ["ann", "bob"],
            "per_article": "2",
            "blind": "y",
        },
    )
    assert response.status_code == 302
    assignment = db.session.scalar(select(Assignment))
    assert assignment.name == "Élection" and assignment.blind
    assert db.session.scalar(select(AssignmentTask.id).limit(1)) is not None
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Élection" in shown and "Agreement" in shown


def test_a_bad_assignment_form_says_what_is_wrong(client, login, make):
    admin, *_rest, article = _world(make)
    login(admin)
    response = client.post(
        "/assignments/",
        data={
            "name": "Trop",
            "article_ids": [str(article.id)],
            "annotators": ["ann"],
            "per_article": "2",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "to be read by 2 annotators, but 1 is chosen" in page
    assert "per_article (" not in page  # the field named in words, not by its key
    # what was typed and ticked is still there
    assert 'value="Trop"' in page
    assert re.search(rf'value="{article.id}"[^>]*checked|checked[^>]*value="{article.id}"', page)
    assert re.search(r'value="ann"[^>]*checked|checked[^>]*value="ann"', page)
    assert db.session.scalar(select(Assignment)) is None


def test_the_whole_round_on_pages(client, login, make):
    admin, ann, bob, rev, article = _world(make)
    login(admin)
    client.post(
        "/assignments/",
        data={
            "name": "Round",
            "article_ids": [str(article.id)],
            "annotators": ["ann", "bob"],
            "per_article": "2",
        },
    )
    assignment = db.session.scalar(select(Assignment))
    make.annotation(article=article, author=ann, start=0, end=30, verdict="false")
    make.annotation(article=article, author=bob, start=0, end=32, verdict="mixed")
    for user in (ann, bob):
        login(user)
        work = client.get("/assignments/work").get_data(as_text=True)
        assert "Un article à double lecture" in work and "Mark done" in work
        done = client.post(f"/assignments/{assignment.id}/articles/{article.id}/done")
        assert done.status_code == 302
    login(rev)
    nxt = client.post("/assignments/adjudicate/next")
    url = f"/assignments/{assignment.id}/articles/{article.id}/adjudicate"
    assert nxt.headers["Location"].endswith(url)
    page = client.get(url).get_data(as_text=True)
    assert "Group 1" in page and "ann" in page and "bob" in page
    chosen = db.session.scalar(select(Annotation).where(Annotation.author_id == bob.id))
    response = client.post(
        url,
        data={
            "start": "0",
            "end": "32",
            "decision": "accept",
            "annotation_id": str(chosen.id),
            "claim": "Le chômage a baissé de 10 % en un an.",
            "claimant": chosen.claimant,
            "verdict": "false",
            "rationale": chosen.rationale,
        },
    )
    assert response.status_code == 302
    result = db.session.scalar(select(Annotation).where(Annotation.status == Status.APPROVED))
    assert result.verdict == "false" and result.reviewer_id == rev.id
    assert "edited: claim, verdict" in result.events[-1].comment
    shown = client.get(f"/assignments/{assignment.id}").get_data(as_text=True)
    assert "adjudicated" in shown


def test_annotators_do_not_see_the_agreement_figures(client, login, make):
    admin, ann, bob, _rev, article = _world(make)
    login(admin)
    client.post(
        "/assignments/",
        data={
            "name": "R",
            "article_ids": [str(article.id)],
            "annotators": ["ann", "bob"],
            "per_article": "2",
        },
    )
    assignment = db.session.scalar(select(Assignment))
    login(ann)
    page = client.get(f"/assignments/{assignment.id}")
    assert page.status_code == 200
    assert "Span F1" not in page.get_data(as_text=True)
