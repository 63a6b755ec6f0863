"""Fit the learned ranking of "Checked before?" on the DEVELOPMENT set only, and write its
weights to factcheck/services/matching/ranking.json. ``python bench/fit_ranking.py``.

Every claim of bench/data/matching_dev.json is indexed as a past fact-check (with the real
model, as bench/bench_matching.py does); for each query, the candidates the service would
rank again and their features (factcheck/services/matching/ranking.py) are collected
through the service itself (``matching.ranking_rows``), once with the model ("semantic")
and once by words alone ("lexical"); each case is also searched for its target copied
(the commonest repeat, absent from the set, whose queries are all reworded). For each
mode, a pairwise logistic regression (numpy only): the target against each other
candidate of its query, on standardised features,
with an L2 penalty chosen by 5-fold cross-validation over the cases (success@1 of the
set's queries; a case and its copy in the same fold); then a
one-dimensional logistic fit of the pointwise labels on that score turns it into a
probability, the score shown. The floor is chosen on the same folds' out-of-fold scores:
the highest that still keeps 99 % of the targets the ranking put in its top 10 (with the
model; by words alone nothing is hidden).

The held-out sets (matching_heldout.json, matching_heldout2.json) are never read here.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small matrices: threads only wait

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_matching import DEV_SET, dev_set, load_set, make_app  # noqa: E402
from factcheck.extensions import db  # noqa: E402
from factcheck.models import User  # noqa: E402
from factcheck.services import matching  # noqa: E402
from factcheck.services.matching import ranking  # noqa: E402

L2_GRID = (1e-6, 1e-5, 1e-4, 1e-3, 1e-2)
FOLDS = 5
KEEP_TARGETS = 0.99


def collect(app) -> dict:
    """Per mode, per case: the candidates' feature rows and which one is the target."""
    data = dev_set(DEV_SET)
    out: dict[str, list] = {"semantic": [], "lexical": []}
    with app.app_context():
        targets, _claims = load_set(app, data)
        user = db.session.query(User).first()
        lexical_config = {**app.config, "MATCHING_MODEL": ""}
        queries = [(i, case["query"]) for i, case in enumerate(data["cases"])]
        # the commonest repeat: the claim copied (here, without its final stop); the set's
        # queries are all reworded, so without these the fit learns that sharing every
        # word is a bad sign
        queries += [(i, case["target"].rstrip(".!? ")) for i, case in enumerate(data["cases"])]
        for i, query in queries:
            for mode, config in (("semantic", app.config), ("lexical", lexical_config)):
                kept, rows, semantic = matching.ranking_rows(db.session, user, query, config=config)
                assert semantic == (mode == "semantic")
                labels = [float(f.obj.url == targets[i]) for f in kept]
                out[mode].append((np.array(rows, dtype=float), np.array(labels)))
    return out


def _write_rows(path: str, collected: dict) -> None:
    arrays = {}
    for mode, cases in collected.items():
        for i, (rows, labels) in enumerate(cases):
            arrays[f"{mode}/{i}/rows"] = rows
            arrays[f"{mode}/{i}/labels"] = labels
    np.savez(path, features=np.array(ranking.FEATURES), **arrays)


def _read_rows(path: str) -> dict:
    data = np.load(path)
    assert tuple(data["features"]) == ranking.FEATURES, "features changed: collect again"
    out: dict[str, list] = {"semantic": [], "lexical": []}
    for mode, cases in out.items():
        i = 0
        while f"{mode}/{i}/rows" in data:
            rows = data[f"{mode}/{i}/rows"].reshape(-1, len(ranking.FEATURES))
            cases.append((rows, data[f"{mode}/{i}/labels"]))
            i += 1
    return out


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(z, -30, 30)))


