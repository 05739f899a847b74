"""The rule registry: every rule the engine can report, declared by the module that checks it.

A rule module calls :func:`define` at import time for each rule it owns and, if it checks
something after parsing, has a ``check(context)`` function (``SCOPE = "page"`` or
``"project"``). ``hooks/check.py`` finds the rule modules in this package by themselves:
adding a rule is one module (or one ``define`` in an existing one) and its fixtures under
``tests/rules/<RULE-ID>/``. A diagnostic carries the :class:`Rule` object itself, so a
mistyped rule is an undefined name when the module is imported (and for ruff), never a
lookup that fails while a build runs. CONTRIBUTING's rule table is generated from here
(``make rules``).
"""

from __future__ import annotations

import enum
import importlib
import pkgutil
from dataclasses import dataclass


class Severity(enum.Enum):
    """How much a finding matters. The one policy (fails, log level, annotation) is below."""

    ERROR = "error"  # fails `make check`, the build and the pull request
    WARNING = "warning"  # shown everywhere; fails `mkdocs build --strict`, not `make check`
    REPORT = "report"  # listed in reports (stale content, a spare reference): never a red build

    @property
    def fails_check(self) -> bool:
        return self is Severity.ERROR

    @property
    def log_level(self) -> str:
        """The MkDocs log level: errors and warnings fail a strict build, report entries are info."""
        return {"error": "error", "warning": "warning", "report": "info"}[self.value]

    @property
    def github_level(self) -> str:
        """The GitHub Actions annotation level."""
        return {"error": "error", "warning": "warning", "report": "notice"}[self.value]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str
    hint: str
    example: str = ""
    module: str = ""
    # the severity on pages not yet converted to traced sources (front matter sources_traced is not
    # true), for rules that the content is being brought up to; None: the same everywhere
    lenient: Severity | None = None

    def __str__(self) -> str:
        return self.id


RULES: dict[str, Rule] = {}


def define(rule_id: str, severity: Severity, summary: str, hint: str, example: str = "", *,
           module: str = "", lenient: Severity | None = None) -> Rule:
    """Declare a rule. Declaring one id twice is an error at import time."""
    if rule_id in RULES:
        raise ValueError(f"rule {rule_id} is declared twice ({RULES[rule_id].module} and {module})")
    rule = Rule(rule_id, severity, summary, hint, example, module, lenient)
    RULES[rule_id] = rule
    return rule


def rule_modules() -> list:
    """Every module of hooks.rules that declares rules, imported (so RULES is complete)."""
    import hooks.rules as package

    modules = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name != "registry":
            modules.append(importlib.import_module(f"hooks.rules.{info.name}"))
    return modules


def all_rules() -> dict[str, Rule]:
    rule_modules()
    return RULES
