"""Lighthouse on the reader's side, in one series against plain Material: the exosome page and the
therapies index, as the full build renders them and as plain Material renders the same Markdown
(bench/replicas.py: search only, no hooks, no mkdocs-bibtex), each site served with gzip as a
static host would. Mobile profile (Lighthouse's default: emulated phone, simulated slow 4G and
a 4x slower CPU). Not a test: numbers to read.

    npm install --prefix .cache/lighthouse lighthouse@12.2.3      # once (12.x runs on Node 20)
    CHROME_PATH=/usr/bin/chromium python -m bench.lighthouse [--runs 3]

Prints, per site and page, the median of --runs runs: the performance score, total blocking
time, largest contentful paint, the bytes transferred while the page loads, and whether the
search index was among them; then what a reader's first search adds.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from functools import partial
from pathlib import Path

from bench import replicas

REPO = Path(__file__).resolve().parent.parent
PAGES = (("exosome page", "therapies/exosomes/"), ("therapies index", "therapies/"))
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".map", ".txt")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed (level 6, as common hosts do) when the client accepts it."""

    def log_message(self, format, *args):  # quiet
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to the folder
            path = path / "index.html"
        if (path.suffix not in COMPRESSIBLE or "gzip" not in self.headers.get("Accept-Encoding", "")
                or not path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        return io.BytesIO(body)


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(GzipHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def lighthouse_command() -> list[str]:
    local = REPO / ".cache" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
    found = os.environ.get("LIGHTHOUSE") or (str(local) if local.exists() else shutil.which("lighthouse"))
    if not found:
        raise SystemExit("lighthouse not found: npm install --prefix .cache/lighthouse lighthouse@12.2.3")
    return [found]


def build(dest: Path, *, plain: bool) -> Path:
    site = replicas.make_site(dest, 0, plain=plain)  # the real pages only
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=site, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"the {'plain' if plain else 'full'} build failed:\n{result.stderr[-3000:]}")
    return site / "site"


def audit(url: str, out: Path) -> dict:
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    env = {**os.environ, "CHROME_PATH": chrome}
    cmd = [*lighthouse_command(), url, "--quiet", "--only-categories=performance", "--output=json",
           f"--output-path={out}", "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
    subprocess.run(cmd, env=env, check=True, capture_output=True, timeout=300)
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    requests = audits["network-requests"]["details"]["items"]
    return {
        "score": round(100 * report["categories"]["performance"]["score"]),
        "tbt": audits["total-blocking-time"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "bytes": sum(r.get("transferSize", 0) for r in requests),
        "index": any("search_index.json" in r["url"] for r in requests),
        "worker": any("/workers/search." in r["url"] for r in requests),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kb-lighthouse-") as tmp:
        work = Path(tmp)
        sites = {"full build": build(work / "full", plain=False), "plain Material": build(work / "plain", plain=True)}
        servers = {name: serve(directory) for name, directory in sites.items()}
        print(f"# Lighthouse {args.runs} run(s) each, mobile profile, served with gzip (median)\n")
        print("| page | site | performance | total blocking time (ms) | largest contentful paint (s) "
              "| transferred on load (KB) | search index on load |")
        print("| --- | --- | ---: | ---: | ---: | ---: | --- |")
        try:
            for label, path in PAGES:
                results: dict[str, list[dict]] = {name: [] for name in sites}
                for run in range(args.runs):  # interleaved: the two sites see the same machine
                    for name, (_, base) in servers.items():
                        results[name].append(audit(base + path, work / f"lh-{run}.json"))
                for name, runs in results.items():
                    med = {key: statistics.median(r[key] for r in runs) for key in ("score", "tbt", "lcp", "bytes")}
                    index = "yes" if any(r["index"] for r in runs) else "no"
                    print(f"| {label} | {name} | {med['score']:.0f} | {med['tbt']:.0f} | {med['lcp'] / 1000:.1f} "
                          f"| {med['bytes'] / 1024:.0f} | {index} |", flush=True)
            index = sites["full build"] / "search" / "search_index.json"
            worker = next((sites["full build"] / "assets" / "javascripts" / "workers").glob("search.*.js"))
            print(f"\nWhat the first search adds (full build, gzip level 6): the index "
                  f"{len(gzip.compress(index.read_bytes(), 6)) / 1024:.0f} KB "
                  f"({index.stat().st_size / 1024:.0f} KB uncompressed) and the search worker "
                  f"{len(gzip.compress(worker.read_bytes(), 6)) / 1024:.0f} KB.")
        finally:
            for server, _ in servers.values():
                server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
