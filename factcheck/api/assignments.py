"""Assignments, agreement and adjudication in the JSON API.

``GET/POST /assignments``, ``GET /assignments/<id>``,
``POST/DELETE /assignments/<id>/articles/<article_id>/done`` (the caller's own share),
``GET /assignments/<id>/agreement`` (+ ``agreement.csv`` per article),
``GET /adjudication/next``, ``GET/POST /assignments/<id>/articles/<article_id>/groups``.

Who sees an assignment: admins and reviewers of its project, and the annotators it names
while members of the project (404 for anybody else); its agreement figures are for the
project's reviewers. Only admins create one.
"""

from __future__ import annotations

import csv
import io

from flask import Response, abort, request
from flask_login import current_user

from ..database import write_intent
from ..extensions import db
from ..idempotency import creates
from ..models import Assignment
from ..permissions import Role, sees_whole_assignment
from ..services import adjudication, assignment_agreement, assignments, projects
from ..times import iso
from ..web import require_role
from . import bp, json_body, known_args, page_answer, page_args
from .shapes import assignment_json, group_json

CSV_COLUMNS = (
    "article_id",
    "title",
    "annotators",
    "claims",
    "units",
    "f1_exact",
    "f1_overlap",
    "alpha_nominal",
    "alpha_ordinal",
    "disagreement",
)


def _visible(assignment_id: int) -> Assignment:
    return assignments.get_visible(db.session, assignment_id, current_user)


def _figures_of(assignment_id: int) -> Assignment:
    """The assignment whose agreement figures the caller reads: its project's reviewers only
    (an annotator of it who reviews elsewhere passes ``require_role``, not this)."""
    assignment = _visible(assignment_id)
    if not sees_whole_assignment(current_user, assignment):
        abort(403)
    return assignment


@bp.get("/assignments")
@require_role(Role.REVIEWER)
def list_assignments():
    page, per_page = page_args({"project"})
    project = projects.optional(db.session, request.args.get("project"), current_user)
    items = assignments.listing(db.session, current_user, project.id if project else None)
    chunk = items[(page - 1) * per_page : page * per_page]
    return page_answer([assignment_json(a) for a in chunk], len(items), page, per_page)


@bp.post("/assignments")
@require_role(Role.PROJECT_ADMIN)
@creates  # commits; a repeated Idempotency-Key gets the first answer
def create_assignment():
    assignment = assignments.create(db.session, current_user, json_body())
    db.session.flush()
    states = assignments.article_states(db.session, assignment)
    return (
        assignment_json(assignment, states),
        201,
        {"Location": f"/api/v1/assignments/{assignment.id}"},
    )


@bp.get("/assignments/<int:assignment_id>")
def get_assignment(assignment_id: int):
    known_args()
    assignment = _visible(assignment_id)
    return assignment_json(assignment, assignments.states_for(db.session, assignment, current_user))


@bp.post("/assignments/<int:assignment_id>/articles/<int:article_id>/done")
@bp.delete("/assignments/<int:assignment_id>/articles/<int:article_id>/done")
@require_role(Role.ANNOTATOR)
def mark_done(assignment_id: int, article_id: int):
    assignment = _visible(assignment_id)
    task = assignments.mark_done(
        db.session, assignment, article_id, current_user, done=request.method == "POST"
    )
    db.session.commit()
    return {"assignment_id": assignment.id, "article_id": article_id, "done": iso(task.done_at)}


@bp.get("/assignments/<int:assignment_id>/agreement")
@require_role(Role.REVIEWER)
def agreement(assignment_id: int):
    known_args()
    assignment = _figures_of(assignment_id)
    return assignment_agreement.agreement_report(db.session, assignment)


@bp.get("/assignments/<int:assignment_id>/agreement.csv")
@require_role(Role.REVIEWER)
def agreement_csv(assignment_id: int):
    known_args()
    assignment = _figures_of(assignment_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in assignment_agreement.per_article(db.session, assignment):
        writer.writerow(["" if row[c] is None else row[c] for c in CSV_COLUMNS])
    name = f"agreement-assignment-{assignment.id}.csv"
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/adjudication/next")
@require_role(Role.REVIEWER)
def adjudication_next():
    known_args()
    db.session.commit()  # this GET writes the reservation (see review_next)
    write_intent.set(True)
    aa = adjudication.next_item(db.session, current_user)
    db.session.commit()
    if aa is None:
        return {"item": None}
    return {
        "item": {"assignment_id": aa.assignment_id, "article_id": aa.article_id},
        "reserved_until": iso(aa.reserved_until),
    }


@bp.get("/assignments/<int:assignment_id>/articles/<int:article_id>/groups")
@require_role(Role.REVIEWER)
def adjudication_groups(assignment_id: int, article_id: int):
    known_args()
    aa = adjudication.get(db.session, _visible(assignment_id).id, article_id)
    adjudication.check_adjudicator(db.session, aa, current_user)
    groups = adjudication.groups(db.session, aa)
    return {
        "assignment_id": assignment_id,
        "article_id": article_id,
        "adjudicated": aa.adjudicated_at is not None,
        "groups": [group_json(g) for g in groups],
    }


@bp.post("/assignments/<int:assignment_id>/articles/<int:article_id>/groups")
@require_role(Role.REVIEWER)
def adjudicate_group(assignment_id: int, article_id: int):
    aa = adjudication.get(db.session, _visible(assignment_id).id, article_id)
    row = adjudication.decide(db.session, aa, current_user, json_body())
    db.session.commit()
    answer = {"decision": row.decision, "adjudicated": aa.adjudicated_at is not None}
    if row.result_annotation_id:
        answer["annotation_id"] = row.result_annotation_id
    return answer, 201
