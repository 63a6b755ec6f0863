"""The annotations JSON API: every validation rule, ownership and the version check."""

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Annotation, ReviewEvent, Role, Source, Status, Verdict

from .conftest import span_of

QUOTE = "Le déficit a baissé."


def payload(text: str, quote: str = QUOTE, **overrides) -> dict:
    data = {
        **span_of(text, quote),
        "claim": "The deficit went down.",
        "claimant": "Le ministre",
        "verdict": "false",
        "rationale": "The figures say otherwise.",
        "sources": [{"url": "https://insee.fr/x", "title": "Insee", "note": ""}],
    }
    data.update(overrides)
    return data


def post(client, article, data):
    return client.post(f"/api/v1/articles/{article.id}/annotations", json=data)


def error_field(response) -> str | None:
    return response.get_json()["error"].get("field")


# --- creation -------------------------------------------------------------------------


def test_create_draft_stores_span_prefix_suffix_and_history(client, login, annotator, tricky):
    login(annotator)
    response = post(client, tricky, payload(tricky.text))
    assert response.status_code == 201
    body = response.get_json()
    start, end = body["start"], body["end"]
    assert tricky.text[start:end] == body["quote"] == QUOTE
    assert body["prefix"] == tricky.text[max(0, start - 32) : start]
    assert body["suffix"] == tricky.text[end : end + 32]
    assert body["status"] == "draft" and body["version"] == 1
    assert body["author"] == annotator.username
    assert body["created_at"].endswith("Z")
    (source,) = body["sources"]
    assert source["url"] == "https://insee.fr/x" and source["title"] == "Insee"
    # a plain {url, title, note} cites the project's source, with no stance nor excerpt yet
    assert (source["note"], source["stance"], source["excerpts"]) == ("", None, [])
    assert isinstance(source["source_id"], int)
    assert [(h["from"], h["to"]) for h in body["history"]] == [(None, "draft")]


def test_emoji_before_the_span_do_not_shift_offsets(client, login, annotator, tricky):
    login(annotator)
    quote = "absolument pas mêlé de notre élection"
    body = post(client, tricky, payload(tricky.text, quote)).get_json()
    # Python indices are code points: 👍🏽 counts 2, the ZWJ family 5, the flag 2
    assert body["start"] == tricky.text.index(quote)
    assert tricky.text[body["start"] : body["end"]] == quote


def test_create_submitted_records_both_transitions(client, login, annotator, tricky):
    login(annotator)
    response = post(client, tricky, payload(tricky.text, status="submitted"))
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "submitted" and body["version"] == 2
    assert [(h["from"], h["to"]) for h in body["history"]] == [
        (None, "draft"),
        ("draft", "submitted"),
    ]


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"start": -1}, "start"),
        ({"start": 10_000, "end": 10_001}, "start"),
        ({"end": 10_000}, "end"),
        ({"start": "3"}, "start"),
        ({"start": True}, "start"),
        ({"end": 1.5}, "end"),
        ({"quote": "Le déficit a baissé!"}, "quote"),
        ({"quote": None}, "quote"),
        ({"verdict": "pants_on_fire"}, "verdict"),
        ({"claim": "x" * 2001}, "claim"),
        ({"claimant": "x" * 301}, "claimant"),
        ({"rationale": "x" * 10_001}, "rationale"),
        ({"claim": 12}, "claim"),
        ({"status": "approved"}, "status"),
        ({"author": "someone"}, "author"),
        ({"version": 7}, "version"),
        ({"reviewer_id": 1}, "reviewer_id"),
        ({"id": 99}, "id"),
    ],
)
def test_create_refuses_bad_input_naming_the_field(
    client, login, annotator, tricky, overrides, field
):
    login(annotator)
    data = payload(tricky.text)
    data.update(overrides)
    response = post(client, tricky, data)
    assert response.status_code == 422, response.get_json()
    assert error_field(response) == field
    assert db.session.scalar(select(Annotation.id)) is None


