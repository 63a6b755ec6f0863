"""factcheck benchmarks: ``make bench`` (small scale, under 2 minutes) or ``make bench-full``.

Builds a deterministic workload on fresh databases, measures what users feel, prints a
table and writes flat JSON to bench/results/latest.json. Every figure is the median over
repeated runs, with its spread (min–max) where it is repeated.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import compare, workload  # noqa: E402

SCALES = {
    "small": {
        "export_rows": 100_000,
        "review_rows": 20_000,
        "import_articles": 2_000,
        "save_requests": 200,
        "throughput_seconds": 3,
        "clients": (4,),
        "repeats": 3,
        "matching_vectors": 50_000,
    },
    "full": {
        "export_rows": 1_000_000,
        "review_rows": 1_000_000,
        "import_articles": 10_000,
        "save_requests": 1_000,
        "throughput_seconds": 10,
        "clients": (4, 16),
        "repeats": 5,
        "matching_vectors": 250_000,
    },
}
SECRET = secrets.token_urlsafe(48)  # one per run; a made-up key is refused
PG_URL = os.environ.get("FACTCHECK_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432")


# ---------------------------------------------------------------- helpers


def factcheck(*args: str, env: dict, **kw) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "factcheck", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        **kw,
    )
    if done.returncode:  # say why, not only that it failed
        raise RuntimeError(f"factcheck {' '.join(args)}: {done.stderr.strip()[-500:]}")
    return done


def environment(workdir: Path, database_url: str | None = None) -> dict:
    env = dict(os.environ)
    env["FACTCHECK_INSTANCE_PATH"] = str(workdir)
    env["FACTCHECK_SECRET_KEY"] = SECRET
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def fresh_postgres(name: str) -> str:
    subprocess.run(
        ["psql", f"{PG_URL}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        ["psql", f"{PG_URL}/postgres", "-qc", f"CREATE DATABASE {name}"],
        check=True,
        capture_output=True,
    )
    return f"{PG_URL}/{name}"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


class Server:
    """``factcheck serve`` (gunicorn) on a free port."""

    def __init__(
        self, env: dict, workers: int = 4, threads: int = int(os.environ.get("BENCH_THREADS", 2))
    ):
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.started = time.perf_counter()
        self.log = open(env["FACTCHECK_INSTANCE_PATH"] + "/server.log", "ab")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "factcheck",
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
                "--threads",
                str(threads),
            ],
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.first_answer_s = self._wait()

    def _wait(self) -> float:
        deadline = time.perf_counter() + 30
        while time.perf_counter() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                conn.request("GET", "/login")
                if conn.getresponse().status == 200:
                    return time.perf_counter() - self.started
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("server did not start; see server.log")

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def workers_rss(self) -> list[float]:
        return [rss_mb(pid) for pid in children(self.process.pid)]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)
        self.log.close()


def request(conn, method: str, path: str, token: str, body: dict | None = None):
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    payload = None
    if body is not None:
        payload = json.dumps(body)
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=payload, headers=headers)
    response = conn.getresponse()
    data = response.read()
    return response.status, data


def setup_database(
    workdir: Path,
    database_url: str | None,
    *,
    articles: int,
    annotations: int,
    chars: int = 3000,
    statuses=None,
) -> tuple[dict, dict, dict]:
    """A fresh schema (``factcheck init``), the workload, and API tokens."""
    env = environment(workdir, database_url)
    factcheck("init", env=env)
    from sqlalchemy import create_engine

    from factcheck.config import normalize_database_url

    url = normalize_database_url(database_url or f"sqlite:///{workdir}/factcheck.db")
    engine = create_engine(url)
    ids = workload.build(
        engine, articles=articles, annotations=annotations, chars=chars, statuses=statuses
    )
    engine.dispose()
    for name, roles in (
        ("annotator", ["annotator"]),
        ("reviewer", ["reviewer"]),
        ("reviewer2", ["reviewer"]),
    ):
        args = ["user", "create", name, "--password-stdin"]
        for role in roles:
            args += ["--role", role]
        factcheck(*args, env=env, input="benchmark-password\n")
    tokens = {
        name: factcheck("token", "create", name, env=env).stdout.strip()
        for name in ("annotator", "reviewer", "reviewer2")
    }
    return env, ids, tokens


# ---------------------------------------------------------------- measurements


def save_payload(article_text: str) -> dict:
    start = article_text.find(" ", 50) + 1
    end = article_text.find(" ", start + 30)
    return {
        "start": start,
        "end": end,
        "quote": article_text[start:end],
        "claim": "Le taux de chômage a baissé de 10 %.",
        "claimant": "Le ministre",
        "verdict": "false",
        "rationale": "Les chiffres de l'Insee disent 0,1 point.",
        "sources": [
            {"url": "https://exemple.org/insee", "title": "Insee", "note": ""},
            {"url": "https://exemple.org/dares", "title": "Dares", "note": ""},
        ],
    }


def saving(workdir: Path, database_url: str | None, articles: int, matching: bool = True):
    """A fresh database and server, an annotator's token, and a claim to save on the first
    article: (env, server, connection, token, save path, payload). ``matching`` False: the
    server does not index new claims for *Checked before?* (the save without its cost)."""
    workdir.mkdir(parents=True, exist_ok=True)
    env, ids, tokens = setup_database(workdir, database_url, articles=articles, annotations=0)
    if not matching:
        env = {**env, "FACTCHECK_MATCHING_BACKGROUND": "false"}
    server = Server(env)
    token = tokens["annotator"]
    article_id = ids["articles"][0]
    conn = server.connection()
    _status, body = request(conn, "GET", f"/api/v1/articles/{article_id}", token)
    payload = save_payload(json.loads(body)["text"])
    return env, server, conn, token, f"/api/v1/articles/{article_id}/annotations", payload


def measure_save(
    workdir: Path, database_url: str | None, scale: dict, label: str, matching: bool = True
) -> dict:
    env, server, conn, token, path, payload = saving(
        workdir, database_url, articles=20, matching=matching
    )
    try:
        for _ in range(20):  # warm up every worker
            request(conn, "POST", path, token, payload)
        latencies, floor = [], []
        for _ in range(scale["save_requests"]):
            t0 = time.perf_counter()
            status, _ = request(conn, "POST", path, token, payload)
            latencies.append((time.perf_counter() - t0) * 1000)
            assert status == 201, status
            t0 = time.perf_counter()
            conn.request("GET", "/healthz")  # the floor: same server, no auth, no database
            conn.getresponse().read()
            floor.append((time.perf_counter() - t0) * 1000)
        result = {
            f"save.{label}.p50_ms": statistics.median(latencies),
            f"save.{label}.p95_ms": percentile(latencies, 95),
            f"save.{label}.p99_ms": percentile(latencies, 99),
            f"save.{label}.floor_p50_ms": statistics.median(floor),
        }
        for clients in scale["clients"]:
            rps, errors = throughput(
                server, path, token, payload, clients, scale["throughput_seconds"]
            )
            result[f"save.{label}.rps_{clients}"] = rps
            result[f"save.{label}.errors_{clients}"] = errors
        log = Path(env["FACTCHECK_INSTANCE_PATH"], "server.log").read_text(errors="replace")
        result[f"save.{label}.locked_errors"] = log.count("database is locked")
        return result
    finally:
        server.stop()


def throughput(
    server: Server, path: str, token: str, payload: dict, clients: int, seconds: float
) -> tuple[float, int]:
    done, errors = [0] * clients, [0] * clients
    stop = time.perf_counter() + seconds

    def client(n: int) -> None:
        conn = server.connection()
        while time.perf_counter() < stop:
            status, _ = request(conn, "POST", path, token, payload)
            if status == 201:
                done[n] += 1
            else:
                errors[n] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - t0), sum(errors)


def measure_page(workdir: Path, scale: dict) -> dict:
    """The annotate page of a 50,000-character article with 1,000 annotations."""
    workdir.mkdir(parents=True, exist_ok=True)
    env, ids, tokens = setup_database(
        workdir,
        None,
        articles=1,
        annotations=1000,
        chars=50_000,
        statuses=["approved", "submitted", "rejected"],
    )
    factcheck("reindex", env=env)  # steady state: the claims are in the matching index
    server = Server(env)
    try:
        article_id = ids["articles"][0]
        path = f"/articles/{article_id}/annotate"
        cookie = browser_cookie(server, env)
        times = []
        conn = server.connection()
        for _ in range(10 + 2):
            t0 = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status == 200, response.status
        result = {"page.server_ms": statistics.median(times[2:])}
        result.update(browser_page(server, path, cookie, scale["repeats"]))
        result["idle.rss_mb"] = min(server.workers_rss())
        result["page.worker_rss_after_mb"] = max(server.workers_rss())
        return result
    finally:
        server.stop()


def browser_cookie(server: Server, env: dict) -> str:
    """Log in through the form (as a browser would) and return the session cookie."""
    factcheck(
        "user",
        "create",
        "pagereader",
        "--role",
        "annotator",
        "--password-stdin",
        env=env,
        input="benchmark-password\n",
    )
    conn = server.connection()
    conn.request("GET", "/login")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    token = html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    body = f"csrf_token={token}&username=pagereader&password=benchmark-password"
    conn.request(
        "POST",
        "/login",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    response = conn.getresponse()
    response.read()
    # every cookie set (the session, and the device cookie of the login rate limit)
    return "; ".join(c.split(";")[0] for c in response.headers.get_all("Set-Cookie") or [])


def browser_page(server: Server, path: str, cookie: str, repeats: int) -> dict:
    chromium = os.environ.get("FACTCHECK_CHROMIUM", "/usr/bin/chromium")
    if not os.path.exists(chromium):
        print("  (no Chromium: page.paint_ms not measured; apt-get install -y chromium)")
        return {}
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{server.port}"
    paints, sizes, outside = [], [], 0
    cookies = [
        {"name": name, "value": value, "url": base}
        for name, value in (part.split("=", 1) for part in cookie.split("; "))
    ]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        for _ in range(repeats):
            context = browser.new_context()
            context.add_cookies(cookies)
            page = context.new_page()
            received: dict[str, int] = {}

            def on_response(response, received=received):
                try:
                    received[response.url] = len(response.body())
                except Exception:  # noqa: BLE001 (redirects have no body)
                    received[response.url] = 0

            def on_request(req):
                nonlocal outside
                if urlsplit(req.url).netloc not in (
                    "",
                    f"127.0.0.1:{server.port}",
                ) and not req.url.startswith("data:"):
                    outside += 1

            page.on("response", on_response)
            page.on("request", on_request)
            page.goto(base + path)
            page.wait_for_function(
                "() => performance.getEntriesByName('highlights-painted').length > 0",
                timeout=30_000,
            )
            paint = page.evaluate("performance.getEntriesByName('highlights-painted')[0].startTime")
            paints.append(paint)
            sizes.append(
                sum(
                    size
                    for url, size in received.items()
                    if url.endswith((".css", ".js")) or "/static/" in url
                )
            )
            context.close()
        browser.close()
    return {
        "page.paint_ms": statistics.median(paints),
        "page.paint_spread_ms": max(paints) - min(paints),
        "page.asset_kb": statistics.median(sizes) / 1024,
        "page.outside_requests": outside,
    }


def measure_review(workdir: Path, scale: dict) -> dict:
    workdir.mkdir(parents=True, exist_ok=True)
    rows = scale["review_rows"]
    env, _ids, tokens = setup_database(workdir, None, articles=1000, annotations=rows)
    # steady state: the background indexer would spend hours embedding a million claims
    # loaded in bulk (one core busy), which is not what a review costs
    server = Server({**env, "FACTCHECK_MATCHING_BACKGROUND": "false"})
    try:
        conn = server.connection()
        next_times, decide_times, queue_times = [], [], []
        for i in range(50):
            token = tokens["reviewer" if i % 2 else "reviewer2"]
            t0 = time.perf_counter()
            status, body = request(conn, "GET", "/api/v1/review/next", token)
            next_times.append((time.perf_counter() - t0) * 1000)
            item = json.loads(body or b"null") if status == 200 else None
            item = item.get("item", item) if isinstance(item, dict) else item
            if not item:
                continue
            t0 = time.perf_counter()
            status, _ = request(
                conn,
                "POST",
                f"/api/v1/annotations/{item['id']}/review",
                token,
                {
                    "decision": "approve" if i % 3 else "reject",
                    "comment": "Sources vérifiées.",
                    "version": item["version"],
                },
            )
            decide_times.append((time.perf_counter() - t0) * 1000)
        cookie = browser_cookie(server, env)
        for _ in range(5):
            t0 = time.perf_counter()
            conn.request("GET", "/review/", headers={"Cookie": cookie})
            conn.getresponse().read()
            queue_times.append((time.perf_counter() - t0) * 1000)
        return {
            "review.rows": rows,
            "review.next_p50_ms": statistics.median(next_times),
            "review.decision_p50_ms": statistics.median(decide_times) if decide_times else None,
            "review.queue_page_ms": statistics.median(queue_times),
        }
    finally:
        server.stop()


def measure_import(workdir: Path, scale: dict) -> dict:
    workdir.mkdir(parents=True, exist_ok=True)
    from bench import gen_articles

    source = workdir / "articles.jsonl"
    gen_articles.write(source, scale["import_articles"])
    times = []
    for i in range(scale["repeats"]):
        run_dir = workdir / f"run{i}"
        run_dir.mkdir(exist_ok=True)
        env = environment(run_dir)
        factcheck("init", env=env)
        t0 = time.perf_counter()
        factcheck("import", str(source), env=env)
        times.append(time.perf_counter() - t0)
    rates = [scale["import_articles"] / t for t in times]
    return {
        "import.articles": scale["import_articles"],
        "import.articles_per_s": statistics.median(rates),
        "import.spread": max(rates) - min(rates),
    }


def measure_floor(workdir: Path) -> dict:
    """The trivial endpoint and the CPU loop every other figure is read against
    (bench/compare.py)."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = environment(workdir)
    factcheck("init", env=env)
    server = Server(env)
    try:
        return compare.measure_floor(server)
    finally:
        server.stop()


