"""MkDocs hook: navigation from folders, and a bounded sidebar for large sections.

Thin adapter over hooks/engine (site_nav, nav_window). `extra.nav_window` in mkdocs.yml sets
how many pages of one section a sidebar lists (default nav_window.DEFAULT_SIZE).
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

from mkdocs.structure.nav import Link, Navigation, Section

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hooks.engine import nav_window, site_nav  # noqa: E402

# per build: for each section larger than the window, its landing page, its other entries and
# where each page sits among them (computed once in on_nav, read for every page)
_plans: dict[int, tuple[object, list[object], dict[int, int]]] = {}
_size: dict[str, int] = {"value": nav_window.DEFAULT_SIZE}


def on_config(config):
    if config.nav:
        config.nav = site_nav.expand(config.nav, Path(config.docs_dir))
    _size["value"] = int(config.extra.get("nav_window", nav_window.DEFAULT_SIZE))
    return config


def on_nav(nav, config, files):
    _plans.clear()
    for item in nav.items:
        _plan(item)
    return nav


def _plan(item) -> None:
    if not isinstance(item, Section):
        return
    for child in item.children:
        _plan(child)
    index = next((c for c in item.children if getattr(c, "is_index", False)), None)
    rest = [c for c in item.children if c is not index]
    if index is not None and len(rest) > _size["value"]:
        _plans[id(item)] = (index, rest, {id(c): i for i, c in enumerate(rest)})


def on_page_context(context, page, config, nav):
    if _plans:
        context["nav"] = _bounded(nav, page)
    return context


def _bounded(nav: Navigation, page) -> Navigation:
    out = copy.copy(nav)
    out.items = [_bounded_item(item, page) for item in nav.items]
    return out


def _bounded_item(item, page):
    """A copy of a section whose large subsections list only the window around the page."""
    if not isinstance(item, Section):
        return item
    children = [_bounded_item(child, page) for child in item.children]
    plan = _plans.get(id(item))
    if plan is not None:
        index, rest, positions = plan
        current = positions.get(id(page))
        if current is None and item.active:
            current = next((i for i, c in enumerate(rest) if isinstance(c, Section) and c.active), None)
        copies = {id(old): new for old, new in zip(item.children, children, strict=True)}
        shown = [copies[id(rest[i])] for i in nav_window.visible(len(rest), current, _size["value"])]
        more = Link(nav_window.all_pages_label(len(rest), item.title), index.url)
        children = [copies[id(index)], *shown, more]
    return _section_like(item, children)


def _section_like(item: Section, children: list[object]) -> Section:
    section = Section(item.title, children)
    section.active = item.active
    return section
