"""Times show in the browser's time zone, with UTC in the tooltip (issue 14)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from factcheck.extensions import db
from factcheck.models import Status

pytestmark = pytest.mark.browser


def test_times_show_in_the_browsers_zone_with_utc_in_the_tooltip(
    browser, live_server, make, app, browser_login
):
    author = make.user()
    annotation = make.annotation(author=author, status=Status.SUBMITTED)
    annotation.submitted_at = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
    db.session.commit()
    context = browser.new_context(base_url=live_server, timezone_id="Europe/Paris")
    page = context.new_page()
    browser_login(page, author)
    page.goto(f"/review/{annotation.id}")
    shown = page.locator("time.local-time", has_text="2026-01-15 10:30")  # UTC+1 in January
    assert shown.count() >= 1
    assert shown.first.get_attribute("title") == "2026-01-15 09:30 UTC"
    context.close()


def test_the_profile_zone_beats_the_browsers(browser, live_server, make, app, browser_login):
    author = make.user()
    author.time_zone = "America/New_York"
    annotation = make.annotation(author=author, status=Status.SUBMITTED)
    annotation.submitted_at = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
    db.session.commit()
    context = browser.new_context(base_url=live_server, timezone_id="Europe/Paris")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    browser_login(page, author)
    page.goto(f"/review/{annotation.id}")
    shown = page.locator("time.local-time", has_text="2026-01-15 04:30")  # UTC-5 in January
    assert shown.count() >= 1
    assert shown.first.get_attribute("title") == "2026-01-15 09:30 UTC"
    # the claim's history in the annotate panel follows the same zone
    page.goto(f"/articles/{annotation.article_id}/annotate#annotation-{annotation.id}")
    page.locator(".annotation-view:not([hidden]) details.history summary").click()
    first = page.locator(".annotation-view:not([hidden]) [data-f=history] time").first
    at = datetime.fromisoformat(first.get_attribute("datetime"))
    assert first.get_attribute("title") == at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    assert first.inner_text() == at.astimezone(ZoneInfo("America/New_York")).strftime(
        "%Y-%m-%d %H:%M"
    )
    # the profile page says which zone is used, and lets the user go back to the browser's
    page.goto("/profile")
    assert page.locator("#prefs-time_zone").input_value() == "America/New_York"
    page.select_option("#prefs-time_zone", "")
    page.click("#prefs-submit")
    page.goto(f"/review/{annotation.id}")
    assert page.locator("time.local-time", has_text="2026-01-15 10:30").count() >= 1
    assert errors == []
    context.close()


def test_a_reservation_ends_at_an_hour_of_the_reviewers_zone(
    browser, live_server, make, app, browser_login
):
    """ "Reserved by you until 10:45", in the reviewer's zone: not an hour of UTC."""
    from datetime import timedelta

    from factcheck.models import Role, utcnow

    reviewer = make.user(roles=[Role.REVIEWER])
    reviewer.time_zone = "Asia/Kolkata"  # UTC+5:30: no whole-hour coincidence with UTC
    claim = make.annotation(status=Status.SUBMITTED)
    claim.reserved_by_id, claim.reserved_until = reviewer.id, utcnow() + timedelta(minutes=15)
    db.session.commit()
    context = browser.new_context(base_url=live_server, timezone_id="Europe/Paris")
    page = context.new_page()
    browser_login(page, reviewer)
    page.goto("/review/")
    clock = page.locator("time[data-clock]").first
    utc = datetime.fromisoformat(clock.get_attribute("datetime"))
    expected = utc.astimezone(ZoneInfo("Asia/Kolkata")).strftime("%H:%M")
    assert clock.inner_text() == expected
    assert clock.get_attribute("title") == utc.strftime("%H:%M UTC")
    context.close()


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/Paris"])
def test_a_date_is_the_same_day_everywhere_and_only_moments_move(
    browser, live_server, make, app, browser_login, zone
):
    """A publication date given as "2024-03-12" is that day in New York and in Paris
    (it used to show as 2024-03-11 20:00 and 2024-03-12 01:00); a moment late on the 12th
    in UTC is still the 12th in New York and already the 13th in Paris."""
    reader = make.user()
    dated = make.article(title="Daté", published_at=datetime(2024, 3, 12, tzinfo=UTC))
    late = make.article(title="Tard", published_at=datetime(2024, 3, 12, 23, 30, tzinfo=UTC))
    db.session.commit()
    context = browser.new_context(base_url=live_server, timezone_id=zone)
    page = context.new_page()
    browser_login(page, reader)
    for url in (f"/articles/{dated.id}", f"/articles/{dated.id}/annotate"):
        page.goto(url)
        shown = page.locator('time[datetime="2024-03-12"]')
        assert shown.inner_text() == "2024-03-12", url
        assert "local-time" not in (shown.get_attribute("class") or "")
    page.goto(f"/articles/{late.id}")
    moment = page.locator("time.local-time").first
    local = datetime(2024, 3, 12, 23, 30, tzinfo=UTC).astimezone(ZoneInfo(zone))
    assert moment.inner_text() == local.strftime("%Y-%m-%d %H:%M")
    page.goto("/articles/")
    assert page.locator('.article-item time[datetime="2024-03-12"]').inner_text() == "2024-03-12"
    assert page.locator(".article-item time[data-day]").inner_text() == local.strftime("%Y-%m-%d")
    context.close()
