"""Diagnostics in one format: ``path:line:col: severity RULE-ID message`` plus a hint.

Each diagnostic carries its :class:`~hooks.rules.registry.Rule`; its severity, and with it
what fails and how each output shows it, comes from the one policy on
:class:`~hooks.rules.registry.Severity`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from hooks.rules.registry import Rule, Severity


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    col: int
    rule: Rule = field(compare=False)
    message: str
    lenient: bool = field(default=False, compare=False)  # on a page not yet converted (see Rule.lenient)
    rule_id: str = field(default="", init=False)
    severity: Severity = field(default=Severity.ERROR, init=False, compare=False)
    hint: str = field(default="", init=False)

    def __post_init__(self) -> None:
        if not isinstance(self.rule, Rule):
            raise TypeError(f"a diagnostic takes a Rule declared in hooks/rules, not {self.rule!r}")
        object.__setattr__(self, "rule_id", self.rule.id)
        severity = self.rule.lenient if self.lenient and self.rule.lenient else self.rule.severity
        object.__setattr__(self, "severity", severity)
        object.__setattr__(self, "hint", self.rule.hint)

    @property
    def is_error(self) -> bool:
        return self.severity.fails_check

    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"

    def format_text(self) -> str:
        return (
            f"{self.location()}: {self.severity.value} {self.rule_id} {self.message}\n"
            f"  hint: {self.hint}"
        )

    def format_github(self) -> str:
        def esc(text: str) -> str:
            return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        def esc_prop(text: str) -> str:
            return esc(text).replace(":", "%3A").replace(",", "%2C")

        return (
            f"::{self.severity.github_level} file={esc_prop(self.path)},line={self.line},col={self.col},"
            f"title={esc_prop(self.rule_id)}::{esc(self.message + ' Hint: ' + self.hint)}"
        )

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "col": self.col, "rule_id": self.rule_id,
                "message": self.message, "severity": self.severity.value, "hint": self.hint}


def sort_key(diag: Diagnostic) -> tuple[str, int, int, str]:
    return (diag.path, diag.line, diag.col, diag.rule_id)


def counts(diagnostics: list[Diagnostic]) -> dict[Severity, int]:
    out = dict.fromkeys(Severity, 0)
    for diag in diagnostics:
        out[diag.severity] += 1
    return out


def render(diagnostics: list[Diagnostic], fmt: str) -> str:
    ordered = sorted(diagnostics, key=sort_key)
    if fmt == "json":
        return json.dumps([d.to_json() for d in ordered], indent=2, ensure_ascii=False)
    if fmt == "github":
        return "\n".join(d.format_github() for d in ordered)
    return "\n".join(d.format_text() for d in ordered)
