"""Every format and every encoding case; normalization happens once, offsets stay honest."""

from __future__ import annotations

import codecs
import json
import unicodedata

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Article

FRENCH = "Le ministre a dit : « L’école coûte 3 % de moins. » 🎉\n\nDeuxième paragraphe."


def stored() -> list[Article]:
    return list(db.session.scalars(select(Article).order_by(Article.id)))


def test_plain_text_first_line_is_the_title(import_bytes):
    report = import_bytes(f"Mon titre\n\n{FRENCH}\n".encode(), "a.txt")
    assert report.imported == 1 and not report.errors
    (article,) = stored()
    assert article.title == "Mon titre"
    assert article.text == FRENCH + "\n"


def test_given_title_keeps_the_whole_text(app_ctx):
    from factcheck.services.importing import import_files

    report = import_files(db.session, [("a.txt", FRENCH.encode())], None, title="Donné")
    assert report.articles[0].title == "Donné"
    assert report.articles[0].text == FRENCH


def test_markdown_is_kept_as_text_with_its_markup(import_bytes):
    source = "# Le titre\n\nUn **gras** et un [lien](https://exemple.org).\n\n- point\n"
    import_bytes(source.encode(), "a.md")
    (article,) = stored()
    assert article.title == "Le titre"
    assert article.text == "Un **gras** et un [lien](https://exemple.org).\n\n- point\n"


@pytest.mark.parametrize(
    ("data", "label"),
    [
        (FRENCH.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + FRENCH.encode("utf-8"), "utf-8 with BOM"),
        (codecs.BOM_UTF16_LE + FRENCH.encode("utf-16-le"), "utf-16 le"),
        (codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be"), "utf-16 be"),
    ],
)
def test_each_encoding_gives_the_same_text(import_bytes, data, label):
    report = import_bytes(data, "x.txt", title="T")
    assert report.imported == 1, label
    (article,) = stored()
    assert article.text == FRENCH
    assert not article.text.startswith("\ufeff")


def test_invalid_utf8_is_refused_with_its_byte_offset_and_line(import_bytes):
    data = b"Titre\nligne deux\nici: " + b"\xe9t\xe9\n"
    report = import_bytes(data, "latin1.txt")
    assert report.imported == 0
    (problem,) = report.errors
    assert problem.line == 3
    assert problem.source == "latin1.txt"
    offset = data.index(b"\xe9")
    assert f"byte {offset} " in problem.message
    assert "line 3" in problem.message
    assert stored() == []


def test_broken_utf16_names_the_position(import_bytes):
    data = codecs.BOM_UTF16_LE + "ab\ncd".encode("utf-16-le") + b"\x00\xd8"  # lone surrogate
    report = import_bytes(data, "x.txt")
    (problem,) = report.errors
    assert "UTF-16-LE" in problem.message and "line 2" in problem.message


def test_crlf_and_nfd_are_normalized_once_and_offsets_match(import_bytes):
    nfd = unicodedata.normalize("NFD", "Élysée : « déficit à 5 % »")
    source = f"Titre\r\n\r\n{nfd}\r\nfin\rlast"
    import_bytes(source.encode(), "x.txt")
    (article,) = stored()
    assert article.text == "Élysée : « déficit à 5 % »\nfin\nlast"
    assert "\r" not in article.text
    assert unicodedata.is_normalized("NFC", article.text)
    # an offset computed on the stored text finds the words it points at
    start = article.text.index("déficit")
    assert article.text[start : start + len("déficit")] == "déficit"
    assert start == 11  # NFD input would have put it at 13


def test_whitespace_and_quotes_are_not_rewritten(import_bytes):
    text = '  deux  espaces\t« guillemets » "droits" ‘courbes’  \n\n\n  fin  '
    import_bytes(text.encode(), "x.txt", title="T")
    assert stored()[0].text == text


HTML = """<!doctype html>
<html><head><title>Le titre HTML</title>
<style>body { color: red }</style>
<script>alert("head")</script></head>
<body>
<!-- a comment that must vanish -->
<h1>Grand titre</h1>
<p>Premier   paragraphe
avec <a href="javascript:alert(1)">un lien piégé</a> et <b>du gras</b>.</p>
<svg onload="alert(2)"><text>texte svg</text><script>alert(3)</script></svg>
<div>Deuxième<br>ligne &amp; entité &eacute;</div>
<script>document.write("<p>injected</p>")</script>
<img src=x onerror="alert(4)">
<ul><li>un</li><li>deux</li></ul>
</body></html>"""


def test_html_is_reduced_to_inert_readable_text(import_bytes):
    report = import_bytes(HTML.encode(), "page.html")
    assert report.imported == 1
    (article,) = stored()
    assert article.title == "Le titre HTML"
    assert article.text == (
        "Grand titre\n\n"
        "Premier paragraphe avec un lien piégé et du gras.\n\n"
        "Deuxième\nligne & entité é\n\n"
        "un\n\ndeux"
    )
    for leftover in ("alert", "<", "javascript", "color: red", "comment", "svg", "injected"):
        assert leftover not in article.text


def test_html_without_title_uses_the_first_heading(import_bytes):
    import_bytes(b"<h2>Sous-titre</h2><p>Texte.</p>", "x.html")
    assert stored()[0].title == "Sous-titre"


def jsonl(*records) -> bytes:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records).encode()


