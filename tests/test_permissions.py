"""The predicates of permissions.py, and their SQL twins, agree on every case."""

from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Annotation, Role, Status
from factcheck.permissions import (
    can_export,
    can_see,
    drafts_visible,
    holds,
    sees_draft,
)
from factcheck.services import annotations as annotation_service


def test_permissions_import_nothing_from_flask():
    import factcheck.permissions as permissions

    source = open(permissions.__file__, encoding="utf-8").read()
    assert "flask" not in source.lower().replace("no flask", "")


def test_admins_hold_every_role_and_others_their_own(make):
    admin = make.user(roles=[Role.ADMIN])
    annotator = make.user(roles=[Role.ANNOTATOR])
    project_admin = make.user(roles=[Role.PROJECT_ADMIN])
    pid = annotator.memberships[0].project_id
    assert holds(admin, Role.ANNOTATOR) and holds(admin, Role.REVIEWER, project_id=pid)
    assert holds(annotator, Role.ANNOTATOR) and not holds(annotator, Role.REVIEWER)
    assert not holds(annotator, Role.ANNOTATOR, project_id=pid + 1)
    # a project's admins hold every role of that project (so the route guards, which ask
    # "in some project", let them in), never the site's, nor another project's
    assert holds(project_admin, Role.REVIEWER, project_id=pid)
    assert holds(project_admin, Role.REVIEWER) and holds(project_admin, Role.ANNOTATOR)
    assert not holds(project_admin, Role.ADMIN)
    assert not holds(project_admin, Role.REVIEWER, project_id=pid + 1)
    assert holds(annotator) and not holds(None) and not holds(None, Role.ANNOTATOR)


def test_the_draft_rule_and_its_sql_twin_agree(make):
    author = make.user(roles=[Role.ANNOTATOR])
    colleague = make.user(roles=[Role.ANNOTATOR, Role.REVIEWER])
    project_admin = make.user(roles=[Role.PROJECT_ADMIN])
    admin = make.user(roles=[Role.ADMIN])
    article = make.article()
    draft = make.annotation(article=article, author=author, status=Status.DRAFT)
    submitted = make.annotation(article=article, author=author, status=Status.SUBMITTED)
    expected = {
        author: {draft.id, submitted.id},
        colleague: {submitted.id},
        project_admin: {draft.id, submitted.id},
        admin: {draft.id, submitted.id},
        None: {submitted.id},
    }
    for user, ids in expected.items():
        in_python = {a.id for a in (draft, submitted) if sees_draft(user, a)}
        in_sql = set(db.session.scalars(select(Annotation.id).where(drafts_visible(user))))
        assert in_python == in_sql == ids, user
        if user is not None:
            assert {a.id for a in (draft, submitted) if can_see(user, a)} == ids


def test_the_annotate_page_list_shows_drafts_to_admins(make):
    """The drift: visible_for_article forgot that admins see every draft (can_see lets
    them open each one)."""
    author = make.user(roles=[Role.ANNOTATOR])
    article = make.article()
    draft = make.annotation(article=article, author=author, status=Status.DRAFT)
    for viewer, sees in (
        (make.user(roles=[Role.ADMIN]), True),
        (make.user(roles=[Role.PROJECT_ADMIN]), True),
        (make.user(roles=[Role.ANNOTATOR]), False),
        (author, True),
    ):
        listed = annotation_service.visible_for_article(db.session, article, viewer)
        assert (draft.id in {a.id for a in listed}) is sees
        assert can_see(viewer, draft) is sees


def test_can_export_takes_the_site_setting_as_an_argument(make):
    annotator = make.user(roles=[Role.ANNOTATOR])
    reviewer = make.user(roles=[Role.REVIEWER])
    project = annotator.memberships[0].project
    assert not can_export(annotator, site_allows=False)
    assert can_export(annotator, site_allows=True)
    assert not can_export(annotator, project, site_allows=False)
    assert can_export(annotator, project, site_allows=True)
    assert can_export(reviewer, site_allows=False)
    assert can_export(reviewer, project, site_allows=False)
