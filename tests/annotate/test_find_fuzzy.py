"""Find matches more than the exact words typed (issue 14): each word typed may be the
start of a word of the text or a near miss, in order, with a few words between."""

from __future__ import annotations

import time

from factcheck.services.spans import find_quote, word_matches

TEXT = (
    "Le ministre a parlé.\n\n"
    "Poutine ne s'est « absolument pas mêlé de notre élection », a-t-il dit. "
    "Puis il est parti."
)


def test_words_in_order_with_words_between_are_found():
    [m] = find_quote(TEXT, "poutine mele election")
    assert m.quote == "Poutine ne s'est « absolument pas mêlé de notre élection"
    assert TEXT[m.start : m.end] == m.quote


def test_prefixes_and_typos_match():
    assert [m.quote for m in find_quote(TEXT, "pout absol elect")] == [
        "Poutine ne s'est « absolument pas mêlé de notre élection"
    ]
    assert find_quote(TEXT, "Putine mele electoin")[0].quote.startswith("Poutine")
    assert word_matches("electoin", "election")  # two letters swapped: two edits from 8
    assert word_matches("elect", "election")
    assert not word_matches("pas", "par")  # short words must be exact or a prefix


def test_words_out_of_order_or_too_far_apart_do_not_match():
    assert find_quote(TEXT, "election poutine") == []
    assert find_quote(TEXT, "ministre election") == []  # more than five words between


def test_exact_matches_come_first_and_loose_ones_do_not_repeat_them():
    matches = find_quote(TEXT + " Poutine absolument.", "poutine absolument")
    assert [m.quote for m in matches][:1] == ["Poutine absolument"]
    assert [m.quote for m in matches][1:] == ["Poutine ne s'est « absolument"]


def test_a_long_article_stays_fast():
    text = ("Le chômage a baissé de dix pour cent en un an selon le ministre. " * 30_000)[
        :2_000_000
    ]
    began = time.perf_counter()
    matches = find_quote(text, "chomage baise cent")
    elapsed = time.perf_counter() - began
    assert len(matches) == 20
    assert elapsed < 15, elapsed  # ~4 s on a busy 2-core machine, folding included
