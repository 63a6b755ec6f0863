"""An admin pastes a French article into the import page and reads it back, unchanged."""

import pytest

from factcheck.models import Role

pytestmark = pytest.mark.browser

TITLE = "Réforme des retraites : « l’âge légal » en débat 🎯"
TEXT = (
    "Le ministre a déclaré : « Nous ne reculerons pas », jeudi à l’Assemblée. 🇫🇷\n"
    "Une deuxième ligne, dans le même paragraphe — avec des “guillemets” anglais.\n\n"
    "Selon l’Insee, l’espérance de vie à 62 ans a progressé de 1,5 an en dix ans. 😀\n\n"
    "Œuvre, Ça, déjà, où, naïve, coïncidence : les accents restent."
)


def test_admin_pastes_a_french_article_and_sees_it_as_pasted(page, make, browser_login, screenshot):
    admin = make.user(roles=[Role.ADMIN], display_name="Adèle Admin")
    browser_login(page, admin)
    page.goto("/articles/import")
    assert "25 MB" in page.inner_text("main")
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=text]", TEXT)
    page.fill("input[name=url]", "https://exemple.org/retraites")
    page.fill("input[name=published_at]", "2024-03-01")
    page.click("input[name=paste]")
    report = page.locator("#import-report")
    assert "1" in report.inner_text()
    screenshot(page, "articles-import-report")

    report.get_by_role("link", name=TITLE).click()
    page.wait_for_url("**/articles/*")
    assert page.inner_text("h1") == TITLE
    shown = page.evaluate(
        "Array.from(document.querySelectorAll('#article-text p')).map(p => p.textContent)"
    )
    # the one paragraph rule (services/paragraphs.py): every line is a paragraph
    assert shown == [line for line in TEXT.split("\n") if line.strip()]
    screenshot(page, "articles-show")

    page.goto("/articles/")
    assert TITLE in page.inner_text("main")
    screenshot(page, "articles-index")
    assert page.js_errors == []