def measure_export(workdir: Path, scale: dict) -> dict:
    from bench import bench_export

    return bench_export.run(scale["export_rows"], workdir)


def measure_matching(scale: dict) -> dict:
    """ "Checked before?": quality on the development and held-out sets, speed at scale
    (bench_matching)."""
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "bench_matching.py"),
            "--vectors",
            str(scale["matching_vectors"]),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    found = json.loads(done.stdout)
    flat = {f"matching.{k}": v for k, v in found["speed"].items() if k != "load_average"}
    for category, figures in found["quality"].items():
        for name, value in figures.items():
            if name != "n":
                flat[f"matching.{category}.{name}"] = value
    flat["matching.backfill_claims_per_s"] = found["backfill_claims_per_s"]
    # the held-out set: written after the weights were chosen on the development set
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_matching.py"), "--quality-only"]
        + ["--set", "heldout"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    for line, figures in json.loads(done.stdout)["quality"].items():
        for name, value in figures.items():
            if name != "n":
                flat[f"matching.heldout.{line}.{name}"] = value
    return flat


FINDABLE_CLAIMS = [
    "Le prix du gazole a augmenté de {n} % depuis janvier.",
    "La ville compte {n} nouvelles pistes cyclables cette année.",
    "Le gouvernement a fermé {n} maternités en cinq ans.",
    "Les exportations de vin ont reculé de {n} % au printemps.",
    "L'hôpital a recruté {n} infirmières depuis l'été.",
    "Le lac a perdu {n} centimètres d'eau en un mois.",
]


def measure_findable(workdir: Path) -> dict:
    """Seconds from a claim's save (201) to its first appearance in ``similar`` (lexical or
    semantic) and to its semantic match (its vector stored), through a real server whose
    background indexer does the work: the contract's "findable within seconds"."""
    _env, server, conn, token, path, payload = saving(workdir, None, articles=2)
    try:
        found_s, semantic_s = [], []
        for k, template in enumerate(FINDABLE_CLAIMS):
            claim = template.format(n=17 + 11 * k)
            status, body = request(conn, "POST", path, token, {**payload, "claim": claim})
            assert status == 201, (status, body[:200])
            saved = time.perf_counter()
            wanted = json.loads(body)["id"]
            query = "/api/v1/claims/similar?" + urllib.parse.urlencode({"text": claim, "limit": 5})
            first = None
            while time.perf_counter() - saved < 30:
                _status, body = request(conn, "GET", query, token)
                item = next(
                    (
                        i
                        for i in json.loads(body)["items"]
                        if i["kind"] == "annotation" and i["id"] == wanted
                    ),
                    None,
                )
                if item is not None and first is None:
                    first = time.perf_counter() - saved
                if item is not None and item["route"] in ("semantic", "both"):
                    found_s.append(first)
                    semantic_s.append(time.perf_counter() - saved)
                    break
                time.sleep(0.05)
            else:
                raise AssertionError(f"claim {wanted} not findable after 30 s")
        return {
            "findable.claims": len(found_s),
            "findable.p50_s": statistics.median(found_s),
            "findable.semantic_p50_s": statistics.median(semantic_s),
            "findable.semantic_max_s": max(semantic_s),
        }
    finally:
        server.stop()


def measure_footprint(workdir: Path) -> dict:
    """Size of a fresh production install (``pip install .``, no dev tools) and start time."""
    workdir.mkdir(parents=True, exist_ok=True)
    venv = workdir / "venv"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", str(ROOT)], check=True, capture_output=True
    )
    install_s = time.perf_counter() - t0
    size = int(
        subprocess.run(
            ["du", "-sk", str(venv)], capture_output=True, text=True, check=True
        ).stdout.split()[0]
    )
    env = environment(workdir)
    factcheck("init", env=env)
    starts = []
    for _ in range(3):
        server = Server(env, workers=2)
        starts.append(server.first_answer_s)
        server.stop()
    return {
        "footprint.venv_mb": size / 1024,
        "footprint.install_s": install_s,
        "footprint.first_answer_s": statistics.median(starts),
    }


