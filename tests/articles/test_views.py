"""Article pages: the list, one article, admin import/edit/delete, oversized uploads."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Article, Role, Status


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Article))


def test_list_shows_articles_with_a_claims_bar(client, login, make):
    viewer = make.user()
    article = make.article(title="Chômage : les chiffres")
    make.annotation(article=article, author=viewer, status=Status.SUBMITTED)
    make.article(title="Autre sujet", text="Rien à voir.")
    login(viewer)
    page = client.get("/articles/?q=chômage").get_data(as_text=True)
    assert "Chômage : les chiffres" in page
    assert "Autre sujet" not in page
    assert 'class="seg seg-submitted"' in page
    assert "style=" not in page


def test_list_paginates(client, login, make):
    login(make.user())
    for i in range(30):
        make.article(title=f"Numéro {i:02d}")
    first = client.get("/articles/?sort=title").get_data(as_text=True)
    second = client.get("/articles/?sort=title&page=2").get_data(as_text=True)
    assert "Numéro 00" in first and "Numéro 29" not in first
    assert "Numéro 29" in second and "Page 2 of 2" in second


def test_bad_list_parameters_do_not_break_the_page(client, login, make):
    login(make.user())
    assert client.get("/articles/?sort=zzz&has_claims=maybe&page=-3").status_code == 200


def test_article_page_keeps_paragraphs_and_escapes_text(client, login, make):
    article = make.article(
        title="<b>Titre</b>",
        text="Premier paragraphe\navec un saut.\n\n<script>alert(1)</script>",
    )
    login(make.user())
    page = client.get(f"/articles/{article.id}").get_data(as_text=True)
    # the one paragraph rule (services/paragraphs.py): every line is a paragraph
    assert "<p>Premier paragraphe</p><p>avec un saut.</p>" in page.replace("\n", "")
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>" in page
    assert "&lt;b&gt;Titre&lt;/b&gt;" in page
    assert f"/articles/{article.id}/annotate" in page


def test_missing_article_is_404(client, login, make):
    login(make.user())
    assert client.get("/articles/999999").status_code == 404


@pytest.mark.parametrize("roles", [[Role.ANNOTATOR], [Role.REVIEWER]])
def test_import_page_is_for_admins_only(client, login, make, roles):
    login(make.user(roles=roles))
    assert client.get("/articles/import").status_code == 403
    response = client.post("/articles/import", data={"title": "x", "text": "y", "paste": "1"})
    assert response.status_code == 403
    assert count() == 0


def test_anonymous_goes_to_login(client):
    assert client.get("/articles/import").status_code == 302


def test_import_page_states_the_size_limit(client, login, admin):
    login(admin)
    page = client.get("/articles/import").get_data(as_text=True)
    assert "25 MB" in page


def test_admin_pastes_an_article(client, login, admin):
    login(admin)
    text = "« Bonjour » l’été 🎉\r\n\r\nDeuxième ligne."
    response = client.post(
        "/articles/import",
        data={"title": "Collé", "text": text, "language": "fr", "paste": "1"},
    )
    assert response.status_code == 200
    assert "Import report" in response.get_data(as_text=True)
    article = db.session.scalar(select(Article))
    assert article.text == "« Bonjour » l’été 🎉\n\nDeuxième ligne."
    assert article.imported_by_id == admin.id


def test_pasting_a_bad_url_reports_and_imports_nothing(client, login, admin):
    login(admin)
    response = client.post(
        "/articles/import",
        data={"title": "T", "text": "x", "url": "javascript:alert(1)", "paste": "1"},
    )
    assert response.status_code == 422
    assert "http://" in response.get_data(as_text=True)
    assert count() == 0


def test_admin_uploads_several_files_and_sees_the_report(client, login, admin):
    login(admin)
    files = [
        (io.BytesIO(b'{"title": "A", "text": "a", "external_id": "a"}\n{bad\n'), "a.jsonl"),
        (io.BytesIO(b"Titre texte\n\nCorps."), "b.txt"),
    ]
    response = client.post(
        "/articles/import",
        data={"upload-files": files, "upload-format": "auto", "upload-upload": "1"},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "a.jsonl:2" in page
    assert count() == 2


def test_oversized_upload_gets_a_clear_413_page(app, client, login, admin):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    login(admin)
    response = client.post(
        "/articles/import",
        data={"upload-files": [(io.BytesIO(b"x" * 5000), "big.txt")], "upload-upload": "1"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)
    assert count() == 0


def test_admin_edits_metadata_and_text(client, login, admin, make):
    article = make.article()
    login(admin)
    response = client.post(
        f"/articles/{article.id}/edit",
        data={"title": "Nouveau titre", "language": "fr", "text": "Nouveau\r\ntexte"},
    )
    assert response.status_code == 302
    db.session.refresh(article)
    assert (article.title, article.text) == ("Nouveau titre", "Nouveau\ntexte")


def test_text_edit_is_refused_once_annotated(client, login, admin, make):
    article = make.article()
    make.annotation(article=article)
    login(admin)
    page = client.get(f"/articles/{article.id}/edit").get_data(as_text=True)
    assert "cannot be changed" in page and "disabled" in page
    response = client.post(
        f"/articles/{article.id}/edit", data={"title": "Titre seul", "text": "autre"}
    )
    assert response.status_code == 422
    assert "cannot be changed" in response.get_data(as_text=True)
    response = client.post(f"/articles/{article.id}/edit", data={"title": "Titre seul"})
    assert response.status_code == 302
    db.session.refresh(article)
    assert article.title == "Titre seul" and article.text != "autre"


def test_delete_rules(client, login, admin, make):
    free = make.article()
    used = make.article()
    make.annotation(article=used)
    login(admin)
    assert client.post(f"/articles/{free.id}/delete").status_code == 302
    response = client.post(f"/articles/{used.id}/delete", follow_redirects=True)
    assert "cannot be deleted" in response.get_data(as_text=True)
    assert count() == 1


def test_edit_and_delete_are_admin_only(client, login, make):
    article = make.article()
    login(make.user(roles=[Role.REVIEWER, Role.ANNOTATOR]))
    assert client.post(f"/articles/{article.id}/edit", data={"title": "x"}).status_code == 403
    assert client.post(f"/articles/{article.id}/delete").status_code == 403
    assert count() == 1


@pytest.mark.csrf
def test_delete_needs_the_csrf_token(client, login, admin, make):
    article = make.article()
    login(admin)
    assert client.post(f"/articles/{article.id}/delete").status_code == 400
    assert count() == 1


def _csrf_token(client, url: str) -> str:
    import re

    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


@pytest.mark.csrf
def test_paste_and_upload_work_with_csrf_on(client, login, admin):
    login(admin)
    token = _csrf_token(client, "/articles/import")
    response = client.post(
        "/articles/import",
        data={"csrf_token": token, "title": "T", "text": "x", "paste": "1"},
    )
    assert response.status_code == 200
    response = client.post(
        "/articles/import",
        data={
            "upload-csrf_token": token,
            "upload-files": [(io.BytesIO(b"Titre\n\ncorps"), "a.txt")],
            "upload-format": "auto",
            "upload-upload": "1",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert count() == 2


@pytest.mark.csrf
def test_oversized_upload_with_csrf_on_is_still_a_clear_413(app, client, login, admin):
    login(admin)
    token = _csrf_token(client, "/articles/import")
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post(
        "/articles/import",
        data={"upload-csrf_token": token, "upload-files": [(io.BytesIO(b"x" * 5000), "big.txt")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_a_publication_date_shows_as_a_date_and_a_moment_as_a_moment(client, login, admin, make):
    dated = make.article(title="Daté", published_at=datetime(2024, 3, 12, tzinfo=UTC))
    timed = make.article(title="Horodaté", published_at=datetime(2024, 3, 12, 8, 30, tzinfo=UTC))
    login(admin)
    date_only = '<time datetime="2024-03-12">2024-03-12</time>'
    for url in (f"/articles/{dated.id}", f"/articles/{dated.id}/annotate", "/articles/?q=Daté"):
        page = client.get(url).get_data(as_text=True)
        assert date_only in page, url
        assert "2024-03-12 00:00" not in page and "2024-03-12T00:00:00Z" not in page, url
    page = client.get(f"/articles/{timed.id}").get_data(as_text=True)
    assert '<time datetime="2024-03-12T08:30:00Z">2024-03-12 08:30 UTC</time>' in page
    # the edit form gives the date back as it was typed
    form = client.get(f"/articles/{dated.id}/edit").get_data(as_text=True)
    assert 'value="2024-03-12"' in form
