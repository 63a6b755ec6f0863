"""Every route × every method × every principal, checked against ONE table.

How the table works
-------------------
``EXPECTED`` maps an endpoint name (as in ``app.url_map``, e.g. ``"api.get_annotation"``)
to the answer each principal must get. The principals are those of ``conftest.py``:
anonymous, annotator (owns the fixtures), other (another annotator), reviewer, admin,
deactivated (session cookie from before deactivation), token (the annotator's API token,
no cookie), outsider (annotator, reviewer and project admin of another project: every
resource of the world's project is a 404 to them), removed (the outsider's twin who was
a member of the world's project, annotated in its assignment and was removed: their cell is
the outsider's unless named), project_admin (an administrator of the world's project only:
their cell is the site admin's unless named, 403 on the site admins' own pages) and
reviewer_elsewhere (a reviewer of another project only: the outsider's cell unless named).
A value is either

- a row: ``{"anonymous": 401, "annotator": 200, ...}`` — the same for every method of the
  endpoint; build it with the helpers below (``page()``, ``admin_page()``, ``api()``,
  ``api_admin()``…) and override single cells with keyword arguments:
  ``api(other=404, reviewer=404)``; or
- ``{"GET": row, "POST": row}`` when the methods of one endpoint differ.

A cell is an HTTP status, or ``LOGIN`` for "302 to the login page". 404 means the caller may
not see the resource; 403 that they may see it but not do this.

Deny by default: an endpoint of the app that is missing from ``EXPECTED`` fails the test,
and so does a row for an endpoint that no longer exists. To add a route: add its row to
``EXPECTED`` and, when it takes URL arguments or a body, a recipe to ``REQUESTS``
(``endpoint -> function(world) -> {"args": url_for values, "json"/"data"/"query": ...}``;
a recipe may also be keyed by method like the rows). The body only has to be valid enough
to reach the permission check, so that 200/201/302 prove the action really ran.
"""

from __future__ import annotations

import io

import pytest
from flask import Flask, url_for

from tests.factories import PASSWORD

from .conftest import PRINCIPALS

LOGIN = "login"  # 302 to /login?next=…
METHODS = ("GET", "POST", "PATCH", "DELETE")


def row(
    anonymous, annotator, other, reviewer, admin, deactivated, token, outsider, /, **overrides
) -> dict[str, object]:
    cells = dict(
        zip(
            ("anonymous", "annotator", "other", "reviewer", "admin", "deactivated", "token"),
            (anonymous, annotator, other, reviewer, admin, deactivated, token),
            strict=True,
        ),
        outsider=outsider,
    )
    unknown = set(overrides) - set(PRINCIPALS)
    assert not unknown, f"unknown principal in the table: {unknown}"
    cells.update(overrides)
    # removed from the world's project, a member elsewhere: an outsider to it, whatever
    # they left behind there (claims, an assignment share)
    cells.setdefault("removed", cells["outsider"])
    # a reviewer elsewhere is an outsider too, with fewer roles there
    cells.setdefault("reviewer_elsewhere", cells["outsider"])
    # the world project's admin may there what a site admin may
    cells.setdefault("project_admin", cells["admin"])
    return cells


def public(ok=200, **kw):
    """Anyone, logged in or not."""
    return row(ok, ok, ok, ok, ok, ok, ok, ok, **kw)


def page(ok=200, **kw):
    """An HTML page for any logged-in user; the others go to the login page (an API token
    counts for nothing outside /api/)."""
    return row(LOGIN, ok, ok, ok, ok, LOGIN, LOGIN, ok, **kw)


def admin_page(ok=200, **kw):
    """An HTML page or form for (site) administrators only."""
    return row(LOGIN, 403, 403, 403, ok, LOGIN, LOGIN, 403, **{"project_admin": 403, **kw})


def annotator_page(ok=200, **kw):
    """An HTML page or form for annotators (and admins)."""
    return page(ok, reviewer=403, **kw)


def api(ok=200, **kw):
    """A JSON route for any logged-in user (session or token)."""
    return row(401, ok, ok, ok, ok, 401, ok, ok, **kw)


def api_admin(ok=200, **kw):
    """A JSON route for (site) administrators only."""
    return row(401, 403, 403, 403, ok, 401, 403, 403, **{"project_admin": 403, **kw})


def project_admin_page(ok=200, **kw):
    """An HTML page or form for the world project's admins (site admins included): its
    members without that role get 403, the outsider (a member elsewhere) 404."""
    return row(LOGIN, 403, 403, 403, ok, LOGIN, LOGIN, 404, **kw)


def project_admin_api(ok=200, **kw):
    return row(401, 403, 403, 403, ok, 401, 403, 404, **kw)


