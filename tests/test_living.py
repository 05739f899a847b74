"""What readers get from change logs: What's new, the Atom feed and "Cite this page"."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from hooks.render import living


def test_whats_new_and_the_feed_list_changes_newest_first():
    data = {"title": "Minoxidil", "changes": [
        {"date": "2026-01-05", "kind": "editorial", "summary": "Plainer key points."},
        {"date": "2026-03-02", "kind": "safety", "summary": "A new label warning.", "refs": ["a2026b"]}]}
    changes = living.changes_of("therapies/minoxidil.md", data)
    assert [c.kind for c in changes] == ["safety", "editorial"]
    page = living.whats_new_markdown(changes)
    assert page.index("A new label warning") < page.index("Plainer key points")
    xml = living.feed_xml(changes, "https://example.org/", lambda rel: "https://example.org/therapies/minoxidil/",
                          dt.date(2026, 3, 2))
    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.fromstring(xml)
    entries = root.findall(f"{atom}entry")
    assert [e.findtext(f"{atom}updated")[:10] for e in entries] == ["2026-03-02", "2026-01-05"]
    assert {e.find(f"{atom}link").get("href") for e in entries} == {"https://example.org/therapies/minoxidil/"}


def test_cite_this_page_gives_ama_and_bibtex_at_the_current_version():
    data = {"review": {"last_reviewed": "2026-11-29"},
            "changes": [{"date": "2026-11-20", "kind": "correction", "summary": "A number fixed."}]}
    changes = living.changes_of("therapies/exosomes.md", data)
    ama, bibtex = living.cite_text("Exosomes", "https://example.org/therapies/exosomes/", data, changes,
                                   dt.date(2026, 11, 29))
    assert ama == ("Hair Loss Evidence. Exosomes. Hair Loss Evidence; version 2026-11-20. Last reviewed 29 November "
                   "2026. Accessed November 29, 2026. https://example.org/therapies/exosomes/")
    assert "version = {2026-11-20}" in bibtex and "url = {https://example.org/therapies/exosomes/}" in bibtex
