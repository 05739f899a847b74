"""`make bench`: build and check synthetic sites side by side with a bare Material build of the same
pages, and print wall time, peak memory and the ratio to that baseline. Not a test: numbers only.

    python -m bench.run [--sizes 50,500,2000] [--entries 5000] [--runs 3]

For each size: the baseline (Material and search only, no citations, no hooks), the same bare
site with only the project's navigation hook (each sidebar lists a window of a large section,
not all of it), the project's full build from a cold cache and from a warm one (unchanged pages
reuse their check results), a rebuild after one page changed (what `mkdocs serve` does when an
editor saves), and `check` alone, cold and warm. Ratios are given against both
baselines: the first is the issue's target; the second isolates what citations, checks and
reader features cost, since the bounded navigation alone makes a build much cheaper than
bare Material's. Every figure is the median of --runs runs. Then the growth with the
bibliography's size at 500 pages, and the transfer size of one page.
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

from bench.synthetic import make_site

PY = sys.executable
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "KB_TODAY": "2026-11-25"}


def measure(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """(wall seconds, peak RSS in MiB) of one command, from the kernel's accounting of that process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}:\n{proc.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss // 1024


def median_of(runs: int, cmd: list[str], cwd: Path, before=None) -> tuple[float, int]:
    results = []
    for _ in range(runs):
        if before:
            before()
        results.append(measure(cmd, cwd))
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


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


def page_weight(site: Path, page: str) -> dict[str, int]:
    html = (site / page).read_text(encoding="utf-8")
    assets = re.findall(r'(?:href|src)="([^"]+\.(?:css|js))"', html)
    total_css_js = 0
    for asset in assets:
        path = (site / Path(page).parent / asset).resolve()
        if path.exists():
            total_css_js += len(gzip.compress(path.read_bytes(), 9))
    nav = re.search(r'<div class="md-sidebar md-sidebar--primary".*?<div class="md-sidebar md-sidebar--secondary"',
                    html, re.S)
    return {
        "html, gzip": len(gzip.compress(html.encode(), 9)),
        "css+js, gzip": total_css_js,
        "navigation share of html": round(100 * len(nav.group(0)) / len(html)) if nav else 0,
        "search index, gzip": len(gzip.compress((site / "search" / "search_index.json").read_bytes(), 9)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="50,500,2000")
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"# Benchmark: {os.cpu_count()} cores, Python {sys.version.split()[0]}, median of {args.runs} runs, "
          f"{args.entries}-entry bibliography\n")
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        work = Path(tmp)
        print("| pages | what | time (s) | peak memory (MiB) | ratio to bare build | ratio to bare, bounded nav |")
        print("| ---: | --- | ---: | ---: | ---: | ---: |")
        for pages in sizes:
            results = one_size(work, pages, args.entries, args.runs)
            base, base_nav = results["bare build"][0], results["bare build, bounded navigation"][0]
            for name, (seconds, memory) in results.items():
                print(f"| {pages} | {name} | {seconds:.2f} | {memory} | {seconds / base:.2f}x | "
                      f"{seconds / base_nav:.2f}x |", flush=True)
        if 500 in sizes:
            print("\nGrowth with the bibliography at 500 pages (full build, cold cache):\n")
            print("| entries | time (s) | peak memory (MiB) |")
            print("| ---: | ---: | ---: |")
            for entries in (1000, args.entries):
                full = make_site(work / f"grow-{entries}", 500, entries, bare=False)
                seconds, memory = median_of(args.runs, [PY, "-m", "mkdocs", "build", "-q"], full,
                                            before=lambda f=full: shutil.rmtree(f / ".cache", ignore_errors=True))
                print(f"| {entries} | {seconds:.2f} | {memory} |", flush=True)
        site = work / f"full-{sizes[-1]}-{args.entries}" / "site"
        weight = page_weight(site, "therapies/therapy-0001/index.html")
        print(f"\nOne therapy page of the {sizes[-1]}-page site, transferred compressed (bytes):\n")
        for name, value in weight.items():
            print(f"- {name}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
