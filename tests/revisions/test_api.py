"""POST /api/v1/articles/<id>/revisions: each outcome, the status rule, 409 and 422s."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Annotation, ArticleRevision, ReviewEvent, Status

from .conftest import DEBT, INQUIRY, JOBS, TEXT


def revise(client, article, text, note="Correction", **extra):
    return client.post(
        f"/api/v1/articles/{article.id}/revisions", json={"text": text, "note": note, **extra}
    )


def test_a_revision_re_anchors_every_claim_and_answers_the_contract(
    client, login, admin, article, claim
):
    debt = claim(DEBT, status=Status.SUBMITTED)
    jobs = claim(JOBS.replace("300", "300"), status=Status.DRAFT)
    inquiry = claim(INQUIRY, status=Status.APPROVED)
    jobs_span = (jobs.start, jobs.end)
    debt_span = (debt.start, debt.end)
    inquiry_span = (inquiry.start, inquiry.end)
    login(admin)
    new = "Mise à jour du 3 mars : précisions.\n\n" + TEXT.replace("créés", "crées").replace(
        "L'opposition conteste ces chiffres et demande une enquête parlementaire.",
        "L'opposition se tait.",
    )
    response = revise(client, article, new)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["article"]["revision"] == 2
    assert body["article"]["id"] == article.id
    by_id = {item["id"]: item for item in body["annotations"]}
    assert set(by_id) == {debt.id, jobs.id, inquiry.id}

    ok = by_id[debt.id]
    assert ok["anchor"] == "ok"
    assert new[ok["start"] : ok["end"]] == DEBT == ok["quote"]
    # the contract's answer names the span before the revision for every claim, ok too
    assert ok["previous"] == {
        "start": debt_span[0],
        "end": debt_span[1],
        "quote": DEBT,
        "revision": 1,
    }
    assert ok["start"] != debt_span[0]  # the text above it grew: the offsets moved

    moved = by_id[jobs.id]
    assert moved["anchor"] == "relocated"
    assert moved["quote"] == "300 postes seront crées en 2027"
    assert new[moved["start"] : moved["end"]] == moved["quote"]
    assert moved["previous"] == {
        "start": jobs_span[0],
        "end": jobs_span[1],
        "quote": JOBS,
        "revision": 1,
    }

    gone = by_id[inquiry.id]
    assert gone["anchor"] == "orphaned"
    assert (gone["start"], gone["end"], gone["quote"]) == (*inquiry_span, INQUIRY)

    db.session.expire_all()
    stored = db.session.get(Annotation, inquiry.id)
    assert stored.article_revision == 1  # an orphan keeps its old revision
    assert stored.status is Status.SUBMITTED  # approved, its quote gone: back to review
    assert db.session.get(Annotation, debt.id).article_revision == 2
    texts = db.session.scalars(
        select(ArticleRevision.text)
        .where(ArticleRevision.article_id == article.id)
        .order_by(ArticleRevision.number)
    ).all()
    assert texts == [TEXT, new]  # every revision's text is kept
    assert db.session.scalar(select(func.count()).select_from(Annotation)) == 3


def test_an_approved_claim_whose_quote_changed_goes_back_to_review_with_a_history_row(
    client, login, admin, article, claim
):
    jobs = claim(JOBS, status=Status.APPROVED)
    debt = claim(DEBT, status=Status.APPROVED)
    jobs_version = jobs.version
    login(admin)
    response = revise(client, article, TEXT.replace("300 postes", "350 postes"))
    assert response.status_code == 201
    db.session.expire_all()
    changed = db.session.get(Annotation, jobs.id)
    assert changed.status is Status.SUBMITTED
    assert changed.anchor.value == "relocated"
    assert changed.version == jobs_version + 1
    event = db.session.scalars(
        select(ReviewEvent).where(ReviewEvent.annotation_id == jobs.id).order_by(ReviewEvent.id)
    ).all()[-1]
    assert (event.from_status, event.to_status) == (Status.APPROVED, Status.SUBMITTED)
    assert "revision 2" in event.comment and "back to review" in event.comment
    untouched = db.session.get(Annotation, debt.id)
    assert untouched.status is Status.APPROVED  # its quote did not change
    assert untouched.anchor.value == "ok"


def test_every_annotation_json_carries_anchor_and_article_revision(
    client, login, author, article, claim
):
    annotation = claim(DEBT)
    login(author)
    data = client.get(f"/api/v1/annotations/{annotation.id}").json
    assert data["anchor"] == "ok"
    assert data["article_revision"] == 1
    listed = client.get(f"/api/v1/articles/{article.id}/annotations").json["items"]
    assert listed[0]["anchor"] == "ok" and listed[0]["article_revision"] == 1


@pytest.mark.parametrize(
    ("text", "code", "field"),
    [
        ("", "invalid", "text"),
        ("   \n ", "invalid", "text"),
        ("Du texte\x00 avec un NUL", "invalid_character", "text"),
        ("Un demi \ud800 caractère", "invalid_character", "text"),
        (42, "invalid", "text"),
        (TEXT, "unchanged", "text"),
    ],
)
def test_bad_revision_text_is_422_naming_the_problem_and_nothing_changes(
    client, login, admin, article, claim, text, code, field
):
    annotation = claim(DEBT)
    version = annotation.version
    login(admin)
    response = revise(client, article, text)
    assert response.status_code == 422, response.json
    assert response.json["error"]["field"] == field
    assert response.json["error"]["code"] == code
    db.session.expire_all()
    assert article.revision == 1 and article.text == TEXT
    assert db.session.get(Annotation, annotation.id).version == version
    assert db.session.scalar(select(func.count()).select_from(ArticleRevision)) == 0


def test_a_text_over_the_limit_is_422(app, client, login, admin, article):
    app.config["MAX_ARTICLE_CHARS"] = 100
    login(admin)
    response = revise(client, article, "x" * 101)
    assert response.status_code == 422
    assert "limit" in response.json["error"]["message"]


def test_a_revision_based_on_an_old_revision_is_409(client, login, admin, article, claim):
    claim(DEBT)
    login(admin)
    assert revise(client, article, TEXT + " Fin.", revision=1).status_code == 201
    late = revise(client, article, TEXT + " Autre fin.", revision=1)
    assert late.status_code == 409
    assert late.json["error"]["code"] == "stale_revision"
    db.session.expire_all()
    assert article.revision == 2 and article.text.endswith(" Fin.")


def test_only_admins_make_revisions(client, login, author, reviewer, article):
    for user in (author, reviewer):
        login(user)
        assert revise(client, article, TEXT + " Fin.").status_code == 403
    db.session.expire_all()
    assert article.revision == 1


def test_patch_still_refuses_a_text_change_on_an_annotated_article(
    client, login, admin, article, claim
):
    claim(DEBT)
    login(admin)
    response = client.patch(f"/api/v1/articles/{article.id}", json={"text": TEXT + " Fin."})
    assert response.status_code == 409


def test_the_revision_list_shows_every_revision(client, login, admin, author, article, claim):
    claim(DEBT)
    login(admin)
    revise(client, article, TEXT + " Fin.", note="Ajout d'une phrase")
    login(author)
    items = client.get(f"/api/v1/articles/{article.id}/revisions").json["items"]
    assert [i["number"] for i in items] == [1, 2]
    assert items[1]["note"] == "Ajout d'une phrase" and items[1]["by"] == "boss"
    assert "text" not in items[0]
    with_text = client.get(f"/api/v1/articles/{article.id}/revisions?text=1").json["items"]
    assert with_text[0]["text"] == TEXT


@pytest.mark.parametrize(
    ("value", "status", "with_text"),
    [("TRUE", 200, True), ("no", 200, False), ("maybe", 400, None)],
)
def test_the_text_flag_is_the_api_s_one_yes_no_parameter(
    client, login, author, article, value, status, with_text
):
    """``?text=`` reads like every other flag (``spreadsheet_safe``, ``strict``): a
    misspelt value is a 400, not a silent "no"."""
    login(author)
    response = client.get(f"/api/v1/articles/{article.id}/revisions?text={value}")
    assert response.status_code == status
    if with_text is not None:
        assert ("text" in response.json["items"][0]) is with_text
