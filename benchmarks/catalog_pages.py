"""Server time of the catalogue list and instrument detail pages at 600 and 30,000 instruments.

A standalone script, not a test (see benchmarks/README.md). On PostgreSQL it:
1. creates a fresh database, migrates it once and keeps it as a template;
2. for each size, clones the template, builds the demo city with `manage.py demo_city --scale`
   (timed as a whole, and as demo_city reports its data and search-index parts) and runs
   VACUUM ANALYZE;
3. serves the sizes in alternating rounds (600, 30000, 30000, 600, …), each round a child process
   that plays a web worker: it renders the filtered list page (category + region + value band,
   page 2), the unfiltered list and instrument detail pages with Django's test client, in
   process, after a warm-up, and reports its server times, queries per page and its peak RSS
   (VmHWM). The machines are shared, so alternating puts the same load on every size and the
   ratio between sizes means something; ~200 requests a page and size in all;
4. prints a table and writes benchmarks/results/catalog_pages.json.

The child runs with DEBUG=false, as production does, so it serves collected static files.
"""

import argparse
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dayi_bench"
RESULTS = ROOT / "benchmarks" / "results" / "catalog_pages.json"
STATIC_ROOT = Path(os.environ.get("DAYI_BENCH_STATIC_ROOT", "/tmp/dayi-bench-static"))  # noqa: S108

# Filters a visitor really combines: a category, the city (a region subtree), a value band, page 2.
LIST_FILTERS = {"category": "spectroscopy", "region": "320800", "band": "lt50", "page": "2"}
TARGET_P95_MS = 100
TARGET_RATIO = 2.0


# Parent: databases, builds, report ---------------------------------------------------------


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin(url: str, *statements: str):
    import psycopg

    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def _run(command: list[str], environment: dict) -> subprocess.CompletedProcess:
    completed = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True)
    if completed.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{completed.stdout}\n{completed.stderr}")
    return completed


