"""Every figure side by side: this run, the floor, and the previous committed run.

A figure alone says little on a shared machine: a save at 9 ms is a regression on a quiet
machine and a win on a loaded one. So ``make bench`` measures a *floor* in the same run
(``GET /healthz`` on the same kind of server: no session, no database; and a fixed
pure-Python loop for the CPU), and prints beside each figure

- ``÷floor``: the figure over the floor of its kind (a latency over the floor's latency, a
  rate over the floor's rate), which moves little when the whole machine slows down;
- ``prev``: the same figure in the previous committed run of the same scale (``git log`` of
  ``bench/results/latest.json``, then the committed ``<scale>-*.json`` files);
- ``×prev``: this run over the previous one, and ``×prev/floor``: the same ratio once the
  floor's own drift between the two runs is taken out (> 1 is slower for a time, faster for
  a rate), which is the column to read for a regression.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = "bench/results/latest.json"


def git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else ""


def identity() -> dict:
    """The commit measured (with ``+dirty`` when the checkout had uncommitted changes)."""
    commit = git("rev-parse", "HEAD")
    dirty = bool(git("status", "--porcelain", "--untracked-files=no", "--", "factcheck"))
    return {
        "commit": commit + ("+dirty" if dirty else ""),
        "commit_subject": git("log", "-1", "--format=%s"),
    }


def previous(scale: str) -> tuple[dict, str]:
    """Each figure's value in the newest committed run of this scale that has it (a run
    made with ``--only`` measured a part; an older one fills the rest), and where from."""
    runs = []
    for commit in git("log", "-n", "40", "--format=%H", "--", RESULTS).split():
        runs.append((git("show", f"{commit}:{RESULTS}"), f"{RESULTS}@{commit[:9]}"))
    for path in sorted(git("ls-files", f"bench/results/{scale}-*.json").split(), reverse=True):
        runs.append((git("show", f"HEAD:{path}"), path))
    parsed = []
    for text, where in runs:
        try:
            found = json.loads(text or "{}")
        except json.JSONDecodeError:
            continue
        if found.get("scale") == scale:
            parsed.append((found, where))
    parsed.sort(key=lambda run: (run[0].get("date", ""), run[0].get("time", "")), reverse=True)
    merged: dict = {}
    used = []
    for found, where in parsed:
        new = {k: v for k, v in found.items() if k not in merged}
        if any(isinstance(v, int | float) for v in new.values()):
            used.append(f"{where} ({found.get('date', '?')})")
            merged.update(new)
    return merged, ", ".join(used) or "none"


def cpu_floor_ms(rounds: int = 7) -> float:
    """A fixed pure-Python workload (the kind of work a request does): median ms."""

    def work() -> int:
        total, table = 0, {}
        for i in range(60_000):
            key = f"k{i % 977}"
            table[key] = table.get(key, 0) + i
            total += len(key)
        return total

    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        work()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def measure_floor(server, seconds: float = 2.0) -> dict:
    """The floor on a running server: ``GET /healthz`` one at a time (p50) and with 4
    clients (requests/s), and the CPU loop."""
    conn = server.connection()
    latencies = []
    for _ in range(300):
        t0 = time.perf_counter()
        conn.request("GET", "/healthz")
        conn.getresponse().read()
        latencies.append((time.perf_counter() - t0) * 1000)
    done = [0] * 4
    stop = time.perf_counter() + seconds

    def client(n: int) -> None:
        c = server.connection()
        while time.perf_counter() < stop:
            c.request("GET", "/healthz")
            c.getresponse().read()
            done[n] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "floor.healthz_p50_ms": statistics.median(latencies[20:]),
        "floor.healthz_rps_4": sum(done) / (time.perf_counter() - t0),
        "floor.cpu_ms": cpu_floor_ms(),
    }


def kind(key: str) -> str:
    if "per_s" in key or ".rps_" in key:
        return "rate"
    if key.endswith(("_ms", "_s", ".seconds")):
        return "time"
    return ""


def _floor_latency(results: dict) -> float | None:
    return results.get("floor.healthz_p50_ms") or results.get("save.sqlite.floor_p50_ms")


def drift(now: dict, before: dict) -> float | None:
    """How much slower the machine was in this run than in the previous one (> 1: slower),
    from the floors both runs measured: the CPU loop, else the trivial endpoint."""
    for key in ("floor.cpu_ms", "floor.healthz_p50_ms"):
        if now.get(key) and before.get(key):
            return now[key] / before[key]
    a, b = _floor_latency(now), _floor_latency(before)
    return a / b if a and b else None


def rows(results: dict, before: dict, verdict) -> list[str]:
    machine = drift(results, before)
    floor_ms, floor_rps = _floor_latency(results), results.get("floor.healthz_rps_4")
    head = (
        f"{'figure':<34} {'value':>12} {'÷floor':>8} {'prev':>12} {'×prev':>7} {'×prev/floor':>11}"
    )
    out = [head, "-" * len(head)]
    for key, value in results.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            if not isinstance(value, list | dict):
                out.append(f"{key:<34} {value!s:>12}")
            continue
        shown = f"{value:,.2f}" if isinstance(value, float) else f"{value:,}"
        k = kind(key)
        over_floor = ""
        if k == "time" and key.endswith("_ms") and floor_ms and not key.startswith("floor."):
            over_floor = f"{value / floor_ms:.1f}"
        elif k == "rate" and ".rps_" in key and floor_rps and not key.startswith("floor."):
            over_floor = f"{value / floor_rps:.3f}"
        old = before.get(key)
        prev = ratio = adjusted = ""
        if isinstance(old, int | float) and not isinstance(old, bool):
            prev = f"{old:,.2f}" if isinstance(old, float) else f"{old:,}"
            if old:
                r = value / old
                ratio = f"{r:.2f}"
                if machine and k == "time":
                    adjusted = f"{r / machine:.2f}"
                elif machine and k == "rate":
                    adjusted = f"{r * machine:.2f}"
        out.append(
            f"{key:<34} {shown:>12} {over_floor:>8} {prev:>12} {ratio:>7} {adjusted:>11}  "
            f"{verdict(key, value)}".rstrip()
        )
    if machine:
        out.append(f"machine drift since the previous run (floor now/before): {machine:.2f}")
    return out
