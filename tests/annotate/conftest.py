"""Fixtures of the annotate area: an article with the characters that break offsets."""

import pytest

from factcheck.models import Role

#: emoji (with a skin tone), a flag, a ZWJ family, accents, then the claims
TRICKY_TEXT = (
    "Bravo 👍🏽 à tous 🇫🇷 et 👨‍👩‍👧 ! Le ministre a affirmé : « Le déficit a baissé. »\n\n"
    "Spın̈al Tap joue fort. Poutine ne s'est « absolument pas mêlé de notre élection »."
)


@pytest.fixture
def tricky(make):
    return make.article(text=TRICKY_TEXT, title="Émoji et accents")


@pytest.fixture
def annotator(make):
    return make.user(roles=[Role.ANNOTATOR])


def span_of(text: str, quote: str) -> dict:
    start = text.index(quote)
    return {"start": start, "end": start + len(quote), "quote": quote}