def _manage(url: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return _run([PYTHON, str(ROOT / "manage.py"), *args], {**os.environ, "DATABASE_URL": url, **(env or {})})


def _prepare_template(url: str, template: str):
    print(f"Creating and migrating the template database {template} …", flush=True)
    _admin(url, f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)', f'CREATE DATABASE "{template}"')
    _manage(_with_database(url, template), "migrate", "--noinput", "-v0")
    print(f"Collecting static files into {STATIC_ROOT} (the child serves with DEBUG=false) …", flush=True)
    _manage(url, "collectstatic", "--noinput", "-v0", env=_serving_env())


def _serving_env() -> dict:
    return {"DEBUG": "false", "SECURE_COOKIES": "false", "STATIC_ROOT": str(STATIC_ROOT), "LOG_LEVEL": "WARNING"}


def _build(url: str, name: str, template: str, size: int, seed: int) -> dict:
    _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    database = _with_database(url, name)
    print(f"Building the demo city at {size} instruments …", flush=True)
    started = time.perf_counter()
    output = _manage(database, "demo_city", "--scale", str(size), "--seed", str(seed)).stdout
    build_seconds = time.perf_counter() - started
    # Autovacuum would get there too, later: fresh statistics make runs comparable, and the
    # visibility map lets the list's counts read the indexes alone, as they do in production.
    started = time.perf_counter()
    import psycopg

    with psycopg.connect(database, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    return {
        "build_seconds": round(build_seconds, 2),
        "data_seconds": _reported_seconds(output, "Built "),
        "search_index_seconds": _reported_seconds(output, "Indexed "),
        "vacuum_analyze_seconds": round(time.perf_counter() - started, 2),
    }


def _reported_seconds(output: str, prefix: str) -> float | None:
    """The seconds demo_city reports on its line starting with `prefix` ("… in 18.4 s.")."""
    for line in output.splitlines():
        found = re.search(r" in ([0-9.]+) s\.$", line.strip())
        if line.startswith(prefix) and found:
            return float(found.group(1))
    return None


def _serve(url: str, requests: int, warmup: int, offset: int) -> dict:
    completed = _run(
        [PYTHON, __file__, "--serve", "--requests", str(requests), "--warmup", str(warmup), "--offset", str(offset)],
        {**os.environ, "DATABASE_URL": url, **_serving_env()},
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _serve_in_rounds(databases: dict, args) -> dict:
    """Every size served `args.rounds` times, the order flipping each round."""
    per_round = max(1, args.requests // args.rounds)
    served = {size: [] for size in databases}
    order = list(databases)
    for number in range(args.rounds):
        for size in order if number % 2 == 0 else reversed(order):
            print(f"Serving {size} instruments, round {number + 1} of {args.rounds} …", flush=True)
            served[size].append(_serve(databases[size], per_round, args.warmup, number * per_round))
    return {size: _merged(rounds) for size, rounds in served.items()}


def _merged(rounds: list[dict]) -> dict:
    first = rounds[0]
    figures = {key: first[key] for key in ("instruments", "public_instruments", "rss_after_setup_mb")}
    for page in PAGES:
        times = [ms for one in rounds for ms in one["times"][page]]
        figures[page] = _summary(times, first["queries"][page])
    figures["peak_rss_mb"] = max(one["peak_rss_mb"] for one in rounds)
    return figures


def run(args) -> dict:
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    name = urlsplit(url).path.lstrip("/")
    template = f"{name}_template"
    _prepare_template(url, template)
    names = {size: f"{name}_{size}" for size in args.sizes}
    sizes = {}
    try:
        for size in args.sizes:
            sizes[str(size)] = _build(url, names[size], template, size, args.seed)
        served = _serve_in_rounds({size: _with_database(url, names[size]) for size in args.sizes}, args)
        for size in args.sizes:
            sizes[str(size)].update(served[size])
    finally:
        for size in args.sizes if not args.keep else args.sizes[:-1]:
            _admin(url, f'DROP DATABASE IF EXISTS "{names[size]}" WITH (FORCE)')
        _admin(url, f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
    return {
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "database": "PostgreSQL " + _server_version(url),
        "requests_per_page": args.requests,
        "rounds": args.rounds,
        "load_average": _load_average(),
        "list_filters": LIST_FILTERS,
        "sizes": sizes,
        "targets": _targets(sizes, args.sizes),
    }


def _load_average() -> list[float]:
    """The 1, 5 and 15 minute load averages at the end: the machine is shared."""
    return [round(value, 2) for value in os.getloadavg()]


def _server_version(url: str) -> str:
    import psycopg

    with psycopg.connect(_with_database(url, "postgres")) as connection:
        return connection.execute("SHOW server_version").fetchone()[0]


def _targets(sizes: dict, requested: list[int]) -> dict:
    small, large = str(min(requested)), str(max(requested))
    large_p95 = sizes[large]["list_filtered"]["p95_ms"]
    small_p95 = sizes[small]["list_filtered"]["p95_ms"]
    return {
        f"list_p95_at_{large}_le_{TARGET_P95_MS}ms": large_p95 <= TARGET_P95_MS,
        f"list_p95_at_{large}_le_{TARGET_RATIO}x_{small}": large_p95 <= TARGET_RATIO * small_p95,
        "ratio": round(large_p95 / small_p95, 2),
    }


PAGES = ["list_filtered", "list_unfiltered", "detail"]


def print_table(report: dict):
    pages = PAGES
    print()
    print(
        f"Catalogue pages on {report['database']}, {report['requests_per_page']} requests a page in "
        f"{report['rounds']} alternating rounds, server time in ms, load average {report['load_average']}"
    )
    columns = "  ".join(f"{p + ' p50/p95 (q)':>28}" for p in pages)
    print(f"{'instruments':>11}  {'build s (data+index)':>20}  {columns}  {'peak RSS MB':>11}")
    for size, figures in report["sizes"].items():
        cells = [
            f"{figures[p]['p50_ms']:>8.1f} / {figures[p]['p95_ms']:>7.1f} ({figures[p]['queries']:>2})" for p in pages
        ]
        build = f"{figures['build_seconds']:.1f} ({figures['data_seconds']}+{figures['search_index_seconds']})"
        print(f"{size:>11}  {build:>20}  " + "  ".join(f"{c:>28}" for c in cells), end="")
        print(f"  {figures['peak_rss_mb']:>11.1f}")
    print("Targets:", ", ".join(f"{k}: {v}" for k, v in report["targets"].items()))


# Child: one web worker --------------------------------------------------------------------


def serve(requests: int, warmup: int, offset: int) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dayi.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from dayi.catalog.models import Instrument

    client = Client()
    list_url = reverse("catalog:list")
    public_ids = list(Instrument.objects.public().values_list("pk", flat=True))
    random.Random(0).shuffle(public_ids)
    rss_after_setup = _rss_mb("VmRSS")

    times, queries = {}, {}

    def measure(page, paths):
        for path, params in paths[:warmup]:
            _get(client, path, params)
        with CaptureQueriesContext(connection) as captured:
            _get(client, *paths[0])
        # Read now: the next request resets the connection's query log the slice points into.
        queries[page] = len(captured.captured_queries)
        times[page] = []
        for path, params in paths[warmup : warmup + requests]:
            started = time.perf_counter()
            _get(client, path, params)
            times[page].append((time.perf_counter() - started) * 1000)

    total = requests + warmup
    # Each round opens other instruments than the rounds before it.
    detail_paths = [
        (reverse("catalog:detail", args=[public_ids[(offset + i) % len(public_ids)]]), {}) for i in range(total)
    ]
    measure("list_filtered", [(list_url, LIST_FILTERS)] * total)
    measure("list_unfiltered", [(list_url, {})] * total)
    measure("detail", detail_paths)
    return {
        "instruments": Instrument.objects.count(),
        "public_instruments": Instrument.objects.public().count(),
        "times": times,
        "queries": queries,
        "rss_after_setup_mb": rss_after_setup,
        "peak_rss_mb": _rss_mb("VmHWM"),
    }


def _get(client, path, params):
    response = client.get(path, params)
    if response.status_code != 200:
        raise SystemExit(f"GET {path} {params} answered {response.status_code}")
    return response


def _summary(times: list[float], queries: int) -> dict:
    ordered = sorted(times)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 2),
        "mean_ms": round(statistics.fmean(ordered), 2),
        "max_ms": round(ordered[-1], 2),
        "queries": queries,
    }


def _rss_mb(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[600, 30_000])
    parser.add_argument("--requests", type=int, default=200, help="Timed requests a page and size, over all rounds.")
    parser.add_argument("--rounds", type=int, default=4, help="Alternating rounds over the sizes.")
    parser.add_argument("--offset", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="Keep the last database for a look afterwards.")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        print(json.dumps(serve(args.requests, args.warmup, args.offset)))
        return
    report = run(args)
    print_table(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Written to {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")


if __name__ == "__main__":
    main()
