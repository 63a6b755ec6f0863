"""Behind a TLS proxy, the real server (gunicorn) sets Secure on the session AND the
remember-me cookie (issue 15, finding 1): a real request through ``X-Forwarded-Proto``."""

from __future__ import annotations

import http.client
import re
from urllib.parse import urlencode, urlsplit

import pytest

from factcheck.models import Role

from ..factories import PASSWORD
from ..server import start_server, stop_server

pytestmark = pytest.mark.slow


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    """name -> the whole Set-Cookie header."""
    return {h.split("=", 1)[0]: h for h in response.headers.get_all("Set-Cookie") or []}


def test_session_and_remember_me_cookies_are_secure_behind_a_tls_proxy(
    make, database_url, tmp_path, monkeypatch
):
    user = make.user(roles=[Role.ANNOTATOR])
    monkeypatch.setenv("FACTCHECK_PROXY_FIX", "1")
    process, base = start_server(database_url, tmp_path, workers=1)
    try:
        host = urlsplit(base).netloc
        proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.10"}
        conn = http.client.HTTPConnection(host, timeout=10)
        conn.request("GET", "/login", headers=proxy)
        page = conn.getresponse()
        body = page.read().decode()
        assert page.status == 200
        assert "Strict-Transport-Security" in page.headers
        first = _cookies(page)
        assert "Secure" in first["session"]
        session_cookie = first["session"].split(";", 1)[0]
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body)
        token = token or re.search(r'name="csrf_token" value="([^"]+)"', body)
        form = {
            "csrf_token": token.group(1),
            "username": user.username,
            "password": PASSWORD,
            "remember": "y",
        }
        conn.request(
            "POST",
            "/login",
            body=urlencode(form),
            headers={
                **proxy,
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": session_cookie,
                "Referer": f"https://{host}/login",
            },
        )
        answer = conn.getresponse()
        answer.read()
        assert answer.status == 302, answer.status
        cookies = _cookies(answer)
        assert {"session", "remember_token"} <= set(cookies), cookies
        for header in cookies.values():
            flags = {part.strip().lower() for part in header.split(";")[1:]}
            assert "secure" in flags, header
            assert "httponly" in flags, header
        # plain HTTP (no proxy header): no Secure flag, which browsers would refuse to send
        conn.request("GET", "/login")
        plain = conn.getresponse()
        plain.read()
        assert all("Secure" not in h for h in _cookies(plain).values())
        conn.close()
    finally:
        stop_server(process)
