"""The readable diff shown on the Edit text page and the revision pages."""

from __future__ import annotations

from factcheck.services.textdiff import KEEP, segments, stats


def test_a_corrected_figure_reads_word_by_word():
    parts = segments("La dette atteint 40 milliards.", "La dette atteint 42 milliards.")
    assert [(p.op, p.text) for p in parts] == [
        ("equal", "La dette atteint "),
        ("delete", "40"),
        ("insert", "42"),
        ("equal", " milliards."),
    ]
    assert stats(parts) == {"inserted": 2, "deleted": 2}


def test_emoji_with_a_skin_tone_stay_whole():
    parts = segments("Bravo 👍🏽 !", "Bravo 👍🏾 !")
    assert ("delete", "👍🏽") in [(p.op, p.text) for p in parts]
    assert ("insert", "👍🏾") in [(p.op, p.text) for p in parts]


def test_long_unchanged_text_is_shortened_around_an_ellipsis():
    middle = "mot " * 200
    parts = segments("Début. " + middle + "Fin.", "Début modifié. " + middle + "Fin.")
    equal = [p for p in parts if p.op == "equal" and p.skipped]
    assert equal and len(equal[0].text) == KEEP and equal[0].skipped > 0
    shown = "".join(p.text + p.tail for p in parts if p.op != "delete")
    assert len(shown) < len("Début modifié. " + middle + "Fin.")
