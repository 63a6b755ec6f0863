"""Claimants in the JSON API (DESIGN.md, "The desk's memory").

``GET /claimants?q=`` suggests (name and aliases, word prefixes, accents and case ignored;
``limit``), without ``q`` a page of the list; ``POST /claimants``; ``GET, PATCH
/claimants/<id>`` (PATCH names the ``version`` it saw: 409 when stale); ``POST
/claimants/<id>/merge`` ``{"into": id, "version": n}``. Claimants are shared by the
installation: members of any project read them, annotators create them, site and project
admins edit and merge them. ``claims`` counts the claims the caller may see.
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..idempotency import creates
from ..jsonsafe import parse_whole
from ..models import Claimant
from ..permissions import can_create_claimant, can_edit_claimants, can_see_claimants
from ..services import claimants as service
from ..services.errors import BadRequest, NotAllowed, NotFound
from . import bp, json_body, known_args, page_answer, page_args


def claimant_json(claimant: Claimant, claims: int) -> dict:
    return {
        "id": claimant.id,
        "name": claimant.name,
        "kind": claimant.kind.value,
        "description": claimant.description,
        "aliases": [row.alias for row in claimant.aliases],
        "same_as": list(claimant.same_as or []),
        "merged_into": claimant.merged_into_id,
        "version": claimant.version,
        "claims": claims,
    }


def _as_json(claimants: list[Claimant]) -> list[dict]:
    counts = service.claim_counts(db.session, [c.id for c in claimants], current_user)
    return [claimant_json(c, counts.get(c.id, 0)) for c in claimants]


def _check(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def _reader() -> None:
    _check(can_see_claimants(current_user), _("Only members of a project can see claimants."))


def _editor() -> None:
    _check(
        can_edit_claimants(current_user),
        _("Only site and project administrators can change claimants."),
    )


def _claimant(claimant_id: int) -> Claimant:
    claimant = db.session.get(Claimant, claimant_id)
    if claimant is None:
        raise NotFound(_("No claimant has the id %(id)s.", id=claimant_id))
    return claimant


def _limit() -> int:
    raw = request.args.get("limit")
    if raw is None:
        return service.DEFAULT_LIMIT
    number = parse_whole(raw)
    if number is None or not 1 <= number <= service.MAX_LIMIT:
        raise BadRequest(
            _("limit is a whole number from 1 to %(n)s.", n=service.MAX_LIMIT), field="limit"
        )
    return number


@bp.get("/claimants")
def list_claimants():
    _reader()
    if "q" in request.args:
        known_args({"q", "limit"})
        found = service.suggest(db.session, request.args["q"], _limit())
        items = _as_json([s.claimant for s in found])
        for item, suggestion in zip(items, found, strict=True):
            item["matched_alias"] = suggestion.alias
        return page_answer(items, len(items), 1, max(len(items), 1))
    page, per_page = page_args()
    claimants, total = service.listing(db.session, page, per_page)
    return page_answer(_as_json(claimants), total, page, per_page)


@bp.post("/claimants")
@creates  # commits; a repeated Idempotency-Key gets the first answer
def create_claimant():
    _check(can_create_claimant(current_user), _("Only annotators and admins can add claimants."))
    claimant = service.create(db.session, json_body())
    return claimant_json(claimant, 0), 201, {"Location": f"/api/v1/claimants/{claimant.id}"}


@bp.get("/claimants/<int:claimant_id>")
def get_claimant(claimant_id: int):
    _reader()
    known_args()
    return _as_json([_claimant(claimant_id)])[0]


@bp.patch("/claimants/<int:claimant_id>")
def patch_claimant(claimant_id: int):
    _editor()
    claimant = _claimant(claimant_id)
    service.update_claimant(db.session, claimant, json_body())
    answer = _as_json([claimant])[0]
    db.session.commit()
    return answer


@bp.post("/claimants/<int:claimant_id>/merge")
def merge_claimant(claimant_id: int):
    """Merge this claimant into ``into``: answers the claimant kept."""
    _editor()
    source = _claimant(claimant_id)
    data = json_body()
    service.refuse_unknown(data, {"into", "version"})
    kept = service.merge(db.session, source, data.get("into"), data.get("version"))
    answer = _as_json([kept])[0]
    db.session.commit()
    return answer
