"""A claim pasted from a web page or a document is saved as one tidy sentence."""

from __future__ import annotations

import pytest

from factcheck.services.annotations import one_line


@pytest.mark.parametrize(
    ("pasted", "saved"),
    [
        ("Le  déficit\n\na baissé\u200b de 3\u00a0%.", "Le déficit a baissé de 3\u00a0%."),
        ("\ta\r\nb ", "a b"),
        ("x\u00a0\u00a0y", "x y"),
        ("In\u00adcroyable\ufeff", "Incroyable"),
        ("« Non », a-t-il dit.", "« Non », a-t-il dit."),
        ("👩\u200d👩\u200d👧 et 🇫🇷", "👩\u200d👩\u200d👧 et 🇫🇷"),  # joiners inside emoji stay
    ],
)
def test_one_line(pasted, saved):
    assert one_line(pasted) == saved


def test_the_api_saves_the_claim_tidied(client, login, make):
    user = make.user()
    article = make.article()
    login(user)
    quote = article.text[0:10]
    answer = client.post(
        f"/api/v1/articles/{article.id}/annotations",
        json={
            "start": 0,
            "end": 10,
            "quote": quote,
            "claim": "Le déficit\n\na baissé\u200b.",
            "claimant": "  Le  ministre ",
        },
    )
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert (body["claim"], body["claimant"]) == ("Le déficit a baissé.", "Le ministre")
