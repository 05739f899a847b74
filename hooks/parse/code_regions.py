"""Where code is in a Markdown text: fenced and indented blocks, and inline code spans."""

from __future__ import annotations

from hooks.parse.citations import code_span_ranges
from hooks.parse.markdown import _PARSER, unwrap_containers


def code_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of code in ``text`` (code blocks first, then inline spans)."""
    unwrapped = unwrap_containers(text)
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    block_lines: set[int] = set()
    ranges: list[tuple[int, int]] = []
    for token in _PARSER.parse(unwrapped.text):
        if token.type in ("fence", "code_block") and token.map:
            first, last = token.map
            block_lines.update(range(first, last))
            ranges.append((starts[first], starts[min(last, len(starts) - 1)]))
    # inline spans may wrap lines inside a paragraph; scan runs of non-code lines
    lines = text.split("\n")
    run_start = None
    for number in range(len(lines) + 1):
        is_code = number in block_lines or number == len(lines)
        if not is_code and run_start is None:
            run_start = number
        if is_code and run_start is not None:
            begin, end = starts[run_start], starts[number] - 1
            ranges.extend((begin + a, begin + b) for a, b in code_span_ranges(text[begin:end]))
            run_start = None
    return ranges


def _may_have_code_with(text: str, char: str) -> bool:
    """Cheap pre-check: False only when no code span, fence or indented line can hold ``char``."""
    if char not in text:
        return False
    if "`" in text or "~~~" in text:
        return True
    return any(line.startswith(("    ", "\t")) and char in line for line in unwrap_containers(text).text.split("\n"))


def mask(text: str, char: str, replacement: str) -> str:
    """Replace ``char`` by ``replacement`` inside code only."""
    if not _may_have_code_with(text, char):
        return text  # most pages: no code at all, no full parse needed
    chars = list(text)
    for start, end in code_ranges(text):
        for index in range(start, min(end, len(chars))):
            if chars[index] == char:
                chars[index] = replacement
    return "".join(chars)
