"""How many changed numbers does `make check` catch on the project's own pages? Not a test: numbers.

    python -m bench.mutations [--today YYYY-MM-DD]

For every number that the check traces on a clinical page (a claim in the body, a front-matter
outcome, note or regulatory text), the number is changed and traced again against the same
sources, in the same way as the check (``hooks.rules.numbers.trace_numbers``):

- *fresh value*: the number becomes one that no source states (987654.321). Every such change must
  be caught: a miss means a number the check does not read (the command exits 1 and lists them).
- *near values*: the number plus and minus one unit of its last digit, doubled, and plus ten (the
  changes a slip or a careless edit makes). A miss here is a change to a value that the cited
  excerpts also state, in the same unit: the known limit of tracing by value.

Numbers declared derived are left out (their marker says how they were computed).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from hooks.check import Report, check_project
from hooks.config import Config
from hooks.parse import numbers
from hooks.rules import front_matter_numbers
from hooks.rules import numbers as numbers_rule

FRESH = Decimal("987654.321")


@dataclasses.dataclass
class Traced:
    """One number the check traced: where it is, and the piece of text it is in."""

    page: str
    line: int
    number: numbers.Number
    piece: object  # a Claim or a FrontMatterText: anything with .text and .keys
    derived: set


def traced_numbers(report: Report) -> Iterator[Traced]:
    for rel, page in sorted(report.pages.items()):
        if not page.clinical or page.doc is None:
            continue
        pieces = [(claim, claim.line, numbers_rule.derived_for(page.doc, claim.line)) for claim in page.claims]
        if page.meta is not None:
            pieces += [(text, page.meta.line_of(text.path)[0], text.derived)
                       for text in front_matter_numbers.texts(page.data, list(page.cited_keys)) if text.keys]
        for piece, line, derived in pieces:
            found, _ = numbers_rule.trace_numbers(piece.text, piece.keys, report.sources, report.bibliography, derived)
            untraced = {n.start for n in found}
            for number in numbers.numbers_in(piece.text):
                if number.value not in derived and number.start not in untraced:
                    yield Traced(rel, line, number, piece, derived)


def caught(report: Report, item: Traced, value: Decimal) -> bool:
    """Whether the check reports the number once it is changed to `value`."""
    number, text = item.number, item.piece.text
    changed = text[:number.start] + format(value, "f") + text[number.start + len(number.text):]
    untraced, _ = numbers_rule.trace_numbers(changed, item.piece.keys, report.sources, report.bibliography,
                                             item.derived)
    return any(n.start == number.start for n in untraced)


def near_values(number: numbers.Number) -> list[Decimal]:
    step = number.precision
    return [v for v in (number.value + step, number.value - step, number.value * 2, number.value + 10)
            if v > 0 and v != number.value]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    args = parser.parse_args(argv)
    report = check_project(Config.load(args.root), args.today, workers=1)
    items = list(traced_numbers(report))
    missed_fresh = [i for i in items if not caught(report, i, FRESH)]
    near = Counter()
    by_page: dict[str, Counter] = {}
    for item in items:
        for value in near_values(item.number):
            hit = caught(report, item, value)
            near[hit] += 1
            by_page.setdefault(item.page, Counter())[hit] += 1
    total = near[True] + near[False]
    print(f"# Changed numbers caught by the check ({len(items)} traced numbers on "
          f"{len(by_page)} clinical pages)\n")
    print(f"- fresh value (stated by no source): {len(items) - len(missed_fresh)} of {len(items)} caught")
    print(f"- near values (±1 in the last digit, doubled, +10): {near[True]} of {total} caught "
          f"({100 * near[True] / max(total, 1):.1f}%)\n")
    print("| page | near values caught |\n| --- | ---: |")
    for page, counts in sorted(by_page.items()):
        print(f"| {page} | {100 * counts[True] / max(counts[True] + counts[False], 1):.1f}% |")
    for item in missed_fresh:
        print(f"not read: docs/{item.page}:{item.line}: {item.number.text!r}", file=sys.stderr)
    return 1 if missed_fresh else 0


if __name__ == "__main__":
    raise SystemExit(main())