def scale_page(ok=302):
    """A verdict of the world project's scale: its admins change it; the outsider, who
    administers another project's scale, does not see it; a reviewer holds no admin role."""
    return admin_page(ok, outsider=404, project_admin=ok, reviewer_elsewhere=403)


def reviewer_page(ok=200, **kw):
    """An HTML page or form for reviewers (and admins)."""
    return row(LOGIN, 403, 403, ok, ok, LOGIN, LOGIN, ok, **kw)


def reviewer_api(ok=200, **kw):
    """A JSON route for reviewers (and admins)."""
    return row(401, 403, 403, ok, ok, 401, 403, ok, **kw)


def exporter_api(ok=200):
    """Reviewers and admins export; annotators do not (ANNOTATORS_CAN_EXPORT is off); the
    outsider exports their own project only."""
    return api(ok, annotator=403, other=403, token=403)


EXPECTED: dict[str, dict] = {
    # --- main, auth ---------------------------------------------------------------
    "main.home": page(),
    "main.healthz": public(),
    # a logged-in user is sent home; the wrong password answers 401 with the form
    "auth.login": {
        "GET": page(302, anonymous=200, deactivated=200, token=200),
        "POST": page(302, anonymous=401, deactivated=401, token=401),
    },
    "auth.logout": public(302),
    "auth.profile": {"GET": page(), "POST": page(302)},
    "auth.change_password": page(302),
    "auth.create_token": page(),
    # the token belongs to the annotator: anybody else is told it does not exist
    "auth.revoke_token": page(302, other=404, reviewer=404, admin=404, outsider=404),
    # --- articles -----------------------------------------------------------------
    "articles.index": page(),
    "articles.show": page(outsider=404),
    # the project's admins manage its articles (permissions.can_manage_articles): the import
    # goes to the caller's current project (the outsider's own); a reviewer holds no role
    # that may, anywhere
    "articles.import_page": admin_page(project_admin=200, outsider=200, reviewer_elsewhere=403),
    "articles.edit": {
        "GET": admin_page(project_admin=200, outsider=404, reviewer_elsewhere=403),
        "POST": admin_page(302, project_admin=302, outsider=404, reviewer_elsewhere=403),
    },
    "articles.delete": admin_page(302, project_admin=302, outsider=404, reviewer_elsewhere=403),
    # --- annotate (the draft is the annotator's; "edit" works on the submitted one) --
    "annotate.page": page(outsider=404),
    "annotate.mine": annotator_page(reviewer_elsewhere=403),
    "annotate.verdicts_css": public(),
    "annotate.create": annotator_page(302, outsider=404, reviewer_elsewhere=403),
    "annotate.edit": annotator_page(
        302, other=403, admin=403, outsider=404, reviewer_elsewhere=403
    ),
    # a submitted claim goes back to a draft by its author only
    "annotate.withdraw": annotator_page(
        302, other=403, admin=403, outsider=404, reviewer_elsewhere=403
    ),
    # drafts are deleted by their author or an admin (moderation; services/annotations.py)
    "annotate.delete": annotator_page(302, other=404, outsider=404, reviewer_elsewhere=403),
    # --- review: reviewers and admins; the author never reviews (four-eyes) -------------
    "review.queue": reviewer_page(),
    "review.next_item": reviewer_page(302),
    # the submitted claim's page (with its history) is open to whoever may see it
    "review.item": page(outsider=404),
    "review.approve": reviewer_page(302, outsider=404),
    "review.reject": reviewer_page(302, outsider=404),
    "review.skip": reviewer_page(302, outsider=404),
    # project admins reopen: the outsider administers another project
    "review.reopen": admin_page(302, outsider=404, project_admin=302, reviewer_elsewhere=403),
    # the approved claim published by its project's reviewers and admins
    "review.publish": reviewer_page(302, annotator=403, other=403, outsider=404),
    # --- article revisions (the submitted claim is made relocated by its recipe) -------
    "revisions.revise": {
        "GET": admin_page(outsider=404, project_admin=200, reviewer_elsewhere=403),
        "POST": admin_page(302, outsider=404, project_admin=302, reviewer_elsewhere=403),
    },
    "revisions.show": page(outsider=404),
    "revisions.settle": page(302, other=403, outsider=404),
    # undo: only the reviewer who decided may (others are told so: a flash and a redirect)
    "review.undo": reviewer_page(302, outsider=404),
    # the caller's own last adjudication decision (none here: a message, back to the list)
    "review.undo_adjudication": reviewer_page(302),
    "review.fix_and_approve": reviewer_page(302, outsider=404),
    "review.commit_second_verdict": reviewer_page(302, outsider=404),
    # --- export -------------------------------------------------------------------
    "export.index": page(annotator=403, other=403),
    "export.download": page(annotator=403, other=403),
    # --- admin --------------------------------------------------------------------
    "admin.index": admin_page(302),
    "admin.users": {"GET": admin_page(), "POST": admin_page(302)},
    "admin.set_roles": admin_page(302),
    "admin.reset_password": admin_page(302),
    "admin.deactivate": admin_page(302),
    "admin.activate": admin_page(302),
    # the current project's scale: the outsider administers (and sees) their own project
    "admin.verdicts": admin_page(outsider=200, project_admin=200, reviewer_elsewhere=403),
    "admin.add_verdict": admin_page(302, outsider=302, project_admin=302, reviewer_elsewhere=403),
    "admin.update_verdict": scale_page(),
    "admin.save_scale": scale_page(),
    "admin.move_verdict": scale_page(),
    "admin.retire_verdict": scale_page(),
    "admin.delete_verdict": scale_page(),
    # --- projects -----------------------------------------------------------------
    "projects.index": page(),
    "projects.create": admin_page(302),
    "projects.switch": page(302, outsider=404),
    "projects.show": page(outsider=404),
    "projects.admin": project_admin_page(),
    "projects.settings": project_admin_page(302),
    "projects.guidelines": project_admin_page(302),
    "projects.members": project_admin_page(302),
    "projects.member_roles": project_admin_page(302),
    "projects.remove_member": project_admin_page(302),
    # --- JSON API -----------------------------------------------------------------
    "api.list_articles": api(),
    "api.get_article": api(outsider=404),
    # without a project, the outsider's import goes to their only project
    "api.import_articles": api_admin(201, outsider=201, project_admin=201, reviewer_elsewhere=403),
    "api.patch_article": api_admin(outsider=404, project_admin=200, reviewer_elsewhere=403),
    "api.delete_article": api_admin(204, outsider=404, project_admin=204, reviewer_elsewhere=403),
    # without a project: the caller's (the outsider's own project's scale)
    "api.list_verdicts": api(),
    "api.article_annotations": api(outsider=404),
    "api.create_annotation": api(201, reviewer=403, outsider=404, reviewer_elsewhere=403),
    # the draft: invisible to everyone but its author and admins
    "api.get_annotation": api(other=404, reviewer=404, outsider=404),
    # the submitted one: visible to all, changed by its author only
    "api.patch_annotation": api(other=403, reviewer=403, admin=403, outsider=404),
    "api.delete_annotation": api(204, other=404, reviewer=404, outsider=404),
    "api.submit_annotation": api(other=404, reviewer=404, admin=403, outsider=404),
    # the annotator (and their token) authored it: four-eyes refuses them
    "api.review_annotation": reviewer_api(outsider=404),
    "api.review_next": reviewer_api(),
    # blind second verdict: the world's project has the setting off, so those who may review
    # reach the service's 409 "not_blind" (tests/review/test_second_verdict*.py cover it on)
    "api.commit_second_verdict": reviewer_api(409, annotator=403, other=403, outsider=404),
    "api.reopen_annotation": api_admin(outsider=404, project_admin=200),
    # publication of the approved claim; DELETE: it is not published, so those who may
    # reach the service's 409 "not_published"
    "api.publish_annotation": reviewer_api(outsider=404),
    "api.unpublish_annotation": reviewer_api(409, outsider=404),
    # projects: members see theirs; the outsider does not know the world's project exists
    "api.list_projects": api(),
    "api.create_project": api_admin(201),
    "api.get_project": api(outsider=404),
    # evidence: the members of the project see its sources; anybody may add one to their own
    "api.list_sources": api(),
    "api.create_source": api(201),
    "api.get_source": api(outsider=404),
    "api.capture_source": api(202, outsider=404),
    "api.get_capture": api(outsider=404),
    "api.raw_capture": api(outsider=404),
    "evidence.source": page(outsider=404),
    "evidence.capture": page(outsider=404),
    "evidence.attention_list": page(),
    "evidence.read_source": page(302, outsider=404),
    "evidence.add_excerpt": page(302, other=404, reviewer=404, outsider=404),
    "api.patch_project": project_admin_api(),
    "api.delete_project": api_admin(204),
    "api.list_members": api(outsider=404),
    "api.add_member": project_admin_api(),
    "api.remove_member": project_admin_api(204),
    "api.list_revisions": api(outsider=404),
    "api.create_revision": api_admin(201, outsider=404, project_admin=201, reviewer_elsewhere=403),
    "api.settle_anchor": api(other=403, outsider=404),
    "api.export_csv": exporter_api(),
    "api.export_jsonl": exporter_api(),
    "api.export_claimreview": exporter_api(),
    # --- assignments: the annotator is assigned the spare article; otto is not -------
    # the outsider administers another project: the form names an article they cannot
    # pick, and comes back (200) saying so
    "assignments.index": {
        "GET": reviewer_page(),
        "POST": admin_page(302, outsider=422, project_admin=302, reviewer_elsewhere=403),
    },
    "assignments.show": page(other=404, outsider=404),
    "assignments.work": annotator_page(reviewer_elsewhere=403),
    # admins pass the role check but hold no share of the article
    "assignments.done": annotator_page(
        302, other=404, admin=404, outsider=404, reviewer_elsewhere=403
    ),
    "assignments.adjudicate_next": reviewer_page(302),
    "assignments.adjudicate": {
        "GET": reviewer_page(outsider=404),
        "POST": reviewer_page(302, outsider=404),
    },
    "api.list_assignments": reviewer_api(),
    "api.create_assignment": api_admin(
        201, outsider=422, project_admin=201, reviewer_elsewhere=403
    ),
    "api.get_assignment": api(other=404, outsider=404),
    "api.mark_done": api(other=404, reviewer=403, admin=404, outsider=404, reviewer_elsewhere=403),
    "api.agreement": reviewer_api(outsider=404),
    "api.agreement_csv": reviewer_api(outsider=404),
    "api.adjudication_next": reviewer_api(),
    "api.adjudication_groups": reviewer_api(outsider=404),
    "api.adjudicate_group": reviewer_api(201, outsider=404),
    # claim matching: the scope is what the caller may see; the draft is its author's
    "api.similar_claims": api(),
    "api.similar_to_annotation": api(other=404, reviewer=404, outsider=404),
    # the author or a reviewer confirms "same claim" on the submitted claim
    "api.confirm_same_as": api(201, other=403, outsider=404),
    "api.remove_same_as": api(other=403, outsider=404),
    "api.list_factchecks": api(),
    "api.import_factchecks": api_admin(),
    "admin.factchecks": admin_page(),
    "admin.factchecks_import": admin_page(),
    # the desk's memory: claims search shows each caller what they may see (filtered, never
    # refused); claimants are the installation's: members read, annotators create, site and
    # project admins (of any project) edit and merge
    "claims.index": page(),
    "api.claims_search": api(),
    "api.claims_search_csv": api(),
    "claimants.index": page(),
    "claimants.claimant_page": page(),
    "claimants.merge_confirm": row(
        LOGIN, 403, 403, 403, 200, LOGIN, LOGIN, 200, reviewer_elsewhere=403
    ),
    "claimants.edit": row(LOGIN, 403, 403, 403, 302, LOGIN, LOGIN, 302, reviewer_elsewhere=403),
    "claimants.merge": row(LOGIN, 403, 403, 403, 302, LOGIN, LOGIN, 302, reviewer_elsewhere=403),
    "api.list_claimants": api(),
    "api.get_claimant": api(),
    "api.create_claimant": api(201, reviewer=403, reviewer_elsewhere=403),
    "api.patch_claimant": row(401, 403, 403, 403, 200, 401, 403, 200, reviewer_elsewhere=403),
    "api.merge_claimant": row(401, 403, 403, 403, 200, 401, 403, 200, reviewer_elsewhere=403),
    # an article's suggestions: its project's members read them, its annotators act on them
    "api.article_suggestions": api(outsider=404),
    "api.dismiss_suggestion": api(reviewer=403, outsider=404),
    "api.accept_suggestion": api(201, reviewer=403, outsider=404),
}


