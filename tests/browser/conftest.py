"""Real-browser fixtures: the real site, built once, served on 127.0.0.1, driven by Playwright.

Chromium is Debian's /usr/bin/chromium where present (installed by .ci/run), otherwise
Playwright's own browser. With CI=true a missing browser fails the run; elsewhere the
browser tests are skipped with the reason shown.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import REPO

ARTIFACTS = REPO / "test-artifacts"
SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def build_site(dest: Path, today: str) -> Path:
    root = dest / "repo"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".venv", "site", ".git", "__pycache__", ".pytest_cache",
                                                               ".ruff_cache", "site-data", "test-artifacts"))
    env = {**os.environ, "KB_TODAY": today, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return root / "site"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(directory: Path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _content_today() -> str:
    from tests.test_site import content_today

    return content_today().isoformat()


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("browser-site"), _content_today())


@pytest.fixture(scope="session")
def base_url(site_dir):
    server, url = serve(site_dir)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - the lock installs it
        pytest.fail(f"playwright is not installed: {exc}")
    executable = os.environ.get("KB_CHROMIUM") or (str(SYSTEM_CHROMIUM) if SYSTEM_CHROMIUM.exists() else None)
    with sync_playwright() as pw:
        try:
            chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        except Exception as exc:
            message = f"no Chromium to run the browser tests ({exc.__class__.__name__}); install Debian's chromium"
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context()
    page = context.new_page()
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


KEY_PAGES = {"home": "/", "exosomes": "/therapies/exosomes/", "comparison-table": "/therapies/"}


@pytest.fixture(autouse=True)
def screenshots_on_failure(request, browser, base_url):
    """When a browser test fails, keep screenshots of the home page, the exosome page and the
    comparison table (CI uploads test-artifacts/)."""
    yield
    report = getattr(request.node, "rep_call", None)
    if report is None or not report.failed:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context()
    shot = context.new_page()
    for name, path in KEY_PAGES.items():
        shot.goto(base_url + path, wait_until="networkidle")
        shot.screenshot(path=str(ARTIFACTS / f"{request.node.name}--{name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
