"""Every page of the app, in every role, fits a phone: at 390×844 nothing scrolls
sideways (``document.documentElement.scrollWidth <= 390``). Generated like the route
matrix: each GET route of ``app.url_map`` that answers an HTML page (200) to a principal
in ``tests/hardening/test_route_matrix.py`` is opened with that table's recipe, and a
screenshot of each lands in tests/artifacts/phone/ (look at them)."""

from __future__ import annotations

import pytest
from flask import url_for

from factcheck.extensions import db
from factcheck.models import Status

from ..hardening.conftest import world  # noqa: F401  (the route matrix's small world)
from ..hardening.test_route_matrix import EXPECTED, _recipe, expected_for, routes

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 390, 844
#: GET routes that are not pages: files, styles, probes
NOT_PAGES = {"annotate.verdicts_css", "main.healthz", "export.download", "static"}
ROLES = ("anonymous", "annotator", "reviewer", "admin")
#: what a phone must survive: a long address and a long word in the article and the claim
LONG_URL = "https://www.example.org/actualites/politique/2024/03/01/" + "tres-long-segment-" * 6
LONG_TEXT = (
    f"Le ministre a cité {LONG_URL} dans son discours.\n\n"
    "Anticonstitutionnellementissimeetencorepluslongquecelanepeutlêtre, disait-il.\n\n"
    "Un troisième paragraphe, court."
)

#: the widest elements, to say what overflows
OVERFLOW_JS = """(width) => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 && r.width > 0) {
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '');
      out.push(`${name}.${[...el.classList].join('.')} right=${Math.round(r.right)}`);
    }
  }
  return out.slice(0, 6);
}"""


def pages(app, principal: str) -> list[str]:
    """Endpoints that answer ``principal`` an HTML page (200) to a GET."""
    found = []
    for endpoint, method in sorted(routes(app)):
        if method != "GET" or endpoint.startswith("api.") or endpoint in NOT_PAGES:
            continue
        if (expected_for(endpoint, "GET") or {}).get(principal) == 200:
            found.append(endpoint)
    return found


@pytest.fixture
def phone_page(browser, live_server, app):
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": WIDTH, "height": HEIGHT},
        locale="en-GB",
        is_mobile=True,
        has_touch=True,
        device_scale_factor=1,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    context.close()


def test_every_page_in_the_route_matrix_is_checked(app):
    # a page row without a recipe for its URL arguments would silently drop out
    for principal in ROLES:
        for endpoint in pages(app, principal):
            assert endpoint in EXPECTED


@pytest.mark.parametrize("principal", ROLES)
def test_every_page_fits_a_phone(
    app,
    world,  # noqa: F811  (the imported fixture)
    make,
    phone_page,
    browser_login,
    principal,
    screenshot,  # noqa: F811
):
    # long words and addresses where users put them: an article, a claim, a source
    long_article = make.article(title="Un titre " + "interminable" * 4, text=LONG_TEXT)
    start = LONG_TEXT.index(LONG_URL)
    make.annotation(
        article=long_article,
        author=world.other,
        start=start,
        end=start + len(LONG_URL),
        status=Status.SUBMITTED,
        claim=LONG_URL,
    )
    db.session.commit()
    if principal != "anonymous":
        browser_login(phone_page, getattr(world, principal))
    checked, problems = [], []
    for endpoint in pages(app, principal):
        recipe = _recipe(endpoint, "GET", world)
        with app.test_request_context():
            urls = [url_for(endpoint, **recipe.get("args", {}))]
            if endpoint in ("annotate.page", "articles.show"):
                urls.append(url_for(endpoint, article_id=long_article.id))
        for url in urls:
            phone_page.goto(url)
            width = phone_page.evaluate("document.documentElement.scrollWidth")
            name = f"phone-{principal}-{endpoint.replace('.', '-')}-{len(checked)}"
            screenshot(phone_page, name)
            checked.append(url)
            if width > WIDTH:
                problems.append((url, width, phone_page.evaluate(OVERFLOW_JS, WIDTH)))
    assert checked, f"no page for {principal}"
    assert problems == [], "pages wider than a phone:\n" + "\n".join(map(str, problems))
    assert phone_page.js_errors == []
