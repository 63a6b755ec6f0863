"""The dashboard's annotator–reviewer α (blind second verdicts): the card, the chart, the
table per annotator."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from factcheck.extensions import db
from factcheck.services import dashboard, second_verdict
from factcheck.services.second_verdict import Period, Report


def commit_pairs(cast, claims, picks, days):
    for a, pick, day in zip(claims, picks, days, strict=True):
        row = second_verdict.commit(db.session, a, cast.reviewer, pick)
        row.created_at = day
    db.session.commit()


def test_the_admin_dashboard_shows_alpha_per_week_and_per_annotator(
    client, login_as, cast, submitted, blind
):
    claims = submitted(4, verdict="false")
    days = [datetime(2026, 11, d, 10, tzinfo=UTC) for d in (2, 3, 16, 17)]
    commit_pairs(cast, claims, ["false", "true", "false", "false"], days)
    login_as(cast.admin)
    html = client.get("/").get_data(as_text=True)
    card = html[html.index('id="verdict-agreement"') :]
    assert "Annotator–reviewer verdict agreement" in card
    assert "over 4 claims" in card and "Same verdict 3 times." in card
    svg = card[card.index("<svg") : card.index("</svg>")]
    # three weeks (the middle one empty): one dot per week with pairs and per α level
    assert len(re.findall(r'<circle class="alpha-nominal"', svg)) == 2
    assert len(re.findall(r'<circle class="alpha-ordinal"', svg)) == 2
    assert "2026-11-02: α nominal" in svg
    table = card[card.index('id="verdict-agreement-annotators"') :]
    assert re.search(r"<td>Anna</td><td class=\"num\">4</td><td class=\"num\">3</td>", table)


def test_no_pair_no_card(client, login_as, cast, submitted, blind):
    submitted(1)
    login_as(cast.admin)
    assert 'id="verdict-agreement"' not in client.get("/").get_data(as_text=True)


def test_the_card_stays_when_the_setting_is_switched_off(client, login_as, cast, submitted, blind):
    (a,) = submitted(1)
    commit_pairs(cast, [a], ["true"], [datetime(2026, 11, 2, tzinfo=UTC)])
    blind.blind_second_verdict = False
    db.session.commit()
    login_as(cast.admin)
    assert 'id="verdict-agreement"' in client.get("/").get_data(as_text=True)


def test_reviewers_without_admin_rights_do_not_see_the_card(
    client, login_as, cast, submitted, blind
):
    (a,) = submitted(1)
    commit_pairs(cast, [a], ["true"], [datetime(2026, 11, 2, tzinfo=UTC)])
    login_as(cast.reviewer2)
    assert 'id="verdict-agreement"' not in client.get("/").get_data(as_text=True)


def _report(values):
    periods = [
        Period(start=date(2026, 11, 2 + 7 * i), pairs=1 if v is not None else 0, alpha_nominal=v)
        for i, v in enumerate(values)
    ]
    return Report(overall=second_verdict.Figures(), periods=periods)


def test_the_chart_breaks_its_line_on_an_empty_period():
    chart = dashboard.alpha_chart(_report([0.5, 1.0, None, 0.2, 0.4]))
    nominal = [points for cls, points in chart.lines if cls == "alpha-nominal"]
    assert [len(p.split()) for p in nominal] == [2, 2]
    assert len(chart.points) == 4
    assert chart.low == 0.0
    top = [y for _c, _x, y, tip in chart.points if " 1.00 " in tip]
    assert top == [10.0]  # α = 1 sits on the top padding


def test_a_negative_alpha_lowers_the_scale():
    chart = dashboard.alpha_chart(_report([-0.33, 0.5]))
    assert chart.low == -0.4
    assert [label for _y, label in chart.ticks] == ["-0.4", "0", "0.5", "1"]
    assert dashboard.alpha_chart(_report([-3.0, 0.5])).low == -1.0


def test_monthly_once_the_weeks_do_not_fit(make, cast, submitted, blind):
    claims = submitted(2)
    commit_pairs(
        cast,
        claims,
        ["true", "false"],
        [datetime(2026, 1, 5, tzinfo=UTC), datetime(2026, 11, 2, tzinfo=UTC)],
    )
    report = dashboard.verdict_agreement(db.session, blind.id)
    assert report.period == "month"
    assert len(report.periods) == 11
