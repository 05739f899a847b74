"""Reading a content file as text, with bad bytes and absurd lines as diagnostics."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hooks.report.diagnostics import Diagnostic
from hooks.rules.syntax import FILE_ENCODING, FILE_TOO_LONG_LINE

MAX_LINE_CHARS = 20_000


@dataclass
class SourceText:
    path: str  # as shown in diagnostics (relative to the project root)
    text: str


def decode(path: str, data: bytes) -> tuple[SourceText | None, list[Diagnostic]]:
    """Decode UTF-8 bytes; report the first undecodable byte with its line and column."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [
            Diagnostic(path, line, col, FILE_ENCODING,
                       f"byte 0x{data[exc.start]:02x} is not valid UTF-8")
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    diags = [
        Diagnostic(path, number, MAX_LINE_CHARS + 1, FILE_TOO_LONG_LINE,
                   f"line has {len(line):,} characters (limit {MAX_LINE_CHARS:,})")
        for number, line in enumerate(text.split("\n"), start=1)
        if len(line) > MAX_LINE_CHARS
    ]
    if diags:
        return None, diags
    return SourceText(path, text), []


def read(root: Path, file: Path) -> tuple[SourceText | None, list[Diagnostic]]:
    return decode(display_path(root, file), file.read_bytes())


def display_path(root: Path, file: Path) -> str:
    try:
        return file.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return file.as_posix()