# ---------------------------------------------------------------- main

TARGETS = {
    "export.rows_per_s": (">=", 200_000),
    "export.peak_rss_mb": ("<", 150),
    "export.dump_ratio": ("<=", 3),
    "save.sqlite.p50_ms": ("<", 10),
    "save.sqlite.p99_ms": ("<", 50),
    "save.sqlite.rps_4": (">=", 300),
    "save.sqlite.locked_errors": ("==", 0),
    "page.server_ms": ("<", 100),
    "page.paint_ms": ("<", 500),
    "page.asset_kb": ("<", 150),
    "page.outside_requests": ("==", 0),
    "review.next_p50_ms": ("<", 20),
    "review.decision_p50_ms": ("<", 20),
    "import.articles_per_s": (">=", 2000),
    "idle.rss_mb": ("<", 100),
    "footprint.venv_mb": ("<", 150),
    "footprint.first_answer_s": ("<", 3),
    "anchoring.silent_errors": ("==", 0),
    "anchoring.ok_rate": (">=", 0.99),
    "anchoring.flagged_rate": ("==", 1),
    "anchoring.reanchor_1000_s": ("<", 1),
    "anchoring.revision_1000_sqlite_s": ("<", 1),
    "diff.worst_compare_s": ("<", 1.5),
    "diff.worst_page_s": ("<", 2),
    "diff.worst_first_view_s": ("<", 2),
    "diff.reanchor_300_long_s": ("<", 5),
    "diff.revision_300_long_lock_s": ("<", 1),
    "findable.semantic_max_s": ("<", 5),
    "matching.similar_p95_ms": ("<=", 100),
    "matching.worker_rss_growth_mb": ("<=", 30),
    "matching.backfill_claims_per_s": (">=", 50),
    "matching.all.success@10": (">=", 0.95),
    "matching.translation.success@10": (">=", 0.90),
    "matching.across.success@10": (">=", 0.90),
}


