"""What a page leaves for later (overrides/partials/on-demand.html, kb.js) still works when the reader
needs it: the search index and worker load when a search starts, a search result's words are
highlighted on the page it opens, and a citation marker shows its reference as a tooltip."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

EXOSOMES = "/therapies/exosomes/"


def _requests(page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def test_the_search_index_loads_only_when_a_search_starts_and_search_works(page, base_url):
    seen = _requests(page)
    page.goto(base_url + EXOSOMES, wait_until="networkidle")
    page.wait_for_timeout(500)
    assert not [u for u in seen if "search_index.json" in u or "/workers/search." in u], seen
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially("minoxidil", delay=30)
    first = page.locator(".md-search-result__item > a").first
    first.wait_for(timeout=10_000)
    assert [u for u in seen if "search_index.json" in u] and [u for u in seen if "/workers/search." in u]


def test_a_tap_on_the_search_icon_starts_search_on_a_phone(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(base_url + EXOSOMES, wait_until="networkidle")
    page.locator("label.md-header__button[for='__search']").tap()
    page.locator("input.md-search__input").press_sequentially("exosome", delay=30)
    page.locator(".md-search-result__item > a").first.wait_for(timeout=10_000)
    context.close()


def test_a_search_result_opens_its_page_with_the_words_highlighted(page, base_url):
    page.goto(base_url + EXOSOMES + "?h=exosome", wait_until="networkidle")
    page.locator("mark[data-md-highlight]").first.wait_for(timeout=10_000)


def test_a_citation_marker_shows_its_reference_as_a_tooltip_when_pointed_at(page, base_url):
    page.goto(base_url + EXOSOMES, wait_until="networkidle")
    assert page.locator(".md-tooltip2").count() == 0  # none made while the page loaded
    marker = page.locator(".md-content a.footnote-ref").first
    marker.scroll_into_view_if_needed()
    marker.hover()
    tooltip = page.locator(".md-tooltip2.md-tooltip2--active")
    tooltip.wait_for(timeout=5_000)
    target = marker.get_attribute("href").lstrip("#")
    reference = " ".join(page.evaluate("id => document.getElementById(id).textContent", target).split())
    assert " ".join(tooltip.text_content().split())[:80] in reference  # the reference the marker links to
    assert marker.get_attribute("aria-controls") == tooltip.get_attribute("id")
    page.mouse.move(0, 0)
    page.locator(".md-tooltip2").wait_for(state="detached", timeout=5_000)  # gone once the pointer leaves
    page.evaluate("document.querySelector('.md-content a.footnote-ref').focus()")  # keyboard: on focus too
    page.locator(".md-tooltip2.md-tooltip2--active").wait_for(timeout=5_000)
