"""Property-based fuzzing (Hypothesis).

- Spans: random text with astral characters, combining marks, ZWJ emoji, flags and bidi
  controls; random start/end. Any span the API accepts satisfies ``text[start:end] == quote``
  and starts and ends on grapheme cluster boundaries (oracle: ``regex``'s ``\\X`` over
  the whole text).
- Payloads: random JSON (wrong types, huge numbers, nulls, nested junk, NUL characters,
  lone surrogates) to the annotation create/update/submit and article import APIs: never a
  500, always a JSON error with a ``code``.
"""

from __future__ import annotations

import json

import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.models import Role
from factcheck.services.importing import normalize_text

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
