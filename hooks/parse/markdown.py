"""The Markdown constructs the site uses, as blocks with source positions.

markdown-it-py (CommonMark + tables) does the parsing. The Material/pymdownx
containers it does not know (admonitions ``!!!``, collapsible details ``???`` and
content tabs ``===``) are unwrapped first: the opening line becomes blank and the
body is dedented, so line numbers stay true and the body parses as ordinary
Markdown. The column offset removed on each line is kept for diagnostics.

Links, images and inline HTML are located at their own line and column (markdown-it gives
inline tokens no positions: each is found in its block's source text, in order). Attribute
lists (``{: ... }``) are collected wherever Python-Markdown's attr_list could read them, with
its own attribute parser, so that content_safety can hold them to the HTML allow-list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote

from markdown.extensions.attr_list import get_attrs_and_remainder, sanitize_name
from markdown_it import MarkdownIt
from markdown_it.token import Token

CONTAINER_RE = re.compile(r"^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?|===\+?)[ \t]+\S.*$")
CODE_FENCE_RE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
# Python-Markdown's attr_list on a heading: a space, then "{...}" or "{: ...}" at the end of the line
# (its HEADER_RE); without the space, or with a brace missing, readers see the text as written.
ATTR_LIST_RE = re.compile(r"[ ]+\{:?[ ]*(?P<attrs>[^}\n ][^\n]*)\}[ ]*$")
# any brace group that reads as an attribute list ("{: ...}", "{ .class }", "{ #id }", "{ name=... }"), wherever
# it stands: Python-Markdown puts it on a heading, a block, a table cell or the inline element before it
ATTR_GROUP_RE = re.compile(r"\{(?P<colon>:?)[ ]*(?P<attrs>[^{}\n]*)\}")
ATTR_LIKE_RE = re.compile(r"^(?:[.#][\w-]|[^\s=}]+=)|\s[^\s=}]+=")
HTML_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
INLINE_CLOSERS = ("*", "_", "`", ")", "]", ">")  # what an inline element ends with: its attribute list follows
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


def attr_list(text: str) -> list[tuple[str, str]]:
    """The attributes of an attribute list's inside, as Python-Markdown reads them: ('class', name)
    for '.name', ('id', x) for '#x', (name, '') for a bare word."""
    pairs, _ = get_attrs_and_remainder(text)
    out = []
    for name, value in pairs:
        if name == ".":
            out.append(("class", value or ""))
        else:
            out.append((sanitize_name(name), value if value is not None else ""))
    return out


@dataclass
class Heading:
    line: int  # 1-based
    level: int
    text: str
    attrs: dict[str, str] = field(default_factory=dict)
    col: int = 1  # 1-based column of the heading's text
    attrs_col: int = 0  # 1-based column of its attribute list's '{' (0: none)


@dataclass
class AttrList:
    """An attribute list ("{: .class #id name=value }") anywhere in the content: what Python-Markdown's
    attr_list would put on an element of the page."""

    line: int
    col: int  # of the '{'
    attrs: list[tuple[str, str]]  # (name, value) as attr_list reads them; classes as ('class', name)
    on_heading: bool = False


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
    line_cols: tuple[int, ...] = ()  # 1-based source column where each line of ``html`` starts


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
    attr_lists: list[AttrList] = field(default_factory=list)


def _content_positions(source_lines: list[str], offsets: list[int], first: int,
                       content: str) -> list[tuple[int, int]]:
    """Map each line of an inline token's content to the (line, column) in the source where that
    content line begins."""
    positions = []
    for index, part in enumerate(content.split("\n")):
        number = first + index
        original = source_lines[number] if number < len(source_lines) else ""
        probe = part.strip()[:20]
        found = original.find(probe) if probe else 0
        lead = len(part) - len(part.lstrip())
        col = max((found if found >= 0 else 0) - lead, 0) + offsets[number if number < len(offsets) else -1] + 1
        positions.append((number + 1, col))
    return positions


def offset_position(content: str, positions: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    """(line, column) in the source of the character at ``offset`` of an inline token's content."""
    before = content[:offset]
    index = before.count("\n")
    line, col = positions[min(index, len(positions) - 1)]
    return line, col + (offset - (before.rfind("\n") + 1))


