"""The claim register: every checked claim (page, line, text, keys, review date, strongest evidence
type, the source excerpts it relies on and the status of each source it cites) and every exemption
(no-claim blocks and derived-number markers), as one JSON-ready document. Written by `make claims`
and published on the site."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, fields

from hooks.check import Report
from hooks.rules.claims import Claim

GENERATED_BY = "hooks.cli claims"
_CLAIM_FIELDS = tuple(f.name for f in fields(Claim) if f.name != "relies_on")
_COMPACT = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, sort_keys=True)
CHUNK = 256  # claims encoded at a time by compact_json


def _claim(report: Report, claim) -> dict[str, object]:
    # the claim's own fields as they are (asdict would deep-copy each one: a third of the time of
    # writing the register at thousands of pages); nothing here changes them
    data: dict[str, object] = {name: getattr(claim, name) for name in _CLAIM_FIELDS}
    excerpts = []
    for key, index in claim.relies_on:
        record = report.sources.get(key)
        if record is not None and 0 <= index < len(record.excerpts):
            excerpt = record.excerpts[index]
            excerpts.append({"key": key, "text": excerpt.text, "where": excerpt.where})
    data["excerpts"] = excerpts
    data["source_status"] = {key: (report.sources.get(key).status if key in report.sources else "no-record")
                             for key in dict.fromkeys(claim.keys)}
    return data


def _header(report: Report) -> dict[str, object]:
    return {"generated_by": GENERATED_BY, "generated_for": report.today.isoformat()}


def _exemptions(report: Report) -> list[dict[str, object]]:
    return [asdict(e) for e in report.exemptions]


def register(report: Report) -> dict[str, object]:
    return {**_header(report), "claims": [_claim(report, c) for c in report.claims], "exemptions": _exemptions(report)}


def compact_json(report: Report) -> Iterator[str]:
    """The register as compact JSON with sorted keys (as the site publishes it), in pieces of a few
    hundred claims: the same text as encoding register() at once, without holding the whole document
    (tens of megabytes at thousands of pages) and with the C encoder, which a streaming
    JSONEncoder.iterencode does not use (twice as slow)."""
    rest = {**_header(report), "exemptions": _exemptions(report)}
    assert all(key > "claims" for key in rest)  # "claims" comes first in sorted order
    yield '{"claims":['
    claims = report.claims
    for start in range(0, len(claims), CHUNK):
        part = _COMPACT.encode([_claim(report, c) for c in claims[start:start + CHUNK]])[1:-1]
        yield ("," if start else "") + part
    yield "]," + _COMPACT.encode(rest)[1:]
