"""Front matter: split from the page, parsed as YAML with line numbers, validated by schema.

MkDocs silently drops front matter whose YAML does not parse; this module reads the
source file itself so that every problem names its line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from hooks.report.diagnostics import Diagnostic
from hooks.rules.syntax import FM_UNCLOSED, FM_YAML

FENCE = "---"
CLOSERS = ("---", "...")


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same result, faster


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that keeps dates as strings, so the schema and engine validate them."""


class _PyLoader(yaml.SafeLoader):
    """The pure-Python loader, used again after a failure for its more precise error positions."""


_PyLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(source: str) -> tuple[yaml.Node | None, object]:
    """A YAML document as (node, data), dates kept as strings; raises yaml.YAMLError with the
    pure-Python loader's precise position."""
    try:
        return _load(source, _Loader)
    except yaml.YAMLError:
        return _load(source, _PyLoader)


def _load(source: str, loader_class: type) -> tuple[yaml.Node | None, object]:
    loader = loader_class(source)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()

Path_ = tuple[object, ...]


@dataclass
class FrontMatter:
    data: dict[str, Any]
    body_start_line: int  # 1-based line where the Markdown body starts
    key_lines: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    present: bool = True

    def line_of(self, path: Path_) -> tuple[int, int]:
        """Line and column of the deepest known prefix of a field path."""
        probe = tuple(path)
        while probe:
            if probe in self.key_lines:
                return self.key_lines[probe]
            probe = probe[:-1]
        return (1, 1)


def line_map(node: yaml.Node, offset: int = 0) -> dict[Path_, tuple[int, int]]:
    """Line and column of every field and list item of a YAML document (``offset`` lines above it)."""
    out: dict[Path_, tuple[int, int]] = {}
    _walk(node, (), out, [], offset)
    return out


