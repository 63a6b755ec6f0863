"""JSON in and out, safely: every JSON document the app reads or emits goes through here.

Out: ``<``, ``>`` and ``&`` (and the JavaScript line separators U+2028/U+2029) are written
as ``\\u003c``, ``\\u003e``, ``\\u0026``…: the same JSON value, but no text inside it can
close a ``<script type="application/ld+json">`` block or open a comment when a publisher
pastes our ClaimReview (or any export or API answer) into a page.

In (``loads``: request bodies, ClaimReview archives, JSON Lines files): nesting deeper than
``MAX_DEPTH``, numbers of more than 4,300 digits and the non-standard ``NaN``/``Infinity``
are refused with a ``JSONError`` (a ``ValueError``) saying which, never a RecursionError or
a 500 further on. ``out_of_range`` finds an integer the database cannot hold.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _

from .models.base import MAX_ID
from .services.errors import Invalid

_UNSAFE = re.compile("[<>&\u2028\u2029]")
_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def escape(text: str) -> str:
    """Escape already serialized JSON (these characters only occur inside strings)."""
    return text.translate(_ESCAPES) if _UNSAFE.search(text) else text


def dumps(value: Any, **kwargs: Any) -> str:
    kwargs.setdefault("ensure_ascii", False)
    return escape(json.dumps(value, **kwargs))


class SafeJSONProvider(DefaultJSONProvider):
    """Flask's JSON (``jsonify``, ``return dict``) with the HTML-safe escapes; request bodies
    (``request.get_json``) read by ``loads`` with its limits."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return escape(super().dumps(obj, **kwargs))

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads(s) if not kwargs else super().loads(s, **kwargs)


# --- reading ------------------------------------------------------------------------------

#: far deeper than any document the app reads (a ClaimReview @graph is 5 levels), far
#: shallower than Python's recursion limit (~1,000 frames, shared with the request's own)
MAX_DEPTH = 64
#: the database's integer (PostgreSQL INTEGER, 32 bits; SQLite holds 64): ids, offsets,
#: versions and counts are stored in such columns, and a larger number must not reach SQL
INT_MIN, INT_MAX = -MAX_ID - 1, MAX_ID
#: what a JSON number may be written with before Python refuses to read it
MAX_DIGITS = 4300


class JSONError(ValueError):
    """Text that is not JSON the app reads; ``str(error)`` says why, for the user.
    ``syntax``: it is not JSON at all (else: JSON beyond the limits)."""

    def __init__(self, message: str, *, syntax: bool = False):
        super().__init__(message)
        self.syntax = syntax