def test_end_before_start_is_refused(client, login, annotator, tricky):
    login(annotator)
    data = payload(tricky.text)
    data["end"] = data["start"]
    response = post(client, tricky, data)
    assert response.status_code == 422 and error_field(response) == "end"


@pytest.mark.parametrize("cut", ["inside skin tone", "inside flag", "inside family", "n+diaeresis"])
def test_a_span_cutting_a_grapheme_cluster_is_refused(client, login, annotator, tricky, cut):
    text = tricky.text
    login(annotator)
    if cut == "inside skin tone":  # 👍 | 🏽
        start = text.index("👍") + 1
        end = text.index(" à tous")
    elif cut == "inside flag":  # 🇫 | 🇷
        start, end = text.index("🇫🇷") + 1, text.index(" et")
    elif cut == "inside family":
        start, end = text.index("👨") + 2, text.index(" !")
    else:  # "Spın" | U+0308
        start, end = text.index("Spın"), text.index("\u0308")
    data = payload(text, QUOTE) | {"start": start, "end": end, "quote": text[start:end]}
    response = post(client, tricky, data)
    assert response.status_code == 422
    assert error_field(response) in ("start", "end")
    assert "cuts a character" in response.get_json()["error"]["message"]


def test_whole_emoji_with_skin_tone_may_be_quoted(client, login, annotator, tricky):
    login(annotator)
    response = post(client, tricky, payload(tricky.text, "Bravo 👍🏽"))
    assert response.status_code == 201


def test_e_with_combining_accent_cannot_be_cut(client, login, make, annotator):
    from factcheck.models import Article

    # stored texts are NFC, where e+U+0301 becomes é; a decomposed text is still refused
    article = Article(title="NFD", text="Il a dit cafe\u0301 noir.", text_sha256="x")
    db.session.add(article)
    db.session.commit()
    login(annotator)
    end = article.text.index("\u0301")
    data = {"start": 9, "end": end, "quote": article.text[9:end]}
    response = post(client, article, data)
    assert response.status_code == 422 and error_field(response) == "end"
    data = {"start": 9, "end": end + 1, "quote": article.text[9 : end + 1]}
    assert post(client, article, data).status_code == 201


def test_retired_verdict_is_refused(client, login, annotator, tricky):
    db.session.scalar(select(Verdict).where(Verdict.key == "mixed")).retired = True
    db.session.commit()
    login(annotator)
    response = post(client, tricky, payload(tricky.text, verdict="mixed"))
    assert response.status_code == 422 and error_field(response) == "verdict"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JAVASCRIPT:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.org/file",
        "/relative/path",
        "example.org",
        "https://",
        "https:\\\\evil.example",
        "https://exa mple.org/",
        "https://example.org/\nSet-Cookie:x",
        "",
        None,
        42,
    ],
)
def test_bad_source_urls_are_refused(client, login, annotator, tricky, url):
    login(annotator)
    response = post(client, tricky, payload(tricky.text, sources=[{"url": url}]))
    assert response.status_code == 422
    assert error_field(response) == "sources"


def test_source_rules(client, login, annotator, tricky):
    login(annotator)
    many = [{"url": f"https://e.org/{i}"} for i in range(21)]
    for sources in (
        many,
        [{"url": "https://e.org", "title": "t" * 501}],
        [{"url": "https://e.org", "note": "n" * 2001}],
        [{"url": "https://e.org", "colour": "red"}],
        "https://e.org",
    ):
        response = post(client, tricky, payload(tricky.text, sources=sources))
        assert response.status_code == 422 and error_field(response) == "sources"
    ok = post(client, tricky, payload(tricky.text, sources=[{"url": " http://E.org/a?b=c "}]))
    assert ok.status_code == 201
    assert ok.get_json()["sources"][0]["url"] == "http://E.org/a?b=c"


def test_submitted_without_source_is_refused_but_a_draft_is_fine(client, login, annotator, tricky):
    login(annotator)
    response = post(client, tricky, payload(tricky.text, sources=[], status="submitted"))
    assert response.status_code == 422 and error_field(response) == "sources"
    assert db.session.scalar(select(Annotation.id)) is None
    assert post(client, tricky, payload(tricky.text, sources=[])).status_code == 201


