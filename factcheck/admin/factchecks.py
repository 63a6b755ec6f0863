"""Admin: the past fact-checks (ClaimReview archives), listed and searched.

Importing is `factcheck import-claimreview FILE...` or `POST /api/v1/factchecks`."""

from flask import render_template, request

from ..extensions import db
from ..models import Role
from ..services import factchecks as service
from ..web import number_arg, require_role
from . import bp

PER_PAGE = 50


@bp.get("/factchecks")
@require_role(Role.ADMIN)
def factchecks():
    q = request.args.get("q", "")[:200]
    page = number_arg("page", most=100_000)
    items, total = service.listing(db.session, q=q, page=page, per_page=PER_PAGE)
    return render_template(
        "admin/factchecks.html", items=items, total=total, q=q, page=page, per_page=PER_PAGE
    )
