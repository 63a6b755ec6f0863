"""Issue 23, item 25: French wording agrees with what it speaks of (un projet actuel, une
affectation créée), counts use plural forms, the apostrophe is typographic (’) throughout,
and a confirmed match reads in French in a claim's history."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

from factcheck.extensions import db
from factcheck.models import Role, Status
from factcheck.services import assignments
from factcheck.services.matching.links import readable_comment

PO = Path(__file__).resolve().parents[2] / "factcheck/translations/fr/LC_MESSAGES/messages.po"
FRENCH = {"Accept-Language": "fr"}


def test_every_french_string_uses_the_typographic_apostrophe():
    with open(PO, "rb") as fh:
        catalogue = read_po(fh, locale="fr")
    straight = []
    for message in catalogue:
        strings = [message.string] if isinstance(message.string, str) else message.string
        straight += [s for s in strings if s and re.search(r"\w'\w", s)]
    assert straight == []


def test_the_current_project_is_actuel_and_counts_agree_in_number(client, make, login):
    me = make.user("mona", roles=[Role.ANNOTATOR, Role.REVIEWER, Role.ADMIN], locale="fr")
    make.annotation(author=make.user(), status=Status.SUBMITTED)
    login(me)
    html = client.get("/", headers=FRENCH).get_data(as_text=True)
    assert "<strong>actuel</strong>" in html and "actuelle" not in html
    # one claim waits: singular, and the chart's legend speaks of claims (plural)
    assert "affirmation en attente de relecture" in html
    assert "1 affirmation au total" in html
    legend = html[html.index('class="swatch swatch-created"') :][:400]
    assert "créées" in legend and "approuvées" in legend and "rejetées" in legend


def test_an_assignment_was_creee(client, make, login):
    admin = make.user("ada", roles=[Role.ADMIN], locale="fr")
    annotator = make.user("anna", roles=[Role.ANNOTATOR])
    article = make.article()
    assignments.create(
        db.session,
        admin,
        {"name": "Bus", "article_ids": [article.id], "annotators": ["anna"], "per_article": 1},
    )
    db.session.commit()
    assert annotator.id
    login(admin)
    html = client.get("/assignments/", headers=FRENCH).get_data(as_text=True)
    assert "<th>Créée</th>" in html


def test_a_confirmed_match_reads_in_french(app):
    with app.test_request_context(headers=FRENCH):
        assert readable_comment("same claim as annotation:3") == "Même affirmation que annotation:3"
        assert readable_comment("not the same claim as https://x.org/a").startswith(
            "Pas la même affirmation que"
        )
        assert readable_comment("Source?") == "Source?"


def test_same_verdict_once_is_singular(client, login_as, cast, submitted, blind):
    from factcheck.services import second_verdict

    (claim,) = submitted(1, verdict="false")
    second_verdict.commit(db.session, claim, cast.reviewer, "false")
    db.session.commit()
    login_as(cast.admin)
    html = client.get("/").get_data(as_text=True)
    assert "Same verdict 1 time." in html and "1 times" not in html