def test_reviewer_only_cannot_create(client, login, make, tricky):
    login(make.user(roles=[Role.REVIEWER]))
    assert post(client, tricky, payload(tricky.text)).status_code == 403


def test_unknown_article_is_404(client, login, annotator):
    login(annotator)
    response = client.post("/api/v1/articles/999/annotations", json={})
    assert response.status_code == 404


# --- reading and ownership -------------------------------------------------------------


def test_another_annotators_draft_is_invisible(client, login, make, annotator, tricky):
    draft = make.annotation(article=tricky, author=annotator, status=Status.DRAFT)
    submitted = make.annotation(article=tricky, author=annotator, status=Status.SUBMITTED)
    other = make.user(roles=[Role.ANNOTATOR])
    login(other)
    assert client.get(f"/api/v1/annotations/{draft.id}").status_code == 404
    assert (
        client.patch(
            f"/api/v1/annotations/{draft.id}", json={"claim": "x", "version": 1}
        ).status_code
        == 404
    )
    assert client.delete(f"/api/v1/annotations/{draft.id}?version=1").status_code == 404
    listed = client.get(f"/api/v1/articles/{tricky.id}/annotations").get_json()
    assert [item["id"] for item in listed["items"]] == [submitted.id]


def test_another_annotator_cannot_change_a_submitted_claim(client, login, make, annotator, tricky):
    submitted = make.annotation(article=tricky, author=annotator, status=Status.SUBMITTED)
    login(make.user(roles=[Role.ANNOTATOR]))
    assert client.get(f"/api/v1/annotations/{submitted.id}").status_code == 200
    response = client.patch(
        f"/api/v1/annotations/{submitted.id}", json={"claim": "mine now", "version": 1}
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Annotation, submitted.id).claim == "A checkable claim."


def test_admin_sees_a_draft_but_cannot_edit_it(client, login, make, annotator, tricky):
    draft = make.annotation(article=tricky, author=annotator)
    login(make.user(roles=[Role.ADMIN]))
    assert client.get(f"/api/v1/annotations/{draft.id}").status_code == 200
    response = client.patch(f"/api/v1/annotations/{draft.id}", json={"claim": "x", "version": 1})
    assert response.status_code == 403


# --- editing ----------------------------------------------------------------------------


def test_patch_bumps_version_and_refuses_stale(client, login, make, annotator, tricky):
    draft = make.annotation(article=tricky, author=annotator)
    login(annotator)
    url = f"/api/v1/annotations/{draft.id}"
    response = client.patch(url, json={"claim": "Revised.", "version": 1})
    assert response.status_code == 200
    assert response.get_json()["version"] == 2 and response.get_json()["claim"] == "Revised."
    stale = client.patch(url, json={"claim": "Lost update", "version": 1})
    assert stale.status_code == 409
    assert stale.get_json()["error"]["code"] == "stale_version"
    missing = client.patch(url, json={"claim": "No version"})
    assert missing.status_code == 422 and error_field(missing) == "version"
    db.session.expire_all()
    assert db.session.get(Annotation, draft.id).claim == "Revised."


def test_patch_accepts_an_echoed_get_but_not_changed_read_only_fields(
    client, login, make, annotator, tricky
):
    draft = make.annotation(article=tricky, author=annotator)
    login(annotator)
    url = f"/api/v1/annotations/{draft.id}"
    body = client.get(url).get_json()
    body["claimant"] = "Quelqu'un d'autre"
    response = client.patch(url, json=body)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["claimant"] == "Quelqu'un d'autre"
    for field, value in (("status", "approved"), ("author", "admin"), ("reviewer_id", 3)):
        response = client.patch(url, json={field: value, "version": 2})
        assert response.status_code == 422 and error_field(response) == field
    db.session.expire_all()
    assert db.session.get(Annotation, draft.id).status is Status.DRAFT


