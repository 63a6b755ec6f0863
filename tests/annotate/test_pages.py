"""The annotate page, its no-JavaScript form flow, "My claims" and verdicts.css."""

from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Annotation, Role, Status


def form(article, quote, **extra):
    start = article.text.index(quote)
    data = {
        "start": str(start),
        "end": str(start + len(quote)),
        "quote": quote,
        "claim": "The deficit went down.",
        "claimant": "Le ministre",
        "verdict": "false",
        "rationale": "",
        "sources-0-url": "https://insee.fr/a",
        "sources-0-title": "Insee",
        "sources-1-url": "",
        "action": "draft",
    }
    data.update(extra)
    return data


def test_page_carries_text_spans_and_no_inline_script(client, login, make, annotator, tricky):
    mine = make.annotation(article=tricky, author=annotator, start=0, end=5)
    others_draft = make.annotation(article=tricky, start=6, end=10)
    login(annotator)
    html = client.get(f"/articles/{tricky.id}/annotate").get_data(as_text=True)
    assert 'data-start="0"' in html and "Spın̈al Tap" in html
    assert f"[{mine.id}, 0, 5," in html and f"[{others_draft.id}," not in html
    assert "<script>" not in html and 'style="' not in html and " onclick" not in html


def test_find_the_quote_lists_matches_then_opens_the_form(client, login, annotator, tricky):
    login(annotator)
    html = client.get(f"/articles/{tricky.id}/annotate?q=DEFICIT a baisse").get_data(as_text=True)
    start = tricky.text.index("déficit a baissé")
    assert f"start={start}&amp;end={start + 16}" in html
    html = client.get(f"/articles/{tricky.id}/annotate?start={start}&end={start + 16}").get_data(
        as_text=True
    )
    assert f'name="start" value="{start}"' in html and 'value="déficit a baissé"' in html


def test_html_form_creates_and_redirects_to_the_claim(client, login, annotator, tricky):
    login(annotator)
    response = client.post(
        f"/articles/{tricky.id}/annotate",
        data=form(tricky, "Le déficit a baissé.", action="submit"),
    )
    assert response.status_code == 302
    annotation = db.session.scalar(select(Annotation))
    assert annotation.status is Status.SUBMITTED and annotation.quote == "Le déficit a baissé."
    assert f"annotation={annotation.id}" in response.headers["Location"]
    assert [s.url for s in annotation.sources] == ["https://insee.fr/a"]


def test_html_form_errors_keep_the_input(client, login, annotator, tricky):
    login(annotator)
    data = form(tricky, "Le déficit a baissé.", claimant="Quelqu'un de précis")
    data["sources-0-url"] = "javascript:alert(1)"
    response = client.post(f"/articles/{tricky.id}/annotate", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "http:// or https://" in html and "Quelqu&#39;un de précis" in html
    assert 'value="javascript:alert(1)"' in html  # kept to be corrected, never linked
    assert db.session.scalar(select(Annotation.id)) is None


def test_html_edit_with_stale_version_is_a_conflict(client, login, make, annotator, tricky):
    draft = make.annotation(article=tricky, author=annotator)
    login(annotator)
    data = form(tricky, draft.quote, version="1", claim="New text")
    assert client.post(f"/annotations/{draft.id}/edit", data=data).status_code == 302
    response = client.post(f"/annotations/{draft.id}/edit", data=data)
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(Annotation, draft.id).version == 2


def test_html_delete_of_own_draft(client, login, make, annotator, tricky):
    draft = make.annotation(article=tricky, author=annotator)
    login(annotator)
    response = client.post(f"/annotations/{draft.id}/delete", data={"version": "1"})
    assert response.status_code == 302
    assert db.session.scalar(select(Annotation.id)) is None


def test_another_annotators_draft_is_404_on_the_page(client, login, make, annotator, tricky):
    draft = make.annotation(article=tricky)
    login(annotator)
    assert client.get(f"/articles/{tricky.id}/annotate?annotation={draft.id}").status_code == 404
    assert client.post(f"/annotations/{draft.id}/delete", data={"version": "1"}).status_code == 404
    assert db.session.get(Annotation, draft.id) is not None


def test_reviewer_may_view_but_not_post(client, login, make, tricky):
    login(make.user(roles=[Role.REVIEWER]))
    assert client.get(f"/articles/{tricky.id}/annotate").status_code == 200
    response = client.post(f"/articles/{tricky.id}/annotate", data=form(tricky, "Spın̈al"))
    assert response.status_code == 403


def test_mine_groups_by_status_with_review_comment(client, login, make, annotator, tricky):
    make.annotation(article=tricky, author=annotator, claim="Draft claim")
    rejected = make.annotation(
        article=tricky,
        author=annotator,
        status=Status.REJECTED,
        claim="Rejected claim",
        review_comment="Cite the Insee table.",
    )
    make.annotation(article=tricky, claim="Not mine", status=Status.SUBMITTED)
    login(annotator)
    html = client.get("/mine").get_data(as_text=True)
    assert "Draft claim" in html and "Rejected claim" in html and "Not mine" not in html
    assert "Cite the Insee table." in html
    assert (
        f"/articles/{tricky.id}/annotate?annotation={rejected.id}#annotation-{rejected.id}" in html
    )


def test_verdicts_css_is_generated_and_cacheable(client):
    response = client.get("/verdicts.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert ".v-false { --vc: #c62828; }" in response.get_data(as_text=True)
    again = client.get("/verdicts.css", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