def _assignment(w) -> dict:
    """The world's assignment (hardening/conftest.py): the annotator's, done, waiting."""
    return {"assignment_id": w.ids["assignment"], "article_id": w.ids["assigned_article"]}


def _annotation_form(annotation, **extra) -> dict:
    return {
        "start": annotation.start,
        "end": annotation.end,
        "quote": annotation.quote,
        "claim": "A claim, edited.",
        "claimant": "Someone",
        "verdict": "false",
        "rationale": "Because.",
        "sources-0-url": "https://example.org/a",
        **extra,
    }


def _relocated(annotation):
    """Mark the annotation relocated (as a revision would), so that confirming it runs."""
    from factcheck.extensions import db
    from factcheck.models import Anchor

    annotation.anchor = Anchor.RELOCATED
    db.session.commit()
    return annotation


def _sentence(w) -> dict:
    """The first sentence of the world's article, as the suggestions name it."""
    from factcheck.text.sentences import spans

    start, end = spans(w.article.text)[0]
    return {"start": start, "end": end}


def _claimant(w, key: str = "claimant") -> dict:
    return {"claimant_id": w.ids[key]}


#: how to call each endpoint: URL arguments and a minimal valid body
REQUESTS = {
    "api.get_claimant": lambda w: {"args": _claimant(w)},
    "claimants.claimant_page": lambda w: {"args": _claimant(w)},
    "api.create_claimant": lambda w: {"json": {"name": "Une ministre", "kind": "person"}},
    "api.patch_claimant": lambda w: {
        "args": _claimant(w),
        "json": {"description": "Maire de 2014 à 2020", "version": 1},
    },
    "api.merge_claimant": lambda w: {
        "args": _claimant(w),
        "json": {"into": w.ids["claimant_kept"], "version": 1},
    },
    "claimants.merge_confirm": lambda w: {
        "args": _claimant(w),
        "query": {"into": w.ids["claimant_kept"]},
    },
    "claimants.edit": lambda w: {
        "args": _claimant(w),
        "data": {"name": "Le maire sortant", "kind": "person", "version": 1},
    },
    "claimants.merge": lambda w: {
        "args": _claimant(w),
        "data": {"into": w.ids["claimant_kept"], "version": 1},
    },
    "api.article_suggestions": lambda w: {"args": {"article_id": w.article.id}},
    "api.dismiss_suggestion": lambda w: {
        "args": {"article_id": w.article.id},
        "json": {**_sentence(w), "kind": "worth_checking"},
    },
    "api.accept_suggestion": lambda w: {
        "args": {"article_id": w.article.id},
        "json": {**_sentence(w), "target": f"annotation:{w.approved.id}"},
    },
    "auth.login": lambda w: {"data": {"username": "nobody", "password": "wrong password"}},
    "auth.logout": lambda w: {"data": {"submit": "1"}},
    "auth.profile": lambda w: {
        "data": {"prefs-display_name": "New name", "prefs-locale": "", "prefs-submit": "1"}
    },
    "auth.change_password": lambda w: {
        "data": {
            "pw-current": PASSWORD,
            "pw-new": "a brand new long password",
            "pw-confirm": "a brand new long password",
            "pw-submit": "1",
        }
    },
    "auth.create_token": lambda w: {"data": {"tok-label": "script", "tok-submit": "1"}},
    "auth.revoke_token": lambda w: {"args": {"token_id": w.token_id}, "data": {"submit": "1"}},
    "articles.show": lambda w: {"args": {"article_id": w.article.id}},
    "articles.import_page": lambda w: {
        "data": {"title": "Pasted", "text": "A pasted article.", "language": "fr", "paste": "1"}
    },
    "articles.edit": lambda w: {
        "args": {"article_id": w.spare_article.id},
        "data": {"title": "Retitled", "language": "fr", "submit": "1"},
    },
    "articles.delete": lambda w: {
        "args": {"article_id": w.spare_article.id},
        "data": {"submit": "1"},
    },
    "annotate.page": lambda w: {"args": {"article_id": w.article.id}},
    "annotate.create": lambda w: {
        "args": {"article_id": w.article.id},
        "data": {**_annotation_form(w.draft), "action": "draft"},
    },
    "annotate.edit": lambda w: {
        "args": {"annotation_id": w.submitted.id},
        "data": _annotation_form(w.submitted, version=w.submitted.version),
    },
    "annotate.withdraw": lambda w: {
        "args": {"annotation_id": w.submitted.id},
        "data": {"version": w.submitted.version},
    },
    "annotate.delete": lambda w: {
        "args": {"annotation_id": w.draft.id},
        "data": {"version": w.draft.version},
    },
    "export.download": lambda w: {"args": {"fmt": "csv"}},
    "admin.users": lambda w: {
        "data": {
            "username": "newcomer",
            "password": "a long enough password",
            "roles": "annotator",
            "submit": "1",
        }
    },
    "admin.set_roles": lambda w: {
        "args": {"user_id": w.other.id},
        "data": {"roles": ["annotator", "reviewer"], "submit": "1"},
    },
    "admin.reset_password": lambda w: {
        "args": {"user_id": w.other.id},
        "data": {"password": "another long password", "submit": "1"},
    },
    "admin.deactivate": lambda w: {"args": {"user_id": w.other.id}, "data": {"submit": "1"}},
    "admin.activate": lambda w: {"args": {"user_id": w.deactivated.id}, "data": {"submit": "1"}},
    "admin.add_verdict": lambda w: {
        "data": {"key": "satire", "label": "Satire", "label_fr": "Satire", "colour": "#336699"}
    },
    "admin.update_verdict": lambda w: {
        "args": {"verdict_id": w.verdict_id},
        "data": {"label": "Half true"},
    },
    "admin.save_scale": lambda w: {
        "data": {f"label-{w.verdict_id}": "Half true", f"rating-{w.verdict_id}": "3"},
    },
    "admin.move_verdict": lambda w: {
        "args": {"verdict_id": w.verdict_id},
        "data": {"direction": "up"},
    },
    "admin.retire_verdict": lambda w: {
        "args": {"verdict_id": w.verdict_id},
        "data": {"retired": "1"},
    },
    "admin.delete_verdict": lambda w: {"args": {"verdict_id": w.spare_verdict_id}},
    "review.item": lambda w: {"args": {"annotation_id": w.submitted.id}},
    "review.approve": lambda w: {
        "args": {"annotation_id": w.submitted.id},
        "data": {"version": w.submitted.version},
    },
    "review.reject": lambda w: {
        "args": {"annotation_id": w.submitted.id},
        "data": {"version": w.submitted.version, "comment": "No source says so."},
    },
    "review.skip": lambda w: {"args": {"annotation_id": w.submitted.id}},
    "review.reopen": lambda w: {
        "args": {"annotation_id": w.approved.id},
        "data": {"version": w.approved.version, "reason": "New evidence."},
    },
    "review.publish": lambda w: {
        "args": {"annotation_id": w.approved.id},
        "data": {"version": w.approved.version, "published_url": "https://verif.example/1"},
    },
    "review.undo_adjudication": lambda w: {"data": {"decision": "0"}},
    "review.undo": lambda w: {
        "args": {"annotation_id": w.approved.id},
        "data": {"version": w.approved.version},
    },
    "review.fix_and_approve": lambda w: {
        "args": {"annotation_id": w.submitted.id},
        "data": {
            "version": w.submitted.version,
            "claim": "A fixed claim.",
            "sources-0-url": "https://example.org/fixed",
        },
    },
    "review.commit_second_verdict": lambda w: {
        "args": {"annotation_id": w.submitted.id},
        "data": {"verdict": "true", "version": w.submitted.version},
    },
    "api.commit_second_verdict": lambda w: {
        "args": {"annotation_id": w.submitted.id},
        "json": {"verdict": "true", "version": w.submitted.version},
    },
    "api.review_annotation": lambda w: {
        "args": {"annotation_id": w.submitted.id},
        "json": {"decision": "approve", "version": w.submitted.version},
    },
    "api.reopen_annotation": lambda w: {
        "args": {"annotation_id": w.approved.id},
        "json": {"reason": "New evidence.", "version": w.approved.version},
    },
    "api.publish_annotation": lambda w: {
        "args": {"annotation_id": w.approved.id},
        "json": {"published_url": "https://verif.example/1", "version": w.approved.version},
    },
    "api.unpublish_annotation": lambda w: {
        "args": {"annotation_id": w.approved.id},
        "json": {"version": w.approved.version},
    },
    "api.get_article": lambda w: {"args": {"article_id": w.article.id}},
    "revisions.revise": lambda w: {
        "args": {"article_id": w.article.id},
        "data": {"text": w.article.text + " Fin.", "revision": "1", "action": "save"},
    },
    "revisions.show": lambda w: {"args": {"article_id": w.article.id, "number": 1}},
    "revisions.settle": lambda w: {
        "args": {"annotation_id": _relocated(w.submitted).id},
        "data": {"action": "confirm", "version": w.submitted.version},
    },
    "api.list_revisions": lambda w: {"args": {"article_id": w.article.id}},
    "api.create_revision": lambda w: {
        "args": {"article_id": w.article.id},
        "json": {"text": w.article.text + " Fin.", "note": "Ajout"},
    },
    "api.settle_anchor": lambda w: {
        "args": {"annotation_id": _relocated(w.submitted).id},
        "json": {"action": "confirm", "version": w.submitted.version},
    },
    "api.import_articles": lambda w: {"json": {"title": "Imported", "text": "Imported text."}},
    "api.patch_article": lambda w: {
        "args": {"article_id": w.spare_article.id},
        "json": {"title": "Retitled"},
    },
    "api.delete_article": lambda w: {"args": {"article_id": w.spare_article.id}},
    "api.article_annotations": lambda w: {"args": {"article_id": w.article.id}},
    "api.create_annotation": lambda w: {
        "args": {"article_id": w.article.id},
        "json": {"start": w.draft.start, "end": w.draft.end, "quote": w.draft.quote},
    },
    "api.get_annotation": lambda w: {"args": {"annotation_id": w.draft.id}},
    "api.patch_annotation": lambda w: {
        "args": {"annotation_id": w.submitted.id},
        "json": {"claim": "Changed.", "version": w.submitted.version},
    },
    "api.delete_annotation": lambda w: {
        "args": {"annotation_id": w.draft.id},
        "query": {"version": w.draft.version},
    },
    "api.submit_annotation": lambda w: {
        "args": {"annotation_id": w.draft.id},
        "json": {"version": w.draft.version},
    },
    "assignments.index": {
        "POST": lambda w: {
            "data": {
                "name": "From the page",
                "article_ids": [str(w.ids["free_article"])],
                "annotators": ["annie", "otto"],
                "per_article": "1",
            }
        }
    },
    "assignments.show": lambda w: {"args": {"assignment_id": _assignment(w)["assignment_id"]}},
    "assignments.done": lambda w: {"args": _assignment(w), "data": {"undo": "1"}},
    "assignments.adjudicate": lambda w: {
        "args": _assignment(w),
        "data": {"start": "0", "end": "7", "decision": "drop"},
    },
    "api.create_assignment": lambda w: {
        "json": {
            "name": "From the API",
            "article_ids": [w.ids["free_article"]],
            "annotators": ["annie", "otto"],
            "per_article": 2,
        }
    },
    "api.get_assignment": lambda w: {"args": {"assignment_id": _assignment(w)["assignment_id"]}},
    "api.mark_done": lambda w: {"args": _assignment(w)},
    "api.agreement": lambda w: {"args": {"assignment_id": _assignment(w)["assignment_id"]}},
    "api.agreement_csv": lambda w: {"args": {"assignment_id": _assignment(w)["assignment_id"]}},
    "api.adjudication_groups": lambda w: {"args": _assignment(w)},
    "api.adjudicate_group": lambda w: {
        "args": _assignment(w),
        "json": {"start": 0, "end": 7, "decision": "drop"},
    },
    "projects.create": lambda w: {
        "data": {"name": "New desk", "slug": "new-desk", "template": "fever", "submit": "1"}
    },
    "projects.switch": lambda w: {"data": {"project": w.project.slug, "next": "/"}},
    "projects.show": lambda w: {"args": {"slug": w.project.slug}},
    "projects.admin": lambda w: {"args": {"slug": w.project.slug}},
    "projects.settings": lambda w: {
        "args": {"slug": w.project.slug},
        "data": {"name": "Renamed", "description": "", "reservation_minutes": "20"},
    },
    "projects.guidelines": lambda w: {
        "args": {"slug": w.project.slug},
        "data": {"guidelines": "Quote the claim exactly."},
    },
    "projects.members": lambda w: {
        "args": {"slug": w.project.slug},
        "data": {"username": "otto", "roles": ["annotator", "reviewer"]},
    },
    "projects.member_roles": lambda w: {
        "args": {"slug": w.project.slug},
        "data": {"username": "otto", "roles": ["reviewer"]},
    },
    "projects.remove_member": lambda w: {
        "args": {"slug": w.project.slug},
        "data": {"username": "otto"},
    },
    "api.create_project": lambda w: {
        "json": {"name": "New desk", "slug": "new-desk", "template": "liar"}
    },
    "api.get_project": lambda w: {"args": {"slug": w.project.slug}},
    "api.patch_project": lambda w: {
        "args": {"slug": w.project.slug},
        "json": {"guidelines": "Quote the claim exactly."},
    },
    "api.delete_project": lambda w: {"args": {"slug": w.spare_project.slug}},
    "api.list_members": lambda w: {"args": {"slug": w.project.slug}},
    "api.add_member": lambda w: {
        "args": {"slug": w.project.slug},
        "json": {"username": "otto", "roles": ["reviewer"]},
    },
    "api.remove_member": lambda w: {
        "args": {"slug": w.project.slug},
        "json": {"username": "otto"},
    },
    "api.similar_claims": lambda w: {"query": {"text": "a claim"}},
    "api.similar_to_annotation": lambda w: {"args": {"annotation_id": w.draft.id}},
    "api.confirm_same_as": lambda w: {
        "args": {"annotation_id": w.submitted.id},
        "json": {"target": "https://fact.example.org/matrix", "version": w.submitted.version},
    },
    "api.remove_same_as": lambda w: {
        "args": {"annotation_id": w.submitted.id},
        "json": {"target": f"annotation:{w.approved.id}", "version": w.submitted.version},
    },
    "api.import_factchecks": lambda w: {
        "json": [{"claimReviewed": "A claim.", "url": "https://fact.example.org/1"}]
    },
    "admin.factchecks_import": lambda w: {
        "data": {
            "file": (
                io.BytesIO(b'{"claimReviewed": "A.", "url": "https://f.example/1"}'),
                "a.jsonl",
            )
        }
    },
    # evidence: the world project's source and its capture (conftest._evidence)
    "api.create_source": lambda w: {"json": {"url": "https://evidence.example/new"}},
    "api.get_source": lambda w: {"args": {"source_id": w.ids["source"]}},
    "api.capture_source": lambda w: {"args": {"source_id": w.ids["source"]}},
    "api.get_capture": lambda w: {"args": {"capture_id": w.ids["capture"]}},
    "api.raw_capture": lambda w: {"args": {"capture_id": w.ids["capture"]}},
    "evidence.source": lambda w: {"args": {"source_id": w.ids["source"]}},
    "evidence.capture": lambda w: {"args": {"capture_id": w.ids["capture"]}},
    "evidence.read_source": lambda w: {"args": {"source_id": w.ids["source"]}},
    "evidence.add_excerpt": lambda w: {
        "args": {"capture_id": w.ids["capture"]},
        "data": {
            "annotation_id": w.draft.id,
            "version": w.draft.version,
            "start": 0,
            "end": 8,
            "quote": "Evidence",
        },
    },
}


