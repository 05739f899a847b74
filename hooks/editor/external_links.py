"""External links and identifiers, checked on a schedule (not on every pull request).

* every http(s) URL in content and in the bibliography's `url` fields;
* every DOI, against the DOI resolver's handle API (https://doi.org/api/handles/<doi>),
  never by crawling publishers' sites;
* every PMID, against PubMed's E-utilities summary service.

Polite and robust: retries with exponential backoff, a per-host minimum interval,
429 "Too Many Requests" treated as "try later" (never "broken"), a cache of recent good
results with an expiry, HEAD with a GET fallback, and a timeout on every request.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from hooks.atomic import write_text

USER_AGENT = "hair-loss-evidence-linkcheck/0.1 (+https://github.com/hair-loss-evidence/hair-loss-evidence)"
DOI_API = "https://doi.org/api/handles"
EUTILS_API = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
URL_RE = re.compile(r"https?://[^\s)<>\]\"'`]+")

OK, REDIRECTED, BROKEN, RETRY_LATER, UNREACHABLE = "ok", "redirected", "broken", "retry-later", "unreachable"


@dataclass(frozen=True)
class Target:
    kind: str  # url, doi, pmid
    value: str
    where: str  # file:line that mentions it

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.value}"


@dataclass
class Result:
    target: Target
    state: str
    detail: str
    checked_at: str
    cached: bool = False


@dataclass
class Settings:
    timeout: float = 15.0
    retries: int = 3
    backoff: float = 1.0  # seconds before the first retry; doubles each time
    per_host_interval: float = 1.0  # at least this long between two requests to one host
    cache_days: int = 7
    max_retry_after: float = 60.0
    workers: int = 4
    doi_api: str = DOI_API
    eutils_api: str = EUTILS_API
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)


def targets_from_markdown(path: str, text: str) -> list[Target]:
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        for match in URL_RE.finditer(line):
            out.append(Target("url", match.group(0).rstrip(".,;:"), f"{path}:{number}"))
    return out


def targets_from_bibliography(bib) -> list[Target]:
    out = []
    for entry in bib.entries.values():
        where = f"{bib.path}:{entry.line}"
        if entry.get("doi"):
            out.append(Target("doi", entry.get("doi"), where))
        if entry.get("pmid"):
            out.append(Target("pmid", entry.get("pmid"), where))
        if entry.get("url"):
            out.append(Target("url", entry.get("url"), where))
    return out


class _HostPacer:
    """At most one request at a time per host, and a minimum interval between them."""

    def __init__(self, interval: float, sleep: Callable[[float], None]) -> None:
        self.interval = interval
        self.sleep = sleep
        self.locks: dict[str, threading.Lock] = {}
        self.last: dict[str, float] = {}
        self.guard = threading.Lock()

    def __call__(self, host: str):
        with self.guard:
            lock = self.locks.setdefault(host, threading.Lock())
        return _Paced(self, host, lock)


class _Paced:
    def __init__(self, pacer: _HostPacer, host: str, lock: threading.Lock) -> None:
        self.pacer, self.host, self.lock = pacer, host, lock

    def __enter__(self) -> None:
        self.lock.acquire()
        wait = self.pacer.last.get(self.host, -1e9) + self.pacer.interval - time.monotonic()
        if wait > 0:
            self.pacer.sleep(wait)

    def __exit__(self, *exc) -> None:
        self.pacer.last[self.host] = time.monotonic()
        self.lock.release()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # redirects are followed by _request, so each hop is paced and reported


class Checker:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.pacer = _HostPacer(self.settings.per_host_interval, self.settings.sleep)
        self.opener = urllib.request.build_opener(_NoRedirect)

    def _request(self, url: str, method: str) -> tuple[int, dict[str, str], bytes]:
        host = urllib.parse.urlsplit(url).netloc
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT,
                                                                      "Accept": "*/*"})
        with self.pacer(host):
            try:
                with self.opener.open(request, timeout=self.settings.timeout) as response:
                    body = response.read(200_000) if method == "GET" else b""
                    return response.status, dict(response.headers), body
            except urllib.error.HTTPError as exc:
                return exc.code, dict(exc.headers or {}), b""

    def _fetch(self, url: str, hops: int = 5) -> tuple[str, str]:
        """(state, detail) for one URL, with retries and backoff for transient failures."""
        delay = self.settings.backoff
        last = ""
        for attempt in range(self.settings.retries + 1):
            try:
                status, headers, _ = self._request(url, "HEAD")
                if status in (403, 405, 501):  # some servers refuse HEAD: ask again with GET
                    status, headers, _ = self._request(url, "GET")
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
                last = f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"
            else:
                if status in (301, 302, 303, 307, 308):
                    location = urllib.parse.urljoin(url, headers.get("Location", ""))
                    if not location or location == url:
                        return BROKEN, f"HTTP {status} without a usable Location"
                    if hops == 0:
                        return BROKEN, "too many redirects"
                    state, detail = self._fetch(location, hops - 1)
                    return (REDIRECTED if state == OK else state), f"HTTP {status} -> {location}; {detail}"
                if 200 <= status < 300:
                    return OK, f"HTTP {status}"
                if status == 429:
                    retry_after = _retry_after(headers.get("Retry-After"))
                    if retry_after is not None and retry_after <= self.settings.max_retry_after \
                            and attempt < self.settings.retries:
                        self.settings.sleep(retry_after)
                        continue
                    return RETRY_LATER, "HTTP 429: the server asks us to slow down; not counted as broken"
                if status in (404, 410):
                    return BROKEN, f"HTTP {status}"
                last = f"HTTP {status}"
                if status < 500:
                    return BROKEN, last
            if attempt < self.settings.retries:
                self.settings.sleep(delay)
                delay *= 2
        return UNREACHABLE, f"{last} after {self.settings.retries + 1} attempts"

    def check(self, target: Target) -> Result:
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        if target.kind == "url":
            state, detail = self._fetch(target.value)
        elif target.kind == "doi":
            state, detail = self._check_doi(target.value)
        else:
            state, detail = self._check_pmid(target.value)
        return Result(target, state, detail, now)

    def _json(self, url: str) -> tuple[str, object]:
        delay = self.settings.backoff
        for attempt in range(self.settings.retries + 1):
            try:
                status, _, body = self._request(url, "GET")
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
                problem = f"{type(exc).__name__}"
            else:
                if status == 429:
                    return RETRY_LATER, "HTTP 429"
                if status == 404:
                    return BROKEN, body
                if 200 <= status < 300:
                    try:
                        return OK, json.loads(body.decode("utf-8"))
                    except ValueError:
                        return UNREACHABLE, "not JSON"
                problem = f"HTTP {status}"
            if attempt < self.settings.retries:
                self.settings.sleep(delay)
                delay *= 2
        return UNREACHABLE, problem

    def _check_doi(self, doi: str) -> tuple[str, str]:
        state, data = self._json(f"{self.settings.doi_api}/{urllib.parse.quote(doi, safe='/')}")
        if state == BROKEN or (state == OK and isinstance(data, dict) and data.get("responseCode") == 100):
            return BROKEN, "the DOI resolver does not know this DOI"
        if state == OK and isinstance(data, dict) and data.get("responseCode") == 1:
            return OK, "registered with the DOI resolver"
        return (state if state != OK else UNREACHABLE), str(data)[:80]

    def _check_pmid(self, pmid: str) -> tuple[str, str]:
        url = f"{self.settings.eutils_api}/esummary.fcgi?db=pubmed&retmode=json&id={urllib.parse.quote(pmid)}"
        state, data = self._json(url)
        if state != OK:
            return state, str(data)[:80]
        record = data.get("result", {}).get(pmid) if isinstance(data, dict) else None
        if isinstance(record, dict) and "error" not in record and record.get("uid") == pmid:
            return OK, "found in PubMed"
        return BROKEN, "PubMed has no record with this PMID"


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def load_cache(path: Path) -> dict[str, dict[str, str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def run(targets: Iterable[Target], checker: Checker, cache: dict[str, dict[str, str]],
        now: dt.datetime | None = None) -> list[Result]:
    """Check each distinct target once; good results younger than the cache expiry are reused."""
    now = now or dt.datetime.now(dt.UTC)
    unique: dict[str, Target] = {}
    for target in targets:
        unique.setdefault(target.key, target)
    results: list[Result] = []
    to_check = []
    for key, target in unique.items():
        cached = cache.get(key)
        if cached and cached.get("state") in (OK, REDIRECTED):
            checked = dt.datetime.fromisoformat(cached["checked_at"])
            if now - checked < dt.timedelta(days=checker.settings.cache_days):
                results.append(Result(target, cached["state"], cached.get("detail", ""), cached["checked_at"], True))
                continue
        to_check.append(target)
    with concurrent.futures.ThreadPoolExecutor(max_workers=checker.settings.workers) as pool:
        results.extend(pool.map(checker.check, to_check))
    for result in results:
        if not result.cached and result.state in (OK, REDIRECTED):
            cache[result.target.key] = {"state": result.state, "detail": result.detail,
                                        "checked_at": result.checked_at}
        elif not result.cached:
            cache.pop(result.target.key, None)  # failures are always checked again next time
    return sorted(results, key=lambda r: (r.state != BROKEN, r.state, r.target.key))


def save_cache(path: Path, cache: dict[str, dict[str, str]]) -> None:
    write_text(path, json.dumps(cache, indent=1, sort_keys=True) + "\n")


def report_markdown(results: list[Result]) -> str:
    counts = {state: sum(1 for r in results if r.state == state)
              for state in (BROKEN, UNREACHABLE, RETRY_LATER, REDIRECTED, OK)}
    lines = ["# External link report", "",
             ", ".join(f"{n} {state}" for state, n in counts.items()) + f" ({len(results)} checked).", ""]
    for state, title in ((BROKEN, "Broken"), (UNREACHABLE, "Unreachable after retries"),
                         (RETRY_LATER, "Rate-limited: try later"), (REDIRECTED, "Redirected")):
        group = [r for r in results if r.state == state]
        if not group:
            continue
        lines += [f"## {title} ({len(group)})", "", "| Where | What | Detail |", "| --- | --- | --- |"]
        lines += [f"| {r.target.where} | {r.target.kind} `{r.target.value}` | {r.detail} |" for r in group]
        lines.append("")
    return "\n".join(lines) + "\n"


def as_json(results: list[Result]) -> list[dict[str, object]]:
    return [{**asdict(r.target), "state": r.state, "detail": r.detail, "checked_at": r.checked_at,
             "cached": r.cached} for r in results]
