"""Browsing and editing articles: search, filters, sort, counts, the 409 rules."""

from __future__ import annotations

import pytest

from factcheck.extensions import db
from factcheck.models import Annotation, Article, Role, Status
from factcheck.services import articles
from factcheck.services.articles import ArticleFilter
from factcheck.services.errors import Conflict, Invalid

from ..sql import statements


def titles(viewer, **wanted) -> list[str]:
    page = articles.list_articles(db.session, viewer, ArticleFilter(**wanted), 1, 100)
    return [row.article.title for row in page.items]


def test_search_is_case_insensitive_in_title_and_text_accents_included(make):
    viewer = make.user()
    make.article(title="ÉTAT d'urgence", text="rien")
    make.article(title="Autre", text="Le CHÔMAGE baisse")
    make.article(title="100% faux", text="x")
    make.article(title="Sans rapport", text="x")
    assert titles(viewer, q="état") == ["ÉTAT d'urgence"]
    assert titles(viewer, q="chômage") == ["Autre"]
    assert titles(viewer, q="Chômage") == ["Autre"]
    assert titles(viewer, q="%") == ["100% faux"]  # wildcards are literal


def test_filters_language_claims_and_needs_review(make):
    viewer = make.user()
    other = make.user()
    plain = make.article(title="plain", language="en")
    drafted = make.article(title="drafted")
    submitted = make.article(title="submitted")
    make.annotation(article=drafted, author=other, status=Status.DRAFT)
    make.annotation(article=submitted, author=other, status=Status.SUBMITTED)
    assert titles(viewer, language="en") == [plain.title]
    # another user's draft is invisible to this viewer: no claims there
    assert titles(viewer, has_claims=True) == ["submitted"]
    assert set(titles(viewer, has_claims=False)) == {"plain", "drafted"}
    assert titles(viewer, needs_review=True) == ["submitted"]


def test_counts_by_status_hide_other_peoples_drafts(make):
    author = make.user()
    stranger = make.user()
    admin = make.user(roles=[Role.ADMIN])
    article = make.article()
    make.annotation(article=article, author=author, status=Status.DRAFT)
    make.annotation(article=article, author=author, status=Status.SUBMITTED)
    make.annotation(article=article, author=stranger, status=Status.APPROVED)

    def counts(viewer):
        return articles.row_for(db.session, viewer, article).counts

    assert counts(author) == {"draft": 1, "submitted": 1, "approved": 1}
    assert counts(stranger) == {"submitted": 1, "approved": 1}
    assert counts(admin) == {"draft": 1, "submitted": 1, "approved": 1}


def test_counts_come_from_one_query_whatever_the_page_size(make):
    viewer = make.user()
    for _ in range(30):
        article = make.article()
        make.annotation(article=article, author=viewer, status=Status.SUBMITTED)
    assert viewer.roles  # loaded now, not counted below
    with statements() as sent:
        page = articles.list_articles(db.session, viewer, ArticleFilter(), 1, 25)
    assert len(page.items) == 25 and page.total == 30
    assert all(row.counts == {"submitted": 1} for row in page.items)
    assert len([s for s in sent if "annotation" in s.lower()]) <= 3
    queries = [s for s in sent if s.lstrip().upper().startswith("SELECT")]
    assert len(queries) == 3  # the total, the page, the counts of every row at once


def test_sorts_and_pagination(make):
    viewer = make.user()
    a = make.article(title="Bravo")
    b = make.article(title="alpha")
    c = make.article(title="Charlie")
    make.annotation(article=b, author=viewer, status=Status.SUBMITTED)
    make.annotation(article=b, author=viewer, status=Status.SUBMITTED)
    make.annotation(article=c, author=viewer, status=Status.SUBMITTED)
    assert titles(viewer, sort="newest") == [c.title, b.title, a.title]
    assert titles(viewer, sort="oldest") == [a.title, b.title, c.title]
    assert titles(viewer, sort="most_claims") == ["alpha", "Charlie", "Bravo"]
    assert titles(viewer, sort="title") == ["Bravo", "Charlie", "alpha"]
    second = articles.list_articles(db.session, viewer, ArticleFilter(sort="oldest"), 2, 2)
    assert [r.article.title for r in second.items] == [c.title] and second.total == 3


