"""The sentence splitter: French and English, code-point spans of the article text."""

from __future__ import annotations

import pytest
import regex

from factcheck.text.sentences import MAX_CHARS, sentences, spans


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "M. Dupont est arrivé. Mme Durand aussi. MM. Blanc et Noir ont suivi.",
            ["M. Dupont est arrivé.", "Mme Durand aussi.", "MM. Blanc et Noir ont suivi."],
        ),
        (
            "Le Dr Martin a parlé. Des fruits, p. ex. des pommes, sont bons. Voilà.",
            ["Le Dr Martin a parlé.", "Des fruits, p. ex. des pommes, sont bons.", "Voilà."],
        ),
        (
            "The U.S. economy grew. He said so, e.g. in May, i.e. early. Mr. Smith agreed.",
            ["The U.S. economy grew.", "He said so, e.g. in May, i.e. early.", "Mr. Smith agreed."],
        ),
        (
            "See No. 5 on St. James street. It is open.",
            ["See No. 5 on St. James street.", "It is open."],
        ),
        (
            "J. K. Rowling a écrit sept tomes. Ils se sont vendus.",
            ["J. K. Rowling a écrit sept tomes.", "Ils se sont vendus."],
        ),
        (
            "Des pommes, des poires, etc. Le reste suit. Des chats, etc. et des chiens.",
            ["Des pommes, des poires, etc.", "Le reste suit.", "Des chats, etc. et des chiens."],
        ),
    ],
)
def test_abbreviations_and_initials_do_not_end_a_sentence(text, expected):
    assert sentences(text) == expected


def test_decimals_and_grouped_numbers_hold_together():
    text = "Le PIB a progressé de 1,5 % en 2023. Pi vaut 3.14 environ. Un total de 1.000 euros."
    assert sentences(text) == [
        "Le PIB a progressé de 1,5 % en 2023.",
        "Pi vaut 3.14 environ.",
        "Un total de 1.000 euros.",
    ]


def test_a_sentence_ending_inside_quotes_ends_after_the_closing_mark():
    text = 'He said: "We will win." Then he left. « Nous gagnerons. » Il est parti.'
    assert sentences(text) == [
        'He said: "We will win."',
        "Then he left.",
        "« Nous gagnerons. »",
        "Il est parti.",
    ]


def test_a_question_inside_guillemets_followed_by_the_speaker_is_one_sentence():
    text = "« Pourquoi ? » demanda-t-il. Personne ne répondit."
    assert sentences(text) == ["« Pourquoi ? » demanda-t-il.", "Personne ne répondit."]


def test_ellipses_question_and_exclamation_marks():
    text = "Était-ce vrai ? Oui ! Sans doute… Mais enfin... Rien."
    assert sentences(text) == ["Était-ce vrai ?", "Oui !", "Sans doute…", "Mais enfin...", "Rien."]


def test_a_line_break_always_ends_a_sentence():
    text = "Un titre sans point\nUn paragraphe. Deux phrases.\n\nLa suite"
    assert sentences(text) == ["Un titre sans point", "Un paragraphe.", "Deux phrases.", "La suite"]


def test_spans_are_code_point_offsets_trimmed_of_spaces():
    text = "  Bravo 🎉! Super 👍🏽.  Encore 👨‍👩‍👧 ici.  "
    found = spans(text)
    assert [text[s:e] for s, e in found] == ["Bravo 🎉!", "Super 👍🏽.", "Encore 👨‍👩‍👧 ici."]
    for start, end in found:
        assert not text[start].isspace() and not text[end - 1].isspace()


def test_emoji_are_never_split_even_in_windows():
    family = "👨‍👩‍👧"
    text = family * 20_000  # no space, no stop: cut into windows at grapheme boundaries
    found = spans(text)
    assert len(found) > 1
    for start, end in found:
        piece = text[start:end]
        assert end - start <= MAX_CHARS
        assert regex.findall(r"\X", piece) == [family] * (len(piece) // len(family))
    assert "".join(text[s:e] for s, e in found) == text


def test_a_long_paragraph_without_stops_is_cut_into_windows_at_spaces():
    text = " ".join(["mot"] * 12_500)  # 50,000 characters
    found = spans(text)
    assert all(0 < e - s <= MAX_CHARS for s, e in found)
    assert all(text[s:e].startswith("mot") and text[s:e].endswith("mot") for s, e in found)
    assert " ".join(text[s:e] for s, e in found) == text


def test_odd_input():
    assert spans("") == [] and spans(" \n\n ") == []
    assert sentences("12 345 678 9. 10.5 11,3") == ["12 345 678 9.", "10.5 11,3"]
    assert sentences("🎉🎉🎉") == ["🎉🎉🎉"]
    mixed = "Le chômage baisse. Unemployment is falling. 失業率が下がった。"
    assert sentences(mixed)[:2] == ["Le chômage baisse.", "Unemployment is falling."]