def split(text: str) -> tuple[list[str] | None, int, bool]:
    """Return (front-matter lines or None, 1-based first body line, closed?)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        return None, 1, True
    for index in range(1, len(lines)):
        if lines[index].rstrip() in CLOSERS:
            return lines[1:index], index + 2, True
    return lines[1:], len(lines) + 1, False


def _walk(node: yaml.Node, path: Path_, out: dict[Path_, tuple[int, int]],
          dupes: list[tuple[Path_, int, int]], offset: int) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            child = (*path, key)
            line, col = key_node.start_mark.line + 1 + offset, key_node.start_mark.column + 1
            if key in seen:
                dupes.append((child, line, col))
            seen.add(key)
            out[child] = (line, col)
            _walk(value_node, child, out, dupes, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, index)
            out[child] = (item.start_mark.line + 1 + offset, item.start_mark.column + 1)
            _walk(item, child, out, dupes, offset)


def parse(path: str, text: str) -> tuple[FrontMatter | None, list[Diagnostic]]:
    """Parse the front matter of a page; None when absent, unclosed or not YAML."""
    fm_lines, body_start, closed = split(text)
    if fm_lines is None:
        return FrontMatter({}, 1, present=False), []
    if not closed:
        return None, [Diagnostic(path, 1, 1, FM_UNCLOSED, "front matter opened on line 1 is never closed")]
    source = "\n".join(fm_lines)
    offset = 1  # the YAML starts on line 2 of the file
    for index, text_line in enumerate(fm_lines):
        if text_line.startswith(("<<<<<<<", ">>>>>>>", "|||||||")):
            return None, [Diagnostic(path, index + 1 + offset, 1, FM_YAML,
                                     "a merge conflict is left in the front matter: keep the version you want, "
                                     "delete the other and the marker lines (<<<<<<<, =======, >>>>>>>)")]
    try:
        try:
            node, data = _load(source, _Loader)
        except yaml.YAMLError:
            node, data = _load(source, _PyLoader)
    except yaml.MarkedYAMLError as exc:
        line, col, problem = _plain_yaml_error(exc, fm_lines)
        return None, [Diagnostic(path, line + offset, col, FM_YAML, problem)]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(path, 2, 1, FM_YAML, str(exc).splitlines()[0])]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [Diagnostic(path, 2, 1, FM_YAML, "front matter must be a mapping of fields")]
    key_lines: dict[Path_, tuple[int, int]] = {}
    dupes: list[tuple[Path_, int, int]] = []
    if node is not None:
        _walk(node, (), key_lines, dupes, offset)
    diags = [
        Diagnostic(path, line, col, FM_YAML, f"field '{'.'.join(map(str, p))}' is given twice")
        for p, line, col in dupes
    ]
    return FrontMatter(data, body_start, key_lines), diags


def _plain_yaml_error(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, int, str]:
    """(1-based line inside the front matter, column, words) for a YAML error, said as an editor
    would say it, at the line where the mistake is (not where YAML noticed it)."""
    mark = exc.problem_mark or exc.context_mark
    line = (mark.line + 1) if mark else 1
    col = (mark.column + 1) if mark else 1
    problem, context = exc.problem or str(exc), exc.context or ""
    start = exc.context_mark
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    if "quoted scalar" in context and start is not None:
        return start.line + 1, start.column + 1, (f"a quote ({lines[start.line][start.column]}) opened here is "
                                                  "never closed: close it at the end of the value")
    if "flow sequence" in context or "flow mapping" in context:
        bracket = "]" if "sequence" in context else "}"
        where = (start.line + 1, start.column + 1) if start is not None else (line, col)
        return (*where, f"a list or group opened here with '{'[' if bracket == ']' else '{'}' is not closed with "
                        f"'{bracket}' (items are separated by ', ')")
    if "\t" in problem or "'\\t'" in problem:
        return line, col, "a tab character: indent with spaces, never tabs"
    if problem.startswith("mapping values are not allowed"):
        if text.count(": ") + text.rstrip().endswith(":") >= 2 or ":" in text[: col - 1].split(":", 1)[-1]:
            name = text.split(":", 1)[0].strip()
            return line, col, (f"the value of '{name}' contains ': ': put the whole value in quotes, e.g. "
                               f'{name}: "Minoxidil: the facts"')
        before = next((n for n in range(line - 2, -1, -1) if lines[n].strip()), None)
        if before is not None and ":" not in lines[before]:
            return before + 1, 1, f"'{lines[before].strip()[:40]}' is not a 'field: value' line: a ':' is missing"
        return line, col, "a ':' where no field can start: check the indentation and quote values that contain ': '"
    if "expected <block end>" in problem and "<scalar>" in problem:
        return line, col, ("text after a closing quote: inside a quoted value write '' for ' (it''s), or quote "
                           'the value with the other quote ("it\'s")')
    if "expected <block end>" in problem or "expected <block" in problem:
        return line, col, ("the indentation of this line does not match the lines above: fields of one group start "
                           "in the same column (use spaces)")
    if problem.startswith("could not find expected ':'"):
        return line, col, "a line that is not 'field: value' (a ':' is missing, or a quote is not closed)"
    if "alias" in context or "anchor" in context or problem.startswith("found undefined alias"):
        where = (start.line + 1, start.column + 1) if start is not None else (line, col)
        return (*where, "a value that starts with '*' or '&' must be in quotes")
    if context:
        problem = f"{problem} ({context})"
    return line, col, problem


@lru_cache(maxsize=4)
def load_schema(schema_path: str) -> Draft202012Validator:
    """The validator for the schema file as it is now (built once per distinct file content)."""
    return _validator(Path(schema_path).read_text(encoding="utf-8"))


@lru_cache(maxsize=4)
def _validator(schema_text: str) -> Draft202012Validator:
    schema = json.loads(schema_text)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def schema_labels(schema_path: str) -> dict[str, dict[str, str]]:
    return dict(load_schema(schema_path).schema.get("x-labels", {}))


def regulatory_refs(meta: FrontMatter | None) -> list[tuple[str, tuple[int, int]]]:
    """The keys a page cites in its front matter (``regulatory: <market>: refs: [...]``), with
    the line and column of each."""
    data = meta.data if meta is not None and isinstance(meta.data, dict) else {}
    regulatory = data.get("regulatory")
    out: list[tuple[str, tuple[int, int]]] = []
    if isinstance(regulatory, dict):
        for jurisdiction, entry in regulatory.items():
            refs = entry.get("refs") if isinstance(entry, dict) else None
            for index, key in enumerate(refs if isinstance(refs, list) else []):
                out.append((str(key), meta.line_of(("regulatory", jurisdiction, "refs", index))))
    return out
