"""Source records (DESIGN §7): ``data/sources/<key>.yml``, one per cited reference.

Each record says what the editors read (URL, date, which part), the short verbatim excerpts
that the site relies on, and the source's publication status. Read from the repository only
(offline); ``make refresh-sources`` updates the status from Crossref and PubMed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from hooks.parse.frontmatter import line_map, load_yaml
from hooks.parse.source import display_path
from hooks.report.diagnostics import Diagnostic
from hooks.rules.source_record_format import (
    SOURCE_DATE_FUTURE,
    SOURCE_EXCERPT_LENGTH,
    SOURCE_RECORD_INVALID,
    SOURCE_RECORD_UNKNOWN,
    SOURCE_RECORD_YAML,
)

STATUSES = ("ok", "corrected", "expression-of-concern", "retracted", "withdrawn")
BLOCKING = frozenset({"retracted", "withdrawn"})  # a claim may not rest on these
FLAGGED = frozenset({"corrected", "expression-of-concern"})  # labelled, listed, not blocking
STATUS_LABELS = {"corrected": "Corrected", "expression-of-concern": "Expression of concern",
                 "retracted": "Retracted", "withdrawn": "Withdrawn"}
EXCERPT_MAX = 400  # characters: one or two sentences, never a whole abstract


@dataclass(frozen=True)
class Excerpt:
    text: str
    where: str
    line: int
    col: int = 1


@dataclass
class SourceRecord:
    key: str
    path: str  # as shown in diagnostics
    data: dict[str, Any]
    excerpts: list[Excerpt] = field(default_factory=list)
    status: str = "ok"
    status_line: int = 1

    @property
    def notice(self) -> dict[str, str]:
        notice = self.data.get("notice")
        return {k: str(v) for k, v in notice.items()} if isinstance(notice, dict) else {}

    @property
    def notice_url(self) -> str:
        notice = self.notice
        if notice.get("url"):
            return notice["url"]
        return f"https://doi.org/{notice['doi']}" if notice.get("doi") else ""

    @property
    def label(self) -> str:
        return STATUS_LABELS.get(self.status, "")

    def allowed_on(self, page_rel: str) -> bool:
        """Whether a page may cite this (retracted or withdrawn) source: about the retraction itself."""
        allowed = self.data.get("cited_about_status")
        return isinstance(allowed, list) and any(
            isinstance(item, dict) and item.get("page") == page_rel for item in allowed)


@dataclass
class SourceRecords:
    records: dict[str, SourceRecord] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)  # keys whose record exists but could not be read
    digest: bytes = b""

    def get(self, key: str) -> SourceRecord | None:
        return self.records.get(key)

    def __contains__(self, key: str) -> bool:
        return key in self.records


@lru_cache(maxsize=4)
def _validator(schema_text: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads(schema_text))


def load(config, known_keys: set[str] | None, today: dt.date) -> tuple[SourceRecords, list[Diagnostic]]:
    """Every record under config.sources_dir; problems are diagnostics naming the file and line."""
    out = SourceRecords()
    diags: list[Diagnostic] = []
    folder: Path = config.sources_dir
    digest = hashlib.sha256()
    files = sorted(folder.glob("*.yml")) if folder.is_dir() else []
    try:
        validator = _validator(config.source_schema.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        validator = None
    for file in files:
        data_bytes = file.read_bytes()
        digest.update(file.name.encode() + b"\x00" + data_bytes + b"\x00")
        shown = display_path(config.root, file)
        key = file.stem
        record, problems = parse_record(key, shown, data_bytes, validator, today)
        diags.extend(problems)
        if known_keys is not None and key not in known_keys:
            diags.append(Diagnostic(shown, 1, 1, SOURCE_RECORD_UNKNOWN,
                                    f"'{key}' is not a key in references.bib"))
        if record is not None:
            out.records[key] = record
        else:
            out.broken.add(key)  # reported where it is broken, not again as missing on every page
    out.digest = digest.digest() + today.isoformat().encode()
    return out, diags


def parse_record(key: str, shown: str, data_bytes: bytes, validator: Draft202012Validator | None,
                 today: dt.date) -> tuple[SourceRecord | None, list[Diagnostic]]:
    try:
        text = data_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Diagnostic(shown, 1, 1, SOURCE_RECORD_YAML, f"the record is not UTF-8 ({exc.reason})")]
    try:
        node, data = load_yaml(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [Diagnostic(shown, line, col, SOURCE_RECORD_YAML, str(exc.problem or exc))]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(shown, 1, 1, SOURCE_RECORD_YAML, str(exc).splitlines()[0])]
    if not isinstance(data, dict):
        return None, [Diagnostic(shown, 1, 1, SOURCE_RECORD_INVALID, "a record is a mapping of fields "
                                 "(read, excerpts, status, checked)")]
    lines = line_map(node, 0) if node is not None else {}

    def at(path: tuple[Any, ...]) -> tuple[int, int]:
        while path and path not in lines:
            path = path[:-1]
        return lines.get(path, (1, 1))

    diags: list[Diagnostic] = []
    if validator is not None:
        for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
            where = tuple(error.absolute_path)
            line, col = at(where)
            name = ".".join(str(p) for p in where) or "record"
            diags.append(Diagnostic(shown, line, col, SOURCE_RECORD_INVALID, f"{name}: {_message(error)}"))
    record = SourceRecord(key, shown, data)
    status = data.get("status")
    record.status = str(status) if status in STATUSES else "ok"
    record.status_line = at(("status",))[0]
    excerpts = data.get("excerpts")
    for index, item in enumerate(excerpts if isinstance(excerpts, list) else []):
        if not isinstance(item, dict):
            continue
        excerpt_text = " ".join(str(item.get("text", "")).split())
        line, col = at(("excerpts", index, "text"))
        if not excerpt_text:
            diags.append(Diagnostic(shown, line, col, SOURCE_EXCERPT_LENGTH, "the excerpt is empty"))
            continue
        if len(excerpt_text) > EXCERPT_MAX:
            diags.append(Diagnostic(shown, line, col, SOURCE_EXCERPT_LENGTH,
                                    f"the excerpt has {len(excerpt_text)} characters (at most {EXCERPT_MAX}: "
                                    "one or two sentences)"))
        record.excerpts.append(Excerpt(excerpt_text, str(item.get("where", "")), line, col))
    for path in (("checked", "date"), ("notice", "date")):
        value: Any = data
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        day = _date(value)
        if day is not None and day > today:
            line, col = at(path)
            diags.append(Diagnostic(shown, line, col, SOURCE_DATE_FUTURE,
                                    f"{'.'.join(path)} {day.isoformat()} is after today ({today.isoformat()})"))
    for index, item in enumerate(data.get("read") if isinstance(data.get("read"), list) else []):
        day = _date(item.get("date")) if isinstance(item, dict) else None
        if day is not None and day > today:
            line, col = at(("read", index, "date"))
            diags.append(Diagnostic(shown, line, col, SOURCE_DATE_FUTURE,
                                    f"read.date {day.isoformat()} is after today ({today.isoformat()})"))
    return record, diags


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value is not None else None
    except ValueError:
        return None


def _message(error: Any) -> str:
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown field")
    if error.validator == "enum":
        return f"{error.instance!r} is not allowed (allowed: {', '.join(map(str, error.validator_value))})"
    if error.validator == "required":
        return str(error.message).replace("is a required property", "is required")
    if error.validator == "pattern" and "\\d{4}-" in str(error.validator_value):
        return f"{error.instance!r} is not a date in YYYY-MM-DD form"
    return str(error.message)
