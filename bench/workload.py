"""A deterministic synthetic workload: French-like articles with accents and a few emoji,
and annotations with two sources each, in every status. Rows go in with executemany,
straight into the schema that ``factcheck init`` created."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.engine import Engine

WORDS = (
    "le la les un une des et à de du en pour que qui dans sur avec par au aux est sont "
    "été ont président ministre gouvernement élection réforme économie chômage taux "
    "hausse baisse année région député sénat budget électricité énergie hôpital école "
    "déclaré affirmé selon chiffres pourcentage milliard millions habitants européenne "
    "français française société crise dépenses déficit croissance prévision été hiver "
    "côté façon où déjà très après même près être ça garçon naïf noël cœur œuvre"
).split()
EMOJI = ["🎉", "👍🏽", "🇫🇷", "🌍", "📈", "👩‍💻"]
STATUSES = ["approved", "submitted", "rejected", "draft"]


def article_text(rng: random.Random, chars: int) -> str:
    parts: list[str] = []
    size = 0
    sentence: list[str] = []
    while size < chars:
        word = rng.choice(WORDS)
        if rng.random() < 0.004:
            word = rng.choice(EMOJI)
        sentence.append(word)
        size += len(word) + 1
        if len(sentence) > rng.randint(8, 20):
            line = " ".join(sentence).capitalize() + "."
            parts.append(line)
            sentence = []
            if rng.random() < 0.2:
                parts.append("\n\n")
    text_ = " ".join(parts).replace(" \n\n ", "\n\n")
    return text_[:chars]


def build(
    engine: Engine,
    *,
    articles: int,
    annotations: int,
    chars: int = 3000,
    statuses: list[str] | None = None,
    seed: int = 7,
    batch: int = 20_000,
) -> dict:
    """Insert users, articles and annotations; return ids useful to the benchmarks."""
    rng = random.Random(seed)
    now = datetime(2026, 11, 1, tzinfo=UTC).replace(tzinfo=None)
    statuses = statuses or STATUSES
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO user_account (username, display_name, password_hash, active, "
                "session_token, created_at) VALUES (:u, :u, 'x', :a, :t, :c)"
            ),
            [{"u": f"bench{i}", "a": True, "t": f"bench-session-{i}", "c": now} for i in range(4)],
        )
        users = [
            r[0]
            for r in conn.execute(
                text("SELECT id FROM user_account WHERE username LIKE 'bench%' ORDER BY id")
            )
        ]
        texts = [article_text(rng, chars) for _ in range(min(articles, 50))]
        conn.execute(
            text(
                "INSERT INTO article (title, text, url, language, external_id, text_sha256, "
                "created_at, updated_at, project_id, search_text) VALUES (:ti, :tx, :u, 'fr', "
                ":e, :h, :c, :c, (SELECT min(id) FROM project), '')"
            ),
            [
                {
                    "ti": f"Article {i} : la réforme",
                    "tx": texts[i % len(texts)],
                    "u": f"https://exemple.org/a/{i}",
                    "e": f"bench-{i}",
                    "h": f"{i:064x}",
                    "c": now,
                }
                for i in range(articles)
            ],
        )
        article_rows = list(conn.execute(text("SELECT id, text FROM article ORDER BY id")))
    spans = []
    for _aid, body in article_rows[:50]:
        start = body.find(" ", 100) + 1
        end = body.find(" ", start + 40)
        spans.append(
            (start, end, body[start:end], body[max(0, start - 32) : start], body[end : end + 32])
        )
    made = 0
    while made < annotations:
        count = min(batch, annotations - made)
        rows, first_id = [], None
        for i in range(made, made + count):
            aid = article_rows[i % len(article_rows)][0]
            start, end, quote, prefix, suffix = spans[i % len(article_rows) % len(spans)]
            status = statuses[i % len(statuses)]
            created = now + timedelta(seconds=i)
            decided = status in ("approved", "rejected")
            rows.append(
                {
                    "a": aid,
                    "au": users[i % 2],
                    "s": start,
                    "e": end,
                    "q": quote,
                    "p": prefix,
                    "sf": suffix,
                    "cl": f"Le chômage a baissé de {i % 97} % « selon » l'Insee",
                    "cm": "Élisabeth Borne",
                    "v": ["false", "true", "mixed"][i % 3],
                    "r": "Les chiffres, vérifiés, disent autre chose.",
                    "st": status,
                    "c": created,
                    "sub": None if status == "draft" else created,
                    "rev": created if decided else None,
                    "rv": users[2] if decided else None,
                    "rc": "Vérifié." if decided else "",
                }
            )
        with engine.begin() as conn:
            conn.execute(
                text(
                    'INSERT INTO annotation (article_id, author_id, start, "end", quote, prefix, '
                    "suffix, claim, claimant, verdict, rationale, status, version, created_at, "
                    "updated_at, submitted_at, reviewed_at, reviewer_id, review_comment, "
                    "project_id) VALUES (:a, :au, :s, :e, :q, :p, :sf, :cl, :cm, :v, :r, :st, 1, "
                    ":c, :c, :sub, :rev, :rv, :rc, (SELECT min(id) FROM project))"
                ),
                rows,
            )
            last = conn.execute(text("SELECT max(id) FROM annotation")).scalar()
            first_id = last - count + 1
            conn.execute(
                text(
                    "INSERT INTO source (annotation_id, position, url, title, note) "
                    "VALUES (:a, :p, :u, :t, '')"
                ),
                [
                    {
                        "a": first_id + k,
                        "p": p,
                        "u": f"https://exemple.org/src/{first_id + k}/{p}",
                        "t": "Insee, note de conjoncture",
                    }
                    for k in range(count)
                    for p in (0, 1)
                ],
            )
            conn.execute(
                text(
                    "INSERT INTO review_event (annotation_id, actor_id, at, from_status, "
                    "to_status, comment, version) VALUES (:a, :u, :c, NULL, :s, '', 1)"
                ),
                [
                    {"a": first_id + k, "u": r["au"], "c": r["c"], "s": r["st"]}
                    for k, r in enumerate(rows)
                ],
            )
        made += count
    return {"users": users, "articles": [r[0] for r in article_rows]}
