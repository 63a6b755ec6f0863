"""The revision diff runs within a budget of time, changes and code points, and says when it
had to show a coarser diff (words → lines → paragraphs → the changed passage)."""

from __future__ import annotations

import time

import pytest

from factcheck.services.textdiff import BUDGET, Budget, compare

OLD = (
    "Le maire a déclaré que la dette atteint 40 milliards d'euros.\n"
    "La ministre a assuré que 300 postes seront créés.\n\n"
    "L'opposition conteste ces chiffres.\n"
    "Elle demande une enquête parlementaire."
)
NEW = (
    "Le maire a déclaré que la dette atteint 42 milliards d'euros.\n"
    "La ministre a assuré que 300 postes seront créés.\n\n"
    "L'opposition conteste ces chiffres.\n"
    "Elle exige une enquête parlementaire."
)


def texts(diff, old: str = OLD, new: str = NEW) -> tuple[str, str]:
    """Both texts back from the parts (short texts: nothing is left out)."""
    parts = diff.parts(old, new)
    assert all(not p.skipped for p in parts)
    return (
        "".join(p.text for p in parts if p.op != "insert"),
        "".join(p.text for p in parts if p.op != "delete"),
    )


def changes(diff, old: str = OLD, new: str = NEW) -> list[tuple[str, str]]:
    return [(p.op, p.text) for p in diff.parts(old, new) if p.op != "equal"]


def test_within_the_budget_changes_read_word_by_word():
    diff = compare(OLD, NEW)
    assert diff.unit == "words" and not diff.coarse
    assert changes(diff) == [("delete", "40"), ("insert", "42"), ("delete", "demande"),
                             ("insert", "exige")]  # fmt: skip
    assert texts(diff) == (OLD, NEW)


def test_no_characters_to_compare_word_by_word_shows_changed_lines():
    diff = compare(OLD, NEW, Budget(refine=0))
    assert diff.unit == "lines" and diff.coarse
    assert ("delete", "Le maire a déclaré que la dette atteint 40 milliards d'euros.\n") in (
        changes(diff)
    )
    assert texts(diff) == (OLD, NEW)


def test_too_many_changes_for_words_shows_changed_lines():
    old = " ".join(f"mot{i}" for i in range(40))
    new = " ".join(f"mot{i}" if i % 2 else f"MOT{i}" for i in range(40))
    diff = compare(old + "\nfin", new + "\nfin", Budget(segments=10))
    assert diff.unit == "lines"
    assert changes(diff, old + "\nfin", new + "\nfin") == [
        ("delete", old + "\n"),
        ("insert", new + "\n"),
    ]


def test_more_distinct_lines_than_code_points_falls_back_to_paragraphs():
    diff = compare(OLD, NEW, Budget(distinct=4))  # 7 distinct lines, 4 paragraphs
    assert diff.unit == "paragraphs"
    assert texts(diff) == (OLD, NEW)


def test_when_nothing_fits_the_changed_passage_is_shown_whole():
    diff = compare(OLD, NEW, Budget(distinct=1))
    assert diff.unit == "passage"
    assert changes(diff) == [
        ("delete", OLD[OLD.index("40") : OLD.index(" une enquête")]),
        ("insert", NEW[NEW.index("42") : NEW.index(" une enquête")]),
    ]
    assert texts(diff) == (OLD, NEW)


def test_an_expired_deadline_still_gives_an_exact_diff():
    diff = compare(OLD, NEW, Budget(seconds=0))
    assert diff.coarse
    assert texts(diff) == (OLD, NEW)


def test_the_encoding_never_runs_out_of_code_points():
    # one code point per distinct line or word: chr() stops at U+10FFFF
    assert BUDGET.distinct <= 0x10FFFF
    many = "\n".join(f"ligne {i}" for i in range(50))
    changed = many.replace("ligne 0", "ligne zéro").replace("ligne 49", "ligne quarante-neuf")
    diff = compare(many, changed, Budget(distinct=20))  # 52 lines, 2 paragraphs, 56 words
    assert diff.unit == "paragraphs"
    assert texts(diff, many, changed) == (many, changed)


def test_a_repetitive_text_that_changes_everywhere_is_compared_in_a_moment():
    # "ab" × n against "ba" × n: diff-match-patch's half-match and overlap search are
    # quadratic on it (40,000 characters took 4 s, two million over 15 minutes)
    old, new = "ab" * 20_000, "ba" * 20_000
    started = time.perf_counter()
    diff = compare(old, new)
    elapsed = time.perf_counter() - started
    assert elapsed < 0.5, f"{elapsed:.2f} s"
    assert diff.stats() == {"inserted": 40_000, "deleted": 40_000}


@pytest.mark.parametrize("unit", ["words", "lines", "paragraphs", "passage"])
def test_a_stored_diff_reads_back_the_same(unit):
    budgets = {
        "words": Budget(),
        "lines": Budget(refine=0),
        "paragraphs": Budget(distinct=4),
        "passage": Budget(distinct=1),
    }
    diff = compare(OLD, NEW, budgets[unit])
    again = type(diff).from_json(diff.to_json(), OLD, NEW)
    assert again == diff and again.unit == unit
    assert type(diff).from_json(diff.to_json(), OLD, NEW + ".") is None  # not these texts
