"""The revision pages: Edit text with its preview, the history, badges, confirming."""

from __future__ import annotations

from markupsafe import escape

from factcheck.extensions import db
from factcheck.models import Annotation, Status

from .conftest import DEBT, JOBS, TEXT

NEW = TEXT + "\n\n" + TEXT.split("\n\n")[1]  # the jobs paragraph twice: relocated


def save(client, article, text, revision=1, note="Ajout"):
    return client.post(
        f"/articles/{article.id}/revise",
        data={"text": text, "note": note, "revision": str(revision), "action": "save"},
    )


def test_the_edit_text_page_previews_the_diff_and_what_happens_to_claims(
    client, login, admin, article, claim
):
    claim(DEBT)
    claim(JOBS)
    login(admin)
    page = client.get(f"/articles/{article.id}/revise")
    assert page.status_code == 200
    assert "Preview the changes" in page.text
    preview = client.post(
        f"/articles/{article.id}/revise",
        data={"text": TEXT.replace("40 milliards", "42 milliards"), "revision": "1",
              "action": "preview"},
    )  # fmt: skip
    assert preview.status_code == 200
    assert "<del>40</del>" in preview.text and "<ins>42</ins>" in preview.text
    assert "in place (ok): 1" in preview.text and "relocated, to confirm: 1" in preview.text
    assert "Save revision 2" in preview.text
    db.session.expire_all()
    assert article.revision == 1  # a preview writes nothing


def test_saving_makes_the_revision_and_the_article_page_shows_its_history(
    client, login, admin, article, claim
):
    claim(DEBT)
    login(admin)
    response = save(client, article, TEXT + " Fin.", note="Une phrase de plus")
    assert response.status_code == 302
    db.session.expire_all()
    assert article.revision == 2
    shown = client.get(f"/articles/{article.id}")
    assert "Revision 2" in shown.text and "Une phrase de plus" in shown.text
    assert f"/articles/{article.id}/revise" in shown.text
    diff = client.get(f"/articles/{article.id}/revisions/2")
    assert diff.status_code == 200 and "<ins> Fin.</ins>" in diff.text
    assert client.get(f"/articles/{article.id}/revisions/1").status_code == 200
    assert client.get(f"/articles/{article.id}/revisions/3").status_code == 404


def test_a_stale_form_is_409_and_bad_text_is_422(client, login, admin, article, claim):
    claim(DEBT)
    login(admin)
    assert save(client, article, TEXT + " Une.").status_code == 302
    stale = save(client, article, TEXT + " Deux.", revision=1)
    assert stale.status_code == 409
    assert "revised by someone else" in stale.text
    empty = save(client, article, "   ", revision=2)
    assert empty.status_code == 422 and "The text is empty" in empty.text
    db.session.expire_all()
    assert article.revision == 2


def test_only_admins_reach_the_edit_text_page(client, login, author, article):
    login(author)
    assert client.get(f"/articles/{article.id}/revise").status_code == 403
    assert save(client, article, TEXT + " Fin.").status_code == 403


def test_badges_notice_confirm_form_and_home_card(
    client, login, admin, author, reviewer, article, claim
):
    jobs = claim(JOBS, status=Status.SUBMITTED)
    login(admin)
    save(client, article, NEW)
    login(author)
    page = client.get(f"/articles/{article.id}/annotate?annotation={jobs.id}")
    assert 'class="badge badge-relocated"' in page.text
    assert 'id="anchor-notice"' in page.text and "Confirm this place" in page.text
    assert "badge-relocated" in client.get("/mine").text
    home = client.get("/")
    assert 'id="dash-attention"' in home.text
    login(reviewer)
    assert "badge-relocated" in client.get("/review/").text
    assert "Confirm this place" in client.get(f"/review/{jobs.id}").text
    login(author)
    version = db.session.get(Annotation, jobs.id).version
    confirmed = client.post(
        f"/annotations/{jobs.id}/anchor", data={"action": "confirm", "version": str(version)}
    )
    assert confirmed.status_code == 302
    db.session.expire_all()
    assert db.session.get(Annotation, jobs.id).anchor.value == "ok"
    assert 'id="dash-attention"' not in client.get("/").text


def test_an_orphan_is_not_drawn_on_the_new_text_and_its_review_shows_the_old_passage(
    client, login, admin, author, reviewer, article, claim
):
    debt = claim(DEBT, status=Status.SUBMITTED)
    login(admin)
    save(client, article, "Un texte entièrement nouveau, sans rapport.")
    login(author)
    page = client.get(f"/articles/{article.id}/annotate")
    assert "badge-orphaned" in page.text
    assert f"[{debt.id}, " not in page.text.split('id="annotate-data"')[1]
    login(reviewer)
    item = client.get(f"/review/{debt.id}")
    assert f'id="claim-span">{escape(DEBT)}</mark>' in item.text
