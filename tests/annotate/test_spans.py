"""Span checks and "find the quote", without HTTP."""

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from factcheck.services.errors import Invalid
from factcheck.services.spans import find_quote, is_boundary, validate_span

from .conftest import TRICKY_TEXT


def test_prefix_and_suffix_are_32_code_points():
    text = "a" * 40 + "QUOTE" + "b" * 40
    span = validate_span(text, 40, 45, "QUOTE")
    assert span.prefix == "a" * 32 and span.suffix == "b" * 32


def test_boundaries_in_a_huge_text_use_a_small_window():
    text = ("x" * 999 + " ") * 2000 + "👍🏽 fin"  # two million code points
    at = text.index("👍🏽")
    assert is_boundary(text, at) and not is_boundary(text, at + 1)
    assert is_boundary(text, at + 2)


@given(
    st.text(
        alphabet=st.sampled_from(["a", " ", "👍", "🏽", "\u0301", "🇫", "🇷", "\u200d", "\n"]),
        max_size=60,
    )
)
def test_window_boundaries_agree_with_whole_text_segmentation(text):
    whole = {m.end() for m in regex.finditer(r"\X", text)} | {0}
    for offset in range(len(text) + 1):
        assert is_boundary(text, offset) == (offset in whole or offset == len(text))


def test_mismatch_names_quote():
    with pytest.raises(Invalid) as info:
        validate_span("Hello world", 0, 5, "Hallo")
    assert info.value.field == "quote"


def test_find_quote_ignores_case_accents_and_typographic_quotes():
    matches = find_quote(TRICKY_TEXT, 'absolument pas mele de notre ELECTION "')
    assert len(matches) == 1
    m = matches[0]
    assert TRICKY_TEXT[m.start : m.end] == m.quote == "absolument pas mêlé de notre élection »"


def test_find_quote_never_cuts_a_combining_mark():
    # the query ends on "n"; the match takes the diaeresis that belongs to it
    [m] = find_quote(TRICKY_TEXT, "SPın")
    assert m.quote == "Spın\u0308"


def test_find_quote_keeps_offsets_after_emoji_and_across_paragraphs():
    [m] = find_quote(TRICKY_TEXT, "baissé. » spın̈al")
    assert TRICKY_TEXT[m.start : m.end] == m.quote
    assert "\n\n" in m.quote


def test_find_quote_limit_and_short_queries():
    text = "la la la la la"
    assert len(find_quote(text, "la", limit=3)) == 3
    assert find_quote(text, "l") == []
