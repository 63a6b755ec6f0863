"""How fast does ``factcheck import`` take 10,000 JSONL articles, and where does the time go?

    .venv/bin/python bench/bench_import.py [-n 10000] [--repeats 3] [--profile]

Measures the whole command as a user runs it (a new process: start-up included) on a
fresh SQLite database each time, median of ``--repeats``; ``--profile`` then runs the
command once more in this process under cProfile and prints the 25 functions with the
most time of their own and the 25 with the most cumulated time.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import pstats
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import gen_articles  # noqa: E402

SECRET = secrets.token_urlsafe(48)


def environment(instance: Path) -> dict:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env["FACTCHECK_INSTANCE_PATH"] = str(instance)
    env["FACTCHECK_SECRET_KEY"] = SECRET
    return env


def run(*args: str, env: dict) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "factcheck", *args], env=env, cwd=ROOT, capture_output=True
    )
    if done.returncode:
        raise RuntimeError(done.stderr.decode()[-800:])


def timed_import(source: Path, n: int, repeats: int, tmp: Path) -> list[float]:
    rates = []
    for i in range(repeats):
        instance = tmp / f"run{i}"
        instance.mkdir()
        env = environment(instance)
        run("init", env=env)
        t0 = time.perf_counter()
        run("import", str(source), env=env)
        rates.append(n / (time.perf_counter() - t0))
    return rates


def profiled_import(source: Path, tmp: Path, top: int = 25) -> str:
    """``factcheck import`` once more, under cProfile (its own process, as a user runs it)."""
    instance = tmp / "profiled"
    instance.mkdir()
    env = environment(instance)
    run("init", env=env)
    profile = tmp / "import.prof"
    done = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "factcheck"]
        + ["import", str(source)],
        env=env,
        cwd=ROOT,
        capture_output=True,
    )
    if done.returncode:
        raise RuntimeError(done.stderr.decode()[-800:])
    out = io.StringIO()
    stats = pstats.Stats(str(profile), stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        source = tmp / "articles.jsonl"
        gen_articles.write(source, args.n)
        rates = timed_import(source, args.n, args.repeats, tmp)
        if rates:
            print(
                json.dumps(
                    {
                        "import.articles": args.n,
                        "import.articles_per_s": round(statistics.median(rates)),
                        "import.rates": [round(r) for r in rates],
                    }
                )
            )
        if args.profile:
            print(profiled_import(source, tmp))


if __name__ == "__main__":
    main()
