"""Search figures: p50/p95 of a mixed query set, with facets (what the search page does) and
without (count and first page, as the baseline does), the same queries as a plain icontains
filter over names, models and makers (the baseline), autocomplete p95, and the time to rebuild
the whole index. Prints JSON.

Facet counts are remembered until the index changes (dayi.search.remember): "with facets" and
"a facet chosen" forget them before every query (each search counts, as a new query does);
"with facets, repeated" keeps them, as for the same broad query asked again; "narrowed by a
facet" runs the unfiltered search first (untimed), as a person does before choosing one.
Before timing, the process is prepared as dayi/wsgi.py prepares a web process (segmenter
loaded, garbage collector frozen).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dayi_bench .venv/bin/python benchmarks/search.py --scale 100000
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python benchmarks/search.py --scale 600

An empty database is migrated and filled with `manage.py demo_city --scale N --instruments-only`.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dayi.settings")

import django

django.setup()

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402

from dayi.catalog.models import Instrument  # noqa: E402
from dayi.core.process import prepare_web_process  # noqa: E402
from dayi.search import indexing  # noqa: E402
from dayi.search.facets import Filters  # noqa: E402
from dayi.search.remember import VERSION_KEY  # noqa: E402
from dayi.search.selectors import search, suggest  # noqa: E402

QUERIES = [
    "原吸",
    "紫外",
    "顺磁",
    "超离",
    "测分子量分布",
    "核磁",
    "电镜",
    "扫描电镜",
    "气质",
    "液质",
    "热重",
    "差示扫描",
    "色谱",
    "质谱",
    "光谱仪",
    "比表面",
    "离心机",
    "流式",
    "ICP-OES",
    "icpoes",
    "Icp Oes",
    "ＴＯＣ",
    "TOC分析",
    "XRD",
    "xps",
    "NMR",
    "SEM",
    "gc-ms",
    "PinAAcle 900T",
    "vario EL",
    "ÄKTA",
    "SU8010",
    "yuanzi xishou",
    "yzxs",
    "spectrofotometer",
    "centrifudge",
    "010102",
    "010600",
    "分析仪器",
    "日立",
    "岛津 液相",
    "场发射扫描电子显微镜",
]
PREFIXES = ["原", "原子", "yuan", "yz", "扫描", "icp", "Ph", "色谱", "SU80", "离心", "hec", "Xr"]
REPEATS = 5
SLOWEST = 5


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(function, *args):
    started = time.perf_counter()
    function(*args)
    return (time.perf_counter() - started) * 1000


def forget_counts(_query):
    cache.delete(VERSION_KEY)


def run_search(query):
    result = search(query, AnonymousUser())
    list(result.page.object_list)


def search_before_narrowing(query):
    """What the person did before choosing the facet: the same search, unfiltered."""
    forget_counts(query)
    run_search(query)


def run_search_with_a_facet_chosen(query):
    """One more statement: the chosen facet is counted without its own filter."""
    result = search(query, AnonymousUser(), Filters(mode="machine_time"))
    list(result.page.object_list)


def run_search_results_only(query):
    """What the icontains baseline does too: the count and the first page, without facets."""
    result = search(query, AnonymousUser(), with_facets=False)
    list(result.page.object_list)


def run_icontains(query):
    condition = Q()
    for word in query.split():
        condition &= (
            Q(name__icontains=word)
            | Q(name_en__icontains=word)
            | Q(model_number__icontains=word)
            | Q(manufacturer__icontains=word)
        )
    found = Instrument.objects.public().filter(condition)
    found.count()
    list(found[:20])


def run_suggest(prefix):
    suggest(prefix, AnonymousUser())


def figures(function, inputs, before=None):
    function(inputs[0])  # warm the connection and the segmenter
    by_input = {value: [] for value in inputs}
    for _ in range(REPEATS):
        for value in inputs:
            if before:
                before(value)
            by_input[value].append(timed(function, value))
    times = [spent for repeats in by_input.values() for spent in repeats]
    medians = {value: statistics.median(spent) for value, spent in by_input.items()}
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
        "samples": len(times),
        # The p95 of a few dozen inputs repeated is made by the slowest two or three of them.
        "slowest_median_ms": {
            value: round(medians[value], 1) for value in sorted(medians, key=medians.get, reverse=True)[:SLOWEST]
        },
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=600)
    parser.add_argument("--output", help="Also write the JSON to this file.")
    parser.add_argument("--no-rebuild", action="store_true", help="Keep the index as it is (no rebuild figure).")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    built = None
    if not Instrument.objects.exists():
        started = time.perf_counter()
        call_command("demo_city", scale=args.scale, instruments_only=True, verbosity=0)
        built = round(time.perf_counter() - started, 1)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    indexed = rebuild_seconds = None
    if not args.no_rebuild:
        started = time.perf_counter()
        indexed = indexing.rebuild()
        rebuild_seconds = round(time.perf_counter() - started, 1)
    # As dayi.wsgi does in every web process before its first request.
    prepare_web_process()
    search_figures = figures(run_search, QUERIES, before=forget_counts)
    repeated = figures(run_search, QUERIES)
    chosen = figures(run_search_with_a_facet_chosen, QUERIES, before=forget_counts)
    narrowed = figures(run_search_with_a_facet_chosen, QUERIES, before=search_before_narrowing)
    results_only = figures(run_search_results_only, QUERIES)
    baseline = figures(run_icontains, QUERIES)
    report = {
        "database": connection.vendor,
        "instruments": Instrument.objects.count(),
        "public_instruments": Instrument.objects.public().count(),
        "indexed": indexed,
        "demo_build_seconds": built,
        "rebuild_index_seconds": rebuild_seconds,
        "queries": len(QUERIES),
        "load_average": [round(n, 2) for n in os.getloadavg()],
        "search_with_facets": search_figures,
        "search_with_facets_repeated": repeated,
        "search_with_a_facet_chosen": chosen,
        "search_narrowed_by_a_facet": narrowed,
        "search_results_only": results_only,
        "icontains_baseline": baseline,
        "with_facets_to_icontains_p50_ratio": round(search_figures["p50_ms"] / baseline["p50_ms"], 2),
        "with_facets_to_icontains_p95_ratio": round(search_figures["p95_ms"] / baseline["p95_ms"], 2),
        "results_only_to_icontains_p50_ratio": round(results_only["p50_ms"] / baseline["p50_ms"], 2),
        "results_only_to_icontains_p95_ratio": round(results_only["p95_ms"] / baseline["p95_ms"], 2),
        "autocomplete": figures(run_suggest, PREFIXES),
    }
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
