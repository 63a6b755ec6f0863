"""The real server serves the login page and a user can log in with the browser."""

import pytest

pytestmark = pytest.mark.browser


def test_login_in_a_real_browser(page, make, browser_login, screenshot):
    user = make.user(display_name="Zoé Testeuse")
    browser_login(page, user)
    assert "Zoé Testeuse" in page.inner_text("header")
    screenshot(page, "home")
    assert page.js_errors == []
