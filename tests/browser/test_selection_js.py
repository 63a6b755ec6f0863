"""static/js/selection.js, the code-point ↔ UTF-16 contract, run in the suite's Chromium.

The page's offsets are code points of the article text (as Python counts them); the DOM
counts UTF-16 units. Every expectation below is computed in Python, so a wrong conversion in
the script fails here rather than as a claim saved a character off on some emoji."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import regex

pytestmark = pytest.mark.browser

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "js" / "selection.js"

SAMPLES = [
    "Poutine ne s'est « absolument pas mêlé » de l'élection.",
    "Le taux a 📈 de 3,5 % 🇫🇷 en 2024 ; 👩‍👩‍👧 et 👍🏽 comptent.",
    "e\u0301te\u0301 (décomposé) puis 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 hors du plan de base",
    "😀",
    "",
]


@pytest.fixture(scope="module")
def js(browser):
    """A blank page holding the module's functions as globals (no server: the module
    imports nothing, so its source runs as a classic script with `export` removed)."""
    context = browser.new_context()
    page = context.new_page()
    source = re.sub(r"^export ", "", SCRIPT.read_text(encoding="utf-8"), flags=re.MULTILINE)
    page.set_content("<!doctype html><meta charset=utf-8><div id=root></div>")
    page.add_script_tag(content=source)
    yield page
    context.close()


def _utf16(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


def test_code_point_counts_and_indices_match_python(js):
    for text in SAMPLES:
        got = js.evaluate(
            """(s) => ({
                length: cpLength(s),
                each: Array.from({length: [...s].length + 1}, (_, cp) => cpToUtf16(s, cp)),
                sorted: cpsToUtf16(s, Array.from({length: [...s].length + 1}, (_, cp) => cp)),
            })""",
            text,
        )
        expected = [_utf16(text, cp) for cp in range(len(text) + 1)]
        assert got["length"] == len(text), text
        assert got["each"] == expected, text
        assert got["sorted"] == expected, text


def test_past_the_end_stays_at_the_end(js):
    text = "a😀b"
    assert js.evaluate("(s) => cpToUtf16(s, 99)", text) == 4
    assert js.evaluate("(s) => cpsToUtf16(s, [1, 2, 99])", text) == [1, 3, 4]


def _grapheme_bounds(text: str) -> list[int]:
    bounds = [0]
    for cluster in regex.findall(r"\X", text):
        bounds.append(bounds[-1] + len(cluster))
    return bounds


def test_clean_span_trims_spaces_and_never_cuts_a_grapheme(js):
    text = SAMPLES[1] + " " + SAMPLES[2]
    bounds = _grapheme_bounds(text)
    cases = [(s, e) for s in range(0, len(text), 3) for e in range(s + 1, len(text) + 1, 5)]
    got = js.evaluate(
        "([s, cases]) => cases.map(([a, b]) => cleanSpan([...s], a, b))",
        [text, cases],
    )
    for (start, end), span in zip(cases, got, strict=True):
        a, b = start, end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b <= a:
            assert span is None, (start, end)
            continue
        a = max(x for x in bounds if x <= a)
        b = min(x for x in bounds if x >= b)
        assert (span["start"], span["end"]) == (a, b), (start, end, text[start:end])
        assert span["quote"] == text[a:b]


def test_dom_ranges_and_offsets_round_trip_across_paragraphs_and_marks(js):
    # three paragraphs separated by blank lines, the second split by highlight marks into
    # several text nodes; offsets are code points of the whole text
    paragraphs = [SAMPLES[0], SAMPLES[1], SAMPLES[2]]
    text = "\n\n".join(paragraphs)
    starts, at = [], 0
    for paragraph in paragraphs:
        starts.append(at)
        at += len(paragraph) + 2
    bounds = _grapheme_bounds(text)
    inside = [
        (s, e)
        for s in bounds
        for e in bounds
        if s < e and "\n" not in text[s:e][:1] and "\n" not in text[e - 1 : e]
    ][::7]
    failures = js.evaluate(
        """([paragraphs, starts, cases]) => {
            const root = document.getElementById("root");
            root.replaceChildren();
            paragraphs.forEach((text, i) => {
                const p = document.createElement("p");
                p.dataset.start = String(starts[i]);
                if (i === 1) {  // marks split the text nodes at code points 4 and 20
                    const cps = [...text];
                    const mark = document.createElement("mark");
                    mark.textContent = cps.slice(4, 20).join("");
                    p.append(cps.slice(0, 4).join(""), mark, cps.slice(20).join(""));
                } else {
                    p.textContent = text;
                }
                root.append(p);
            });
            const whole = [...fullText(root)];
            const out = [];
            for (const [a, b] of cases) {
                const range = offsetsToRange(root, a, b);
                const back = range && rangeToOffsets(root, range);
                const want = whole.slice(a, b).join("").replace(/\\n+/g, "");
                const seen = range ? range.toString() : null;
                if (!back || back.start !== a || back.end !== b || seen !== want) {
                    out.push([a, b, back, seen, want]);
                }
            }
            return {failures: out, whole: whole.join("")};
        }""",
        [paragraphs, starts, inside],
    )
    assert failures["whole"] == text
    assert len(inside) > 100
    assert failures["failures"] == []