def test_patch_span_and_sources(client, login, make, annotator, tricky):
    draft = make.annotation(article=tricky, author=annotator, sources=2)
    login(annotator)
    url = f"/api/v1/annotations/{draft.id}"
    span = span_of(tricky.text, "Spın̈al Tap")
    response = client.patch(url, json={**span, "sources": [{"url": "https://a.org"}], "version": 1})
    assert response.status_code == 200
    body = response.get_json()
    assert body["quote"] == "Spın̈al Tap"
    assert [(s["url"], s["title"], s["note"]) for s in body["sources"]] == [
        ("https://a.org", "", "")
    ]
    assert db.session.scalars(select(Source).where(Source.annotation_id == draft.id)).all()
    bad = client.patch(url, json={"start": span["start"] + 1, "version": 2})
    assert bad.status_code == 422 and error_field(bad) == "quote"


def test_approved_claims_are_frozen_for_their_author(client, login, make, annotator, tricky):
    approved = make.annotation(article=tricky, author=annotator, status=Status.APPROVED)
    login(annotator)
    response = client.patch(f"/api/v1/annotations/{approved.id}", json={"claim": "x", "version": 1})
    assert response.status_code == 403


def test_submitted_and_rejected_claims_stay_editable_but_complete(
    client, login, make, annotator, tricky
):
    for status in (Status.SUBMITTED, Status.REJECTED):
        annotation = make.annotation(article=tricky, author=annotator, status=status)
        login(annotator)
        url = f"/api/v1/annotations/{annotation.id}"
        assert client.patch(url, json={"claim": "Better.", "version": 1}).status_code == 200
        response = client.patch(url, json={"sources": [], "version": 2})
        assert response.status_code == 422 and error_field(response) == "sources"


# --- submit and delete --------------------------------------------------------------------


def test_submit_a_draft(client, login, make, annotator, tricky):
    draft = make.annotation(article=tricky, author=annotator)
    login(annotator)
    url = f"/api/v1/annotations/{draft.id}/submit"
    assert client.post(url, json={"version": 3}).status_code == 409
    response = client.post(url, json={"version": 1})
    assert response.status_code == 200
    assert response.get_json()["status"] == "submitted"
    assert response.get_json()["history"][-1]["to"] == "submitted"


def test_submit_without_source_names_sources(client, login, make, annotator, tricky):
    draft = make.annotation(article=tricky, author=annotator, sources=0)
    login(annotator)
    response = client.post(f"/api/v1/annotations/{draft.id}/submit", json={"version": 1})
    assert response.status_code == 422 and error_field(response) == "sources"


def test_delete_rules(client, login, make, annotator, tricky):
    draft = make.annotation(article=tricky, author=annotator)
    submitted = make.annotation(article=tricky, author=annotator, status=Status.SUBMITTED)
    login(annotator)
    assert client.delete(f"/api/v1/annotations/{draft.id}").status_code == 422
    assert client.delete(f"/api/v1/annotations/{draft.id}?version=2").status_code == 409
    assert client.delete(f"/api/v1/annotations/{submitted.id}?version=1").status_code == 403
    response = client.delete(f"/api/v1/annotations/{draft.id}", json={"version": 1})
    assert response.status_code == 204
    assert db.session.get(Annotation, draft.id) is None
    assert not db.session.scalars(
        select(ReviewEvent).where(ReviewEvent.annotation_id == draft.id)
    ).all()


def test_admin_may_delete_a_draft(client, login, make, annotator, tricky):
    draft = make.annotation(article=tricky, author=annotator)
    login(make.user(roles=[Role.ADMIN]))
    assert client.delete(f"/api/v1/annotations/{draft.id}?version=1").status_code == 204


def test_a_bearer_token_works_and_needs_no_csrf(client, make, annotator, tricky):
    token = make.token(annotator)
    response = client.post(
        f"/api/v1/articles/{tricky.id}/annotations",
        json=payload(tricky.text),
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201


@pytest.mark.csrf
def test_session_writes_need_the_csrf_header(client, login, annotator, tricky):
    login(annotator)
    response = post(client, tricky, payload(tricky.text))
    assert response.status_code == 400
