"""Blind second verdict, the service: who must commit, what is stored, and the edge cases
(skip, undo, fix and approve, resubmission after rejection, the setting switched off)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import SecondVerdict, Status
from factcheck.services import annotations as claims
from factcheck.services import projects, review, review_undo, second_verdict
from factcheck.services.errors import Conflict, Invalid, NotAllowed


def rows() -> list[SecondVerdict]:
    return list(db.session.scalars(select(SecondVerdict).order_by(SecondVerdict.id)))


def test_the_setting_is_off_by_default_and_nothing_is_required(make, cast, submitted):
    (a,) = submitted(1)
    assert projects.default_project(db.session).blind_second_verdict is False
    assert not second_verdict.must_commit(db.session, a, cast.reviewer)
    review.approve(db.session, a, cast.reviewer, version=a.version)
    assert a.status is Status.APPROVED
    with pytest.raises(Conflict) as caught:
        second_verdict.commit(db.session, a, cast.reviewer2, "true")
    assert caught.value.code == "not_blind"


def test_a_reviewer_must_commit_before_deciding(cast, submitted, blind):
    (a,) = submitted(1, verdict="false")
    assert second_verdict.must_commit(db.session, a, cast.reviewer)
    for decide in (review.approve, lambda *x, **k: review.reject(*x, **k, comment="no")):
        with pytest.raises(Conflict) as caught:
            decide(db.session, a, cast.reviewer, version=a.version)
        assert caught.value.code == "second_verdict_required"
    assert a.status is Status.SUBMITTED
    row = second_verdict.commit(db.session, a, cast.reviewer, "mostly_false", version=a.version)
    db.session.commit()
    assert (row.verdict, row.annotator_verdict, row.annotator_id, row.annotation_version) == (
        "mostly_false",
        "false",
        cast.annotator.id,
        a.version,
    )
    assert not second_verdict.must_commit(db.session, a, cast.reviewer)
    assert second_verdict.must_commit(db.session, a, cast.reviewer2)  # each reviewer their own
    review.approve(db.session, a, cast.reviewer, version=a.version)
    assert a.status is Status.APPROVED
    assert not second_verdict.must_commit(db.session, a, cast.reviewer2)  # decided: nothing owed


def test_the_author_and_non_reviewers_cannot_commit(make, cast, submitted, blind):
    (a,) = submitted(1)
    with pytest.raises(NotAllowed) as caught:
        second_verdict.commit(db.session, a, cast.annotator, "true")
    assert caught.value.code == "four_eyes"
    other = make.user("olga", roles=[])
    with pytest.raises(NotAllowed):
        second_verdict.commit(db.session, a, other, "true")
    assert not second_verdict.must_commit(db.session, a, cast.annotator)
    assert rows() == []


@pytest.mark.parametrize("verdict", ["", "nonsense", None, 3, ["true"]])
def test_a_verdict_outside_the_scale_is_refused(cast, submitted, blind, verdict):
    (a,) = submitted(1)
    with pytest.raises(Invalid) as caught:
        second_verdict.commit(db.session, a, cast.reviewer, verdict)
    assert caught.value.field == "verdict"
    assert rows() == []


def test_a_retired_verdict_cannot_be_picked(cast, submitted, blind):
    from factcheck.services import verdicts

    (a,) = submitted(1)
    verdicts.set_retired(db.session, verdicts.find(db.session, blind, "mixed"), True)
    with pytest.raises(Invalid):
        second_verdict.commit(db.session, a, cast.reviewer, "mixed")


def test_a_stale_version_is_refused(cast, submitted, blind):
    (a,) = submitted(1)
    with pytest.raises(Conflict) as caught:
        second_verdict.commit(db.session, a, cast.reviewer, "true", version=a.version - 1)
    assert caught.value.code == "stale_version"


def test_a_committed_verdict_cannot_change_but_a_retry_is_harmless(cast, submitted, blind):
    (a,) = submitted(1)
    first = second_verdict.commit(db.session, a, cast.reviewer, "true")
    db.session.commit()
    again = second_verdict.commit(db.session, a, cast.reviewer, "true")
    assert again.id == first.id
    with pytest.raises(Conflict) as caught:
        second_verdict.commit(db.session, a, cast.reviewer, "false")
    assert caught.value.code == "already_committed"
    assert [r.verdict for r in rows()] == ["true"]


def test_only_a_claim_in_review_takes_a_second_verdict(make, cast, blind):
    draft = make.annotation(article=cast.article, author=cast.annotator)
    with pytest.raises(Conflict):
        second_verdict.commit(db.session, draft, cast.reviewer, "true")


def test_an_archived_project_takes_no_second_verdict(cast, submitted, blind):
    (a,) = submitted(1)
    blind.archived = True
    db.session.commit()
    with pytest.raises(Conflict) as caught:
        second_verdict.commit(db.session, a, cast.reviewer, "true")
    assert caught.value.code == "archived"


def test_fix_and_approve_also_waits_for_the_second_verdict(cast, submitted, blind):
    (a,) = submitted(1)
    with pytest.raises(Conflict) as caught:
        review_undo.fix_and_approve(
            db.session, a, cast.reviewer, {"claim": "Fixed."}, version=a.version
        )
    assert caught.value.code == "second_verdict_required"
    second_verdict.commit(db.session, a, cast.reviewer, "false")
    review_undo.fix_and_approve(
        db.session, a, cast.reviewer, {"claim": "Fixed."}, version=a.version
    )
    assert (a.status, a.claim) == (Status.APPROVED, "Fixed.")


def test_undo_keeps_the_second_verdict_and_asks_for_no_new_one(cast, submitted, blind):
    (a,) = submitted(1)
    second_verdict.commit(db.session, a, cast.reviewer, "true")
    review.approve(db.session, a, cast.reviewer, version=a.version)
    db.session.commit()
    review_undo.undo(db.session, a, cast.reviewer, version=a.version)
    db.session.commit()
    assert a.status is Status.SUBMITTED
    assert not second_verdict.must_commit(db.session, a, cast.reviewer)
    review.reject(db.session, a, cast.reviewer, version=a.version, comment="On second thought.")
    assert [(r.reviewer_id, r.verdict) for r in rows()] == [(cast.reviewer.id, "true")]


def test_resubmission_after_rejection(cast, submitted, blind):
    """The reviewer who committed is not asked again; a new reviewer is, and the pair they
    store holds the verdict as resubmitted, while the first pair keeps the original."""
    (a,) = submitted(1, verdict="false")
    second_verdict.commit(db.session, a, cast.reviewer, "mostly_true")
    review.reject(db.session, a, cast.reviewer, version=a.version, comment="Check the figures.")
    db.session.commit()
    claims.update_annotation(db.session, a, cast.annotator, {"verdict": "mixed"}, version=a.version)
    review.submit(db.session, a, cast.annotator, version=a.version)
    db.session.commit()
    assert not second_verdict.must_commit(db.session, a, cast.reviewer)
    assert second_verdict.must_commit(db.session, a, cast.reviewer2)
    second_verdict.commit(db.session, a, cast.reviewer2, "mixed")
    db.session.commit()
    assert [(r.reviewer_id, r.annotator_verdict, r.verdict) for r in rows()] == [
        (cast.reviewer.id, "false", "mostly_true"),
        (cast.reviewer2.id, "mixed", "mixed"),
    ]


def test_switching_the_setting_off_keeps_the_pairs_and_requires_nothing(cast, submitted, blind):
    a, b = submitted(2)
    second_verdict.commit(db.session, a, cast.reviewer, "true")
    projects.update_project(db.session, blind, {"blind_second_verdict": False}, cast.admin)
    db.session.commit()
    assert not second_verdict.must_commit(db.session, b, cast.reviewer)
    review.approve(db.session, b, cast.reviewer, version=b.version)
    assert db.session.scalar(select(func.count()).select_from(SecondVerdict)) == 1
    report = second_verdict.report(db.session, blind.id)
    assert report is not None and report.overall.pairs == 1


def test_redact_hides_verdict_and_rationale_until_commit(cast, submitted, blind):
    (a,) = submitted(1, verdict="false", rationale="The Insee says 7.3 %.")

    def view(user):
        return second_verdict.redact(
            db.session, {"verdict": a.verdict, "rationale": a.rationale}, a, user
        )

    assert view(cast.reviewer) == {
        "verdict": None,
        "rationale": None,
        "second_verdict": {"required": True, "hidden": ["verdict", "rationale"], "mine": None},
    }
    assert view(cast.annotator) == {"verdict": "false", "rationale": "The Insee says 7.3 %."}
    second_verdict.commit(db.session, a, cast.reviewer, "true")
    assert view(cast.reviewer)["verdict"] == "false"
    assert view(cast.reviewer)["second_verdict"] == {
        "required": False,
        "hidden": [],
        "mine": "true",
    }


# --- figures ----------------------------------------------------------------------------------


def test_period_start_is_the_monday_or_the_first_of_the_month():
    sunday = datetime(2026, 11, 29, 23, 59, tzinfo=UTC)
    assert second_verdict.period_start(sunday).isoformat() == "2026-11-23"
    assert second_verdict.period_start(sunday, "month").isoformat() == "2026-11-01"


def test_figures_by_hand():
    order = ["false", "mostly_false", "mixed", "mostly_true", "true"]
    # two agreements, one disagreement: n=6 values, observed 2 off-diagonal of 6
    f = second_verdict.figures([("true", "true"), ("false", "false"), ("true", "false")], order)
    assert (f.pairs, f.same) == (3, 2)
    # coincidences: true-true 2, false-false 2, true-false 1, false-true 1; n=6, n_t = n_f = 3
    # alpha = 1 - (n-1) * D_o / D_e = 1 - 5 * 2 / (2 * 3 * 3) = 4/9
    assert f.alpha_nominal == pytest.approx(4 / 9, abs=1e-12)
    assert second_verdict.figures([], order).alpha_nominal is None


def test_report_per_period_and_per_annotator(make, cast, submitted, blind):
    other = make.user("otto", roles=["annotator"])
    mine = submitted(3, verdict="false")
    theirs = submitted(2, author=other, verdict="true")
    picks = ["false", "false", "true", "true", "true"]
    days = [datetime(2026, 11, d, 12, tzinfo=UTC) for d in (2, 3, 16, 17, 18)]
    for a, pick, day in zip(mine + theirs, picks, days, strict=True):
        row = second_verdict.commit(db.session, a, cast.reviewer, pick)
        row.created_at = day
    db.session.commit()
    report = second_verdict.report(db.session, blind.id)
    assert [p.start.isoformat() for p in report.periods] == [
        "2026-11-02",
        "2026-11-09",
        "2026-11-16",
    ]
    assert [p.pairs for p in report.periods] == [2, 0, 3]
    assert report.periods[1].alpha_nominal is None
    by_name = {f.annotator.username: f for f in report.per_annotator}
    assert (by_name["anna"].pairs, by_name["anna"].same) == (3, 2)
    assert (by_name["otto"].pairs, by_name["otto"].same) == (2, 2)
    assert report.overall.pairs == 5
    monthly = second_verdict.report(db.session, blind.id, "month")
    assert [(p.start.isoformat(), p.pairs) for p in monthly.periods] == [("2026-11-01", 5)]
    with pytest.raises(Invalid):
        second_verdict.report(db.session, blind.id, "day")


def test_no_pair_no_report(app_ctx, blind):
    assert second_verdict.report(db.session, blind.id) is None


def test_hidden_ids_for_pages_that_list_many_claims(make, cast, submitted, blind):
    mine = make.annotation(article=cast.article, author=cast.reviewer, status=Status.SUBMITTED)
    a, b, c = submitted(3)
    draft = make.annotation(article=cast.article, author=cast.annotator)
    second_verdict.commit(db.session, b, cast.reviewer, "true")
    listed = [mine, a, b, c, draft]
    assert second_verdict.hidden_ids(db.session, cast.reviewer, listed) == {a.id, c.id}
    assert second_verdict.hidden_ids(db.session, cast.annotator, listed) == set()
    # rita's own claim is one remi may review
    assert second_verdict.hidden_ids(db.session, cast.reviewer2, listed) == {
        mine.id,
        a.id,
        b.id,
        c.id,
    }
    blind.blind_second_verdict = False
    db.session.commit()
    assert second_verdict.hidden_ids(db.session, cast.reviewer, listed) == set()


@pytest.mark.parametrize(("second", "ok"), [("true", True), ("false", False)])
def test_two_tabs_committing_at_once_store_one_row(cast, submitted, blind, monkeypatch, second, ok):
    """The other tab's row lands between the check and the insert: the unique key refuses
    the second insert, and the answer is as if the check had seen it."""
    (a,) = submitted(1)
    real_mine = second_verdict.mine
    second_verdict.commit(db.session, a, cast.reviewer, "true")
    db.session.commit()
    calls = []

    def mine_missing_once(session, annotation, user):
        calls.append(1)
        return None if len(calls) == 1 else real_mine(session, annotation, user)

    monkeypatch.setattr(second_verdict, "mine", mine_missing_once)
    if ok:
        assert second_verdict.commit(db.session, a, cast.reviewer, second).verdict == "true"
    else:
        with pytest.raises(Conflict) as caught:
            second_verdict.commit(db.session, a, cast.reviewer, second)
        assert caught.value.code == "already_committed"
    db.session.commit()  # the session is still usable: the savepoint took the failure
    assert [r.verdict for r in rows()] == ["true"]
