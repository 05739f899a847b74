"""`python -m hooks.cli rules RULE-ID ...`: what one rule means and how to fix it, for an editor who
has the id from a message (any case); a mistyped id gets the closest ids."""

from __future__ import annotations

import sys

from hooks.report.suggest import did_you_mean
from hooks.rules.registry import all_rules


def explain_rules(ids: list[str]) -> int:
    """Print each rule; exit status 2 if an id is unknown (the others are still explained)."""
    rules = all_rules()
    status = 0
    for typed in ids:
        rule = rules.get(typed.strip().upper())
        if rule is None:
            print(f"error: unknown rule '{typed}'" + (did_you_mean(typed.upper(), rules) or
                  ": `python -m hooks.cli rules` lists them all"), file=sys.stderr)
            status = 2
            continue
        severity = rule.severity.value + (f" ({rule.lenient.value} until a page is converted)" if rule.lenient else "")
        print(f"{rule.id} ({severity}): {rule.summary}\n  fix: {rule.hint}")
        if rule.example:
            print(f"  example: {rule.example}")
    return status
