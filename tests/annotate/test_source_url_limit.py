"""A source address over the limit is told it is too long, not that it is no address."""

from __future__ import annotations

import pytest

from factcheck.services.annotations import SOURCE_LIMITS, check_url
from factcheck.services.errors import Invalid


def test_a_too_long_address_is_told_its_length():
    url = "https://example.org/" + "a" * 3_000
    with pytest.raises(Invalid) as refused:
        check_url(url)
    message = str(refused.value.message)
    assert str(SOURCE_LIMITS["url"]) in message and str(len(url)) in message
    assert "starting with" not in message


def test_an_address_at_the_limit_passes():
    url = "https://example.org/" + "a" * (SOURCE_LIMITS["url"] - len("https://example.org/"))
    assert check_url(url) == url
