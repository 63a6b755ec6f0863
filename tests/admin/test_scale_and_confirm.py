"""Issue 23, item 14: the verdict-scale editor saves every edited row (Save in one row no
longer throws away another row's edits), and the buttons that delete or remove ask first
(``data-confirm``, which page.js turns into a question; the CSP forbids inline script)."""

from __future__ import annotations

import re

from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Role, Status, Verdict
from factcheck.services import projects


def scale() -> dict[str, Verdict]:
    db.session.expire_all()
    return {v.key: v for v in db.session.scalars(select(Verdict))}


def scale_form(html: str) -> dict[str, str]:
    """What the browser sends with any row's Save: every input of the scale form."""
    data = {}
    for tag in re.findall(r"<input[^>]*form=\"verdict-scale\"[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag).group(1)
        data[name] = re.search(r'value="([^"]*)"', tag).group(1)
    return data


def test_saving_one_row_keeps_the_edits_of_another_row(client, login, make):
    login(make.user(roles=[Role.ADMIN]))
    html = client.get("/admin/verdicts").get_data(as_text=True)
    data = scale_form(html)
    verdicts = scale()
    data[f"label_fr-{verdicts['true'].id}"] = "Exact"
    data[f"rating-{verdicts['mostly_false'].id}"] = "2"
    action = re.search(r'<form[^>]*action="([^"]+)"[^>]*id="verdict-scale"', html).group(1)
    response = client.post(action.replace("&amp;", "&"), data=data)
    assert response.status_code == 302
    verdicts = scale()
    assert verdicts["true"].label_fr == "Exact"
    assert verdicts["mostly_false"].rating == 2


def test_every_rows_save_button_sends_the_whole_scale(client, login, make):
    login(make.user(roles=[Role.ADMIN]))
    html = client.get("/admin/verdicts").get_data(as_text=True)
    saves = re.findall(r'<button type="submit" form="([^"]+)"[^>]*>Save</button>', html)
    assert saves and set(saves) == {"verdict-scale"}
    assert len(scale_form(html)) == 5 * len(scale())


def test_a_refused_scale_names_the_row_and_keeps_every_edit(client, login, make):
    login(make.user(roles=[Role.ADMIN]))
    verdicts = scale()
    data = scale_form(client.get("/admin/verdicts").get_data(as_text=True))
    data[f"label_fr-{verdicts['true'].id}"] = "Exact"
    data[f"colour-{verdicts['false'].id}"] = "red"
    response = client.post("/admin/verdicts/scale", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "false: A colour is written #rrggbb." in html
    assert 'value="Exact"' in html and 'value="red"' in html  # nothing typed is lost
    assert scale()["true"].label_fr != "Exact"  # and nothing half-saved


def test_delete_and_remove_buttons_ask_first(client, login, make):
    admin = make.user(roles=[Role.ADMIN])
    login(admin)
    make.session.add(
        Verdict(key="spare", label="Spare", project_id=projects.default_project(db.session).id)
    )
    db.session.commit()
    html = client.get("/admin/verdicts").get_data(as_text=True)
    assert re.search(r'action="[^"]*/delete"[^>]*data-confirm="Delete the verdict', html)
    project = projects.create_project(db.session, name="Desk", slug="desk")
    member = make.user("mel", roles=[])
    projects.set_member_roles(db.session, project, member, [Role.ANNOTATOR])
    db.session.commit()
    html = client.get("/projects/desk/admin").get_data(as_text=True)
    assert re.search(r'remove[^"]*"[^>]*data-confirm="Remove mel from Desk\?', html)
    article = make.article()
    html = client.get(f"/articles/{article.id}/edit").get_data(as_text=True)
    assert 'data-confirm="Delete this article? This cannot be undone."' in html
    draft = make.annotation(article=article, author=admin, status=Status.DRAFT)
    html = client.get(f"/articles/{article.id}/annotate?annotation={draft.id}").get_data(
        as_text=True
    )
    assert 'class="delete-form" data-confirm="Delete this draft?' in html