# --- the generated cases -----------------------------------------------------------------


def routes(app: Flask) -> set[tuple[str, str]]:
    """(endpoint, method) for every route of ``app`` except ``static``."""
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in rule.methods & set(METHODS):
            found.add((rule.endpoint, method))
    return found


def expected_for(endpoint: str, method: str, table: dict = EXPECTED) -> dict | None:
    entry = table.get(endpoint)
    if entry is None:
        return None
    return entry.get(method) if set(entry) <= set(METHODS) else entry


def completeness_problems(app: Flask, table: dict = EXPECTED) -> list[str]:
    """What makes the table disagree with the app: routes without a row, rows without a
    route, rows that miss a principal."""
    problems = []
    present = routes(app)
    for endpoint, method in sorted(present):
        cells = expected_for(endpoint, method, table)
        if cells is None:
            problems.append(f"{method} {endpoint}: no row in EXPECTED (deny by default)")
        elif set(cells) != set(PRINCIPALS):
            problems.append(f"{method} {endpoint}: row must name every principal")
    endpoints = {endpoint for endpoint, _ in present}
    for endpoint in sorted(set(table) - endpoints):
        problems.append(f"{endpoint}: in EXPECTED but not a route of the app any more")
    return problems


def _app_routes() -> list[tuple[str, str]]:
    from factcheck import create_app

    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    return sorted(routes(app))