def _refuse_constant(name: str):
    raise JSONError(_("%(name)s is not a JSON value.", name=name))


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def loads(text: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` with the limits above; raises ``JSONError``."""
    if isinstance(text, bytes | bytearray):
        try:
            text = text.decode(json.detect_encoding(text))
        except UnicodeDecodeError:
            raise JSONError(_("The JSON is not valid UTF-8.")) from None
    value, end = raw_decode(text, _skip_space(text, 0), max_depth=max_depth)
    if _skip_space(text, end) != len(text):
        raise JSONError(_not_json("Extra data", text, end), syntax=True)
    return value


def raw_decode(text: str, position: int = 0, *, max_depth: int = MAX_DEPTH) -> tuple[Any, int]:
    """(value, end) of the JSON value that starts at ``position`` of ``text``."""
    try:
        value, end = _DECODER.raw_decode(text, position)
    except json.JSONDecodeError as error:
        raise JSONError(_not_json(error.msg, text, error.pos), syntax=True) from None
    except RecursionError:
        raise JSONError(too_deep(max_depth)) from None
    except JSONError:
        raise
    except ValueError:  # int(): "Exceeds the limit (4300 digits) for integer string conversion"
        raise JSONError(
            _("A number in the JSON has more than %(n)s digits.", n=f"{MAX_DIGITS:,}")
        ) from None
    if isinstance(value, dict | list) and _may_nest(text, position, end, max_depth):
        if depth(value, max_depth) > max_depth:
            raise JSONError(too_deep(max_depth))
    return value, end


def _may_nest(text: str, start: int, end: int, max_depth: int) -> bool:
    """Could ``text[start:end]`` nest deeper than ``max_depth``? Not with so few brackets
    (counted in C: a record of an archive needs no walk)."""
    return text.count("[", start, end) + text.count("{", start, end) > max_depth


_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_BRACKET_OR_STRING = re.compile(_STRING + r"|[\[\]{}]")
_SCALAR = re.compile(_STRING + r"|[^\s,\]}]+")


def end_of_value(text: str, position: int) -> int | None:
    """Where the JSON value that starts at ``position`` ends, found from its brackets and
    strings alone (no parsing, no recursion), or None when it does not end: to step over
    a value that is JSON but beyond the limits (an element of an array read one by one)."""
    if text[position] not in "[{":
        scalar = _SCALAR.match(text, position)
        return scalar.end() if scalar else None
    depth = 0
    for token in _BRACKET_OR_STRING.finditer(text, position):
        mark = token.group()
        if mark in "[{":
            depth += 1
        elif mark in "]}":
            depth -= 1
            if depth == 0:
                return token.end()
    return None


def too_deep(max_depth: int = MAX_DEPTH) -> str:
    return _("The JSON is nested more than %(n)s levels deep.", n=max_depth)


def _not_json(reason: str, text: str, position: int) -> str:
    column = position - text.rfind("\n", 0, position)
    if "\n" not in text:  # one line (of a JSON Lines file: the caller names the line)
        return _("Not valid JSON: %(reason)s (column %(column)s).", reason=reason, column=column)
    return _(
        "Not valid JSON: %(reason)s (line %(line)s, column %(column)s).",
        reason=reason,
        line=text.count("\n", 0, position) + 1,
        column=column,
    )


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def depth(value: Any, limit: int = MAX_DEPTH) -> int:
    """How deep ``value`` nests (a scalar: 0, ``[]``: 1); stops counting past ``limit``.
    Level by level, without recursion (46,000 ClaimReview records: 0.07 s)."""
    deepest, level = 0, [value] if isinstance(value, dict | list) else []
    while level and deepest <= limit:
        deepest += 1
        below = []
        for node in level:
            children = node.values() if type(node) is dict else node
            below += [c for c in children if type(c) is dict or type(c) is list]
        level = below
    return deepest


_WHOLE = re.compile(r"[+-]?[0-9]+")  # ASCII digits: "²".isdigit() is True, int("²") fails


def parse_whole(text: str) -> int | None:
    """Text of ASCII digits (an optional sign) as an int, else None; past 20 digits,
    ±10**21 (beyond any range the app checks: no quadratic int() of a huge string)."""
    text = text.strip()
    if not _WHOLE.fullmatch(text):
        return None
    if len(text.lstrip("+-").lstrip("0")) > 20:
        return -(10**21) if text.startswith("-") else 10**21
    return int(text)


def parse_id(text: str | None) -> int | None:
    """Text naming an id (or a version): a whole number from 1 to INT_MAX, else None."""
    number = parse_whole(text or "")
    return number if number is not None and 1 <= number <= INT_MAX else None


def whole_number(
    value: object, name: str, *, minimum: int = INT_MIN, maximum: int = INT_MAX
) -> int | None:
    """``value`` as an int: a JSON integer, or text of ASCII digits (a query string, a
    form). None when it is not a whole number (the caller says what it should be); 422
    naming ``name`` when it is one outside [``minimum``, ``maximum``] (by default, what the
    database's INTEGER holds). Never a ValueError, however many digits."""
    if isinstance(value, str):
        value = parse_whole(value)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    if not minimum <= value <= maximum:
        raise Invalid(
            _(
                "%(name)s must be a whole number from %(minimum)s to %(maximum)s.",
                name=name,
                minimum=minimum,
                maximum=maximum,
            ),
            field=name,
        )
    return value


def out_of_range(value: Any, *, text_fields: frozenset[str] = frozenset()) -> str | None:
    """The field (the outermost key on the way) of the first integer in ``value`` that the
    database cannot hold, or None. Fields in ``text_fields`` take a number as text (an
    ``external_id`` of 12 digits is an identifier, not a quantity)."""
    stack: list[tuple[Any, str | None, str | None]] = [(value, None, None)]
    while stack:
        node, field, key = stack.pop()
        if key in text_fields:
            continue
        if isinstance(node, int) and not isinstance(node, bool):
            if not INT_MIN <= node <= INT_MAX:
                return field or "body"
        elif isinstance(node, dict):
            stack.extend((v, field or str(k), str(k)) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, field, key) for v in node)
    return None