def test_bad_filter_values_are_refused_or_ignored():
    from factcheck.services.errors import BadRequest

    with pytest.raises(BadRequest):
        articles.parse_filter({"sort": "random"})
    with pytest.raises(BadRequest):
        articles.parse_filter({"has_claims": "maybe"})
    assert articles.parse_filter({"sort": "random"}, strict=False).sort == "newest"


def test_metadata_stays_editable_with_annotations(make):
    article = make.article(external_id="a")
    make.annotation(article=article)
    articles.update_metadata(
        db.session,
        article,
        {
            "title": " Nouveau ",
            "url": "https://x.org",
            "language": "EN",
            "published_at": "2024-01-02",
        },
    )
    db.session.commit()
    assert (article.title, article.language) == ("Nouveau", "en")
    assert article.published_at.isoformat() == "2024-01-02T00:00:00+00:00"


def test_metadata_is_validated(make):
    article = make.article()
    make.article(external_id="taken")
    with pytest.raises(Invalid):
        articles.update_metadata(db.session, article, {"url": "javascript:alert(1)"})
    with pytest.raises(Conflict):
        articles.update_metadata(db.session, article, {"external_id": "taken"})


def test_text_is_editable_before_any_annotation_and_normalized(make):
    article = make.article()
    articles.update_text(db.session, article, "Nouveau\r\ntexte e\u0301")
    db.session.commit()
    assert article.text == "Nouveau\ntexte é"


def test_text_edit_and_delete_are_refused_once_annotated(make):
    article = make.article()
    make.annotation(article=article)
    with pytest.raises(Conflict, match="annotations"):
        articles.update_text(db.session, article, "autre texte")
    with pytest.raises(Conflict, match="annotations"):
        articles.delete_article(db.session, article)
    db.session.rollback()
    assert db.session.get(Article, article.id).text != "autre texte"


def test_delete_without_annotations(make):
    article = make.article()
    article_id = article.id
    articles.delete_article(db.session, article)
    db.session.commit()
    assert db.session.get(Article, article_id) is None
    assert db.session.query(Annotation).count() == 0


def test_search_ignores_accents_and_case_both_ways(make, client, login):
    viewer = make.user()
    make.article(title="Élection", text="Poutine ne s'est « absolument pas mêlé » de l'élection.")
    make.article(title="Ete", text="Un ÉTÉ chaud, à Noël. Straße.")
    make.article(title="Sans rapport", text="x")
    db.session.commit()
    assert titles(viewer, q="mele") == ["Élection"]
    assert titles(viewer, q="MÊLÉ") == ["Élection"]
    assert titles(viewer, q="election") == ["Élection"]
    assert titles(viewer, q="noel") == ["Ete"]
    assert titles(viewer, q="strasse") == ["Ete"]
    assert set(titles(viewer, q="été")) == {"Ete"}
    login(viewer)
    found = client.get("/api/v1/articles?q=mele").get_json()["items"]
    assert [a["title"] for a in found] == ["Élection"]
    assert "search_text" not in found[0]


def test_search_follows_edits_of_title_and_text(make):
    viewer = make.user()
    article = make.article(title="Premier titre", text="Texte initial.")
    articles.update_metadata(db.session, article, {"title": "Déjà vu"})
    articles.update_text(db.session, article, "Un texte où l'on parle de forêt.")
    db.session.commit()
    assert titles(viewer, q="deja vu") == ["Déjà vu"]
    assert titles(viewer, q="foret") == ["Déjà vu"]
    assert titles(viewer, q="initial") == []


def test_imported_articles_are_searchable_without_accents(make):
    from factcheck.services import importing

    admin = make.user(roles=[Role.ADMIN])
    importing.import_records(
        db.session, [{"title": "Réforme", "text": "Les retraités protestent."}], admin
    )
    db.session.commit()
    assert titles(admin, q="retraites") == ["Réforme"]
