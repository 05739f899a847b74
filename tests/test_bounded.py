"""Pathological input ends with a result or a diagnostic within a stated time: no hang, no blow-up.

The limits are generous ceilings (about 10x what this 2-core machine needs), stated in the
README's hardening section; they catch a hang or a quadratic blow-up, not a slowdown."""

from __future__ import annotations

import threading
import time

from hooks.parse import bibliography
from hooks.parse import markdown as markdown_blocks
from hooks.rules.claims import scan_document
from tests.conftest import FRONT_MATTER


def within(seconds: float, work):
    """Run work() in a thread; fail if it has not finished in time. Returns its result."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["result"] = work()
        except BaseException as exc:  # re-raised in the test's thread
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    started = time.monotonic()
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box.get("result"), time.monotonic() - started


def test_a_2_mb_line_is_a_diagnostic_within_20_s(project):
    rel = project.page("t", "# T\n\n" + "x" * 2_000_000 + "\n")
    report, _ = within(20, project.check)
    assert "FILE-TOO-LONG-LINE" in {d.rule_id for d in report.all_diagnostics() if d.path == rel}


def test_lists_nested_2000_deep_within_20_s():
    body = "\n".join("  " * depth + f"- level {depth} [@a]." for depth in range(2000))
    scan, _ = within(20, lambda: scan_document("t.md", markdown_blocks.parse(body), True, {"a"}))
    assert scan.claims and not [d for d in scan.diagnostics if d.rule_id == "CLAIM-UNCITED"]


def test_block_quotes_nested_5000_deep_within_20_s():
    body = ">" * 5000 + " deep [@a].\n"
    within(20, lambda: scan_document("t.md", markdown_blocks.parse(body), True, {"a"}))


def test_100000_bibliography_entries_within_90_s():
    entry = ("@article{author{n}2020study,\n  author = {A, B},\n  title = {T},\n  journal = {J},\n  year = {2020},\n"
             "  doi = {10.1000/{n}},\n  evidence = {rct},\n}\n")
    text = "".join(entry.replace("{n}", str(n)) for n in range(100_000))
    (bib, diags), _ = within(90, lambda: bibliography.parse("references.bib", text))
    assert len(bib.entries) == 100_000 and diags == []


def test_thousands_of_citations_in_one_sentence_within_20_s(project):
    cites = ";\n".join(["@olsen2002randomized"] * 5000)  # one sentence over many lines
    rel = project.page("t", f"# T\n\nMany [{cites}].\n")
    report, _ = within(20, project.check)
    assert [d for d in report.all_diagnostics() if d.path == rel and d.is_error] == []


def test_a_huge_front_matter_is_bounded(project):
    fm = FRONT_MATTER.replace("aliases: [TT]", "aliases: [" + ", ".join(f"a{i}" for i in range(20000)) + "]")
    project.page("t", "# T\n\nA claim [@olsen2002randomized].\n", front_matter=fm)
    within(30, project.check)
