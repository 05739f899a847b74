"""Front matter of clinical pages (DESIGN §2): present, valid against the schema, known reviewers
and references."""

from __future__ import annotations

import re
from typing import Any

from hooks.parse.frontmatter import FrontMatter, load_schema, regulatory_refs
from hooks.report.diagnostics import Diagnostic
from hooks.report.suggest import close_matches, did_you_mean
from hooks.rules.registry import Severity, define

SCOPE = "page"

FM_MISSING = define(
    'FM-MISSING',
    Severity.ERROR,
    'A clinical page has no front matter.',
    "Start the page with a '---' line, the YAML fields, and a closing '---' line.",
    "a therapy page that starts with '# Title'",
    module=__name__,
)
FM_SCHEMA = define(
    'FM-SCHEMA',
    Severity.ERROR,
    'A front-matter field is missing, unknown or has a wrong value.',
    'See schema/frontmatter.schema.json for the fields and their allowed values.',
    'evidence: strong   (allowed: high, moderate, low, very-low)',
    module=__name__,
)
FM_REVIEWER_UNKNOWN = define(
    'FM-REVIEWER-UNKNOWN',
    Severity.ERROR,
    'review.reviewed_by names someone not in the reviewer registry.',
    'Reviewers must be listed in data/reviewers.yml with credentials and conflicts of interest.',
    module=__name__,
)
FM_REF_UNKNOWN = define(
    'FM-REF-UNKNOWN',
    Severity.ERROR,
    "A front-matter 'refs' list names a key not in references.bib.",
    'Add the reference to references.bib or correct the key.',
    module=__name__,
)


def unknown_ref(context, key: str, line: int, col: int) -> list[Diagnostic]:
    """FM-REF-UNKNOWN for a key that front matter names (regulatory refs, change-log refs, outcome refs)."""
    if context.bibliography.known(key):
        return []
    return [Diagnostic(context.page.path, line, col, FM_REF_UNKNOWN, f"no entry '{key}' in references.bib"
                       + did_you_mean(key, context.bibliography.entries))]


def check(context) -> list[Diagnostic]:
    page, meta = context.page, context.page.meta
    if not page.clinical or meta is None:
        return []
    if not meta.present:
        return [Diagnostic(page.path, 1, 1, FM_MISSING, "clinical page has no front matter")]
    diags = validate(page.path, meta, str(context.config.schema))
    review = meta.data.get("review") if isinstance(meta.data.get("review"), dict) else {}
    reviewed_by = review.get("reviewed_by")
    for index, reviewer in enumerate(reviewed_by if isinstance(reviewed_by, list) else []):
        if str(reviewer) not in context.reviewers:
            line, col = meta.line_of(("review", "reviewed_by", index))
            diags.append(Diagnostic(page.path, line, col, FM_REVIEWER_UNKNOWN,
                                    f"reviewer '{reviewer}' is not in data/reviewers.yml"))
    for key, (line, col) in regulatory_refs(meta):
        diags.extend(unknown_ref(context, key, line, col))
    return diags


def validate(path: str, fm: FrontMatter, schema_path: str) -> list[Diagnostic]:
    """One message per problem, at the line of the field it is about, in plain words: an unknown
    field that is a typo of a missing one is one message ('did you mean'), not two."""
    validator = load_schema(schema_path)
    problems: list[tuple[tuple[object, ...], str]] = []  # (field path, message)
    unknown: list[tuple[tuple[object, ...], str, list[str]]] = []  # (parent, name, names allowed there)
    missing: list[tuple[tuple[object, ...], str, str]] = []  # (parent, name, why)
    for error in validator.iter_errors(fm.data):
        at = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = list(error.schema.get("properties", {}))
            for name in error.instance:
                if name not in allowed:
                    unknown.append((at, str(name), allowed))
        elif "propertyNames" in error.absolute_schema_path:  # a name outside the allowed list (regulatory)
            names = error.validator_value if error.validator == "enum" else []
            unknown.append((at, str(error.instance), [str(n) for n in names]))
        elif error.validator == "required":
            match = re.match(r"^'(.*)' is a required property$", error.message)
            name = match.group(1) if match else str(error.message)
            missing.append((at, name, _because(validator.schema, error)))
        else:
            problems.extend(_problems(at, error, validator.schema))
    for parent, name, allowed in unknown:
        gone = [m for m in missing if m[0] == parent]
        typo = next((m for m in gone if m[1] in close_matches(name, [g[1] for g in gone], n=1)), None)
        where = f" in '{_dotted(parent)}'" if parent else ""
        if typo is not None:
            missing.remove(typo)
            problems.append(((*parent, name), f"unknown field '{name}'{where}: did you mean '{typo[1]}'?"))
        else:
            present = _at(fm.data, parent)
            hint = did_you_mean(name, [a for a in allowed if not (isinstance(present, dict) and a in present)])
            listed = "" if hint else f" (allowed: {', '.join(allowed)})" if allowed and len(allowed) <= 12 else ""
            problems.append(((*parent, name), f"unknown field '{name}'{where}{hint or listed}"))
    for parent, name, why in missing:
        where = f" in '{_dotted(parent)}'" if parent else ""
        problems.append((parent, f"the field '{name}'{where} is missing{why}"))
    diags = []
    for field_path, message in problems:
        line, col = fm.line_of(field_path) if field_path else (1, 1)
        diags.append(Diagnostic(path, line, col, FM_SCHEMA, message))
    return sorted(set(diags))


