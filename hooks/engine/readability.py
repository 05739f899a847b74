"""Readability of the patient-facing key points (Flesch-Kincaid grade, via textstat)."""

from __future__ import annotations

import re

import textstat

from .diagnostics import Diagnostic
from .markdown_blocks import Document

KEY_POINTS = "key points"
CITATION_RE = re.compile(r"\[[^\[\]]*@[^\[\]]*\]")
LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
MARKUP_RE = re.compile(r"[*_`<>#|]|\{[^}]*\}")


def plain_text(markdown: str) -> str:
    text = CITATION_RE.sub("", markdown)
    text = LINK_RE.sub(r"\1", text)
    text = MARKUP_RE.sub("", text)
    text = " ".join(text.split())
    return re.sub(r"\s+([.,;:!?])", r"\1", text)


def key_points_text(doc: Document) -> tuple[int, str] | None:
    """(heading line, plain text) of the 'Key points' section, or None if the page has none."""
    for index, heading in enumerate(doc.headings):
        if heading.text.strip().lower() == KEY_POINTS:
            end = next((h.line for h in doc.headings[index + 1:] if h.level <= heading.level), None)
            parts = []
            for block in doc.prose:
                if block.line > heading.line and (end is None or block.line < end):
                    sentence = plain_text(block.content)
                    parts.append(sentence if sentence.endswith((".", "?", "!")) else sentence + ".")
            return heading.line, " ".join(parts)
    return None


def grade(text: str) -> float:
    return float(textstat.flesch_kincaid_grade(text))


def check(path: str, doc: Document, max_grade: float) -> list[Diagnostic]:
    found = key_points_text(doc)
    if found is None or not found[1].strip():
        return []
    line, text = found
    value = grade(text)
    if value <= max_grade:
        return []
    return [Diagnostic(path, line, 1, "READABILITY-GRADE",
                       f"key points read at Flesch-Kincaid grade {value:.1f} (target {max_grade:g} or lower)")]
