"""A bounded sidebar for large sections, on MkDocs' navigation objects.

Material puts a section's whole navigation into every page of that section, so the HTML of
each page grows with the section. A section with more pages than the window shows, in each
sidebar, its landing page, the window of pages around the current one and a link "All N
pages in …" to the landing page (which lists every page). Used by the hook module (and the
benchmark's navigation-only baseline); the window arithmetic is in nav_window.py.
"""

from __future__ import annotations

import copy

from mkdocs.structure.nav import Link, Navigation, Section

from hooks.render import nav_window


class BoundedSidebar:
    def __init__(self, window: int) -> None:
        self.window = window
        # for each section larger than the window: its landing page, its other entries and where
        # each page sits among them (planned once per build, read for every page)
        self.plans: dict[int, tuple[object, list[object], dict[int, int]]] = {}

    def plan(self, nav: Navigation) -> None:
        self.plans.clear()
        for item in nav.items:
            self._plan(item)

    def _plan(self, item) -> None:
        if not isinstance(item, Section):
            return
        for child in item.children:
            self._plan(child)
        index = next((c for c in item.children if getattr(c, "is_index", False)), None)
        rest = [c for c in item.children if c is not index]
        if index is not None and len(rest) > self.window:
            self.plans[id(item)] = (index, rest, {id(c): i for i, c in enumerate(rest)})

    def bounded(self, nav: Navigation, page) -> Navigation:
        out = copy.copy(nav)
        out.items = [self._bounded_item(item, page) for item in nav.items]
        return out

    def _bounded_item(self, item, page):
        """A copy of a section whose large subsections list only the window around the page."""
        if not isinstance(item, Section):
            return item
        children = [self._bounded_item(child, page) for child in item.children]
        plan = self.plans.get(id(item))
        if plan is not None:
            index, rest, positions = plan
            current = positions.get(id(page))
            if current is None and item.active:
                current = next((i for i, c in enumerate(rest) if isinstance(c, Section) and c.active), None)
            copies = {id(old): new for old, new in zip(item.children, children, strict=True)}
            shown = [copies[id(rest[i])] for i in nav_window.visible(len(rest), current, self.window)]
            more = Link(nav_window.all_pages_label(len(rest), item.title), index.url)
            children = [copies[id(index)], *shown, more]
        section = Section(item.title, children)
        section.active = item.active
        return section
