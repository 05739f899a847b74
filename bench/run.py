"""`make bench`: the full build against plain Material building the same pages, in one series, on
the project's own pages (real-page replicas) and on synthetic ones. Not a test: numbers only.

    python -m bench.run [--sizes 200,500,2000] [--runs 3] [--entries 5000] [--synthetic-sizes ...]

**Real pages** (bench/replicas.py): the project's clinical pages as they are, copied and renamed
until the site has N pages, with the same references.bib and data/sources; the replicated site
passes `make check`. For each size, in one series (each run builds plain, then full): plain
Material (search only, no hooks, no mkdocs-bibtex, MkDocs' own navigation of every page) and
the full build from a cold cache (as CI builds a fresh clone), both with the machine's two
cores available; `check` alone, cold. Reported: wall time (median of --runs), their ratio,
milliseconds a page, peak memory (the largest process of the build), processor seconds (the
build and every process it started: what two cores share), and the time a page at
the largest size against the smallest. Then what one therapy page (the exosome page) of
the largest site transfers, gzip-compressed, without and with the search index.

**Synthetic pages** (bench/synthetic.py): about 600 words and 8 citations a page drawn from a
--entries bibliography, against two baselines: the bare Material build of the same pages, and
the same bare build with only the project's navigation hook. Cold and warm cache, a rebuild
after one page changes (what `mkdocs serve` does when an editor saves), `check` alone cold
and warm; then the growth with the bibliography's size at 500 pages.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import replicas
from bench.synthetic import make_site

PY = sys.executable
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "KB_TODAY": "2026-11-25"}


REAL_ENV = {k: v for k, v in ENV.items() if k != "KB_TODAY"}  # real pages: dated up to today
BUILD = [PY, "-m", "mkdocs", "build", "-q"]


def measure(cmd: list[str], cwd: Path, *, env: dict | None = None, may_fail: bool = False) -> tuple[float, int]:
    """(wall seconds, peak RSS in MiB) of one command, from the kernel's accounting of that process
    (the largest of it and its children, such as the check's workers)."""
    return measure_cpu(cmd, cwd, env=env, may_fail=may_fail)[:2]


def measure_cpu(cmd: list[str], cwd: Path, *, env: dict | None = None,
                may_fail: bool = False) -> tuple[float, int, float]:
    """`measure`, and the processor seconds (user and system) of the command and its children: on two
    cores, a build that uses both can take half its processor time; one that uses one, all of it."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env or ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0 and not may_fail:
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}:\n{proc.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss // 1024, usage.ru_utime + usage.ru_stime


def median_of(runs: int, cmd: list[str], cwd: Path, before=None) -> tuple[float, int]:
    results = []
    for _ in range(runs):
        if before:
            before()
        results.append(measure(cmd, cwd))
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def real_size(work: Path, pages: int, runs: int) -> dict:
    """Plain Material and the full build (cold cache) of `pages` real-page replicas, alternating."""
    full = replicas.make_site(work / f"real-{pages}", pages, plain=False)
    plain = replicas.make_site(work / f"plain-{pages}", pages, plain=True)
    count = sum(1 for _ in (full / "docs").rglob("*.md"))
    started = time.perf_counter()
    check = subprocess.run([PY, "-m", "hooks.cli", "--no-cache", "check"], cwd=full, env=REAL_ENV,
                           capture_output=True, text=True)
    check_seconds = time.perf_counter() - started
    found = re.search(r"^(\d+) error\(s\)", check.stdout, re.M)
    errors = int(found.group(1)) if found else -1
    plain_runs, full_runs = [], []
    for _ in range(runs):  # one series: the two builds see the same machine
        plain_runs.append(measure_cpu(BUILD, plain, env=REAL_ENV))
        shutil.rmtree(full / ".cache", ignore_errors=True)
        full_runs.append(measure_cpu(BUILD, full, env=REAL_ENV, may_fail=errors != 0))
    return {
        "pages": count, "errors": errors, "check": check_seconds,
        "plain": statistics.median(r[0] for r in plain_runs), "plain memory": max(r[1] for r in plain_runs),
        "full": statistics.median(r[0] for r in full_runs), "full memory": max(r[1] for r in full_runs),
        "plain cpu": statistics.median(r[2] for r in plain_runs),
        "full cpu": statistics.median(r[2] for r in full_runs),
        "site": full / "site", "plain site": plain / "site",
    }


def transfer(site: Path, page: str) -> dict[str, int]:
    """Bytes (gzip -9) that loading `page` transfers: its HTML and the CSS and JavaScript it links;
    and what the first search adds: the search index, and Material's search worker where the page
    does not start it when it loads (the project's pages start it with the first search)."""
    html = (site / page).read_text(encoding="utf-8")
    assets = 0
    for asset in re.findall(r'<(?:link[^>]*rel="stylesheet"[^>]*href|script[^>]*src)="([^"]+)"', html):
        path = (site / Path(page).parent / asset).resolve()
        if path.exists():
            assets += len(gzip.compress(path.read_bytes(), 9))
    worker = next((site / "assets" / "javascripts" / "workers").glob("search.*.js"), None)
    worker_bytes = len(gzip.compress(worker.read_bytes(), 9)) if worker else 0
    on_demand = "search-on-demand" in html or "__kbIndex" in html
    index = len(gzip.compress((site / "search" / "search_index.json").read_bytes(), 9))
    page_bytes = len(gzip.compress(html.encode(), 9)) + assets + (0 if on_demand else worker_bytes)
    return {"html": len(gzip.compress(html.encode(), 9)), "on load": page_bytes,
            "first search": index + (worker_bytes if on_demand else 0), "index": index}


def one_size(work: Path, pages: int, entries: int, runs: int) -> dict[str, tuple[float, int]]:
    bare = make_site(work / f"bare-{pages}-{entries}", pages, entries, bare=True)
    bare_nav = make_site(work / f"barenav-{pages}-{entries}", pages, entries, bare=True, bounded_nav=True)
    full = make_site(work / f"full-{pages}-{entries}", pages, entries, bare=False)
    build = [PY, "-m", "mkdocs", "build", "-q"]
    check = [PY, "-m", "hooks.cli", "--today", ENV["KB_TODAY"], "check"]  # the build's date: same cache keys

    def cold() -> None:
        shutil.rmtree(full / ".cache", ignore_errors=True)

    out = {"bare build": median_of(runs, build, bare)}
    out["bare build, bounded navigation"] = median_of(runs, build, bare_nav)
    out["full build, cold cache"] = median_of(runs, build, full, before=cold)
    measure(build, full)  # fill the cache
    out["full build, warm cache"] = median_of(runs, build, full)
    out["rebuild after editing one page"] = median_of(runs, build, full, before=_editor(full))
    out["check, cold"] = median_of(runs, [*check[:3], "--no-cache", *check[3:]], full)
    measure(check, full)  # the cache now holds every page as it is
    out["check, warm"] = median_of(runs, check, full)
    return out


def _editor(site: Path):
    """Each call changes one page (a new cited sentence), as an editor saving a file under
    `mkdocs serve` would: the rebuild re-checks that page and reuses the rest."""
    page = site / "docs" / "therapies" / "therapy-0000.md"
    original = page.read_text(encoding="utf-8")
    key = re.search(r"\[@([^\];]+)\]", original).group(1)
    count = [0]

    def edit() -> None:
        count[0] += 1
        page.write_text(original + f"\nAn edit numbered {count[0]} [@{key}].\n", encoding="utf-8")

    return edit


def real_pages(work: Path, sizes: list[int], runs: int) -> None:
    print("## Real pages: replicas of the project's clinical pages, full build (cold cache) against plain "
          "Material\n")
    print("| pages | check errors | full build (s) | plain Material (s) | ratio | full, ms a page | plain, ms a page "
          "| full, peak memory (MiB) | plain, peak memory (MiB) | check alone, cold (s) | full, processor (s) "
          "| plain, processor (s) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    rows = []
    for pages in sizes:
        r = real_size(work, pages, runs)
        rows.append(r)
        print(f"| {r['pages']} | {r['errors']} | {r['full']:.2f} | {r['plain']:.2f} | {r['full'] / r['plain']:.2f}x "
              f"| {1000 * r['full'] / r['pages']:.1f} | {1000 * r['plain'] / r['pages']:.1f} | {r['full memory']} "
              f"| {r['plain memory']} | {r['check']:.2f} | {r['full cpu']:.2f} | {r['plain cpu']:.2f} |", flush=True)
    first, last = rows[0], rows[-1]
    per_page = {k: (last[k] / last["pages"]) / (first[k] / first["pages"]) for k in ("full", "plain")}
    print(f"\nTime a page at {last['pages']} pages against {first['pages']} pages: full build "
          f"{per_page['full']:.2f}x, plain Material {per_page['plain']:.2f}x (1.00x: linear)")
    print(f"\nThe exosome page of the {last['pages']}-page sites, transferred gzip-compressed (KB):\n")
    print("| build | HTML | on load, without the search index | the first search adds | with the search index |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, site in (("full build", last["site"]), ("plain Material", last["plain site"])):
        t = transfer(site, "therapies/exosomes/index.html")
        print(f"| {name} | {t['html'] / 1024:.1f} | {t['on load'] / 1024:.1f} | {t['first search'] / 1024:.1f} "
              f"| {(t['on load'] + t['first search']) / 1024:.1f} |")


def synthetic_pages(work: Path, sizes: list[int], entries: int, runs: int) -> None:
    print(f"\n## Synthetic pages: {entries}-entry bibliography, against two baselines\n")
    print("| pages | what | time (s) | peak memory (MiB) | ratio to bare build | ratio to bare, bounded nav |")
    print("| ---: | --- | ---: | ---: | ---: | ---: |")
    for pages in sizes:
        results = one_size(work, pages, entries, runs)
        base, base_nav = results["bare build"][0], results["bare build, bounded navigation"][0]
        for name, (seconds, memory) in results.items():
            print(f"| {pages} | {name} | {seconds:.2f} | {memory} | {seconds / base:.2f}x | "
                  f"{seconds / base_nav:.2f}x |", flush=True)
    if 500 in sizes:
        print("\nGrowth with the bibliography at 500 pages (full build, cold cache):\n")
        print("| entries | time (s) | peak memory (MiB) |")
        print("| ---: | ---: | ---: |")
        for count in (1000, entries):
            full = make_site(work / f"grow-{count}", 500, count, bare=False)
            seconds, memory = median_of(runs, BUILD, full,
                                        before=lambda f=full: shutil.rmtree(f / ".cache", ignore_errors=True))
            print(f"| {count} | {seconds:.2f} | {memory} |", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="200,500,2000")
    parser.add_argument("--synthetic-sizes", help="sizes of the synthetic sites (default: --sizes)")
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"# Benchmark: {os.cpu_count()} cores, Python {sys.version.split()[0]}, median of {args.runs} run(s)\n")
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        work = Path(tmp)
        real_pages(work, sizes, args.runs)
        synthetic = [int(s) for s in args.synthetic_sizes.split(",")] if args.synthetic_sizes else sizes
        synthetic_pages(work, synthetic, args.entries, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
