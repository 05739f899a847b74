"""State shared by the MkDocs hook modules during one build (MkDocs loads each hook file as its own module).

The content check runs once per build; later hooks read its report from here.
"""

from __future__ import annotations

import datetime as dt
import os

from hooks.engine.project import Report

_report: dict[str, Report] = {}


def build_date() -> dt.date:
    """Today, or KB_TODAY=YYYY-MM-DD (tests and previews of a later date)."""
    value = os.environ.get("KB_TODAY")
    return dt.date.fromisoformat(value) if value else dt.date.today()


def set_report(report: Report) -> None:
    _report["current"] = report


def report() -> Report | None:
    return _report.get("current")
