"""The generated revision corpus: never silently wrong, ok where the quote survives."""

from __future__ import annotations

import pytest

from factcheck.services.anchoring import reanchor

from .corpus import CATEGORIES, corpus, evaluate

PER_CATEGORY = 15  # 17 categories × 15 = 255 cases


@pytest.fixture(scope="module")
def figures():
    cases = corpus(PER_CATEGORY)
    assert len(cases) >= 200
    results = [reanchor(case.old, case.new, [case.stored])[0] for case in cases]
    return evaluate(cases, results)


def test_corpus_covers_every_category(figures):
    assert set(CATEGORIES) <= set(figures)
    assert figures["all"].ok_expected >= 100
    assert figures["all"].flagged_expected >= 80


def test_no_silent_error(figures):
    """Never ok at the wrong place, never ok when the quote changed."""
    errors = {name: f.silent_errors for name, f in figures.items() if f.silent_errors}
    assert errors == {}


def test_ok_where_the_quote_survives_unchanged_and_unambiguous(figures):
    total = figures["all"]
    assert total.ok_given / total.ok_expected >= 0.99


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_changed_or_ambiguous_quote_is_flagged(figures, category):
    f = figures[category]
    assert f.flagged_given == f.flagged_expected


def test_a_fixed_typo_is_relocated_onto_the_corrected_quote(figures):
    f = figures["typo_fixed_in_quote"]
    assert f.relocated == f.cases
    assert f.relocated_right_place == f.cases
