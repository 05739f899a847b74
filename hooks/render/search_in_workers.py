"""Search's reading of the pages, done by the check's worker processes during a site build.

Material's search plugin reads each page's HTML as MkDocs writes the pages (Python's HTMLParser, tag
by tag: the slowest step of writing a page, on the build's one core) and adds the page's sections to
its index. By the time the pages are written, the workers have checked every page and wait: given
them (``mkdocs build`` of a large site), each page's HTML goes to a worker, which divides it into
sections with the plugin's own parser, and the sections come back as plain data. Before the plugin
writes its index (``finish``), the entries are made from them by the plugin's own code, in page
order: the index is the same, byte for byte, as when the plugin reads the pages itself.
"""

from __future__ import annotations

import concurrent.futures
from dataclasses import dataclass, field
from typing import Any

from material.plugins.search.plugin import Parser

SectionData = tuple[str | None, list[str], list[str]]  # id, title parts, text parts


def sections_of(html_text: str) -> list[SectionData]:
    """The page's sections that search indexes, as the plugin's parser divides them (in a worker)."""
    parser = Parser()
    parser.feed(html_text)
    parser.close()
    return [(section.id, section.title, section.text) for section in parser.data if not section.is_excluded()]


@dataclass
class _Section:  # what the plugin's entry maker reads of a section
    id: str | None
    title: list[str]
    text: list[str]


@dataclass
class SearchInWorkers:
    index: Any  # the plugin's SearchIndex for this build
    executor: concurrent.futures.Executor
    pending: list[tuple[int, concurrent.futures.Future, Any]] = field(default_factory=list)

    def install(self) -> None:
        """From now on, the plugin's pages go to the workers (an attribute of this one index object)."""
        self.index.add_entry_from_context = self.add

    def add(self, page) -> None:
        """In place of the plugin's ``add_entry_from_context``: the same pages, read in a worker."""
        search = page.meta.get("search") or {}
        if search.get("exclude"):
            return
        try:
            future = self.executor.submit(sections_of, page.content)
        except (RuntimeError, concurrent.futures.process.BrokenProcessPool):  # the workers stopped
            type(self.index).add_entry_from_context(self.index, page)
            return
        self.pending.append((len(self.index.entries), future, page))

    def finish(self) -> None:
        """Every page's entries in the index, where the plugin would have put them; RuntimeError if a
        worker stopped before it had read them all."""
        pending, self.pending = self.pending, []
        made_here, entries = self.index.entries, []
        self.index.entries = entries  # (the plugin's entry maker appends to it)
        taken = 0
        for position, future, page in pending:
            entries.extend(made_here[taken:position])
            taken = position
            try:
                sections = future.result()
            except concurrent.futures.process.BrokenProcessPool as exc:
                raise RuntimeError("the worker process that reads the pages for search stopped (killed, or out "
                                   "of memory?) before it had read them all: run the build again") from exc
            for section_id, title, text in sections:
                self.index.create_entry_for_section(_Section(section_id, title, text), page.toc, page.url, page)
        entries.extend(made_here[taken:])
