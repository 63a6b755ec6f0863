"""The Claims page: search every claim the caller may see and the past fact-checks, by
words or meaning, filtered; the result's verdicts as a small chart; the result as CSV
(the API's download, spreadsheet-safe). A GET form: it works without JavaScript."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user

from ..extensions import db
from ..services import search
from ..services.errors import DomainError
from ..services.search import choices
from ..web import login_required
from . import bp


@bp.get("/claims")
@login_required
def index():
    error = None
    try:
        criteria = search.parse(request.args)
        answer = search.run(db.session, current_user, criteria, config=current_app.config)
    except DomainError as problem:
        db.session.rollback()
        error, criteria, answer = problem, _as_typed(), None
    scope_hidden = search.hidden_anywhere(db.session, current_user)
    verdict_choices = choices.verdict_choices(db.session, current_user, hidden=scope_hidden)
    download = criteria.query_args(page="", per_page="") | {"spreadsheet_safe": "1"}
    return render_template(
        "claims/index.html",
        criteria=criteria,
        answer=answer,
        error=error,
        verdict_choices=verdict_choices,
        status_choices=choices.status_choices(),
        kind_choices=choices.kind_choices(),
        project_choices=choices.project_choices(db.session, current_user),
        languages=choices.language_choices(db.session, current_user),
        chart=choices.distribution_rows(answer["verdicts"], verdict_choices) if answer else [],
        download={k: v for k, v in download.items() if v},
        semantic_available=search.semantic.available(current_app.config),
    ), (422 if error else 200)


def _as_typed() -> search.Criteria:
    """After a refused query: the form shows the words typed, the filters reset."""
    q = (request.args.get("q") or "")[: search.params.MAX_Q]
    return search.Criteria(q=q)
