"""The assignment page shows the annotator-pair figures as an n×n matrix."""

from __future__ import annotations

import re

from factcheck.extensions import db
from factcheck.models import Assignment
from factcheck.permissions import Role

from .test_api import TEXT


def _cells(html: str) -> dict[tuple[str, str], str]:
    table = html[html.index('id="pair-matrix"') : html.index("</table>", html.index("pair-matrix"))]
    head = re.findall(r'<th scope="col" class="keep-case">([^<]+)</th>', table)
    cells = {}
    for row in re.findall(r"<tr><th scope=\"row\"[^>]*>([^<]+)</th>(.*?)</tr>", table, re.S):
        name, body = row
        values = re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)
        assert len(values) == len(head)
        for other, value in zip(head, values, strict=True):
            cells[(name, other)] = " ".join(re.sub(r"<[^>]+>", " ", value).split())
    return cells


def test_the_pairs_are_a_symmetric_matrix_with_an_empty_diagonal(client, login, make):
    admin = make.user("admin", roles=[Role.ADMIN])
    names = ("ann", "bob", "cid")
    users = {n: make.user(n) for n in names}
    one = make.article(TEXT, title="Un")
    two = make.article(TEXT, title="Deux")
    login(admin)
    r = client.post(
        "/api/v1/assignments",
        json={
            "name": "Trio",
            "article_ids": [one.id, two.id],
            "annotators": list(names),
            "per_article": 3,
        },
    )
    assert r.status_code == 201, r.json
    assignment = db.session.get(Assignment, r.json["id"])
    verdicts = {"ann": "false", "bob": "false", "cid": "true"}
    for article in (one, two):
        for name in names:
            make.annotation(article=article, author=users[name], start=0, end=30,
                            verdict=verdicts[name])  # fmt: skip
            login(users[name])
            done = client.post(f"/api/v1/assignments/{assignment.id}/articles/{article.id}/done")
            assert done.status_code in (200, 201, 204), done.get_data(as_text=True)
    login(admin)
    pairs = client.get(f"/api/v1/assignments/{assignment.id}/agreement").json["pairs"]
    html = client.get(f"/assignments/{assignment.id}").get_data(as_text=True)
    cells = _cells(html)
    assert len(cells) == 9
    for name in names:
        assert cells[(name, name)] == "—"
    for p in pairs:
        assert cells[(p["a"], p["b"])] == cells[(p["b"], p["a"])]
        assert f"α {p['alpha_nominal']:.3f}" in cells[(p["a"], p["b"])]
    assert cells[("ann", "bob")] == "1.000 / 1.000 α 1.000 (2 units)"
    assert "heat-4" in html
