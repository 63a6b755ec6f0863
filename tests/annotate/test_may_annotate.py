"""Issue 23, item 28: on the annotate page, a member who may not write claims is told why
(the view computes it with permissions.py; the template tests no role), instead of the
invitation to select a passage that then does nothing."""

from __future__ import annotations

from factcheck.extensions import db
from factcheck.models import Role
from factcheck.permissions import can_annotate, why_no_annotating
from factcheck.services import projects

INVITATION = "Select a passage with the mouse to write a claim"


def page(client, article) -> str:
    return client.get(f"/articles/{article.id}/annotate").get_data(as_text=True)


def test_a_reviewer_only_member_is_told_why_selecting_opens_no_form(client, make, login):
    reviewer = make.user("rita", roles=[Role.REVIEWER])
    article = make.article()
    login(reviewer)
    html = page(client, article)
    assert INVITATION not in html
    assert "You review in this project; writing claims needs the annotator role." in html
    assert 'id="claim-form"' not in html


def test_an_annotator_is_invited_to_select_a_passage(client, make, login):
    article = make.article()
    login(make.user(roles=[Role.ANNOTATOR]))
    html = page(client, article)
    assert INVITATION in html and "needs the annotator role" not in html


def test_an_archived_project_says_its_claims_are_read_only(client, make, login):
    annotator = make.user(roles=[Role.ANNOTATOR])
    article = make.article()
    project = projects.default_project(db.session)
    project.archived = True
    db.session.commit()
    login(annotator)
    assert "This project is archived: its claims can be read, not written." in page(client, article)
    assert not can_annotate(annotator, project)
    assert why_no_annotating(annotator, project) == "archived"
