"""Diagnostics in one format: ``path:line:col: severity RULE-ID message`` plus a hint."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from .rules import rule


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    col: int
    rule_id: str
    message: str
    severity: str = field(default="")
    hint: str = field(default="")

    def __post_init__(self) -> None:
        spec = rule(self.rule_id)
        if not self.severity:
            object.__setattr__(self, "severity", spec.severity)
        if not self.hint:
            object.__setattr__(self, "hint", spec.hint)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"

    def format_text(self) -> str:
        return (
            f"{self.location()}: {self.severity} {self.rule_id} {self.message}\n"
            f"  hint: {self.hint}"
        )

    def format_github(self) -> str:
        def esc(text: str) -> str:
            return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        def esc_prop(text: str) -> str:
            return esc(text).replace(":", "%3A").replace(",", "%2C")

        level = "error" if self.is_error else "warning"
        return (
            f"::{level} file={esc_prop(self.path)},line={self.line},col={self.col},"
            f"title={esc_prop(self.rule_id)}::{esc(self.message + ' Hint: ' + self.hint)}"
        )

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def sort_key(diag: Diagnostic) -> tuple[str, int, int, str]:
    return (diag.path, diag.line, diag.col, diag.rule_id)


def render(diagnostics: list[Diagnostic], fmt: str) -> str:
    ordered = sorted(diagnostics, key=sort_key)
    if fmt == "json":
        return json.dumps([d.to_json() for d in ordered], indent=2, ensure_ascii=False)
    if fmt == "github":
        return "\n".join(d.format_github() for d in ordered)
    return "\n".join(d.format_text() for d in ordered)