def _link_start(content: str, cursor: int, url: str, image: bool, label: str) -> int:
    """Where a link or image whose target is ``url`` starts in ``content`` (its '[', '![' or '<'),
    searching from ``cursor``; -1 if it cannot be found."""
    candidates = {url, unquote(url)} - {""}
    found = [(pos, cand) for cand in candidates if (pos := content.find(cand, cursor)) >= 0]
    if found:
        pos = min(found)[0]
        back = pos
        while back > cursor and content[back - 1] in " \t\n<":
            back -= 1
        if content[back - 2:back] == "](":  # [text](url): back to the matching '['
            depth = 0
            for index in range(back - 2, cursor - 1, -1):
                char = content[index]
                if char == "]":
                    depth += 1
                elif char == "[":
                    depth -= 1
                    if depth == 0:
                        return index - 1 if image and index > 0 and content[index - 1] == "!" else index
            return pos
        if pos > 0 and content[pos - 1] == "<":  # <https://...>
            return pos - 1
    # a reference link ([text][ref], [ref]): its label
    opener = "![" if image else "["
    for needle in (opener + label if label else "", opener):
        pos = content.find(needle, cursor) if needle else -1
        if pos >= 0:
            return pos
    return -1


def _inline_items(children: list[Token], content: str, positions: list[tuple[int, int]],
                  doc: Document) -> None:
    """Links, images and inline HTML of one inline token, each at its own line and column."""
    cursor = 0
    fallback = positions[0] if positions else (1, 1)
    for index, child in enumerate(children):
        if child.type in ("link_open", "image"):
            image = child.type == "image"
            url = str(child.attrGet("src" if image else "href") or "")
            following = children[index + 1] if index + 1 < len(children) else None
            label = child.content if image else (following.content if following and following.type == "text"
                                                  else "")
            start = _link_start(content, cursor, url, image, label)
            line, col = offset_position(content, positions, start) if start >= 0 else fallback
            if start >= 0:
                cursor = start + 1
            doc.links.append(LinkRef(line, col, url, "image" if image else "link"))
        elif child.type == "html_inline":
            start = content.find(child.content, cursor)
            line, col = offset_position(content, positions, start) if start >= 0 else fallback
            if start >= 0:
                cursor = start + len(child.content)
            doc.html.append(HtmlChunk(line, col, child.content))


