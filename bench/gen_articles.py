"""Generate French-like articles as JSON Lines, deterministically (same seed, same file).

    python bench/gen_articles.py -n 10000 --chars 3000 --seed 1 -o /tmp/articles.jsonl

Also importable: ``generate(n, chars, seed)`` yields the records; ``write(path, ...)``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

SUBJECTS = [
    "Le gouvernement",
    "La ministre de l’Économie",
    "Le maire de Saint-Étienne",
    "L’Insee",
    "Une étude récente",
    "Le porte-parole de l’opposition",
    "La région Auvergne-Rhône-Alpes",
    "Le président du Sénat",
]
VERBS = ["a affirmé que", "a déclaré que", "estime que", "assure que", "a rappelé que"]
FACTS = [
    "le chômage a baissé de {n} % en un an",
    "les dépenses de santé ont augmenté de {n} milliards d’euros",
    "{n} % des Français déclarent avoir renoncé à se soigner",
    "le prix de l’électricité a été multiplié par {n} depuis 2010",
    "la dette publique atteint {n} % du PIB",
    "près de {n} 000 logements ont été construits cette année",
    "les émissions de CO₂ ont reculé de {n} % depuis 1990",
]
QUOTES = [
    "« C’est une réalité que personne ne peut contester », a-t-il ajouté.",
    "« Nous avons tenu nos engagements », a-t-elle insisté. 🇫🇷",
    "« Les chiffres parlent d’eux-mêmes », selon son entourage.",
    "Une affirmation que l’opposition juge « très exagérée ».",
]
TITLES = [
    "{s} : la bataille des chiffres",
    "Ce que disent vraiment les données sur {t}",
    "Vrai ou faux : {t}",
    "{s} face à la question : {t}",
]
TOPICS = ["l’emploi", "la santé", "l’énergie", "la dette", "le logement", "le climat", "l’école"]


def sentence(rng: random.Random) -> str:
    fact = rng.choice(FACTS).format(n=rng.randint(2, 95))
    text = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {fact}."
    if rng.random() < 0.3:
        text += " " + rng.choice(QUOTES)
    return text


def body(rng: random.Random, chars: int) -> str:
    paragraphs, size = [], 0
    while size < chars:
        paragraph = " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:chars].rstrip() + "."


def generate(n: int = 10_000, chars: int = 3_000, seed: int = 1) -> Iterator[dict]:
    rng = random.Random(seed)
    start = datetime(2023, 1, 1, tzinfo=UTC)
    for i in range(n):
        title = rng.choice(TITLES).format(s=rng.choice(SUBJECTS), t=rng.choice(TOPICS))
        published = start + timedelta(minutes=rng.randint(0, 60 * 24 * 700))
        yield {
            "external_id": f"bench-{seed}-{i:06d}",
            "title": title,
            "text": body(rng, chars),
            "url": f"https://exemple.org/actualites/{seed}/{i}",
            "published_at": published.isoformat().replace("+00:00", "Z"),
            "language": "fr",
        }


def write(path: Path | str, n: int = 10_000, chars: int = 3_000, seed: int = 1) -> Path:
    path = Path(path)
    with path.open("w", encoding="utf-8") as out:
        for record in generate(n, chars, seed):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000, help="number of articles")
    parser.add_argument("--chars", type=int, default=3_000, help="characters per text")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", default="-", help="file, or - for stdout")
    args = parser.parse_args(argv)
    if args.output == "-":
        for record in generate(args.n, args.chars, args.seed):
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        write(args.output, args.n, args.chars, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