def _newton(x: np.ndarray, y: np.ndarray, l2: float, bias: bool, steps: int = 50) -> np.ndarray:
    """Logistic regression by Newton's method; ``l2`` penalises every weight but the bias
    (the last column when ``bias``)."""
    if bias:
        x = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2 * len(x))
    if bias:
        penalty[-1] = 0.0
    for _ in range(steps):
        p = _sigmoid(x @ w)
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def _pairs(cases: list, mean: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Target minus each other candidate, standardised, for the cases whose target is
    among the candidates; both signs, so that the fit has two classes and no bias."""
    diffs = []
    for rows, labels in cases:
        if labels.sum() != 1:
            continue
        z = (rows - mean) / scale
        target = z[labels == 1][0]
        diffs.extend(target - z[labels == 0])
    diffs = np.array(diffs)
    return diffs


def fit(cases: list, l2: float) -> dict:
    every = np.vstack([rows for rows, _ in cases])
    mean, scale = every.mean(axis=0), every.std(axis=0)
    scale[scale < 1e-9] = 1.0
    diffs = _pairs(cases, mean, scale)
    x = np.vstack([diffs, -diffs])
    y = np.concatenate([np.ones(len(diffs)), np.zeros(len(diffs))])
    w = _newton(x, y, l2, bias=False)
    # the pairwise score made a probability: score = sigmoid(a * (w . z) + b)
    s = np.concatenate([((rows - mean) / scale) @ w for rows, _ in cases])
    labels = np.concatenate([labels for _, labels in cases])
    a, b = _newton(s[:, None], labels, 0.0, bias=True)
    return {
        "mean": mean.tolist(),
        "scale": scale.tolist(),
        "weights": (a * w).tolist(),
        "bias": float(b),
    }


def score(mode: dict, rows: np.ndarray) -> np.ndarray:
    z = (rows - np.array(mode["mean"])) / np.array(mode["scale"])
    return _sigmoid(z @ np.array(mode["weights"]) + mode["bias"])


def _success_at_1(mode: dict, cases: list) -> float:
    hits = 0
    for rows, labels in cases:
        if len(rows) and labels.sum() == 1:
            hits += labels[int(np.argmax(score(mode, rows)))] == 1
    return hits / len(cases)


def cross_validate(cases: list, rng, n: int) -> tuple[float, dict, np.ndarray]:
    """The L2 penalty with the best out-of-fold success@1 on the set's ``n`` queries (the
    first ones; then their copies, each in its case's fold), those figures, and the
    out-of-fold scores of the targets ranked in the top 10 (for the floor)."""
    folds = np.resize(rng.permutation(n) % FOLDS, len(cases))
    results, kept_scores = {}, {}
    for l2 in L2_GRID:
        hits, targets = [], []
        for k in range(FOLDS):
            train = [c for c, f in zip(cases, folds, strict=True) if f != k]
            test = [
                c for j, (c, f) in enumerate(zip(cases, folds, strict=True)) if f == k and j < n
            ]
            mode = fit(train, l2)
            hits.append(_success_at_1(mode, test) * len(test))
            for rows, labels in test:
                if labels.sum() != 1:
                    continue
                scores = score(mode, rows)
                rank = int((scores > scores[labels == 1][0]).sum()) + 1
                if rank <= 10:
                    targets.append(float(scores[labels == 1][0]))
        results[l2] = round(sum(hits) / n, 3)
        kept_scores[l2] = np.array(targets)
    best = max(L2_GRID, key=lambda v: (results[v], v))
    return best, results, kept_scores[best]


def choose_floor(target_scores: np.ndarray) -> float:
    """The highest floor (to 0.0001) keeping ``KEEP_TARGETS`` of these targets shown."""
    if not len(target_scores):
        return 0.0
    value = float(np.quantile(target_scores, 1 - KEEP_TARGETS))
    return float(np.floor(value * 10_000) / 10_000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ranking.WEIGHTS))
    parser.add_argument(
        "--rows", help="keep the collected feature rows in this .npz (reused when it exists)"
    )
    args = parser.parse_args()
    rng = np.random.default_rng(27)
    if args.rows and Path(args.rows).exists():
        collected = _read_rows(args.rows)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            collected = collect(make_app(tmp + "/fit"))
        if args.rows:
            _write_rows(args.rows, collected)
    modes, report = {}, {}
    for name, cases in collected.items():
        n = len(cases) // 2  # the set's queries, then their copies
        l2, cv, targets = cross_validate(cases, rng, n)
        # by words alone nothing is hidden: that ranking is too weak to hide by (the
        # target is among its candidates for four queries in five), and it is the fallback
        floor = choose_floor(targets) if name == "semantic" else 0.0
        modes[name] = fit(cases, l2) | {"floor": floor}
        report[name] = {
            "l2": l2,
            "cv_success@1": cv,
            "fitted_success@1": round(_success_at_1(modes[name], cases[:n]), 3),
            "fitted_success@1_copies": round(_success_at_1(modes[name], cases[n:]), 3),
            "target_among_candidates": round(
                sum(labels.sum() == 1 for _, labels in cases[:n]) / n, 3
            ),
            "floor_from_out_of_fold": choose_floor(targets),
            "weights": dict(zip(ranking.FEATURES, modes[name]["weights"], strict=True)),
        }
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    out = {
        "about": "Learned ranking of Checked before? (factcheck/services/matching/ranking.py), "
        "fitted by bench/fit_ranking.py on bench/data/matching_dev.json only.",
        "features": list(ranking.FEATURES),
        "modes": modes,
        "fitted_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": commit,
        "fitted_on": "bench/data/matching_dev.json",
        "depth": ranking.DEPTH,
        "fit": {name: {k: v for k, v in r.items() if k != "weights"} for name, r in report.items()},
    }
    Path(args.out).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
