"""The readable text of a capture: HTML body, PDF text, plain text; charsets that lie;
normalized like an article's text; a reason when there is no text."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

from factcheck.services.evidence.extract import decode, readable

from .conftest import HTML
from .pdfs import blank_pdf, text_pdf


def test_html_gives_the_body_without_menus_nor_footer_and_its_metadata():
    page = readable("text/html", HTML.encode("utf-8"), "utf-8")
    assert page.text.startswith("Le chômage baisse")
    assert "Le taux de chômage est passé de 7,4 % à 7,3 %" in page.text
    assert "Accueil" not in page.text and "Mentions légales" not in page.text
    assert page.title == "Le chômage baisse"
    assert page.author == "Marie Dupont" and page.publisher == "Le Journal"
    assert page.published_at == datetime(2024, 3, 5, tzinfo=UTC)
    assert not page.error and not page.note


def test_a_tiny_page_keeps_its_few_words():
    page = readable("text/html", b"<html><title>T</title><body><p>Trois mots ici.</p></body>")
    assert page.text == "Trois mots ici." and page.title == "T"


def test_the_meta_charset_is_read_when_the_server_says_nothing():
    body = '<html><head><meta charset="windows-1252"></head><body><p>Déjà l’été</p></body>'
    page = readable("text/html", body.encode("cp1252"))
    assert "Déjà l’été" in page.text and not page.note


def test_latin1_declared_is_read_as_windows_1252_like_browsers():
    text, note = decode("l’été".encode("cp1252"), "iso-8859-1")
    assert (text, note) == ("l’été", "")


def test_a_declared_charset_that_lies_is_worked_around_or_noted():
    # says Cyrillic or ASCII, is UTF-8: read as UTF-8 (no mojibake), and noted
    for declared in ("windows-1251", "us-ascii"):
        text, note = decode("Éléonore".encode(), declared)
        assert text == "Éléonore" and f"declared {declared}" in note
    # says UTF-8, holds Latin-1 bytes: replaced, and the text says so
    text, note = decode("café".encode("latin-1"), "utf-8")
    assert text == "caf\ufffd" and "declared utf-8" in note


def test_invalid_utf8_plain_text_is_replaced_and_noted():
    page = readable("text/plain", b"ok \xff\xfe end")
    assert page.text == "ok \ufffd\ufffd end"
    assert "could not be read" in page.note


def test_text_is_normalized_like_an_article():
    body = "\ufeffA\r\nB\rC e\u0301".encode()
    page = readable("text/plain", body, "utf-8")
    assert page.text == "A\nB\nC é"
    assert unicodedata.is_normalized("NFC", page.text)


def test_a_nul_character_becomes_a_replacement_noted():
    page = readable("text/plain", b"a\x00b")
    assert page.text == "a\ufffdb" and "NUL" in page.note


def test_pdf_text_is_read():
    page = readable("application/pdf", text_pdf(["Rapport annuel", "Le taux est de 7,3 %."]))
    assert "Rapport annuel" in page.text and "Le taux est de 7,3 %." in page.text
    assert not page.error


def test_a_pdf_without_text_layer_says_so():
    page = readable("application/pdf", blank_pdf())
    assert page.text == "" and "no text layer" in page.error


def test_a_damaged_pdf_says_so():
    page = readable("application/pdf", b"%PDF-1.4 not really")
    assert page.text == "" and page.error


def test_an_empty_page_has_a_reason():
    for body in (b"", b"<html><head><title>Vide</title></head><body> </body></html>"):
        page = readable("text/html", body)
        assert page.text == "" and page.error == "No readable text was found in this document."


def test_an_image_has_no_text_and_no_error():
    page = readable("image/png", b"\x89PNG\r\n\x1a\n")
    assert page.text == "" and not page.error and "image has no text" in page.note