def verdict(key: str, value) -> str:
    if key not in TARGETS or not isinstance(value, int | float):
        return ""
    op, target = TARGETS[key]
    ok = {">=": value >= target, "<": value < target, "<=": value <= target, "==": value == target}[
        op
    ]
    return f"{'ok ' if ok else 'MISS'} (target {op} {target:g})"


def _measure_anchoring() -> dict:
    from bench import bench_anchoring

    return bench_anchoring.measure()


def _measure_diff(scale: dict) -> dict:
    from bench import bench_diff

    return bench_diff.measure(quick=scale is SCALES["small"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument(
        "--only",
        nargs="*",
        help="floor export save page review import footprint anchoring diff matching findable",
    )
    parser.add_argument("--workdir", default=str(ROOT / "bench" / "work"))
    args = parser.parse_args()
    scale = SCALES[args.scale]
    workdir = Path(args.workdir)
    subprocess.run(["rm", "-rf", str(workdir)], check=True)
    workdir.mkdir(parents=True)
    only = set(
        args.only
        or [
            "floor",
            "export",
            "save",
            "page",
            "review",
            "import",
            "footprint",
            "anchoring",
            "diff",
            "matching",
            "findable",
        ]
    )
    before, before_where = compare.previous(args.scale)
    results: dict = {
        "scale": args.scale,
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "time": datetime.now(UTC).strftime("%H:%M UTC"),
        **compare.identity(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}",
    }
    steps = [
        ("floor", lambda: measure_floor(workdir / "floor")),
        ("import", lambda: measure_import(workdir / "import", scale)),
        ("export", lambda: measure_export(workdir / "export", scale)),
        ("save", lambda: measure_save(workdir / "save-sqlite", None, scale, "sqlite")),
        (
            "save",
            lambda: measure_save(
                workdir / "save-sqlite-nomatch", None, scale, "sqlite_nomatch", matching=False
            ),
        ),
        (
            "save",
            lambda: measure_save(
                workdir / "save-pg", fresh_postgres("fc_bench_save"), scale, "postgresql"
            ),
        ),
        ("page", lambda: measure_page(workdir / "page", scale)),
        ("review", lambda: measure_review(workdir / "review", scale)),
        ("footprint", lambda: measure_footprint(workdir / "footprint")),
        ("anchoring", _measure_anchoring),
        ("diff", lambda: _measure_diff(scale)),
        ("matching", lambda: measure_matching(scale)),
        ("findable", lambda: measure_findable(workdir / "findable")),
    ]
    for name, step in steps:
        if name not in only:
            continue
        t0 = time.perf_counter()
        print(f"-- {name} ...", flush=True)
        try:
            results.update(step())
        except Exception as error:  # noqa: BLE001 (one failed measurement must not hide the rest)
            results[f"{name}.error"] = repr(error)
            print(f"   failed: {error!r}")
        print(f"   ({time.perf_counter() - t0:.1f} s)", flush=True)
    print(
        f"previous run: {before_where} ({before.get('date', '?')}, {before.get('commit', '?')[:9]})"
    )
    for line in compare.rows(results, before, verdict):
        print(line)
    out = ROOT / "bench" / "results" / "latest.json"
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
