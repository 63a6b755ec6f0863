"""The JSON API under /api/v1/: session + X-CSRFToken for the page's JavaScript,
``Authorization: Bearer`` tokens for scripts. Errors are always
``{"error": {"code": ..., "message": ...}}``."""

from flask import Blueprint, abort, request
from flask_babel import gettext as _
from flask_login import current_user

from ..services.errors import BadRequest

bp = Blueprint("api", __name__, url_prefix="/api/v1")

MAX_PER_PAGE = 1000
#: beyond it the OFFSET no longer fits the database's integers (and no list is that long)
MAX_PAGE = 1_000_000


@bp.before_request
def _require_login():
    if not current_user.is_authenticated:
        abort(401)


def json_body() -> dict:
    """The request's JSON object, or a 400 that says what is wrong with it."""
    data = request.get_json(silent=True)
    if data is None:
        raise BadRequest(_("Send a JSON object with Content-Type: application/json."))
    if not isinstance(data, dict):
        raise BadRequest(_("The JSON body must be an object."))
    return data


def known_args(allowed: set[str] = frozenset()) -> None:
    """Refuse (400) query parameters outside ``allowed``: a misspelt filter must not
    silently return everything."""
    unknown = set(request.args) - set(allowed)
    if unknown:
        raise BadRequest(
            _("Unknown query parameter: %(names)s.", names=", ".join(sorted(unknown))),
            code="unknown_parameter",
        )


def page_args(allowed: set[str] = frozenset()) -> tuple[int, int]:
    """``page`` and ``per_page`` from the query string; unknown parameters are refused."""
    known_args({"page", "per_page"} | set(allowed))
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", 50))
    except ValueError:
        raise BadRequest(_("page and per_page must be whole numbers.")) from None
    if not 1 <= page <= MAX_PAGE or not 1 <= per_page <= MAX_PER_PAGE:
        raise BadRequest(_("page starts at 1; per_page is between 1 and %(n)s.", n=MAX_PER_PAGE))
    return page, per_page


FLAGS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False, "": False}


def flag(name: str) -> bool:
    """A yes/no query parameter: ``1``, ``true``, ``yes`` or ``0``, ``false``, ``no`` (any
    case; absent or empty is no); anything else is a 400."""
    value = FLAGS.get(request.args.get(name, "").strip().lower())
    if value is None:
        raise BadRequest(_("%(name)s must be 0 or 1.", name=name))
    return value


def id_list(name: str, *, most: int = 1000) -> list[int]:
    """A comma-separated list of ids (``?skip=3,5``), the first ``most`` of them."""
    try:
        return [int(part) for part in request.args.get(name, "").split(",") if part.strip()][:most]
    except ValueError:
        raise BadRequest(
            _("%(name)s is a comma-separated list of whole numbers.", name=name)
        ) from None


def page_answer(items: list, total: int, page: int, per_page: int) -> dict:
    return {"items": items, "total": total, "page": page, "per_page": per_page}


from . import annotations, articles, assignments, export, matching  # noqa: E402,F401,I001
from . import projects, review, revisions, second_verdict, verdicts  # noqa: E402,F401,I001
