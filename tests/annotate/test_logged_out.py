"""Issue 23, item 27: when the session has ended, the API's 401 names the way back (the
login page, then the page the request came from), and the annotate page says that the
claim being written is kept in this browser (static/js/drafts.js keeps it as typed)."""

from __future__ import annotations

import json
import re


def test_a_401_from_the_api_links_to_the_login_and_back_to_the_page(client, make):
    article = make.article()
    response = client.post(
        f"/api/v1/articles/{article.id}/annotations",
        json={"claim": "x"},
        headers={"Referer": f"http://localhost/articles/{article.id}/annotate?annotation=3"},
    )
    assert response.status_code == 401
    error = response.get_json()["error"]
    assert error["login_url"] == f"/login?next=/articles/{article.id}/annotate?annotation%3D3"


def test_a_401_from_elsewhere_goes_back_home(client):
    response = client.get("/api/v1/articles", headers={"Referer": "https://evil.example/x"})
    assert response.get_json()["error"]["login_url"] == "/login?next=/"


def test_the_annotate_page_says_the_draft_is_kept_and_where_to_log_in(client, make, login):
    user = make.user()
    article = make.article()
    login(user)
    html = client.get(f"/articles/{article.id}/annotate").get_data(as_text=True)
    data = json.loads(re.search(r'id="annotate-data">(.*?)</script>', html, re.S).group(1))
    assert data["login_url"] == f"/login?next=/articles/{article.id}/annotate"
    assert "kept in this browser" in data["labels"]["session_ended"]
    assert data["labels"]["log_in_again"] == "Log in again"
