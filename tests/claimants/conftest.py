"""Helpers for the claimants tests: a claimant with aliases, a claim naming one."""

from __future__ import annotations

import pytest

from factcheck.extensions import db
from factcheck.models import Claimant, ClaimantAlias
from factcheck.services.claimants import folded


@pytest.fixture
def claimant(app_ctx):
    """``claimant("Le maire", aliases=["Le maire sortant"])``: a claimant, committed."""

    def _claimant(name: str, aliases=(), **kw) -> Claimant:
        row = Claimant(name=name, folded=folded(name), same_as=kw.pop("same_as", []), **kw)
        row.aliases = [ClaimantAlias(alias=a, folded=folded(a)) for a in aliases]
        db.session.add(row)
        db.session.commit()
        return row

    return _claimant


@pytest.fixture
def claim(make):
    """``claim(claimant_row, verdict=…, status=…)``: a claim naming the claimant."""

    def _claim(who: Claimant, **kw):
        return make.annotation(claimant=who.name, claimant_id=who.id, **kw)

    return _claim