def _find_attr_lists(source_lines: list[str], offsets: list[int], skip: set[int], doc: Document) -> None:
    """Every brace group that reads as an attribute list, outside code and HTML comments (0-based
    lines in ``skip`` are not read: code, and headings, whose lists are read with the heading)."""
    from hooks.parse.citations import mask_code_spans  # (citations does not import this module)

    text = "\n".join(source_lines)
    if "{" not in text:
        return
    text = HTML_COMMENT_RE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    for number, line in enumerate(text.split("\n")):
        if number in skip or "{" not in line:
            continue
        masked = mask_code_spans(line, " ")
        for match in ATTR_GROUP_RE.finditer(masked):
            inside = match.group("attrs")
            before, after = masked[:match.start()], masked[match.end():]
            applies = (not after.strip() and (not before.strip() or before.endswith(" "))) \
                or after.strip().startswith("|") or before[-1:] in INLINE_CLOSERS  # where attr_list reads it
            if not (applies or match.group("colon") or ATTR_LIKE_RE.search(inside.strip())):
                continue
            attrs = attr_list(inside)
            if attrs:
                doc.attr_lists.append(AttrList(number + 1, match.start() + offsets[number] + 1, attrs))


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
    row_cursor = 0
    in_tbody = False
    skip: set[int] = set()  # 0-based lines whose attribute lists are read here or that are code

    def col_of(line0: int) -> int:
        line = source_lines[line0] if line0 < len(source_lines) else ""
        return len(line) - len(line.lstrip()) + unwrapped.col_offset[line0] + 1

    def cell_position(line0: int, content: str, cursor: int) -> tuple[int, int]:
        """Where a table cell's content (or a heading's text) starts in its line, from ``cursor``."""
        line = source_lines[line0] if line0 < len(source_lines) else ""
        for probe in (content, content.replace("|", "\\|")):
            found = line.find(probe[:40], cursor) if probe else -1
            if found >= 0:
                return found, found + unwrapped.col_offset[line0] + 1
        return cursor, col_of(line0)

    for index, token in enumerate(tokens):
        if pending and token.nesting == 1 and token.map and token.type not in ("html_block",):
            waiting = [(marker, level) for marker, level in pending if level == token.level]
            for marker, _ in waiting:
                marker.covers = (token.map[0] + 1, _close_line(tokens, index))
            pending = [item for item in pending if item[1] != token.level]
        if token.type == "heading_open" and token.map:
            inline = tokens[index + 1]
            line0 = token.map[0]
            skip.add(line0)
            title = inline.content
            _, text_col = cell_position(line0, title, 0)
            attrs: dict[str, str] = {}
            attrs_col = 0
            match = ATTR_LIST_RE.search(title)
            if match:
                pairs = attr_list(match.group("attrs"))
                attrs = {name: value for name, value in pairs if name != "class"}
                attrs_col = text_col + title.index("{", match.start())
                doc.attr_lists.append(AttrList(line0 + 1, attrs_col, pairs, on_heading=True))
                title = title[: match.start()]
            doc.headings.append(Heading(line0 + 1, int(token.tag[1]), title.strip(), attrs, text_col, attrs_col))
            heading_index = len(doc.headings) - 1
            _inline_items(_inline_children(inline, env), inline.content, [(line0 + 1, text_col)], doc)
        elif token.type == "html_block" and token.map:
            line0 = token.map[0]
            line_cols = tuple(cell_position(line0 + number, part.rstrip(), 0)[1] if part.strip() else 1
                              for number, part in enumerate(token.content.split("\n")))
            doc.html.append(HtmlChunk(line0 + 1, col_of(line0), token.content, line_cols))
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
            skip.update(range(token.map[0] + (token.type == "fence"), token.map[1]))  # a fence's first line
            # may carry an attribute list for superfences: "```{.python #id}"
        elif token.type == "tbody_open":
            in_tbody = True
        elif token.type == "tbody_close":
            in_tbody = False
        elif token.type == "tr_open" and token.map:
            row, row_tokens, row_start, row_cursor = [], [], token.map[0], 0
        elif token.type == "inline" and tokens[index - 1].type in ("th_open", "td_open"):
            found, col = cell_position(row_start, token.content, row_cursor)
            row_cursor = found + len(token.content)
            _inline_items(_inline_children(token, env), token.content, [(row_start + 1, col)], doc)
            if in_tbody:
                row.append(token.content)
                row_tokens.append(token)
        elif token.type == "tr_close" and in_tbody:
            content = " | ".join(row)
            if content.replace("|", "").strip():
                line = row_start + 1
                block = ProseBlock("table-row", line, line, content,
                                   [(line, col_of(row_start))], heading_index)
                doc.prose.append(block)
        elif token.type == "paragraph_open" and token.map:
            inline = tokens[index + 1]
            first0 = token.map[0]
            positions = _content_positions(source_lines, unwrapped.col_offset, first0, inline.content)
            nxt = _next_sibling_type(tokens, index)
            doc.prose.append(ProseBlock("paragraph", first0 + 1, token.map[1], inline.content,
                                        positions, heading_index, nxt))
            _inline_items(_inline_children(inline, env), inline.content, positions, doc)
    _find_attr_lists(source_lines, unwrapped.col_offset, skip, doc)
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
