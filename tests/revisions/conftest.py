"""Fixtures of the revision tests: an article in three paragraphs and the people around it."""

from __future__ import annotations

import pytest

from factcheck.models import Role

TEXT = (
    "Le maire a déclaré que la dette atteint 40 milliards d'euros, selon la presse.\n\n"
    "La ministre a assuré que 300 postes seront créés en 2027, lors d'un entretien.\n\n"
    "L'opposition conteste ces chiffres et demande une enquête parlementaire."
)
DEBT = "la dette atteint 40 milliards d'euros"
JOBS = "300 postes seront créés en 2027"
INQUIRY = "demande une enquête parlementaire"


@pytest.fixture
def admin(make):
    return make.user("boss", roles=[Role.ADMIN])


@pytest.fixture
def author(make):
    return make.user("camille", roles=[Role.ANNOTATOR])


@pytest.fixture
def reviewer(make):
    return make.user("rita", roles=[Role.REVIEWER])


@pytest.fixture
def article(make):
    return make.article(text=TEXT, title="La dette et les postes")


@pytest.fixture
def claim(make, article, author):
    """``claim(QUOTE, status=…)``: an annotation by the author on that quote."""

    def _claim(quote, **kw):
        start = article.text.index(quote)
        return make.annotation(
            article=article, author=author, start=start, end=start + len(quote), **kw
        )

    return _claim
