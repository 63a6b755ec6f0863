"""Property-based fuzzing (Hypothesis).

- Spans: random text with astral characters, combining marks, ZWJ emoji, flags and bidi
  controls; random start/end. Any span the API accepts satisfies ``text[start:end] == quote``
  and starts and ends on grapheme cluster boundaries (oracle: ``regex``'s ``\\X`` over
  the whole text).
- Payloads: random JSON (wrong types, huge numbers, nulls, nested junk, NUL characters,
  lone surrogates) to the annotation create/update/submit and article import APIs: never a
  500, always a JSON error with a ``code``.
- Generated from ``app.url_map`` (a new route is attacked too): a deeply nested JSON body,
  the wrong JSON type in every field, integers the database cannot hold in every URL
  argument, query parameter, JSON field and form field.
"""

from __future__ import annotations

import json

import pytest
import regex
from flask import url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.api import NUMBERS_AS_TEXT
from factcheck.extensions import db
from factcheck.models import Role
from factcheck.services.importing import normalize_text

from .test_route_matrix import EXPECTED, LOGIN, REQUESTS, _app_routes, _recipe

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

PIECES = [
    "a",
    "Z",
    " ",
    "\n",
    "é",
    "e\u0301",  # combining acute
    "n\u0308\u0323",  # two combining marks
    "😀",  # astral
    "👍🏽",  # skin tone modifier
    "👨\u200d👩\u200d👧",  # ZWJ family
    "🇫🇷",  # regional indicator pair
    "\u202e",  # right-to-left override
    "\u2067",  # right-to-left isolate
    "\u200f",  # right-to-left mark
    "각",
    "\u1100\u1161\u11a8",  # Hangul jamo (one cluster)
    "« »",
    "\r\n",
]

texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map("".join)


def boundaries(text: str) -> set[int]:
    found, position = {0}, 0
    for cluster in regex.findall(r"\X", text):
        position += len(cluster)
        found.add(position)
    return found


@FUZZ
@given(raw=texts, start=st.integers(-3, 200), end=st.integers(-3, 200), shift=st.booleans())
def test_any_accepted_span_is_exact_and_whole(make, client, login, raw, start, end, shift):
    if not normalize_text(raw).strip():
        raw = "x" + raw
    user = make.user(roles=[Role.ANNOTATOR])
    article = make.article(text=raw)
    text = article.text
    quote = text[max(start, 0) : max(end, 0)]
    if shift:  # a quote that the client got wrong by one code point
        quote = text[max(start, 0) + 1 : max(end, 0) + 1]
    login(user)
    response = client.post(
        f"/api/v1/articles/{article.id}/annotations",
        json={"start": start, "end": end, "quote": quote},
    )
    assert response.status_code in (201, 422), response.get_data(as_text=True)
    body = response.get_json()
    if response.status_code == 422:
        assert body["error"]["code"] and body["error"]["field"] in ("start", "end", "quote")
        return
    assert text[body["start"] : body["end"]] == body["quote"] == quote
    assert (body["start"], body["end"]) == (start, end)
    cuts = boundaries(text)
    assert start in cuts and end in cuts, f"span {start}-{end} cuts a cluster of {text!r}"


# --- junk payloads ---------------------------------------------------------------------

nasty_text = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["\x00", "a\x00b", "\ud800", "x\udfffy", "\u202e", "", " ", "😀", "9" * 400]),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    nasty_text,
)
junk = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(nasty_text, inner, max_size=4),
    max_leaves=12,
)
ANNOTATION_KEYS = [
    "start",
    "end",
    "quote",
    "claim",
    "claimant",
    "verdict",
    "rationale",
    "sources",
    "status",
    "version",
]
ARTICLE_KEYS = ["title", "text", "url", "published_at", "language", "external_id", "articles"]


def payloads(keys: list[str]):
    shaped = st.dictionaries(st.sampled_from(keys), junk, max_size=len(keys))
    sources = st.fixed_dictionaries(
        {"sources": st.lists(st.dictionaries(st.sampled_from(["url", "title", "note"]), junk))}
    )
    return st.one_of(shaped, shaped, sources, junk)


