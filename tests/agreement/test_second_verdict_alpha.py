"""Annotator–reviewer α from stored blind second verdicts, against the reference
implementation (the ``krippendorff`` package) to 1e-9: overall, per period, per annotator."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from factcheck.extensions import db
from factcheck.models import SecondVerdict, Status
from factcheck.permissions import Role
from factcheck.services import projects, second_verdict
from factcheck.services.assignment_agreement import ordinal_order

krippendorff = pytest.importorskip("krippendorff", reason="the reference implementation")

KEYS = ["true", "mostly_true", "mixed", "mostly_false", "false", "misleading", "unverifiable"]


def _oracle(pairs, level, order):
    code = {v: i for i, v in enumerate(order if level == "ordinal" else KEYS)}
    matrix = [[a for a, _ in pairs], [r for _, r in pairs]]
    numeric = [[np.nan if v not in code else code[v] for v in row] for row in matrix]
    return krippendorff.alpha(
        reliability_data=np.array(numeric, dtype=float), level_of_measurement=level
    )


@pytest.fixture
def stored(make):
    """120 random pairs of two annotators, over ten weeks, reviewers leaning to agree."""
    rng = random.Random(13)
    project = projects.default_project(db.session)
    reviewer = make.user("rita", roles=[Role.REVIEWER])
    annotators = [make.user(name, roles=[Role.ANNOTATOR]) for name in ("anna", "otto")]
    article = make.article()
    start = datetime(2026, 9, 7, 9, tzinfo=UTC)
    for i in range(120):
        author = annotators[i % 2]
        theirs = rng.choice(KEYS)
        mine = theirs if rng.random() < 0.6 else rng.choice(KEYS)
        a = make.annotation(article=article, author=author, status=Status.SUBMITTED, verdict=theirs)
        db.session.add(
            SecondVerdict(
                annotation_id=a.id,
                reviewer_id=reviewer.id,
                annotator_id=author.id,
                project_id=project.id,
                verdict=mine,
                annotator_verdict=theirs,
                annotation_version=a.version,
                created_at=start + timedelta(hours=13 * i),
            )
        )
    db.session.commit()
    return project


def test_overall_alpha_matches_the_reference(stored):
    order = ordinal_order(db.session, stored.id)
    # the scale's display order (as for assignments' ordinal α); unverifiable has no place
    assert order == KEYS[:-1]
    rows = second_verdict.stored_pairs(db.session, stored.id)
    pairs = [(r.annotator_verdict, r.verdict) for r in rows]
    report = second_verdict.report(db.session, stored.id)
    assert report.overall.pairs == 120
    assert report.overall.alpha_nominal == pytest.approx(_oracle(pairs, "nominal", order), abs=1e-9)
    assert report.overall.alpha_ordinal == pytest.approx(_oracle(pairs, "ordinal", order), abs=1e-9)


@pytest.mark.parametrize("period", ["week", "month"])
def test_alpha_per_period_and_per_annotator_matches_the_reference(stored, period):
    order = ordinal_order(db.session, stored.id)
    rows = second_verdict.stored_pairs(db.session, stored.id)
    report = second_verdict.report(db.session, stored.id, period)
    assert sum(p.pairs for p in report.periods) == 120
    checked = 0
    for p in report.periods:
        pairs = [
            (r.annotator_verdict, r.verdict)
            for r in rows
            if second_verdict.period_start(r.created_at, period) == p.start
        ]
        assert p.pairs == len(pairs)
        if len(pairs) >= 3:
            assert p.alpha_nominal == pytest.approx(_oracle(pairs, "nominal", order), abs=1e-9)
            assert p.alpha_ordinal == pytest.approx(_oracle(pairs, "ordinal", order), abs=1e-9)
            checked += 1
    assert checked >= 2
    for f in report.per_annotator:
        pairs = [(r.annotator_verdict, r.verdict) for r in rows if r.annotator_id == f.annotator.id]
        assert f.pairs == len(pairs) == 60
        assert f.alpha_nominal == pytest.approx(_oracle(pairs, "nominal", order), abs=1e-9)
        assert f.alpha_ordinal == pytest.approx(_oracle(pairs, "ordinal", order), abs=1e-9)
