"""Readable-text extraction of captured web pages: its time and how much of the article it keeps.

    .venv/bin/python bench/bench_extract.py [--runs 20] [--json bench/results/extract.json]

Issue 25. Targets: p95 ≤ 200 ms per page on the 2-core benchmark machine for news-sized
HTML, and a token-level F1 ≥ 0.90 of the extracted text against the expected text.

The pages, ``bench/data/extract/NN-name.html``, are ten news articles written for this
benchmark (French and English; local politics, regional economy figures, health, climate,
sport, a court case, an interview with « … » quotes, a live blog, a correction notice, a
council vote), 350–450 words each, wrapped in site boilerplate that varies by page: logo
and a 10–14 link menu, a cookie banner (top or bottom), breadcrumb, share buttons, "Read
also" / "Lire aussi" boxes between paragraphs (as an ``<aside>``, a ``<p>`` or a list), an
ad slot, a figure with its caption, byline, author box, tags, related articles, reader
comments, a newsletter form and a footer of 17 links; odd pages put the story in an
``<article>``, even pages only in a ``<div class="content">``; page 03 carries schema.org
JSON-LD (NewsArticle); page 05 is ISO-8859-1 declared only by its ``<meta charset>``.
Inline CSS, an app-state JSON script and an SVG sprite bring them to 39–123 kB.

``NN-name.txt`` is the expected text: the article's body only, one paragraph per line,
in-body subheadings (the live blog's times, the interview's questions) counted as body.
The title, standfirst, byline, figure caption, "Read also" boxes and everything outside
the story do not count: extracting them lowers precision.

Each page goes through ``readable("text/html", body, "")`` (no charset from HTTP: the page
says it) ``--runs`` times after one warm-up run. Reported: each page's median time, the
p50/p95/max over every timed run of every page, and the token-level precision, recall and
F1 of the text (tokens: lowercased ``\\w+`` words; overlap of the two multisets), per page
and micro-averaged (summed counts). Exit status 0 always: a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from factcheck.services.evidence.extract import readable  # noqa: E402

DATA = ROOT / "bench" / "data" / "extract"
RESULTS = ROOT / "bench" / "results" / "extract.json"
TOKEN = re.compile(r"\w+")
P95_TARGET_MS = 200.0
F1_TARGET = 0.90


def tokens(text: str) -> Counter[str]:
    return Counter(TOKEN.findall(text.lower()))


def overlap(got: str, expected: str) -> dict:
    g, x = tokens(got), tokens(expected)
    common = sum((g & x).values())
    return {"common": common, "extracted": sum(g.values()), "expected": sum(x.values())}


def prf(common: int, extracted: int, expected: int) -> tuple[float, float, float]:
    p = common / extracted if extracted else 0.0
    r = common / expected if expected else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def misses(got: str, expected: str) -> tuple[list[str], list[str]]:
    """(expected paragraphs missing from the text, extracted lines not in the expected text),
    compared as token sequences so that spacing and quotes do not matter."""

    def key(line: str) -> str:
        return " ".join(TOKEN.findall(line.lower()))

    got_lines = [ln for ln in got.splitlines() if ln.strip()]
    want_lines = [ln for ln in expected.splitlines() if ln.strip()]
    got_all, want_all = key(got), key(expected)
    dropped = [ln for ln in want_lines if key(ln) not in got_all]
    leaked = [ln for ln in got_lines if key(ln) not in want_all]
    return dropped, leaked


def commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        return out.stdout.strip()
    except OSError:
        return ""


def measure(runs: int = 20) -> dict:
    pages, all_ms = [], []
    total = {"common": 0, "extracted": 0, "expected": 0}
    load_before = os.getloadavg()
    for html_path in sorted(DATA.glob("*.html")):
        body = html_path.read_bytes()
        expected = html_path.with_suffix(".txt").read_text(encoding="utf-8")
        result = readable("text/html", body, "")  # warm-up (imports, caches): not timed
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            result = readable("text/html", body, "")
            times.append((time.perf_counter() - start) * 1000)
        all_ms.extend(times)
        counts = overlap(result.text, expected)
        for k in total:
            total[k] += counts[k]
        p, r, f1 = prf(**counts)
        dropped, leaked = misses(result.text, expected)
        pages.append(
            {
                "page": html_path.stem,
                "bytes": len(body),
                "median_ms": round(statistics.median(times), 2),
                "max_ms": round(max(times), 2),
                "precision": round(p, 4),
                "recall": round(r, 4),
                "f1": round(f1, 4),
                **counts,
                "title": result.title,
                "notes": result.notes,
                "error": result.error,
                "dropped_paragraphs": dropped,
                "leaked_lines": leaked,
            }
        )
    p, r, f1 = prf(**total)
    return {
        "benchmark": "extract",
        "commit": commit(),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        "runs_per_page": runs,
        "pages": pages,
        "overall": {
            "p50_ms": round(percentile(all_ms, 50), 2),
            "p95_ms": round(percentile(all_ms, 95), 2),
            "max_ms": round(max(all_ms), 2),
            "micro_precision": round(p, 4),
            "micro_recall": round(r, 4),
            "micro_f1": round(f1, 4),
            "worst_page_f1": min(pg["f1"] for pg in pages),
            "p95_target_ms": P95_TARGET_MS,
            "f1_target": F1_TARGET,
            "p95_met": percentile(all_ms, 95) <= P95_TARGET_MS,
            "f1_met": f1 >= F1_TARGET,
        },
    }


def report(figures: dict, verbose: bool = False) -> None:
    print(f"{'page':<26} {'kB':>5} {'med ms':>7} {'max ms':>7} {'P':>6} {'R':>6} {'F1':>6}")
    for pg in figures["pages"]:
        print(
            f"{pg['page']:<26} {pg['bytes'] / 1000:>5.0f} {pg['median_ms']:>7.1f} "
            f"{pg['max_ms']:>7.1f} {pg['precision']:>6.3f} {pg['recall']:>6.3f} {pg['f1']:>6.3f}"
        )
    o = figures["overall"]
    print(
        f"\noverall over {figures['runs_per_page']} runs/page: p50 {o['p50_ms']:.1f} ms, "
        f"p95 {o['p95_ms']:.1f} ms (target ≤ {o['p95_target_ms']:.0f}), max {o['max_ms']:.1f} ms"
    )
    print(
        f"micro P {o['micro_precision']:.3f} R {o['micro_recall']:.3f} F1 {o['micro_f1']:.3f} "
        f"(target ≥ {o['f1_target']:.2f}); worst page F1 {o['worst_page_f1']:.3f}"
    )
    print(
        f"commit {figures['commit']}, load average {figures['loadavg_before']} → "
        f"{figures['loadavg_after']}"
    )
    if verbose:
        for pg in figures["pages"]:
            if pg["dropped_paragraphs"] or pg["leaked_lines"]:
                print(f"\n== {pg['page']}")
                for line in pg["dropped_paragraphs"]:
                    print(f"  dropped: {line[:110]}")
                for line in pg["leaked_lines"]:
                    print(f"  leaked:  {line[:110]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per page")
    parser.add_argument("--json", type=Path, default=RESULTS, help="where to write figures")
    parser.add_argument("--misses", action="store_true", help="print dropped and leaked lines")
    args = parser.parse_args(argv)
    try:
        figures = measure(max(1, args.runs))
    except Exception as exc:  # a benchmark reports, it does not fail the build
        print(f"benchmark failed: {exc!r}")
        return 0
    report(figures, verbose=args.misses)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
