"""Outcomes as data (front matter ``outcomes:``): every number traced to an excerpt of the outcome's
references (or named in its ``derived`` text, with how it was computed), every reference known, and
at most one main benefit and one main harm, which patients see as 'out of 100' icon arrays."""

from __future__ import annotations

from hooks.parse import numbers
from hooks.report.diagnostics import Diagnostic
from hooks.rules.front_matter import unknown_ref
from hooks.rules.numbers import NUMBER_UNTRACED, trace_numbers
from hooks.rules.registry import Severity, define

SCOPE = "page"

OUTCOME_MAIN = define(
    "OUTCOME-MAIN", Severity.ERROR,
    "More than one outcome of a kind is marked main, or a main outcome has no 'out of 100' figures.",
    "Mark one benefit and one harm (or stopping) as main: true, each with per_100 {control, treatment}.",
    "two outcomes with kind: benefit and main: true",
    module=__name__,
)
NUMERIC_FIELDS = (("studies",), ("participants",), ("relative_effect",), ("per_100", "control"),
                  ("per_100", "treatment"), ("timepoint",))


def outcomes_of(data: dict) -> list[tuple[int, dict]]:
    items = data.get("outcomes")
    return [(i, o) for i, o in enumerate(items) if isinstance(o, dict)] if isinstance(items, list) else []


def check(context) -> list[Diagnostic]:
    page, meta = context.page, context.page.meta
    if not page.clinical or meta is None or not page.data:
        return []
    diags: list[Diagnostic] = []
    mains: dict[str, int] = {}
    for index, outcome in outcomes_of(page.data):
        refs = [str(k) for k in outcome.get("refs") or []] if isinstance(outcome.get("refs"), list) else []
        for ref_index, key in enumerate(refs):
            diags.extend(unknown_ref(context, str(key), *meta.line_of(("outcomes", index, "refs", ref_index))))
        derived = {n.value for n in numbers.numbers_in(str(outcome.get("derived", "")))}
        for path in NUMERIC_FIELDS:
            value: object = outcome
            for part in path:
                value = value.get(part) if isinstance(value, dict) else None
            if value is None or isinstance(value, bool):
                continue
            untraced, _ = trace_numbers(str(value), refs, context.sources, context.bibliography, derived)
            for number in untraced:
                line, col = meta.line_of(("outcomes", index, *path))
                cited = "; ".join(f"@{k}" for k in refs) or "no reference"
                message = (f'"{number.text}" in outcome {index + 1} ({".".join(path)}) is in no excerpt of '
                           f"[{cited}] and not named in its 'derived'")
                diags.append(Diagnostic(page.path, line, col, NUMBER_UNTRACED, message,
                                        lenient=not page.sources_traced))
        if outcome.get("main") is True:
            kind = "benefit" if outcome.get("kind") == "benefit" else "harm"
            line, col = meta.line_of(("outcomes", index, "main"))
            if kind in mains:
                diags.append(Diagnostic(page.path, line, col, OUTCOME_MAIN,
                                        f"outcome {index + 1} is a second main {kind} (the first is outcome "
                                        f"{mains[kind] + 1})"))
            mains.setdefault(kind, index)
            if not isinstance(outcome.get("per_100"), dict):
                diags.append(Diagnostic(page.path, line, col, OUTCOME_MAIN,
                                        f"main outcome {index + 1} has no per_100 figures to show"))
    return diags