def test_jsonl_with_every_field(import_bytes):
    record = {
        "title": "Un",
        "text": "Texte\r\nsuite",
        "url": "https://exemple.org/a",
        "published_at": "2024-03-01T10:30:00+02:00",
        "language": "FR",
        "external_id": "ext-1",
    }
    report = import_bytes(jsonl(record), "a.jsonl")
    assert report.imported == 1
    (article,) = stored()
    assert article.text == "Texte\nsuite"
    assert article.url == "https://exemple.org/a"
    assert article.published_at.isoformat() == "2024-03-01T08:30:00+00:00"
    assert article.language == "fr"
    assert article.external_id == "ext-1"
    assert len(article.text_sha256) == 64


def test_jsonl_reports_bad_lines_and_imports_the_rest(import_bytes):
    report = import_bytes(
        jsonl(
            {"title": "Bon", "text": "ok"},
            "{not json",
            "[1, 2]",
            "",
            {"title": "Inconnu", "text": "x", "author": "moi"},
            {"title": "Bon aussi", "text": "ok"},
        ),
        "b.jsonl",
    )
    assert report.imported == 2
    lines = {p.line: p.message for p in report.errors}
    assert set(lines) == {2, 3, 5}
    assert "JSON" in lines[2]
    assert "author" in lines[5]
    assert [a.title for a in stored()] == ["Bon", "Bon aussi"]


def test_csv_with_quoted_multiline_text(import_bytes):
    data = (
        b"title,text,language,external_id\r\n"
        b'Un,"Premier ""paragraphe""\r\n\r\nsecond",fr,c1\r\n'
        b"Deux,,fr,c2\r\n"
        b"Trois,texte,xx1,c3\r\n"
        b"Quatre,texte,en,c4\r\n"
    )
    report = import_bytes(data, "a.csv")
    assert report.imported == 2
    assert stored()[0].text == 'Premier "paragraphe"\n\nsecond'
    assert {p.line: p.message for p in report.errors}.keys() == {5, 6}  # the first record spans 2-4
    assert "empty" in report.errors[0].message


def test_csv_with_an_unknown_column_is_refused(import_bytes):
    report = import_bytes(b"title,text,author\nA,b,c\n", "a.csv")
    assert report.imported == 0
    assert "author" in report.errors[0].message and report.errors[0].line == 1


def test_auto_format_guesses_from_content(import_bytes):
    import_bytes(jsonl({"title": "J", "text": "t"}), "noext")
    import_bytes(b"title,text\nC,t\n", "noext2")
    import_bytes(b"<p>Html</p>", "noext3")
    assert [a.title for a in stored()] == ["J", "C", "Html"]


def test_explicit_format_wins_over_the_extension(import_bytes):
    import_bytes(b"<p>Brut</p>\n<b>x</b>", "a.html", fmt="txt")
    assert stored()[0].title == "<p>Brut</p>"
