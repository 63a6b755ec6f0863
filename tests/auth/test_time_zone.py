"""The time-zone setting of the profile (issue 14): an IANA zone, or the browser's."""

from __future__ import annotations

from factcheck.auth.forms import time_zones
from factcheck.extensions import db
from factcheck.models import User


def save(client, zone: str):
    data = {
        "prefs-display_name": "",
        "prefs-locale": "",
        "prefs-time_zone": zone,
        "prefs-submit": "1",
    }
    return client.post("/profile", data=data)


def stored(user) -> str | None:
    db.session.expire_all()
    return db.session.get(User, user.id).time_zone


def test_the_profile_offers_iana_zones_and_the_browsers_by_default(client, login, make):
    login(make.user())
    page = client.get("/profile").get_data(as_text=True)
    assert 'name="prefs-time_zone"' in page
    assert '<option selected value="">Follow my browser</option>' in page
    assert '<option value="Europe/Paris">Europe/Paris</option>' in page
    assert "data-time-zone" not in page  # no zone chosen: the browser's
    assert "Europe/Paris" in time_zones() and "UTC" in time_zones()
    assert "EST5EDT" not in time_zones() and "Factory" not in time_zones()


def test_a_chosen_zone_is_stored_and_given_to_every_page(client, login, make):
    user = make.user()
    login(user)
    assert save(client, "America/New_York").status_code == 302
    assert stored(user) == "America/New_York"
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en" data-time-zone="America/New_York">' in page
    profile = client.get("/profile").get_data(as_text=True)
    assert '<option selected value="America/New_York">America/New York</option>' in profile
    assert save(client, "").status_code == 302  # back to the browser's zone
    assert stored(user) is None


def test_an_unknown_zone_is_refused(client, login, make):
    user = make.user()
    login(user)
    for zone in ("Mars/Olympus_Mons", "EST5EDT", '"><script>', "Europe/Paris "):
        response = save(client, zone)
        assert response.status_code == 422
        assert "Not a valid choice" in response.get_data(as_text=True)
        assert stored(user) is None
