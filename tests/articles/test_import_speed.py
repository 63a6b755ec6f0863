"""What keeps ``factcheck import`` fast stays correct (bench/bench_import.py measures the
speed): the search text folded by the import's fast route is the shared fold's, character
for character, and the batched INSERT gives the articles back in the file's order."""

from __future__ import annotations

from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Article
from factcheck.services.fold import article_search_text
from factcheck.services.importing import CHUNK, import_records, search_text


def test_the_fast_fold_is_the_shared_fold_for_every_code_point():
    for base in range(0, 0x110000, 1024):
        chars = [chr(c) for c in range(base, base + 1024) if not 0xD800 <= c < 0xE000]
        text = "Ab".join(chars)
        assert search_text("Titre É", text) == article_search_text("Titre É", text), hex(base)


def test_the_fast_fold_on_french_with_emoji_greek_and_ligatures():
    samples = [
        "L’Œuvre « mêlée » à l’été, CO₂ 🇫🇷 👍🏽",
        "ΣΊΣΥΦΟΣ et l’État",  # Greek folds to non-ASCII: the table's route
        "Straße, ǅ, ﬁn, Ⅻ, ℃",
        "é\u0301 combining, tab\there, NBSP\u00a0and\u202fthin",
        "",
        "ASCII ONLY Text",
    ]
    for text in samples:
        assert search_text("Un Titre", text) == article_search_text("Un Titre", text)
    assert search_text(None, None) == article_search_text(None, None)


def test_a_batch_comes_back_in_the_files_order_with_ids_in_order(app_ctx):
    # more than one INSERT's worth, with look-alike rows (no external_id, same text)
    records = [
        {"title": f"Article {n % 7}", "text": "Le même texte." if n % 3 else f"Texte {n}."}
        | ({"external_id": f"e-{n}"} if n % 5 == 0 else {})
        for n in range(CHUNK + 37)
    ]
    report = import_records(db.session, records, None)
    db.session.commit()
    assert report.imported == len(records)
    assert [a.title for a in report.articles] == [r["title"] for r in records]
    assert [a.text for a in report.articles] == [r["text"] for r in records]
    assert [a.external_id for a in report.articles] == [r.get("external_id") for r in records]
    assert report.ids == sorted(report.ids)
    stored = db.session.execute(select(Article.id, Article.search_text).order_by(Article.id))
    assert [i for i, _ in stored] == report.ids
    article = db.session.get(Article, report.ids[1])
    assert article.search_text == article_search_text(article.title, article.text)
