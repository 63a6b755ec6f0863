"""Times show in the browser's time zone, with UTC in the tooltip (issue 14)."""

from datetime import UTC, datetime

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
