"""The JSON API under /api/v1/: session + X-CSRFToken for the page's JavaScript,
``Authorization: Bearer`` tokens for scripts. Errors are always
``{"error": {"code": ..., "message": ...}}``.

Views read what the client sent through the helpers below, never ``request`` directly:
``json_body``/``json_value`` (the body, read once by ``web``; an integer the database
cannot hold is a 422 naming its field), ``text_field``, and ``id_list``, ``page_args``,
``flag`` and ``known_args`` for the query string (numbers read by ``jsonsafe``).
"""

from flask import Blueprint, abort, request
from flask_babel import gettext as _
from flask_login import current_user

from ..jsonsafe import INT_MAX, INT_MIN, out_of_range, parse_whole, whole_number
from ..services.errors import BadRequest, Invalid

bp = Blueprint("api", __name__, url_prefix="/api/v1")

MAX_PER_PAGE = 1000
#: beyond it the OFFSET no longer fits the database's integers (and no list is that long)
MAX_PAGE = 1_000_000


@bp.before_request
def _require_login():
    if not current_user.is_authenticated:
        abort(401)


#: fields that take a number as text: an external_id of 12 digits names, it does not count
NUMBERS_AS_TEXT = frozenset({"external_id"})


def json_value(*, optional: bool = False):
    """The request's JSON body, any JSON value (None when ``optional`` and there is no
    body); a 400 that says what is wrong with it, a 422 naming the field that holds an
    integer the database cannot store."""
    if optional and not request.get_data(cache=True):
        return None
    if not request.is_json:
        raise BadRequest(_("Send a JSON object with Content-Type: application/json."))
    data = request.get_json()  # read once, before the view (web.py): a 400 if unreadable
    field = out_of_range(data, text_fields=NUMBERS_AS_TEXT)
    if field is not None:
        raise Invalid(
            _(
                "%(field)s: a number is out of range (from %(minimum)s to %(maximum)s).",
                field=field,
                minimum=INT_MIN,
                maximum=INT_MAX,
            ),
            field=field,
        )
    return data


def json_body() -> dict:
    """The request's JSON object (``json_value``), or a 400 when it is another value."""
    data = json_value()
    if not isinstance(data, dict):
        raise BadRequest(_("The JSON body must be an object."))
    return data


def text_field(data: dict, name: str, default: str | None = None) -> str | None:
    """``data[name]`` when it is text (or absent: ``default``), else 422 naming it."""
    value = data.get(name, default)
    if value is not None and not isinstance(value, str):
        raise Invalid(_("%(name)s must be text.", name=name), field=name)
    return value


def known_args(allowed: set[str] = frozenset()) -> None:
    """Refuse (400) query parameters outside ``allowed``: a misspelt filter must not
    silently return everything."""
    unknown = set(request.args) - set(allowed)
    if unknown:
        raise BadRequest(
            _("Unknown query parameter: %(names)s.", names=", ".join(sorted(unknown))),
            code="unknown_parameter",
            details={"parameters": sorted(unknown)},
        )


def page_args(allowed: set[str] = frozenset()) -> tuple[int, int]:
    """``page`` and ``per_page`` from the query string; unknown parameters are refused."""
    known_args({"page", "per_page"} | set(allowed))
    numbers = {}
    for name, default, most in (("page", 1, MAX_PAGE), ("per_page", 50, MAX_PER_PAGE)):
        raw = request.args.get(name)
        number = default if raw is None else parse_whole(raw)
        if number is None:
            raise BadRequest(_("page and per_page must be whole numbers."), field=name)
        if not 1 <= number <= most:
            raise BadRequest(
                _("page starts at 1; per_page is between 1 and %(n)s.", n=MAX_PER_PAGE),
                field=name,
            )
        numbers[name] = number
    return numbers["page"], numbers["per_page"]


FLAGS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False, "": False}


def flag(name: str) -> bool:
    """A yes/no query parameter: ``1``, ``true``, ``yes`` or ``0``, ``false``, ``no`` (any
    case; absent or empty is no); anything else is a 400."""
    value = FLAGS.get(request.args.get(name, "").strip().lower())
    if value is None:
        raise BadRequest(_("%(name)s must be 0 or 1.", name=name))
    return value


def id_list(name: str, *, most: int = 1000) -> list[int]:
    """A comma-separated list of ids (``?skip=3,5``), the first ``most`` of them: 400 when
    one is not a whole number, 422 naming the list when one is not an id (1 to INT_MAX)."""
    parts = [part for part in request.args.get(name, "").split(",") if part.strip()][:most]
    ids = [whole_number(part, name, minimum=1) for part in parts]
    if None in ids:
        raise BadRequest(
            _("%(name)s is a comma-separated list of whole numbers.", name=name), field=name
        )
    return ids


def page_answer(items: list, total: int, page: int, per_page: int) -> dict:
    return {"items": items, "total": total, "page": page, "per_page": per_page}


from . import annotations, articles, assignments, export, matching  # noqa: E402,F401,I001
from . import projects, review, revisions, second_verdict, verdicts  # noqa: E402,F401,I001
from . import evidence  # noqa: E402,F401,I001
from . import claimants, claims, publication, suggestions  # noqa: E402,F401,I001