def assert_clean_error(response) -> None:
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    if response.status_code >= 400:
        body = response.get_json()
        assert body is not None, "errors are JSON"
        assert isinstance(body["error"]["code"], str) and body["error"]["code"]
        assert body["error"]["message"]


def _post_raw(client, method: str, url: str, payload) -> object:
    # json.dumps keeps lone surrogates as \ud800 escapes, exactly what a hostile client sends
    data = json.dumps(payload)
    return client.open(url, method=method, data=data, content_type="application/json")


@FUZZ
@given(payload=payloads(ANNOTATION_KEYS))
def test_annotation_create_never_fails_with_a_500(world, as_principal, payload):
    client, _ = as_principal("annotator")
    url = f"/api/v1/articles/{world.article.id}/annotations"
    assert_clean_error(_post_raw(client, "POST", url, payload))


@FUZZ
@given(payload=payloads(ANNOTATION_KEYS), target=st.sampled_from(["draft", "submitted"]))
def test_annotation_update_and_submit_never_fail_with_a_500(world, as_principal, payload, target):
    client, _ = as_principal("annotator")
    annotation = getattr(world, target)
    assert_clean_error(_post_raw(client, "PATCH", f"/api/v1/annotations/{annotation.id}", payload))
    assert_clean_error(
        _post_raw(client, "POST", f"/api/v1/annotations/{annotation.id}/submit", payload)
    )


@FUZZ
@given(payload=payloads(ARTICLE_KEYS))
def test_article_import_never_fails_with_a_500(world, as_principal, payload):
    client, _ = as_principal("admin")
    assert_clean_error(_post_raw(client, "POST", "/api/v1/articles", payload))
    assert_clean_error(
        _post_raw(client, "PATCH", f"/api/v1/articles/{world.spare_article.id}", payload)
    )


@FUZZ
@given(version=junk)
def test_delete_with_any_version_never_fails_with_a_500(world, as_principal, version):
    client, _ = as_principal("annotator")
    response = client.delete(
        f"/api/v1/annotations/{world.submitted.id}",
        query_string={"version": json.dumps(version)[:100]},
    )
    assert_clean_error(response)


# --- numbers too large for the database's integers (found by fuzzing on PostgreSQL) ------

HUGE = [2**31, 2**63, 2**70]


