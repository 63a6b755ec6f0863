"""One fold for every search: article search, Find and Checked before? agree."""

from __future__ import annotations

import pytest

from factcheck.extensions import db
from factcheck.services import articles, spans
from factcheck.services.articles import ArticleFilter
from factcheck.services.matching.text import fold as matching_fold
from factcheck.text.fold import fold, fold_char

#: (typed, written): each written form must be found by the typed one, everywhere
PAIRS = [
    ("oeuvre", "Œuvre"),
    ("coeur", "cœur"),
    ("mele", "mêlé"),
    ("l'ete", "L’été"),
    ("strasse", "Straße"),
    ("fin", "ﬁn"),
    ("ete", "e\u0301te\u0301"),  # decomposed accents
    ("lodz", "Łódź"),
    ("istanbul", "İstanbul"),
]


@pytest.mark.parametrize(("typed", "written"), PAIRS)
def test_the_fold_of_both_is_the_same(typed, written):
    assert fold(written) == fold(typed) == typed


def test_a_character_folds_alone_and_the_table_learns_it():
    assert fold_char("Œ") == "oe"
    assert fold_char("\u0301") == ""  # a combining mark belongs to the letter before it
    assert fold_char("\u00a0") == " "
    assert fold("Å" * 3) == "aaa"


@pytest.mark.parametrize(("typed", "written"), PAIRS)
def test_find_finds_the_written_form(typed, written):
    text = f"Avant. Une {written} ici. Après."
    found = spans.find_quote(text, typed)
    assert found, (typed, written)
    assert text[found[0].start : found[0].end] == written


@pytest.mark.parametrize(("typed", "written"), PAIRS)
def test_checked_before_folds_both_alike(typed, written):
    assert matching_fold(f"la {written} !") == matching_fold(f"la {typed}")


def test_article_search_finds_every_written_form(make):
    viewer = make.user()
    for _typed, written in PAIRS:
        make.article(title=f"Titre {written}", text="x")
    for typed, written in PAIRS:
        page = articles.list_articles(db.session, viewer, ArticleFilter(q=typed), 1, 50)
        assert f"Titre {written}" in [row.article.title for row in page.items], typed
