"""The Markdown constructs the site uses, as blocks with source positions.

markdown-it-py (CommonMark + tables) does the parsing. The Material/pymdownx
containers it does not know (admonitions ``!!!``, collapsible details ``???`` and
content tabs ``===``) are unwrapped first: the opening line becomes blank and the
body is dedented, so line numbers stay true and the body parses as ordinary
Markdown. The column offset removed on each line is kept for diagnostics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.token import Token

CONTAINER_RE = re.compile(r"^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?|===\+?)[ \t]+\S.*$")
CODE_FENCE_RE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
ATTR_LIST_RE = re.compile(r"\s*\{:?\s*(?P<attrs>[^{}]*)\}\s*$")
ATTR_RE = re.compile(
    r"""(?P<name>[\w:.-]+)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s}]+))"""
    r"""|(?P<id>#[\w-]+)|(?P<cls>\.[\w-]+)""")
EXEMPT_RE = re.compile(r"<!--\s*no-claim\s*(?::(?P<reason>.*?))?-->", re.DOTALL)
# <!-- derived: 1 in 4 | 24% of the treated group, rounded to a quarter --> before a block: the numbers
# before "|" are derived from the cited sources, for the reason after it (DESIGN §7).
DERIVED_RE = re.compile(r"<!--\s*derived\s*:(?P<numbers>[^|]*?)(?:\|(?P<reason>.*?))?-->", re.DOTALL)

_PARSER = MarkdownIt("commonmark", {"html": True}).enable("table")
# Blocks only: the inline parse (most of markdown-it's time) runs later, and only on text that can
# hold what is read from it (links, images, inline HTML).
_BLOCKS = MarkdownIt("commonmark", {"html": True}).enable("table").disable("inline")


def _inline_children(token: Token, env: dict) -> list[Token]:
    """The inline tokens of a block's text, parsed on demand: none unless the text could hold a
    link, an image or inline HTML ("](", "<", or "[" when the page defines link references)."""
    content = token.content
    if "](" not in content and "<" not in content and not ("[" in content and env.get("references")):
        return []
    parsed = _PARSER.parseInline(content, env)
    return (parsed[0].children or []) if parsed else []


class _TextOfHtml(HTMLParser):
    """Visible text of a raw HTML block (comments, scripts and styles left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(fragment: str) -> str:
    parser = _TextOfHtml()
    parser.feed(fragment)
    parser.close()
    return " ".join("".join(parser.parts).split())


@dataclass
class Unwrapped:
    text: str
    col_offset: list[int]  # per 0-based line: characters removed before the content
    containers: list[int]  # 0-based lines that opened a container


def unwrap_containers(text: str) -> Unwrapped:
    lines = text.split("\n")
    offsets = [0] * len(lines)
    openers: list[int] = []
    stack: list[int] = []  # body indents of open containers
    in_fence: str | None = None
    out: list[str] = []
    for number, line in enumerate(lines):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip(" "))
        if stripped:
            while stack and indent < stack[-1]:
                stack.pop()
        removed = 0
        for body_indent in reversed(stack):
            cut = body_indent - 4
            if line[cut:body_indent].strip() == "" and len(line) >= body_indent:
                line = line[:cut] + line[body_indent:]
                removed += 4
        offsets[number] = removed
        fence = CODE_FENCE_RE.match(line)
        if in_fence is None and fence:
            in_fence = fence.group(1)[0] * 3
        elif in_fence is not None and line.strip().startswith(in_fence):
            in_fence = None
        elif in_fence is None:
            match = CONTAINER_RE.match(line)
            if match:
                openers.append(number)
                stack.append(len(match.group("indent").expandtabs(4)) + removed + 4)
                out.append("")
                continue
        out.append(line)
    return Unwrapped("\n".join(out), offsets, openers)


def parse_attrs(text: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for match in ATTR_RE.finditer(text):
        if match.group("name"):
            attrs[match.group("name")] = match.group("dq") or match.group("sq") or match.group("bare") or ""
        elif match.group("id"):
            attrs["id"] = match.group("id")[1:]
    return attrs


@dataclass
class Heading:
    line: int  # 1-based
    level: int
    text: str
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class ProseBlock:
    """A paragraph (anywhere) or a table body row: where claims live."""

    kind: str  # "paragraph" or "table-row"
    line: int  # 1-based first line
    end_line: int  # 1-based last line
    content: str  # raw inline source (lines joined by "\n")
    line_starts: list[tuple[int, int]]  # per content line: (1-based line, 1-based column)
    heading_index: int  # index into headings of the enclosing section, -1 before any
    next_block: str = ""  # type of the following sibling block ("bullet_list_open", ...)
    exempt_reason: str | None = None


@dataclass
class Exemption:
    line: int
    col: int
    reason: str
    covers: tuple[int, int] | None  # 1-based inclusive line range of the exempted block


@dataclass
class Derived:
    line: int
    col: int
    numbers: str  # the derived numbers as written, e.g. "1 in 4"
    reason: str
    covers: tuple[int, int] | None  # 1-based inclusive line range of the block it applies to


@dataclass
class HtmlChunk:
    line: int
    col: int
    html: str


@dataclass
class LinkRef:
    line: int
    col: int
    url: str
    kind: str  # "link" or "image"


@dataclass
class CodeBlock:
    line: int
    end_line: int
    content: str


@dataclass
class Document:
    headings: list[Heading] = field(default_factory=list)
    prose: list[ProseBlock] = field(default_factory=list)
    exemptions: list[Exemption] = field(default_factory=list)
    derived: list[Derived] = field(default_factory=list)
    html: list[HtmlChunk] = field(default_factory=list)
    links: list[LinkRef] = field(default_factory=list)
    code: list[CodeBlock] = field(default_factory=list)


def _content_positions(source_lines: list[str], offsets: list[int], first: int,
                       content: str) -> list[tuple[int, int]]:
    """Map each line of an inline token's content to its (line, column) in the source."""
    positions = []
    for index, part in enumerate(content.split("\n")):
        number = first + index
        original = source_lines[number] if number < len(source_lines) else ""
        probe = part.strip()[:20]
        found = original.find(probe) if probe else 0
        col = (found if found >= 0 else 0) + offsets[number if number < len(offsets) else -1] + 1
        positions.append((number + 1, col))
    return positions


def _children_links(children: list[Token], line: int, col: int, out: list[LinkRef]) -> None:
    for child in children:
        if child.type == "link_open":
            out.append(LinkRef(line, col, str(child.attrGet("href") or ""), "link"))
        elif child.type == "image":
            out.append(LinkRef(line, col, str(child.attrGet("src") or ""), "image"))
        elif child.type == "html_inline":
            pass


def parse(text: str, first_line: int = 1) -> Document:
    """Parse a page body. ``text`` is the whole file with front matter blanked."""
    unwrapped = unwrap_containers(text)
    source_lines = unwrapped.text.split("\n")
    env: dict = {}
    tokens = _BLOCKS.parse(unwrapped.text, env)
    doc = Document()
    heading_index = -1
    pending: list[tuple[Exemption | Derived, int]] = []  # markers waiting for their block, with its level
    row: list[str] = []
    row_tokens: list[Token] = []
    row_start = 0
    in_tbody = False

    def col_of(line0: int) -> int:
        line = source_lines[line0] if line0 < len(source_lines) else ""
        return len(line) - len(line.lstrip()) + unwrapped.col_offset[line0] + 1

    for index, token in enumerate(tokens):
        if pending and token.nesting == 1 and token.map and token.type not in ("html_block",):
            waiting = [(marker, level) for marker, level in pending if level == token.level]
            for marker, _ in waiting:
                marker.covers = (token.map[0] + 1, _close_line(tokens, index))
            pending = [item for item in pending if item[1] != token.level]
        if token.type == "heading_open" and token.map:
            inline = tokens[index + 1]
            title = inline.content
            attrs: dict[str, str] = {}
            match = ATTR_LIST_RE.search(title)
            if match:
                attrs = parse_attrs(match.group("attrs"))
                title = title[: match.start()]
            doc.headings.append(Heading(token.map[0] + 1, int(token.tag[1]), title.strip(), attrs))
            heading_index = len(doc.headings) - 1
            _children_links(_inline_children(inline, env), token.map[0] + 1, col_of(token.map[0]), doc.links)
        elif token.type == "html_block" and token.map:
            line0 = token.map[0]
            doc.html.append(HtmlChunk(line0 + 1, col_of(line0), token.content))
            text = html_text(token.content)
            if re.search(r"[^\W\d_]", text):  # prose written as raw HTML is still prose
                doc.prose.append(ProseBlock("paragraph", line0 + 1, token.map[1], text,
                                            [(line0 + 1, col_of(line0))], heading_index))
            for match in EXEMPT_RE.finditer(token.content):
                reason = (match.group("reason") or "").strip()
                line = line0 + token.content[: match.start()].count("\n") + 1
                exemption = Exemption(line, col_of(line - 1), reason, None)
                pending = [item for item in pending if not isinstance(item[0], Exemption)]  # an earlier one is orphaned
                pending.append((exemption, token.level))
                doc.exemptions.append(exemption)
            for match in DERIVED_RE.finditer(token.content):
                line = line0 + token.content[: match.start()].count("\n") + 1
                derived = Derived(line, col_of(line - 1), " ".join(match.group("numbers").split()),
                                  " ".join((match.group("reason") or "").split()), None)
                pending.append((derived, token.level))
                doc.derived.append(derived)
        elif token.type in ("fence", "code_block") and token.map:
            doc.code.append(CodeBlock(token.map[0] + 1, token.map[1], token.content))
        elif token.type == "tbody_open":
            in_tbody = True
        elif token.type == "tbody_close":
            in_tbody = False
        elif token.type == "tr_open" and in_tbody and token.map:
            row, row_tokens, row_start = [], [], token.map[0]
        elif token.type == "inline" and in_tbody:
            row.append(token.content)
            row_tokens.append(token)
        elif token.type == "tr_close" and in_tbody:
            content = " | ".join(row)
            if content.replace("|", "").strip():
                line = row_start + 1
                block = ProseBlock("table-row", line, line, content,
                                   [(line, col_of(row_start))], heading_index)
                doc.prose.append(block)
            for cell in row_tokens:
                _children_links(_inline_children(cell, env), row_start + 1, col_of(row_start), doc.links)
        elif token.type == "paragraph_open" and token.map:
            inline = tokens[index + 1]
            first0 = token.map[0]
            positions = _content_positions(source_lines, unwrapped.col_offset, first0, inline.content)
            nxt = _next_sibling_type(tokens, index)
            doc.prose.append(ProseBlock("paragraph", first0 + 1, token.map[1], inline.content,
                                        positions, heading_index, nxt))
            children = _inline_children(inline, env)
            for child in children:
                if child.type == "html_inline":
                    doc.html.append(HtmlChunk(first0 + 1, col_of(first0), child.content))
            _children_links(children, first0 + 1, col_of(first0), doc.links)
    for exemption in doc.exemptions:
        if exemption.covers is None or not exemption.reason:
            continue
        start, end = exemption.covers
        for block in doc.prose:
            if start <= block.line <= end:
                block.exempt_reason = exemption.reason
    return doc


def _close_line(tokens: list[Token], index: int) -> int:
    """1-based last line of the block opened at tokens[index]."""
    token = tokens[index]
    if token.map:
        return max(token.map[1], token.map[0] + 1)
    return 0


def _next_sibling_type(tokens: list[Token], index: int) -> str:
    """Type of the block right after the paragraph opened at tokens[index] ("" if none)."""
    close = index + 2  # paragraph_open, inline, paragraph_close
    if close + 1 < len(tokens):
        after = tokens[close + 1]
        if after.nesting == 1 and after.level == tokens[index].level:
            return after.type
    return ""
