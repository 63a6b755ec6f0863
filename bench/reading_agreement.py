"""Agreement between the two worth-checking labellers (A and B), per language and overall.
``python bench/reading_agreement.py``.

Reads bench/data/reading/worth_checking/labels_a.json and labels_b.json (one 0/1 label per
sentence of articles.json, guideline in bench/data/reading/README.md), checks that both
cover the same articles and the same number of sentences in each, and reports for French,
English and all: the sentence count, each labeller's positives, raw agreement, Cohen's
kappa (computed here) and Krippendorff's alpha (nominal, from the ``krippendorff``
package), with the 2 × 2 table. The sentences they disagree on are listed with their text
so that they can be adjudicated. Results go to bench/results/reading_agreement.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import krippendorff
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "bench" / "data" / "reading" / "worth_checking"
RESULTS = ROOT / "bench" / "results" / "reading_agreement.json"


def cohen_kappa(a: np.ndarray, b: np.ndarray) -> float | None:
    """Cohen's kappa of two 0/1 label vectors; ``None`` when chance agreement is total."""
    observed = float(np.mean(a == b))
    pa, pb = float(np.mean(a)), float(np.mean(b))
    expected = pa * pb + (1 - pa) * (1 - pb)
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


def figures(a: np.ndarray, b: np.ndarray) -> dict:
    kappa = cohen_kappa(a, b)
    alpha = krippendorff.alpha(
        reliability_data=np.vstack([a, b]).astype(float), level_of_measurement="nominal"
    )
    return {
        "sentences": int(a.size),
        "positives_a": int(a.sum()),
        "positives_b": int(b.sum()),
        "raw_agreement": round(float(np.mean(a == b)), 3),
        "cohen_kappa": None if kappa is None else round(kappa, 3),
        "krippendorff_alpha_nominal": round(float(alpha), 3),
        "both_1": int(np.sum((a == 1) & (b == 1))),
        "both_0": int(np.sum((a == 0) & (b == 0))),
        "only_a": int(np.sum((a == 1) & (b == 0))),
        "only_b": int(np.sum((a == 0) & (b == 1))),
    }


def load() -> tuple[list[dict], dict, dict]:
    articles = json.loads((FOLDER / "articles.json").read_text())["articles"]
    a = json.loads((FOLDER / "labels_a.json").read_text())["labels"]
    b = json.loads((FOLDER / "labels_b.json").read_text())["labels"]
    ids = [article["id"] for article in articles]
    problems = []
    if sorted(a) != sorted(ids) or sorted(b) != sorted(ids):
        problems.append(
            f"articles differ: only A {sorted(set(a) - set(b))}, only B "
            f"{sorted(set(b) - set(a))}, not labelled {sorted(set(ids) - set(a) - set(b))}"
        )
    for article in articles:
        n = len(article["sentences"])
        la, lb = a.get(article["id"], []), b.get(article["id"], [])
        if len(la) != n or len(lb) != n:
            problems.append(f"{article['id']}: {n} sentences, A {len(la)}, B {len(lb)}")
        if any(v not in (0, 1) for v in list(la) + list(lb)):
            problems.append(f"{article['id']}: a label is neither 0 nor 1")
    if problems:
        sys.exit(
            "labels_a.json and labels_b.json do not cover the same sentences:\n"
            + "\n".join(problems)
        )
    return articles, a, b


def main() -> None:
    articles, a, b = load()
    answer: dict = {"command": "python bench/reading_agreement.py", "articles": len(articles)}
    groups = {"fr": [], "en": [], "all": []}
    disagreements = []
    for article in articles:
        groups[article["language"]].append(article)
        groups["all"].append(article)
        text = article["text"]
        for i, (start, end) in enumerate(article["sentences"]):
            if a[article["id"]][i] != b[article["id"]][i]:
                disagreements.append(
                    {
                        "article": article["id"],
                        "sentence": i,
                        "a": a[article["id"]][i],
                        "b": b[article["id"]][i],
                        "text": text[start:end],
                    }
                )
    for name, picked in groups.items():
        x = np.concatenate([np.asarray(a[p["id"]], dtype=int) for p in picked])
        y = np.concatenate([np.asarray(b[p["id"]], dtype=int) for p in picked])
        answer[name] = {"articles": len(picked), **figures(x, y)}
        f = answer[name]
        print(
            f"{name:>3}: {f['articles']} articles, {f['sentences']} sentences, positives "
            f"A {f['positives_a']} B {f['positives_b']}, raw {f['raw_agreement']:.3f}, "
            f"kappa {f['cohen_kappa']}, alpha {f['krippendorff_alpha_nominal']} "
            f"(both 1: {f['both_1']}, only A: {f['only_a']}, only B: {f['only_b']})"
        )
    answer["disagreements"] = disagreements
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(answer, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(disagreements)} disagreements listed in {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
