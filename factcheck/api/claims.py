"""Claims search in the JSON API (DESIGN.md, "The desk's memory").

``GET /claims?q=…`` (``semantic``, ``claimant``, ``verdict``, ``status``, ``project``,
``language``, ``from``, ``to``, ``kind``, ``order``, ``page``, ``per_page``):
``{"items", "total", "verdicts", "page", "per_page", "semantic", "order"}``;
``GET /claims.csv?…`` (or ``format=csv``) streams the whole result as CSV
(``spreadsheet_safe=1``: cells a spreadsheet would run as formulas neutralized, and a BOM).
"""

from __future__ import annotations

from flask import Response, current_app, request, stream_with_context
from flask_login import current_user

from ..extensions import db
from ..services import search
from ..services.search import csv as search_csv
from . import bp


def csv_response(criteria: search.Criteria) -> Response:
    """The CSV of a search, streamed (shared with the page's download)."""
    lines = search_csv.lines(
        db.session, current_user, criteria, config=current_app.config, base_url=request.url_root
    )
    response = Response(stream_with_context(lines), content_type="text/csv; charset=utf-8")
    name = search_csv.filename(criteria)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/claims")
def claims_search():
    criteria = search.parse(request.args)
    if criteria.format == "csv":
        return csv_response(criteria)
    return search.run(db.session, current_user, criteria, config=current_app.config)


@bp.get("/claims.csv")
def claims_search_csv():
    return csv_response(search.parse(request.args, csv=True))
