"""The built site as readers use it, in Chromium: loading, search, citations, audience views,
review dates, small screens, dark palette, keyboard use and an accessibility audit of every page."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import build_site, serve

pytestmark = [pytest.mark.browser, pytest.mark.build]


def site_pages(site_dir: Path) -> list[str]:
    pages = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("index.html"))
    return ["/" + p.removesuffix("index.html") for p in pages]


def test_every_page_loads_cleanly_under_its_csp_and_only_from_the_local_server(browser, site_dir, base_url):
    context = browser.new_context()
    context.add_init_script("""window.__csp = []; document.addEventListener('securitypolicyviolation',
        e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));""")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("requestfailed", lambda req: problems.append(f"failed request: {req.url}"))
    page.on("request", lambda req: problems.append(f"third-party request: {req.url}")
            if urlsplit(req.url).netloc not in ("", urlsplit(base_url).netloc) and not req.url.startswith("data:")
            else None)
    pages = site_pages(site_dir)
    assert len(pages) >= 8
    for path in pages:
        response = page.goto(base_url + path, wait_until="networkidle")
        assert response is not None and response.ok, path
        assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1, path
        problems.extend(f"CSP violation on {path}: {v}" for v in page.evaluate("window.__csp"))
    context.close()
    assert problems == []


def _search(page, base_url: str, query: str) -> list[str]:
    page.goto(base_url + "/", wait_until="networkidle")
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially(query, delay=50)
    results = page.locator(".md-search-result__item > a")
    results.first.wait_for(timeout=10_000)
    return [a.get_attribute("href") or "" for a in results.all()]


def test_search_finds_a_therapy_by_brand_name(page, base_url):
    hrefs = _search(page, base_url, "Rogaine")
    assert any("therapies/topical-minoxidil/" in h for h in hrefs), hrefs


def test_search_for_exosome_puts_the_exosome_page_first(page, base_url):
    hrefs = _search(page, base_url, "exosome")
    assert "therapies/exosomes/" in hrefs[0], hrefs


def test_a_citation_marker_leads_to_its_reference_with_doi_and_label(page, base_url):
    page.goto(base_url + "/therapies/exosomes/", wait_until="networkidle")
    marker = page.locator("a.footnote-ref").first
    target = marker.get_attribute("href")
    assert target and target.startswith("#fn:")
    marker.click()
    assert page.evaluate("location.hash") == target
    reference = page.locator(f"li[id='{target[1:]}']")
    assert reference.locator("a[href^='https://doi.org/']").count() == 1
    assert reference.locator(".evidence-label").inner_text() in {"Narrative review", "Systematic review", "RCT",
                                                                 "Case series", "Regulatory", "Expert opinion"}


def _first_h2(page) -> str:
    return page.evaluate("document.querySelector('article.md-content__inner h2').id")


def test_audience_choice_persists_across_pages_and_reloads(page, base_url):
    page.goto(base_url + "/therapies/exosomes/", wait_until="networkidle")
    assert _first_h2(page) == "key-points"
    page.get_by_role("button", name="Clinicians").click()
    assert _first_h2(page) == "for-clinicians"
    assert page.get_by_role("button", name="Clinicians").get_attribute("aria-pressed") == "true"
    page.goto(base_url + "/therapies/topical-minoxidil/", wait_until="networkidle")
    assert _first_h2(page) == "for-clinicians"
    page.reload(wait_until="networkidle")
    assert _first_h2(page) == "for-clinicians"
    page.get_by_role("button", name="Patients").click()
    assert _first_h2(page) == "key-points"
    page.reload(wait_until="networkidle")
    assert _first_h2(page) == "key-points"


def test_without_javascript_everything_is_readable(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "/therapies/exosomes/")
    assert page.locator("h2#for-clinicians").is_visible()
    assert page.locator("h2#key-points").is_visible()
    assert not page.locator(".kb-audience").is_visible()  # the switch needs a script; content does not
    context.close()


def _front_matter_review(rel: str) -> dict:
    import yaml

    text = (Path(__file__).resolve().parents[2] / "docs" / rel).read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1])["review"]


def test_review_box_and_json_ld_show_the_front_matter_dates(page, base_url):
    page.goto(base_url + "/therapies/exosomes/", wait_until="networkidle")
    review = _front_matter_review("therapies/exosomes.md")
    shown = page.locator(".kb-review-facts time").first.get_attribute("datetime")
    assert shown == str(review["last_reviewed"])
    data = json.loads(page.locator("script[type='application/ld+json']").inner_text())
    assert data["lastReviewed"] == shown
    assert data["name"] == page.locator("article h1").inner_text().rstrip("¶").strip()
    assert page.locator(".kb-not-reviewed").is_visible()
    assert not page.locator(".kb-overdue").is_visible()


def test_a_page_served_long_after_its_build_warns_that_review_is_overdue(browser, base_url):
    context = browser.new_context()
    context.add_init_script("""(() => { const Real = Date; const later = new Real('2040-01-01T00:00:00Z').getTime();
        globalThis.Date = class extends Real { constructor(...a) { super(...(a.length ? a : [later])); }
        static now() { return later; } }; })();""")
    page = context.new_page()
    page.goto(base_url + "/therapies/exosomes/", wait_until="networkidle")
    assert page.locator(".kb-overdue").is_visible()
    context.close()


def test_a_build_with_a_later_today_shows_the_overdue_warning(browser, tmp_path):
    site = build_site(tmp_path, "2040-01-01")
    server, url = serve(site)
    context = browser.new_context(java_script_enabled=False)  # rendered at build time, no script needed
    page = context.new_page()
    page.goto(url + "/therapies/topical-minoxidil/")
    assert page.locator(".kb-overdue").is_visible()
    assert "Review overdue" in page.locator(".kb-overdue").inner_text()
    context.close()
    server.shutdown()


def test_small_screen_drawer_opens_tables_scroll_nothing_overflows(browser, base_url):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    for path in ("/", "/therapies/", "/therapies/exosomes/", "/therapies/topical-minoxidil/"):
        page.goto(base_url + path, wait_until="networkidle")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} overflows by {overflow}px"
    page.goto(base_url + "/therapies/exosomes/", wait_until="networkidle")
    page.locator("label.md-header__button[for='__drawer']").click()
    page.locator(".md-nav--primary").first.wait_for(state="visible")
    assert page.evaluate("document.getElementById('__drawer').checked")
    wrapper = page.locator(".md-typeset__table").first
    assert wrapper.evaluate("el => getComputedStyle(el).overflowX") in ("auto", "scroll")
    context.close()


def test_dark_palette_renders(browser, base_url):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(base_url + "/therapies/exosomes/", wait_until="networkidle")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    channels = [int(c) for c in re.findall(r"\d+", background)[:3]]
    assert sum(channels) < 3 * 100, background  # a dark background
    context.close()


def test_keyboard_only_skip_link_visible_focus_and_search(page, base_url):
    page.goto(base_url + "/therapies/exosomes/", wait_until="networkidle")
    page.keyboard.press("Tab")
    skip = page.evaluate("document.activeElement.className")
    assert "md-skip" in skip
    assert page.evaluate("document.activeElement.getBoundingClientRect().height") > 0
    for _ in range(6):
        page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), page.evaluate("document.activeElement.outerHTML")
    page.keyboard.press("Escape")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")


def test_accessibility_audit_of_every_page(browser, site_dir, base_url):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    failures = []
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme, reduced_motion="reduce")
        page = context.new_page()
        for path in site_pages(site_dir):
            page.goto(base_url + path, wait_until="networkidle")
            page.wait_for_timeout(250)  # let Material's fade-in transitions end: axe reads final colours
            # what the browser lays out only near the viewport (content-visibility, extra.css), laid out now:
            # axe measures colours on drawn boxes, and audits the page as a reader who scrolls sees it
            page.evaluate("""() => document.querySelectorAll('*').forEach(el => {
                if (getComputedStyle(el).contentVisibility !== 'visible') el.style.contentVisibility = 'visible';
            })""")
            results = axe.run(page)
            for violation in results.response["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    nodes = [n["target"] for n in violation["nodes"]][:3]
                    failures.append(f"{scheme} {path}: {violation['id']} ({violation['impact']}) {nodes}")
        context.close()
    assert failures == []
