"""An imported file's language is read from its text when nobody gave it (an English
file in a French desk stays English); too little text falls back to the project's."""

from __future__ import annotations

from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Article
from factcheck.services import projects
from factcheck.services.importing import import_records
from factcheck.text.language import detect_language

ENGLISH = (
    "The council voted on Tuesday to close the old library, although the mayor had "
    "promised during the campaign that every branch would stay open until 2030."
)
FRENCH = (
    "Le conseil municipal a voté mardi la fermeture de l'ancienne bibliothèque, alors que "
    "le maire avait promis pendant la campagne que chaque annexe resterait ouverte."
)


def _languages() -> dict[str, str | None]:
    return {a.title: a.language for a in db.session.scalars(select(Article))}


def test_each_file_gets_the_language_its_text_is_written_in(app_ctx):
    project = projects.default_project(db.session)
    project.default_language = "fr"
    records = [
        {"title": "english", "text": ENGLISH},
        {"title": "french", "text": FRENCH},
        {"title": "short", "text": "OK."},
        {"title": "given", "text": ENGLISH, "language": "de"},
    ]
    import_records(db.session, records, None)
    db.session.commit()
    assert _languages() == {"english": "en", "french": "fr", "short": "fr", "given": "de"}


def test_a_language_given_for_the_import_wins(app_ctx):
    import_records(db.session, [{"title": "english", "text": ENGLISH}], None, language="fr")
    db.session.commit()
    assert _languages() == {"english": "fr"}


def test_too_little_text_tells_nothing():
    assert detect_language("12 345 !") is None
    assert detect_language(ENGLISH) == "en"
