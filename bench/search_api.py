#!/usr/bin/env python
"""Search and API latency benchmark. A script, not a test.

Fills a throwaway database with generated published articles of realistic
size (``bench.generate``: 8 sections of three paragraphs and a list, 15
drugs in 3 groups, 5 references, 2 organizations, a figure record, topics
and a code each), builds the search index (``conditions.search.rebuild``),
then times requests through the whole Django stack (middleware, view,
template) with the test client and prints p50/p95 latencies for common,
rare and misspelt searches and for the API's list, detail and lookup.

    .venv/bin/python bench/search_api.py                  # SQLite file in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hl_search_bench \\
        .venv/bin/python bench/search_api.py              # PostgreSQL (dropped and re-created)

Options: --articles N (default 10000), --runs N (requests per URL in a round,
default 10), --rounds N (default 3), --reuse (keep the articles of an earlier
run in DATABASE_URL; rebuild only the index).
Goal on a 2-core machine: search p95 under 50 ms.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COMMON = ["muscle", "pain treatment", "blood pressure", '"heart rate"', "sleep exercise diet"]
RARE = ["vasculitis", "juvenile ataxia", "{title}", "{title}", "{drug}"]
MISSPELT = ["myoclonis", "arthrits", "neuropaty", "bronchitus", "dermatitus juvenle"]


def _prepare_database(url, reuse=False):
    """Point Django at a fresh throwaway database; returns a description."""
    if reuse:
        if not url:
            raise SystemExit("bench: --reuse needs DATABASE_URL (the database to reuse).")
        os.environ["DATABASE_URL"] = url
        return f"{urlsplit(url).scheme} {urlsplit(url).path.lstrip('/')} (reused)"
    if not url:
        path = Path(tempfile.mkdtemp(prefix="healthlib-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        return f"SQLite {path}"
    parts = urlsplit(url)
    if parts.scheme.startswith("postgres"):
        name = parts.path.lstrip("/")
        if "bench" not in name:
            raise SystemExit(
                f"bench: refusing to drop the database {name!r}; use a name with 'bench' in it."
            )
        import psycopg

        admin = parts._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = url
        return f"PostgreSQL {name}"
    raise SystemExit(f"bench: unsupported DATABASE_URL {url!r}")


def _percentiles(samples):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _time(client, urls, runs, rng):
    calls = [u for u in urls for _ in range(runs)]
    rng.shuffle(calls)
    samples = []
    for url in calls:
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"bench: {url} answered {response.status_code}")
    return samples


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=10, help="requests per URL in a round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the articles in DATABASE_URL from an earlier run; rebuild only the index",
    )
    args = parser.parse_args()

    database = _prepare_database(os.environ.get("DATABASE_URL"), reuse=args.reuse)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from urllib.parse import urlencode

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from bench.generate import generate
    from conditions import search
    from conditions.models import Condition, Drug, MedicalCode

    setup_test_environment()  # the test client's host; DEBUG stays off
    call_command("migrate", verbosity=0)

    load = os.getloadavg()[0]
    print(f"# {database}, {args.articles} articles, {os.cpu_count()} CPUs, load {load:.1f}")
    start = time.perf_counter()
    if args.reuse:
        slugs = list(Condition.objects.live().values_list("slug", flat=True))
    else:
        slugs = generate(args.articles, seed=11)
    generated = time.perf_counter() - start
    start = time.perf_counter()
    indexed = search.rebuild()
    index_s = time.perf_counter() - start
    print(f"generated in {generated:.1f} s, indexed {indexed} in {index_s:.1f} s")
    with connection.cursor() as cursor:
        # Fresh statistics, as a live database would have.
        cursor.execute("ANALYZE")

    rng = random.Random(5)
    client = Client()
    titles = rng.sample(slugs, 10)
    drug_names = list(Drug.objects.order_by("?").values_list("name", flat=True)[:5])

    def search_urls(queries):
        urls = []
        for q in queries:
            if q == "{title}":
                q = titles.pop().replace("-", " ")
            elif q == "{drug}":
                q = drug_names.pop()
            urls.append(reverse("search:search") + "?" + urlencode({"q": q}))
        return urls

    codes = list(
        MedicalCode.objects.filter(condition__is_live=True).values_list("code", flat=True)[:50]
    )
    api = reverse("api:conditions")
    pages = max(1, args.articles // 20)
    groups = {
        "search: common words": search_urls(COMMON),
        "search: rare words": search_urls(RARE),
        "search: misspelt (did you mean)": search_urls(MISSPELT),
        "search: page 5 of a common word": [reverse("search:search") + "?q=muscle&page=5"],
        "api: list (random page)": [f"{api}?page={rng.randint(1, pages)}" for _ in range(5)],
        "api: list filtered (letter + tag)": [f"{api}?letter=c&tag=topic-{k}" for k in range(5)],
        "api: detail (random article)": [
            reverse("api:condition", args=[s]) for s in rng.sample(slugs, 10)
        ],
        "api: lookup (ICD-10-CM with fallback)": [
            reverse("api:lookup") + f"?code={c}1&system=icd10cm" for c in rng.sample(codes, 5)
        ],
    }
    # Warm up: connections, templates, the did-you-mean names.
    for urls in groups.values():
        _time(client, urls[:1], 2, rng)

    # The machine may be shared: each group is measured in several rounds,
    # and the table shows every round's p95 and the quietest round's figures.
    rounds = {label: [] for label in groups}
    for _ in range(args.rounds):
        for label, urls in groups.items():
            rounds[label].append(_percentiles(_time(client, urls, args.runs, rng)))
    print(
        f"\nload average now {os.getloadavg()[0]:.1f}; {args.rounds} rounds of {args.runs} per URL"
    )
    print(f"{'what':40} {'p50 ms':>8} {'p95 ms':>8}   p95 of each round")
    worst_search = 0.0
    for label, results in rounds.items():
        p50, p95 = min(results, key=lambda r: r[1])
        if label.startswith("search"):
            worst_search = max(worst_search, p95)
        each = " ".join(f"{r[1]:.0f}" for r in results)
        print(f"{label:40} {p50:8.1f} {p95:8.1f}   {each}")
    verdict = "met" if worst_search < 50 else "NOT met"
    print(f"\nsearch p95 goal (< 50 ms): {verdict} (worst p95 {worst_search:.1f} ms)")


if __name__ == "__main__":
    main()