CASES = [(e, m, p) for e, m in _app_routes() for p in PRINCIPALS]


def test_every_route_has_a_row_and_every_row_a_route(app):
    assert completeness_problems(app) == []


@pytest.mark.fresh_app
def test_a_new_route_without_a_row_fails_the_completeness_check(app):
    app.add_url_rule("/throwaway", "throwaway", lambda: "hi", methods=["GET", "POST"])
    problems = completeness_problems(app)
    assert "GET throwaway: no row in EXPECTED (deny by default)" in problems
    assert "POST throwaway: no row in EXPECTED (deny by default)" in problems


def test_a_row_for_a_vanished_route_fails_the_completeness_check(app):
    table = {**EXPECTED, "api.gone": api()}
    assert "api.gone: in EXPECTED but not a route of the app any more" in (
        completeness_problems(app, table)
    )


def test_a_row_missing_a_principal_fails_the_completeness_check(app):
    cells = dict(api())
    del cells["token"]
    table = {**EXPECTED, "api.list_verdicts": cells}
    assert "GET api.list_verdicts: row must name every principal" in (
        completeness_problems(app, table)
    )


def _recipe(endpoint: str, method: str, world) -> dict:
    recipe = REQUESTS.get(endpoint)
    if recipe is None:
        return {}
    if isinstance(recipe, dict):
        recipe = recipe.get(method, lambda w: {})
    return recipe(world)


@pytest.mark.parametrize(("endpoint", "method", "principal"), CASES)
def test_route_matrix(app, world, as_principal, endpoint, method, principal):
    expected = (expected_for(endpoint, method) or {}).get(principal)
    assert expected is not None, f"{method} {endpoint}: no row in EXPECTED"
    recipe = _recipe(endpoint, method, world)
    client, headers = as_principal(principal)
    with app.test_request_context():
        url = url_for(endpoint, **recipe.get("args", {}))
    body = {k: recipe[k] for k in ("json", "data") if k in recipe and method != "GET"}
    response = client.open(
        url, method=method, headers=headers, query_string=recipe.get("query"), **body
    )
    got = response.status_code
    if expected == LOGIN:
        assert got == 302, f"{method} {url} as {principal}: {got}, expected the login page"
        assert response.headers["Location"].startswith("/login"), response.headers["Location"]
        return
    assert got == expected, (
        f"{method} {url} as {principal}: {got}, expected {expected}\n"
        f"{response.get_data(as_text=True)[:300]}"
    )
    if url.startswith("/api/") and got >= 400:
        assert response.get_json()["error"]["code"], "API errors are JSON with a code"
