"""The claim register: every checked claim (page, line, text, keys, review date, strongest evidence
type, the source excerpts it relies on and the status of each source it cites) and every exemption
(no-claim blocks and derived-number markers), as one JSON-ready document. Written by `make claims`
and published on the site."""

from __future__ import annotations

from dataclasses import asdict

from hooks.check import Report

GENERATED_BY = "hooks.cli claims"


def _claim(report: Report, claim) -> dict[str, object]:
    data = asdict(claim)
    relies_on = data.pop("relies_on")
    excerpts = []
    for key, index in relies_on:
        record = report.sources.get(key)
        if record is not None and 0 <= index < len(record.excerpts):
            excerpt = record.excerpts[index]
            excerpts.append({"key": key, "text": excerpt.text, "where": excerpt.where})
    data["excerpts"] = excerpts
    data["source_status"] = {key: (report.sources.get(key).status if key in report.sources else "no-record")
                             for key in dict.fromkeys(claim.keys)}
    return data


def register(report: Report) -> dict[str, object]:
    return {
        "generated_by": GENERATED_BY,
        "generated_for": report.today.isoformat(),
        "claims": [_claim(report, c) for c in report.claims],
        "exemptions": [asdict(e) for e in report.exemptions],
    }