def _at(data: Any, field_path: tuple[object, ...]) -> Any:
    for part in field_path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _dotted(field_path: tuple[object, ...]) -> str:
    out = ""
    for part in field_path:
        out += f"[{part + 1}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


TYPE_WORDS = {"string": "text", "array": "a list", "object": "a group of fields (name: value lines)",
              "boolean": "true or false", "integer": "a whole number", "number": "a number", "null": "empty"}


def _type_of(value: Any) -> str:
    for name, kind in (("true or false", bool), ("a list", list), ("a group of fields", dict), ("text", str)):
        if isinstance(value, kind):
            return name
    return "a number" if isinstance(value, (int, float)) else "empty" if value is None else type(value).__name__


def _because(schema: dict[str, Any], error: Any) -> str:
    """' because status is approved' when the error comes from an if/then of the schema, else ''."""
    path = list(error.absolute_schema_path)
    if "then" not in path:
        return ""
    index = len(path) - 1 - path[::-1].index("then")
    node: Any = schema
    depth = 0  # how many steps into the front matter the if/then sits (review: 1)
    try:
        for number, part in enumerate(path[:index]):
            node = node[part]
            previous = path[number - 1] if number else None
            if part == "items" or previous in ("properties", "prefixItems") or part == "additionalProperties":
                depth += 1
    except (KeyError, IndexError, TypeError):
        return ""
    condition = node.get("if", {}) if isinstance(node, dict) else {}
    prefix = _dotted(tuple(error.absolute_path)[:depth])
    words = []
    for name, rule in (condition.get("properties") or {}).items():
        shown = f"{prefix}.{name}" if prefix else name
        if "const" in rule:
            words.append(f"{shown} is {rule['const']}")
        elif "enum" in rule:
            words.append(f"{shown} is {' or '.join(map(str, rule['enum']))}")
    return f" (required because {' and '.join(words)})" if words else ""


def _problems(at: tuple[object, ...], error: Any, schema: dict[str, Any]) -> list[tuple[tuple[object, ...], str]]:
    name = _dotted(at) or "front matter"
    value, limit = error.instance, error.validator_value
    because = _because(schema, error)
    if error.validator == "enum":
        allowed = ", ".join(str(v) for v in limit)
        hint = did_you_mean(str(value), [str(v) for v in limit]) if isinstance(value, str) else ""
        return [(at, f"{name}: {value!r} is not allowed{hint or ''} (allowed: {allowed})")]
    if error.validator == "const":
        return [(at, f"{name} must be {limit!r}{because}")]
    if error.validator == "type":
        wanted = " or ".join(TYPE_WORDS.get(t, t) for t in ([limit] if isinstance(limit, str) else limit))
        return [(at, f"{name} should be {wanted}, not {_type_of(value)}")]
    if error.validator == "minLength":
        if not value:
            return [(at, f"{name} is empty: write at least {limit} characters{because}")]
        return [(at, f"{name} is too short: at least {limit} characters, it has {len(value)}{because}")]
    if error.validator == "maxLength":
        return [(at, f"{name} is too long: at most {limit} characters, it has {len(value)}")]
    if error.validator == "minItems":
        what = "reviewer" if at[-1:] == ("reviewed_by",) else "item"
        return [(at, f"{name} needs at least {limit} {what}{'s' if limit != 1 else ''}, it has {len(value)}"
                     f"{because}")]
    if error.validator == "maxItems":
        return [(at, f"{name} has {len(value)} items, at most {limit} allowed")]
    if error.validator == "minProperties":
        return [(at, f"{name} needs at least {limit} field{'s' if limit != 1 else ''}{because}")]
    if error.validator == "uniqueItems" and isinstance(value, list):
        seen: set[str] = set()
        out = []
        for index, item in enumerate(value):
            key = repr(item)
            if key in seen:
                out.append(((*at, index), f"{name}: {item!r} is listed twice"))
            seen.add(key)
        return out or [(at, f"{name} lists an item twice")]
    if error.validator == "pattern":
        if "[0-9]{4}-" in str(limit) or "\\d{4}-" in str(limit):
            return [(at, f"{name}: {value!r} is not a date in YYYY-MM-DD form")]
        if str(limit) == "^[a-z0-9-]+$":
            return [(at, f"{name}: {value!r} should be lowercase letters, digits and hyphens only")]
        return [(at, f"{name}: {value!r} does not have the expected form")]
    return [(at, f"{name}: {error.message}{because}")]
