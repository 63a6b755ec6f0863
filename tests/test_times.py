"""Moments and dates (times.py): a date given without a time is a date, in no time zone."""

from datetime import UTC, datetime, timedelta, timezone

from factcheck.services.records import clean_date
from factcheck.times import is_date_only, iso, iso_date_or_moment


def test_a_date_given_alone_stays_a_date():
    stored = clean_date("2024-03-12")
    assert is_date_only(stored)
    assert iso_date_or_moment(stored) == "2024-03-12"


def test_a_moment_stays_a_moment():
    for moment in (
        clean_date("2024-03-12T08:30:00Z"),
        clean_date("2024-03-12T00:00:00+01:00"),  # 23:00 UTC the day before
        datetime(2024, 3, 12, 0, 0, 1, tzinfo=UTC),
    ):
        assert not is_date_only(moment)
        assert iso_date_or_moment(moment) == iso(moment)
    assert not is_date_only(datetime(2024, 3, 12, tzinfo=timezone(timedelta(hours=2))))
    assert iso_date_or_moment(None) is None and not is_date_only(None)
