"""What a reader sees first, in a real browser: the answer on the first phone screen of every clinical
page, no page scrolling sideways on a phone or a desktop in either palette, the "out of 100" figures'
text equal to the data, and search that puts the page about the thing typed first."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.browser.test_browser import site_pages
from tests.conftest import REPO

pytestmark = [pytest.mark.browser, pytest.mark.build]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
# (what a reader types, the page that must come first). Keep this set growing as pages are added.
QUERIES = [
    ("Propecia side effects", "therapies/finasteride/"),
    ("scalp micropigmentation", "therapies/camouflage/"),
    ("hair thinning women", "conditions/female-pattern-hair-loss/"),
    ("Winlevi", "therapies/clascoterone/"),
    ("Nutrafol", "therapies/supplements/"),
    ("stress shedding", "conditions/telogen-effluvium/"),
    ("Rogaine", "therapies/topical-minoxidil/"),
    ("Olumiant", "therapies/jak-inhibitors/"),
    ("cold cap chemotherapy", "therapies/scalp-cooling/"),
    ("ringworm scalp", "conditions/tinea-capitis/"),
    ("hair pulling", "conditions/trichotillomania/"),
    ("braids hair loss", "conditions/traction-alopecia/"),
    ("finasteride spray", "therapies/topical-finasteride/"),
    ("Avodart", "therapies/dutasteride/"),
    ("laser cap", "therapies/low-level-light-therapy/"),
    ("PRP injections", "therapies/platelet-rich-plasma/"),
    ("derma roller", "therapies/microneedling/"),
    ("widening part", "conditions/female-pattern-hair-loss/"),
    ("receding hairline", "conditions/androgenetic-alopecia/"),
    ("Lamisil children", "therapies/oral-antifungals-tinea-capitis/"),
]


def clinical_pages(site_dir) -> list[str]:
    return [p for p in site_pages(site_dir) if re.match(r"^/(therapies|conditions|claims)/[^/]+/$", p)]


def test_the_bottom_line_is_on_the_first_phone_screen_of_every_clinical_page(browser, site_dir, base_url):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    late = []
    pages = clinical_pages(site_dir)
    assert len(pages) >= 30
    for path in pages:
        page.goto(base_url + path, wait_until="networkidle")
        box = page.locator(".admonition.abstract").first.bounding_box()
        if box is None or box["y"] + box["height"] > PHONE["height"]:
            late.append(f"{path}: {box}")
    context.close()
    assert late == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_page_scrolls_sideways(browser, site_dir, base_url, viewport, scheme):
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    wide = []
    for path in site_pages(site_dir):
        page.goto(base_url + path, wait_until="domcontentloaded")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            wide.append(f"{path} by {overflow}px")
    context.close()
    assert wide == []


def _front_matter(rel: str) -> dict:
    return yaml.safe_load((REPO / "docs" / rel).read_text(encoding="utf-8").split("---", 2)[1])


def test_icon_arrays_state_the_numbers_of_the_data(browser, site_dir, base_url):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    checked = 0
    for path in clinical_pages(site_dir):
        if not path.startswith("/therapies/"):
            continue
        main = [o for o in _front_matter(path.strip("/") + ".md").get("outcomes") or []
                if o.get("main") and o.get("per_100")]
        if not main:
            continue
        page.goto(base_url + path, wait_until="domcontentloaded")
        sentences = page.locator(".kb-outcome-sentence").all_inner_texts()
        labels = page.locator("svg.kb-icon-array").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
        for outcome in main:
            treated, control = (f"{outcome['per_100'][k]:g}" for k in ("treatment", "control"))
            assert any(f"about {treated} " in s and f"about {control} " in s for s in sentences), (path, sentences)
            assert any(label.startswith(f"{treated} of 100") for label in labels), (path, labels)
            assert any(label.startswith(f"{control} of 100") for label in labels), (path, labels)
            checked += 1
        filled = page.locator("svg.kb-icon-array").first.locator("circle:not(.kb-icon-empty)").count()
        assert filled == round(main[0]["per_100"]["treatment"] if main[0]["kind"] == "benefit"
                               else sorted(main, key=lambda o: o["kind"] != "benefit")[0]["per_100"]["treatment"])
    context.close()
    assert checked >= 4


@pytest.mark.parametrize(("query", "expected"), QUERIES, ids=[q for q, _ in QUERIES])
def test_search_puts_the_page_about_the_thing_first(page, base_url, query, expected):
    page.goto(base_url + "/", wait_until="networkidle")
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially(query, delay=20)
    page.wait_for_timeout(600)
    first = page.locator(".md-search-result__item > a").first
    first.wait_for(timeout=10_000)
    assert expected in (first.get_attribute("href") or ""), (query, first.get_attribute("href"))
