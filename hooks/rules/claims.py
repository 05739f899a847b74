"""Clinical claims (DESIGN §3): every prose sentence and table body row, with its citations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hooks.parse import citations as cite_mod
from hooks.parse import sentences
from hooks.parse.markdown import Document, ProseBlock
from hooks.report.diagnostics import Diagnostic
from hooks.report.suggest import did_you_mean
from hooks.rules.registry import Severity, define

SCOPE = "page"

CLAIM_UNCITED = define(
    'CLAIM-UNCITED',
    Severity.ERROR,
    'A clinical claim carries no citation.',
    "Add a citation such as [@key] before the sentence's full stop, or mark a non-clinical block with "
    "<!-- no-claim: REASON -->.",
    'Minoxidil regrows hair in most men.',
    module=__name__,
)
CITE_UNKNOWN_KEY = define(
    'CITE-UNKNOWN-KEY',
    Severity.ERROR,
    'A citation names a key that is not in references.bib.',
    "Check the key's spelling or add the reference (make add-ref DOI=...).",
    '[@smith2099unknown]',
    module=__name__,
)
CITE_EMPTY = define(
    'CITE-EMPTY',
    Severity.ERROR,
    'A citation has no key.',
    "Write the key after '@', e.g. [@olsen2002minoxidil].",
    '[@] or [@ ; @key]',
    module=__name__,
)
CITE_MALFORMED = define(
    'CITE-MALFORMED',
    Severity.ERROR,
    "A citation's key is not valid.",
    'Keys are lowercase letters, digits and hyphens: [@king2022baricitinib].',
    module=__name__,
)
CITE_SEPARATOR = define(
    'CITE-SEPARATOR',
    Severity.ERROR,
    "Two citations in one bracket are not separated by ';' (a comma, a space or 'and' instead): only the "
    "first is cited.",
    "Separate citations with ';': [@a; @b]. A comma after a key starts a locator ([@a, p. 3]), so [@a, @b] "
    "shows readers '(@b)' and never cites @b.",
    '[@olsen2002randomized, @gupta2018efficacy]',
    module=__name__,
)
CITE_PREFIX = define(
    'CITE-PREFIX',
    Severity.ERROR,
    'A citation has words before its key, which readers would not see.',
    "Write the words before the brackets: see [@key]. Citations are shown as numbers, with a locator at most.",
    '[see @olsen2002randomized]',
    module=__name__,
)
CITE_LOCATOR = define(
    'CITE-LOCATOR',
    Severity.ERROR,
    'A citation has words after its key without a comma, which readers would not see.',
    "Put a comma between the key and the locator: [@key, p. 3].",
    '[@olsen2002randomized p. 380]',
    module=__name__,
)
CITE_IN_CODE = define(
    'CITE-IN-CODE',
    Severity.WARNING,
    'Something that looks like a citation sits inside code, where it does not count.',
    'Move the citation out of the code span or block.',
    module=__name__,
)
EXEMPT_NO_REASON = define(
    'EXEMPT-NO-REASON',
    Severity.ERROR,
    'A no-claim exemption gives no reason.',
    'Write the reason after the colon: <!-- no-claim: navigation signpost -->.',
    module=__name__,
)
EXEMPT_ORPHAN = define(
    'EXEMPT-ORPHAN',
    Severity.ERROR,
    'A no-claim exemption is not followed by a block it could exempt.',
    'Put the comment on the line directly before the paragraph, list or table it exempts.',
    module=__name__,
)


PROBLEM_RULES = {cite_mod.EMPTY: CITE_EMPTY, cite_mod.MALFORMED: CITE_MALFORMED, cite_mod.SEPARATOR: CITE_SEPARATOR,
                 cite_mod.PREFIX: CITE_PREFIX, cite_mod.LOCATOR: CITE_LOCATOR}
LINK_RE = re.compile(r"!?\[[^\]]*\]\([^)]*\)|<https?://[^>]+>|\[[^\]]*\]\[[^\]]*\]")
URL_PART_RE = re.compile(r"\]\([^)]*\)")
LIST_OPENERS = ("bullet_list_open", "ordered_list_open", "table_open")


@dataclass
class Claim:
    page: str
    line: int
    col: int
    text: str
    keys: list[str]
    kind: str  # "sentence" or "table-row"
    section: str = ""
    review_date: str = ""
    evidence: str = ""
    relies_on: list[tuple[str, int]] = field(default_factory=list)  # (key, excerpt index) in source records


@dataclass
class ClaimScan:
    claims: list[Claim] = field(default_factory=list)
    cited_keys: dict[str, tuple[int, int]] = field(default_factory=dict)  # key -> first (line, col)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _position(block: ProseBlock, offset: int) -> tuple[int, int]:
    before = block.content[:offset]
    index = before.count("\n")
    line, col = block.line_starts[min(index, len(block.line_starts) - 1)]
    return line, col + (offset - (before.rfind("\n") + 1))


def _only_links(text: str) -> bool:
    rest = LINK_RE.sub("", text)
    return not re.search(r"[^\W\d_]", rest)


def scan_block(path: str, block: ProseBlock, is_clinical: bool, known_keys: set[str] | None) -> ClaimScan:
    scan = ClaimScan()
    masked = cite_mod.mask_code_spans(block.content)
    groups = cite_mod.find_groups(masked)
    for group in groups:
        line, col = _position(block, group.start)
        for kind, message in group.problems:
            scan.diagnostics.append(Diagnostic(path, line, col, PROBLEM_RULES[kind], message))
        for c in group.cites:
            scan.cited_keys.setdefault(c.key, (line, col))
            if known_keys is not None and c.key not in known_keys:
                scan.diagnostics.append(Diagnostic(path, line, col, CITE_UNKNOWN_KEY,
                                                   f"no entry '{c.key}' in references.bib"
                                                   + did_you_mean(c.key, known_keys)))
    for start, end in cite_mod.code_span_ranges(block.content):
        if cite_mod.find_groups(block.content[start:end]):
            line, col = _position(block, start)
            scan.diagnostics.append(Diagnostic(path, line, col, CITE_IN_CODE,
                                               "a citation inside code does not count"))
    if not is_clinical or block.exempt_reason:
        return scan
    if _only_links(masked):
        return scan
    valid = [g for g in groups if g.cites and not g.problems]
    if block.kind == "table-row":
        keys = [k for g in groups for k in g.keys]
        line, col = block.line_starts[0]
        if not valid and not any(g.problems for g in groups):  # a broken citation is reported as such
            scan.diagnostics.append(Diagnostic(path, line, col, CLAIM_UNCITED,
                                               f"table row has no citation: {_excerpt(block.content)}"))
        scan.claims.append(Claim(path, line, col, _clean(block.content), keys, "table-row"))
        return scan
    protected = [(g.start, g.end) for g in groups]
    protected += [(m.start(), m.end()) for m in URL_PART_RE.finditer(masked)]
    parts = sentences.split(masked, protected)
    for number, sentence in enumerate(parts):
        if not re.search(r"[^\W\d_]", LINK_RE.sub("", sentence.text)):
            continue
        terminal = sentence.terminal
        if terminal == "?":
            continue
        if terminal == ":" and number == len(parts) - 1 and block.next_block in LIST_OPENERS:
            continue
        inside = [g for g in groups if sentence.start <= g.start < sentence.end]
        keys = [k for g in inside for k in g.keys]
        line, col = _position(block, sentence.start)
        original = block.content[sentence.start:sentence.end]
        if not any(g.cites or g.problems for g in inside):  # a broken citation is reported as such
            scan.diagnostics.append(Diagnostic(path, line, col, CLAIM_UNCITED,
                                               f"sentence has no citation: {_excerpt(original)}"))
        scan.claims.append(Claim(path, line, col, _clean(original), keys, "sentence"))
    return scan


def _clean(text: str) -> str:
    return " ".join(text.split())


def _excerpt(text: str, limit: int = 70) -> str:
    flat = _clean(text)
    return f'"{flat}"' if len(flat) <= limit else f'"{flat[:limit - 1]}…"'


def scan_document(path: str, doc: Document, is_clinical: bool, known_keys: set[str] | None) -> ClaimScan:
    total = ClaimScan()
    for block in doc.prose:
        part = scan_block(path, block, is_clinical, known_keys)
        total.claims.extend(part.claims)
        total.diagnostics.extend(part.diagnostics)
        for key, where in part.cited_keys.items():
            total.cited_keys.setdefault(key, where)
    if is_clinical:
        for exemption in doc.exemptions:
            if not exemption.reason:
                total.diagnostics.append(Diagnostic(path, exemption.line, exemption.col, EXEMPT_NO_REASON,
                                                    "no-claim exemption without a reason"))
            elif exemption.covers is None:
                total.diagnostics.append(Diagnostic(path, exemption.line, exemption.col, EXEMPT_ORPHAN,
                                                    "no-claim exemption is not followed by a block"))
    return total


def check(context) -> list[Diagnostic]:
    """Every claim cited, every citation well formed and known, every exemption with a reason."""
    return context.claim_scan.diagnostics
