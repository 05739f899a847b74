"""The claim register: every checked claim (page, line, text, keys, review date, strongest evidence
type) and every exemption, as one JSON-ready document. Written by `make claims` and published on the site."""

from __future__ import annotations

from dataclasses import asdict

from hooks.check import Report

GENERATED_BY = "hooks.cli claims"


def register(report: Report) -> dict[str, object]:
    return {
        "generated_by": GENERATED_BY,
        "generated_for": report.today.isoformat(),
        "claims": [asdict(c) for c in report.claims],
        "exemptions": [asdict(e) for e in report.exemptions],
    }
