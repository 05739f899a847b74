"""Numbers in the front matter's prose are traced like the body's (DESIGN §7): readers see the
description, the evidence note, the note on outcomes, each outcome's words (population, comparison,
comment, reasons for downgrading) and each market's regulatory text, so a number there must also
appear in an excerpt of a source.

Which sources: an outcome's own ``refs`` (and the numbers its ``derived`` text names); a market's
``regulatory`` ``refs``; for the page-level text (``description``, ``evidence_note``,
``outcomes_note``), any reference the page cites. The numeric fields of an outcome (per_100,
participants, studies, timepoint, relative effect) are the outcomes rule's. A market's ``since`` date
must be stated by one of its references (as 2007-01-18, January 18, 2007, 18 January 2007, …). Dates of
the page's own history (``changes``, ``review``) are not claims.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from hooks.parse import numbers
from hooks.report.diagnostics import Diagnostic
from hooks.rules import numbers as numbers_rule
from hooks.rules.numbers import NUMBER_UNTRACED
from hooks.rules.outcomes import NUMERIC_FIELDS, outcomes_of

SCOPE = "page"

PAGE_TEXT = ("description", "evidence_note", "outcomes_note")
# the site's own name for its figures, not a number from a source: "no 'out of 100' figures"
SITE_TERMS = re.compile(r"['\"‘“]out of 100['\"’”]")
NOT_PROSE = {"kind", "main", "certainty", "refs", "derived", *(path[0] for path in NUMERIC_FIELDS)}
REGULATORY_NOT_PROSE = {"status", "refs", "since"}


@dataclass
class FrontMatterText:
    """A piece of front-matter prose, with the references that may carry its numbers."""

    path: tuple
    text: str
    keys: list[str]
    derived: set = field(default_factory=set)
    kind: str = "front-matter"


def _blank(match: re.Match) -> str:
    return " " * len(match.group(0))


def _strings(value: object, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _keys(value: object) -> list[str]:
    return [str(k) for k in value] if isinstance(value, list) else []


def texts(data: dict, page_keys: list[str]) -> Iterator[FrontMatterText]:
    for name in PAGE_TEXT:
        for path, text in _strings(data.get(name), (name,)):
            yield FrontMatterText(path, SITE_TERMS.sub(_blank, text), page_keys)
    for index, outcome in outcomes_of(data):
        derived = {n.value for n in numbers.numbers_in(str(outcome.get("derived", "")))}
        for name, value in outcome.items():
            if str(name) in NOT_PROSE:
                continue
            for path, text in _strings(value, ("outcomes", index, str(name))):
                yield FrontMatterText(path, SITE_TERMS.sub(_blank, text), _keys(outcome.get("refs")), derived)
    regulatory = data.get("regulatory")
    for market, entry in regulatory.items() if isinstance(regulatory, dict) else []:
        if not isinstance(entry, dict):
            continue
        for name, value in entry.items():
            if str(name) in REGULATORY_NOT_PROSE:
                continue
            for path, text in _strings(value, ("regulatory", str(market), str(name))):
                yield FrontMatterText(path, text, _keys(entry.get("refs")))


def _position(lines: list[str], start: tuple[int, int], number: str) -> tuple[int, int]:
    """Where a number of a field is in the file: the first line from the field's own that has it."""
    line, col = start
    for index in range(line - 1, min(len(lines), line + 40)):
        found = lines[index].find(number)
        if found >= 0:
            return index + 1, found + 1
    return line, col


def check(context) -> list[Diagnostic]:
    page, meta = context.page, context.page.meta
    if not page.clinical or meta is None or not page.data or page.text is None:
        return []
    page_keys = list(page.cited_keys)
    lines = page.text.split("\n")
    diags: list[Diagnostic] = []
    for piece in texts(page.data, page_keys):
        if not piece.keys:
            continue  # an outcome or market without references is reported by their own rules
        untraced, _ = numbers_rule.trace_numbers(piece.text, piece.keys, context.sources, context.bibliography,
                                                 piece.derived)
        if not untraced:
            continue
        shown = ", ".join(dict.fromkeys(f'"{n.text}"' for n in untraced))
        field_name = ".".join(str(p + 1) if isinstance(p, int) else p for p in piece.path)
        cited = ("any reference the page cites" if piece.keys is page_keys
                 else "; ".join(f"@{k}" for k in piece.keys))
        line, col = _position(lines, meta.line_of(piece.path), untraced[0].text)
        diags.append(Diagnostic(page.path, line, col, NUMBER_UNTRACED,
                                f"{shown} in front matter {field_name} is in no excerpt of [{cited}]"
                                f"{numbers_rule.why(untraced, piece.keys, context.sources)}",
                                lenient=not page.sources_traced))
    diags.extend(_since_dates(context, meta))
    return diags


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def date_forms(day: dt.date) -> list[str]:
    """How a source may write a date: 2007-01-18, January 18, 2007, 18 January 2007, Jan. 18, 2007,
    01/18/2007, 18/01/2007."""
    month = MONTHS[day.month - 1]
    return [day.isoformat(), f"{month} {day.day}, {day.year}", f"{day.day} {month} {day.year}",
            f"{month[:3]} {day.day}, {day.year}", f"{month[:3]}. {day.day}, {day.year}",
            f"{day.day} {month[:3]} {day.year}", f"{day.month:02d}/{day.day:02d}/{day.year}",
            f"{day.day:02d}/{day.month:02d}/{day.year}", f"{day.day}. {month} {day.year}"]


def _since_dates(context, meta) -> list[Diagnostic]:
    """A market's `since` date is one its references state (a date is a number too)."""
    out: list[Diagnostic] = []
    regulatory = context.page.data.get("regulatory")
    for market, entry in regulatory.items() if isinstance(regulatory, dict) else []:
        if not isinstance(entry, dict) or "since" not in entry:
            continue
        try:
            day = entry["since"] if isinstance(entry["since"], dt.date) else dt.date.fromisoformat(str(entry["since"]))
        except ValueError:
            continue  # not a date: the schema says so
        keys = _keys(entry.get("refs"))
        texts_read = [" ".join(e.text.split()) for key in keys if context.sources.get(key) is not None
                      for e in context.sources.get(key).excerpts]
        if any(form.lower() in text.lower() for text in texts_read for form in date_forms(day)):
            continue
        line, col = meta.line_of(("regulatory", str(market), "since"))
        cited = "; ".join(f"@{k}" for k in keys) or "no reference"
        out.append(Diagnostic(context.page.path, line, col, NUMBER_UNTRACED,
                              f"regulatory.{market}.since {day.isoformat()} is in no excerpt of [{cited}] "
                              f"(as {day.isoformat()} or {date_forms(day)[1]}, for example)",
                              lenient=not context.page.sources_traced))
    return out
