"""Claims search fixtures: ``desk``, a default project (the health desk) and a research
project, claims by several authors in every status, a claimant with an alias, and past
fact-checks, indexed for the lexical route (the model stays off unless a test asks)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from factcheck.extensions import db
from factcheck.models import FactCheck, Role, Status
from factcheck.services import claimants, projects
from factcheck.services.matching import embedder_for, indexer, vectors


@pytest.fixture
def index(app):
    """``index()`` brings the search index up to date (the background thread's job)."""
    vectors.forget_indexes()

    def _index() -> int:
        with app.app_context():
            done = indexer.index_now(db.session, embedder_for(app.config, role="indexer"))
            db.session.commit()
            return done

    yield _index
    vectors.forget_indexes()


@pytest.fixture
def desk(make, index):
    research = projects.create_project(
        db.session, name="Research", slug="research", template="fever"
    )
    db.session.commit()
    anna = make.user("anna", roles=[Role.ANNOTATOR])
    bob = make.user("bob", roles=[Role.ANNOTATOR])
    rita = make.user("rita", roles=[Role.REVIEWER])
    remi = make.user("remi", roles=[])
    projects.set_member_roles(db.session, research, remi, [Role.ANNOTATOR, Role.REVIEWER])
    db.session.commit()
    # through the service, as the app makes them (their words indexed for suggestions)
    mayor = claimants.create(db.session, {"name": "Sophie Martin", "aliases": ["Le Maire"]})
    other = claimants.create(db.session, {"name": "Jean Dupont"})
    db.session.commit()
    article = make.article(language="fr")
    english = make.article(language="en")

    def claim(author, text, status, verdict, **kw):
        return make.annotation(
            article=kw.pop("article", article),
            author=author,
            status=status,
            claim=text,
            verdict=verdict,
            **kw,
        )

    c = SimpleNamespace(research=research, anna=anna, bob=bob, rita=rita, remi=remi)
    c.mayor, c.other = mayor, other
    c.debt = claim(
        anna,
        "Le Maire a doublé la dette de la ville",
        Status.APPROVED,
        "false",
        claimant="Le Maire",
        claimant_id=mayor.id,
        claim_date=date(2024, 3, 10),
    )
    c.housing = claim(
        bob,
        "La maire sortante promet 500 logements",
        Status.SUBMITTED,
        "misleading",
        claimant="Sophie Martin",
        claimant_id=mayor.id,
        claim_date=date(2024, 6, 1),
    )
    c.draft = claim(
        bob,
        "Le maire cache un rapport sur la dette",
        Status.DRAFT,
        "false",
        claimant="Jean Dupont",
        claimant_id=other.id,
        claim_date=date(2024, 5, 1),
    )
    c.taxes = claim(
        anna,
        "Les impôts locaux ont baissé",
        Status.APPROVED,
        "true",
        claimant="Jean Dupont",
        claimant_id=other.id,
        claim_date=date(2023, 1, 5),
        article=english,
    )
    c.rejected = claim(
        anna,
        "Maire et adjoints: salaires doublés",
        Status.REJECTED,
        "mixed",
        claimant="Jean Dupont",
        claimant_id=other.id,
    )
    research_article = make.article(text="Research text for the dataset.", project_id=research.id)
    c.secret = make.annotation(
        article=research_article,
        author=remi,
        status=Status.APPROVED,
        claim="Le maire de Lyon a fermé trois écoles",
        verdict="refuted",
        claimant="Le Maire",
        claimant_id=mayor.id,
    )
    c.factcheck = FactCheck(
        url="https://checks.example.org/maire-dette",
        claim="Le maire a menti sur la dette municipale",
        claimant="Le Maire",
        rating="Faux",
        verdict="false",
        publisher="Checks",
        language="fr",
        published_at=datetime(2023, 5, 1, 9, 0, tzinfo=UTC),
    )
    c.formula = FactCheck(
        url="https://checks.example.org/formula",
        claim='=HYPERLINK("http://evil.example") les élus mentent',
        claimant="@someone",
        rating="Trompeur",
        verdict="misleading",
        publisher="Checks",
        language="en",
        published_at=datetime(2022, 2, 1, tzinfo=UTC),
    )
    db.session.add_all([c.factcheck, c.formula])
    db.session.commit()
    index()
    return c
