"""Search's reading of the pages in worker processes gives the index the plugin makes itself."""

from __future__ import annotations

import concurrent.futures
import json
import multiprocessing
from dataclasses import dataclass, field

import pytest
from material.plugins.search.plugin import SearchIndex

from hooks.render.search_in_workers import SearchInWorkers, sections_of


@dataclass
class TocItem:
    id: str
    url: str
    children: list = field(default_factory=list)


@dataclass
class FakePage:  # what the search plugin reads of a MkDocs page
    url: str
    content: str
    title: str = "A page"
    meta: dict = field(default_factory=dict)
    toc: list = field(default_factory=list)


def pages() -> list[FakePage]:
    return [
        FakePage("", '<h1 id="home">Home</h1><p>Welcome to <em>the</em> site.</p><h2 id="more">More</h2><p>Text</p>',
                 toc=[TocItem("home", "#home", [TocItem("more", "#more")])]),
        FakePage("therapies/a/", "<p>No heading first.</p><h2 id='x'>X</h2><ul><li>one</li></ul>",
                 meta={"title": "From front matter", "search": {"boost": 2}, "tags": ["hair", 3]}),
        FakePage("hidden/", "<h1>Hidden</h1><p>never indexed</p>", meta={"search": {"exclude": True}}),
        FakePage("therapies/b/", '<h1 id="b">B</h1><p>kept</p><h2 id="out" data-search-exclude>Out</h2><p>left out</p>'
                 '<script>var x = 1;</script><pre><code>code()</code></pre>'),
        FakePage("empty/", ""),
    ]


def index_json(index: SearchIndex) -> str:
    return json.dumps(index.entries, sort_keys=True)


def plugin_index(items) -> SearchIndex:
    index = SearchIndex(lang=["en"], separator=" ", pipeline=[], fields={})
    for page in items:
        index.add_entry_from_context(page)
    return index


@pytest.mark.parametrize("executor_class", [concurrent.futures.ThreadPoolExecutor, "fork"])
def test_pages_read_in_workers_give_the_plugin_s_own_index_in_page_order(executor_class):
    if executor_class == "fork":
        if "fork" not in multiprocessing.get_all_start_methods():
            pytest.skip("no fork on this platform")
        executor = concurrent.futures.ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork"))
    else:
        executor = executor_class(2)
    items = pages()
    expected = plugin_index(items)
    index = SearchIndex(lang=["en"], separator=" ", pipeline=[], fields={})
    with executor:
        search = SearchInWorkers(index, executor)
        search.install()
        for page in items:
            index.add_entry_from_context(page)  # as the plugin calls it
        assert index.entries == []  # nothing yet: the pages are being read
        search.finish()
    assert index_json(index) == index_json(expected)
    assert [e["location"] for e in index.entries] == ["", "#more", "therapies/a/", "therapies/a/#x", "therapies/b/"]
    assert not any("never indexed" in e["text"] or "left out" in e["text"] for e in index.entries)


class Stopped(concurrent.futures.Executor):
    def __init__(self, at_submit: bool) -> None:
        self.at_submit = at_submit

    def submit(self, fn, /, *args, **kwargs):
        if self.at_submit:
            raise concurrent.futures.process.BrokenProcessPool("killed")
        future: concurrent.futures.Future = concurrent.futures.Future()
        future.set_exception(concurrent.futures.process.BrokenProcessPool("killed"))
        return future


def test_pages_are_read_here_once_the_workers_have_stopped():
    items = pages()
    index = SearchIndex(lang=["en"], separator=" ", pipeline=[], fields={})
    search = SearchInWorkers(index, Stopped(at_submit=True))
    search.install()
    for page in items:
        index.add_entry_from_context(page)
    search.finish()
    assert index_json(index) == index_json(plugin_index(items))


def test_a_worker_that_stopped_before_reading_a_page_is_one_clear_error():
    index = SearchIndex(lang=["en"], separator=" ", pipeline=[], fields={})
    search = SearchInWorkers(index, Stopped(at_submit=False))
    search.install()
    index.add_entry_from_context(pages()[0])
    with pytest.raises(RuntimeError, match="reads the pages for search stopped"):
        search.finish()


def test_sections_are_plain_data_for_the_trip_back_from_a_worker():
    found = sections_of(pages()[0].content)
    assert found == [(None, ["Home"], ["<p>", "Welcome to ", "the", " site.", "</p>"]),
                     ("more", ["More"], ["<p>", "Text", "</p>"])]
