"""Source records that cannot be used: YAML that does not parse, fields outside the schema
(schema/source-record.schema.json), a record for a key that references.bib does not have, an
empty or over-long excerpt, a date in the future. Raised by hooks/parse/source_records.py
while it reads data/sources/, each at the file and line of the problem."""

from __future__ import annotations

from hooks.rules.registry import Severity, define

SOURCE_RECORD_YAML = define(
    "SOURCE-RECORD-YAML", Severity.ERROR,
    "A source record is not valid YAML (or not UTF-8).",
    "Check indentation and quoting at the line shown; put excerpts in double quotes and escape \\\" inside.",
    'text: "The trial found "no effect"."',
    module=__name__,
)
SOURCE_RECORD_INVALID = define(
    "SOURCE-RECORD-INVALID", Severity.ERROR,
    "A source record has a missing, unknown or wrong field.",
    "See schema/source-record.schema.json: read (url, date, part), excerpts (text, where), status "
    "(ok, corrected, expression-of-concern, retracted, withdrawn), checked (date, via), and notice when "
    "status is not ok.",
    "status: pulled",
    module=__name__,
)
SOURCE_RECORD_UNKNOWN = define(
    "SOURCE-RECORD-UNKNOWN", Severity.ERROR,
    "A source record's file name is not a key in references.bib.",
    "Name the file after the BibTeX key (data/sources/<key>.yml), or remove the record of a reference "
    "that was removed.",
    "data/sources/smith2020typo.yml",
    module=__name__,
)
SOURCE_EXCERPT_LENGTH = define(
    "SOURCE-EXCERPT-LENGTH", Severity.ERROR,
    "An excerpt is empty or longer than one or two sentences (400 characters).",
    "Quote only the sentence or two that a claim relies on, never a whole abstract.",
    'text: ""',
    module=__name__,
)
SOURCE_DATE_FUTURE = define(
    "SOURCE-DATE-FUTURE", Severity.ERROR,
    "A date in a source record (read, checked or notice) lies in the future.",
    "Record the day the source was read or checked: today or earlier.",
    "checked: {date: 2099-01-01, via: manual}",
    module=__name__,
)