@FUZZ
@given(number=st.sampled_from(HUGE) | st.integers(min_value=2**31, max_value=2**80))
def test_huge_ids_in_urls_and_filters_are_not_found_never_a_500(world, as_principal, number):
    client, _ = as_principal("admin")
    for url in (
        f"/api/v1/annotations/{number}",
        f"/api/v1/articles/{number}",
        f"/api/v1/articles/{number}/annotations",
        f"/articles/{number}",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
    response = client.get(f"/articles/{world.article.id}/annotate?annotation={number}")
    assert response.status_code == 404
    for url in (f"/api/v1/export.csv?article={number}", f"/api/v1/articles?page={number}"):
        assert_clean_error(client.get(url))
    assert client.get(f"/articles/?page={number}").status_code == 200


# --- generated from app.url_map: hostile shapes for every route (issue 24, item 9) --------
#
# One request per route per shape, so that the next route added is attacked too:
#
# - deep JSON: a body nested 990 levels, sent by anybody to every route: 400;
# - the wrong JSON type for every field of every JSON route (a list, an object, a number
#   where text is expected...): 422 naming the field;
# - integers the database cannot hold (and "²", a digit to str.isdigit() but not to int()),
#   in every URL argument (404: no such thing), query parameter and JSON field (422 naming
#   it) and form field (a page answers, never a 500).
#
# The fields of a route are those of its request in the route matrix (REQUESTS), plus
# the optional ones listed in MORE_FIELDS.


ROUTES = _app_routes()
DEEP = "[" * 990 + "]" * 990
#: beyond the database's integers: PostgreSQL's INTEGER, SQLite's 64 bits, Python's
#: int() digit limit
OUT_OF_RANGE = [2**31, -(2**31) - 1, 10**20]
TOO_MANY_DIGITS = "9" * 5000
#: a digit to str.isdigit(), not to int()
SUPERSCRIPT_TWO = "\u00b2"
#: query parameters that hold whole numbers somewhere in the app
INTEGER_PARAMS = ("page", "per_page", "skip", "limit", "version", "article", "annotation")
#: optional JSON fields that the route matrix's requests leave out, with a valid value
MORE_FIELDS = {
    "api.create_annotation": {
        "claim": "A claim.",
        "claimant": "Someone",
        "verdict": "false",
        "rationale": "Because.",
        "sources": [{"url": "https://example.org/a", "title": "A"}],
        "status": "draft",
    },
    "api.patch_annotation": {"claimant": "Someone", "sources": [{"url": "https://e.org/b"}]},
    "api.import_articles": {
        "url": "https://example.org/article",
        "published_at": "2024-05-01",
        "language": "fr",
        "external_id": "ext-1",
        "project": "default",
    },
    "api.patch_article": {"language": "fr", "url": "https://example.org/x"},
    "api.create_revision": {"revision": 1},
    "api.create_assignment": {"blind": True, "project": "default"},
    "api.create_project": {"description": "A desk."},
    "api.patch_project": {
        "name": "Desk",
        "description": "A desk.",
        "archived": False,
        "reservation_minutes": 20,
        "annotators_can_export": False,
        "default_language": "fr",
        "blind_second_verdict": False,
    },
    "api.review_annotation": {"comment": "Sourced."},
}
#: a value of another JSON type, by the type of the valid value
WRONG_TYPES = {
    str: [["x"], {"x": "y"}, 7],
    # digits as text are taken (forms and query strings send them), but not "²"
    int: ["one", [1], 1.5, SUPERSCRIPT_TWO],
    bool: ["maybe", [True], {"x": 1}],  # "yes" and "1" are taken: forms send them
    list: ["x", {"x": 1}, 3],
    dict: ["x", [1], 3],
}


#: fields checked together, whose error names the first of them
NAMED_AS = {("api.adjudicate_group", "end"): "start"}  # a group is found by its span


def _raw_body(app, endpoint: str) -> bool:
    """A view that reads its body as text (web.reads_raw_body): no JSON check before it."""
    return getattr(app.view_functions[endpoint], "reads_raw_body", False)


def _reaching(endpoint: str, method: str) -> str:
    """The principal whose request gets furthest: one that the route lets through."""
    cells = EXPECTED[endpoint]
    cells = cells.get(method, cells) if set(cells) <= {"GET", "POST", "PATCH", "DELETE"} else cells
    for name in ("admin", "annotator", "reviewer", "token", "other", "outsider"):
        if cells[name] not in (401, 403, 404, LOGIN):
            return name
    return "admin"


def _any_url(app, endpoint: str, **values) -> str:
    """A URL of ``endpoint`` (arguments not given: 1 for numbers, "x" for text)."""
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    for name in rule.arguments:
        converter = type(rule._converters[name]).__name__
        values.setdefault(name, 1 if "Int" in converter else "x")
    with app.test_request_context():
        return url_for(endpoint, **values)


def _open(client, url: str, method: str = "GET", **kwargs):
    """The response, or the exception that a 500 would have hidden (tests propagate them)."""
    try:
        return client.open(url, method=method, **kwargs)
    except Exception as error:  # noqa: BLE001 (reported with the others, then failed)
        db.session.rollback()
        return error


def _problems(response, what: str, expected: tuple[int, ...], field: str | None = None) -> list:
    """What is wrong with ``response`` (empty when it is as it should be)."""
    if isinstance(response, Exception):
        return [f"{what}: raised {type(response).__name__}: {str(response)[:150]}"]
    status = response.status_code
    if status >= 500 or status not in expected:
        return [f"{what}: {status}, expected {expected}: {response.get_data(as_text=True)[:200]}"]
    if status >= 400 and (what.split()[1].startswith("/api/") or response.is_json):
        error = (response.get_json(silent=True) or {}).get("error") or {}
        if not error.get("code"):
            return [f"{what}: {status} without a JSON error code"]
        if field is not None and status == 422 and error.get("field") != field:
            return [f"{what}: 422 names {error.get('field')!r}, not {field!r}"]
    return []


def test_a_deeply_nested_json_body_is_a_400_on_every_route(app, app_ctx, client):
    problems = []
    for endpoint, method in ROUTES:
        url = _any_url(app, endpoint)
        response = _open(client, url, method, data=DEEP, content_type="application/json")
        expected = (401,) if _raw_body(app, endpoint) else (400,)  # checked record by record
        problems += _problems(response, f"{method} {url}", expected)
    assert problems == [], "\n".join(problems)


def test_integers_too_large_in_a_url_are_not_found_on_every_route(app, app_ctx, client):
    problems = []
    for endpoint, method in ROUTES:
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        for name in rule.arguments:
            if "Int" not in type(rule._converters[name]).__name__:
                continue
            for number in (2**31, 10**20):
                url = _any_url(app, endpoint).replace("/1", f"/{number}", 1)
                if str(number) not in url:  # the argument is not the first number
                    url = _any_url(app, endpoint, **{name: 2**31 - 1}).replace(
                        str(2**31 - 1), str(number)
                    )
                response = _open(client, url, method)
                problems += _problems(response, f"{method} {url}", (404, 405))
    assert problems == [], "\n".join(problems)


GETS = [(e, m) for e, m in ROUTES if m == "GET"]


def test_integer_query_parameters_out_of_range_are_refused_on_every_route(app, world, as_principal):
    """Each GET route, as a principal it lets in, with the integer parameters out of range:
    an API route refuses each one it takes (400 or 422 naming it; the others are unknown
    parameters, refused by name); a page may ignore them; never a 500."""
    problems = []
    clients = {}
    for endpoint, method in GETS:
        principal = _reaching(endpoint, method)
        if principal not in clients:
            clients[principal] = as_principal(principal)
        client, headers = clients[principal]
        recipe = _recipe(endpoint, method, world)
        with app.test_request_context():
            url = url_for(endpoint, **recipe.get("args", {}))
        names, strict = list(INTEGER_PARAMS), False
        if url.startswith("/api/"):  # which of them does it take? (known_args names the rest)
            query = {**recipe.get("query", {}), **dict.fromkeys(names, "1")}
            answer = _open(client, url, headers=headers, query_string=query)
            error = (getattr(answer, "json", None) or {}).get("error") or {}
            strict = error.get("code") == "unknown_parameter"
            names = [n for n in names if n not in error.get("parameters", [])]
        for value in [*map(str, OUT_OF_RANGE), TOO_MANY_DIGITS, SUPERSCRIPT_TWO]:
            if not strict and value.startswith("-"):
                continue  # a page: what crashes is too large, not too small
            if not strict:  # a page, or a route that reads no parameter: all at once
                query = {**recipe.get("query", {}), **dict.fromkeys(names, value)}
                response = _open(client, url, headers=headers, query_string=query)
                what = f"GET {url}?{'&'.join(names)}={value[:25]}"
                problems += _problems(response, what, (200, 302, 400, 404, 422))
                continue
            for name in names:
                query = {**recipe.get("query", {}), name: value}
                response = _open(client, url, headers=headers, query_string=query)
                what = f"GET {url}?{name}={value[:25]}"
                problems += _problems(response, what, (400, 404, 422), field=name)
    assert problems == [], "\n".join(problems)


FORMS = [
    (e, m)
    for e, m in ROUTES
    if m == "POST" and not e.startswith("api.") and e in REQUESTS and e != "auth.login"
]


#: optional number fields of forms that the route matrix's requests leave out
MORE_FORM_FIELDS = {
    "admin.add_verdict": {"rating": "3"},
    "admin.update_verdict": {"rating": "3"},
}
#: form fields that are a button or a box ticked ("1"), not a number
BUTTONS = {"submit", "paste", "retired", "undo"}


def _numeric_fields(data: dict) -> list[str]:
    """The fields of a form that hold whole numbers (as text, one or a list)."""
    found = []
    for name, value in data.items():
        if name.split("-")[-1] in BUTTONS:
            continue
        values = value if isinstance(value, list) else [value]
        if values and all(
            isinstance(v, int) or (isinstance(v, str) and v.isdigit()) for v in values
        ):
            found.append(name)
    return found


def test_integer_form_fields_out_of_range_never_fail_with_a_500(app, world, as_principal):
    """Each HTML form, as a principal it lets in, with each of its number fields out of
    range: a page answers (the form again, or a redirect with a message); never a 500."""
    problems = []
    for endpoint, method in FORMS:
        client, headers = as_principal(_reaching(endpoint, method))
        recipe = _recipe(endpoint, method, world)
        with app.test_request_context():
            url = url_for(endpoint, **recipe.get("args", {}))
        data = recipe.get("data", {})
        for name in _numeric_fields({**MORE_FORM_FIELDS.get(endpoint, {}), **data}):
            for value in [str(10**20), TOO_MANY_DIGITS, SUPERSCRIPT_TWO, str(2**31)]:
                response = _open(client, url, method, headers=headers, data={**data, name: value})
                what = f"{method} {url} {name}={value[:25]}"
                problems += _problems(response, what, (200, 302, 400, 404, 409, 422))
    assert problems == [], "\n".join(problems)


def _json_routes() -> list[tuple[str, str]]:
    """(endpoint, method) of the routes that read a JSON body (their request has one)."""
    found = []
    for endpoint, method in ROUTES:
        recipe = REQUESTS.get(endpoint)
        if isinstance(recipe, dict):
            recipe = recipe.get(method)
        shape = _recipe_shape(recipe) if recipe is not None else set()
        computed = recipe is not None and not shape and method != "GET"  # asks the world
        if "json" in shape or (computed and endpoint.startswith("api.")):
            found.append((endpoint, method))
    return found


def _recipe_shape(recipe) -> set[str]:
    """The keys a recipe gives, without a world (recipes only read attributes of it)."""

    class Anything:
        def __getattr__(self, _name):
            return self

        def __getitem__(self, _key):
            return self

    try:
        return set(recipe(Anything()))
    except Exception:  # noqa: BLE001 (a recipe that computes with the world)
        return set()


def _attacks(endpoint: str, body: dict):
    """(field, value, the field the 422 names) of each hostile variant of a JSON object."""
    fields = {**MORE_FIELDS.get(endpoint, {}), **body}
    for name, valid in fields.items():
        for wrong in WRONG_TYPES.get(type(valid), []):
            if type(wrong) is int and name in NUMBERS_AS_TEXT:
                continue  # an external_id may be a number
            yield name, wrong, NAMED_AS.get((endpoint, name), name)
        numbers = [valid] if isinstance(valid, int) and not isinstance(valid, bool) else []
        numbers += [v for v in (valid if isinstance(valid, list) else []) if type(v) is int]
        if numbers:
            for number in OUT_OF_RANGE:
                yield name, [number] if isinstance(valid, list) else number, name


@pytest.mark.parametrize(("endpoint", "method"), _json_routes())
def test_every_json_field_refuses_a_wrong_type_or_a_huge_number_by_name(
    app, world, as_principal, endpoint, method
):
    principal = _reaching(endpoint, method)
    client, headers = as_principal(principal)
    recipe = _recipe(endpoint, method, world)
    with app.test_request_context():
        url = url_for(endpoint, **recipe.get("args", {}))
    body = recipe["json"]
    what = f"{method} {url} as {principal}"
    problems = []
    # not an object at all (an archive read record by record reports each one: 200)
    expected = (200, 400) if _raw_body(app, endpoint) else (400, 422)
    for whole in ([], "x", 7, None):
        response = _open(client, url, method, headers=headers, json=whole)
        problems += _problems(response, f"{what} body {whole!r}", expected)
    if isinstance(body, list):
        body = {}
    for name, value, field in _attacks(endpoint, body):
        response = _open(client, url, method, headers=headers, json={**body, name: value})
        problems += _problems(response, f"{what} {name}={value!r}", (422,), field=field)
    assert problems == [], "\n".join(problems)
