"""Re-anchoring, one outcome at a time (pure functions: no app, no database)."""

from __future__ import annotations

from factcheck.services.anchoring import PositionMap, Stored, reanchor
from factcheck.services.spans import CONTEXT

OLD = (
    "Le maire a déclaré que la dette atteint 40 milliards d'euros, selon la presse.\n\n"
    "La ministre a assuré que 300 postes seront créés en 2027, lors d'un entretien.\n\n"
    "L'opposition conteste ces chiffres et demande une enquête parlementaire."
)


def stored(text: str, quote: str, nth: int = 0) -> Stored:
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    end = start + len(quote)
    return Stored(
        start, end, quote, text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]
    )


def one(old: str, new: str, item: Stored):
    (result,) = reanchor(old, new, [item])
    return result


def test_positions_map_through_an_insertion_and_a_deletion():
    positions = PositionMap("abcdef", "XXabdef")
    assert positions.start(0) == 2
    assert positions.start(2) == 4  # "c" was deleted: it maps to where it was
    assert positions.start(3) == 4
    assert positions.end(6) == 7


def test_unchanged_quote_after_an_insertion_above_is_ok_with_new_offsets():
    item = stored(OLD, "300 postes seront créés en 2027")
    new = "Mise à jour du 3 mars. " + OLD
    result = one(OLD, new, item)
    assert result.anchor == "ok"
    assert new[result.start : result.end] == item.quote
    assert result.start == item.start + len("Mise à jour du 3 mars. ")
    assert result.prefix == new[result.start - CONTEXT : result.start]


def test_emoji_and_combining_accent_before_the_span_shift_by_code_points():
    item = stored(OLD, "300 postes seront créés en 2027")
    new = "👍🏽 🇫🇷 Noël " + OLD  # NFC: the accent is one code point
    result = one(OLD, new, item)
    assert result.anchor == "ok"
    assert result.start == item.start + len("👍🏽 🇫🇷 Noël ")


def test_a_typo_fixed_inside_the_quote_is_relocated_with_the_new_text():
    old = OLD.replace("créés", "crées")
    item = stored(old, "300 postes seront crées en 2027")
    result = one(old, OLD, item)
    assert result.anchor == "relocated"
    assert result.reason == "quote_changed"
    assert OLD[result.start : result.end] == "300 postes seront créés en 2027"


def test_a_deleted_passage_is_orphaned_and_keeps_its_old_span():
    item = stored(OLD, "300 postes seront créés en 2027")
    new = OLD.replace(
        "La ministre a assuré que 300 postes seront créés en 2027, lors d'un entretien.\n\n", ""
    )
    result = one(OLD, new, item)
    assert result.anchor == "orphaned"
    assert (result.start, result.end, result.quote) == (item.start, item.end, item.quote)


def test_a_reordered_paragraph_keeps_its_claim_ok():
    first, second, third = OLD.split("\n\n")
    new = "\n\n".join([second, third, first])
    item = stored(OLD, "la dette atteint 40 milliards d'euros")
    result = one(OLD, new, item)
    assert result.anchor == "ok"
    assert new[result.start : result.end] == item.quote


def test_a_duplicated_passage_competes_so_the_claim_is_relocated():
    first, second, third = OLD.split("\n\n")
    new = "\n\n".join([first, second, third, second])
    item = stored(OLD, "300 postes seront créés en 2027")
    result = one(OLD, new, item)
    assert result.anchor == "relocated"
    assert result.reason == "ambiguous"


def test_a_quote_repeated_in_both_texts_follows_its_own_copy():
    old = OLD + "\n\nEn bref : 300 postes seront créés en 2027, a-t-elle répété."
    item = stored(old, "300 postes seront créés en 2027", nth=1)
    new = "Mise à jour. " + old
    result = one(old, new, item)
    assert result.anchor == "ok"
    assert result.start == item.start + len("Mise à jour. ")


def test_the_other_copy_of_a_repeated_quote_is_never_taken_for_ours():
    old = OLD + "\n\nEn bref : 300 postes seront créés en 2027, a-t-elle répété."
    item = stored(old, "300 postes seront créés en 2027", nth=1)
    new = old.replace("\n\nEn bref : 300 postes seront créés en 2027, a-t-elle répété.", "")
    result = one(old, new, item)
    assert result.anchor != "ok"


def test_straight_quotes_turned_into_guillemets_inside_the_span_are_flagged():
    old = OLD.replace("300 postes", '"300 postes').replace("en 2027,", 'en 2027",')
    item = stored(old, '"300 postes seront créés en 2027"')
    new = old.replace('"300', "« 300").replace('2027"', "2027 »")
    result = one(old, new, item)
    assert result.anchor == "relocated"
    assert new[result.start : result.end] == "« 300 postes seront créés en 2027 »"


def test_curly_quotes_around_the_span_leave_it_ok():
    old = OLD.replace("300 postes", '"300 postes').replace("en 2027,", 'en 2027",')
    item = stored(old, "300 postes seront créés en 2027")
    new = old.replace('"300', "“300").replace('2027"', "2027”")
    assert one(old, new, item).anchor == "ok"


def test_a_lookalike_in_another_paragraph_never_makes_a_deleted_quote_ok():
    item = stored(OLD, "la dette atteint 40 milliards d'euros")
    new = (
        OLD.replace(
            "Le maire a déclaré que la dette atteint 40 milliards d'euros, selon la presse.",
            "Le maire a parlé.",
        )
        + "\n\nUn élu a déclaré que la dette atteint 41 milliards d'euros, selon la presse."
    )
    assert one(OLD, new, item).anchor != "ok"


def test_a_span_never_ends_inside_a_grapheme():
    old = "Un texte avec un mot e et la suite."
    item = stored(old, "un mot e")
    new = "Un texte avec un mot e\u0301 et la suite."  # not NFC on purpose: a cluster
    result = one(old, new, item)
    assert result.anchor != "ok"
    assert not (result.anchor == "relocated" and result.end == item.end)
