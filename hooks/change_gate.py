"""The pull-request gate for change logs: a change to what a clinical page concludes (its evidence
grade, its bottom line or its key points) must come with a new entry in its change log.

    python -m hooks.cli changes-check --base origin/main

It compares each clinical page changed since ``--base`` (git) with its version there; pages that
are new at that point are skipped. Output is the check's own format (``path:line:col: error …``
plus a hint; ``--format github`` for annotations). Exit status: 0 fine, 1 a change without an
entry, 2 git could not compare (no such base, not a repository).
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from hooks.parse.frontmatter import parse as parse_front_matter

RULE_ID = "CHANGE-LOG-MISSING"
HINT = ("Add an entry to the page's front matter, e.g. changes: [{date: YYYY-MM-DD, kind: new-evidence, "
        "summary: 'What changed and why', refs: [key]}] (kinds: new-evidence, correction, safety, editorial).")
KEY_POINTS_RE = re.compile(r"^##\s+Key points\s*(?:\{[^}]*\})?\s*$", re.IGNORECASE | re.MULTILINE)


class GitError(Exception):
    pass


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    what: str

    def text(self) -> str:
        return (f"{self.path}:{self.line}:1: error {RULE_ID} {self.what} changed but the change log has no new "
                f"entry\n  hint: {HINT}")

    def github(self) -> str:
        return (f"::error file={self.path},line={self.line},col=1,title={RULE_ID}::{self.what} changed but the change "
                f"log has no new entry. Hint: {HINT}")


def _git(root: Path, *args: str) -> str:
    try:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(str(exc)) from exc
    if result.returncode != 0:
        raise GitError(result.stderr.strip() or f"git {' '.join(args)} failed")
    return result.stdout


def key_points(text: str) -> str:
    match = KEY_POINTS_RE.search(text)
    if not match:
        return ""
    rest = text[match.end():]
    end = re.search(r"^#{1,2}\s", rest, re.MULTILINE)
    return " ".join((rest[: end.start()] if end else rest).split())


def _changes(data: dict) -> set[tuple[str, str, str]]:
    items = data.get("changes") if isinstance(data.get("changes"), list) else []
    return {(str(c.get("date")), str(c.get("kind")), str(c.get("summary"))) for c in items if isinstance(c, dict)}


def compare(path: str, before: str, after: str) -> Finding | None:
    old, _ = parse_front_matter(path, before)
    new, _ = parse_front_matter(path, after)
    if old is None or new is None:
        return None  # broken front matter is the check's business
    changed = []
    line = 1
    if old.data.get("evidence") != new.data.get("evidence"):
        changed.append(f"the evidence grade ({old.data.get('evidence')} → {new.data.get('evidence')})")
        line = new.line_of(("evidence",))[0]
    if old.data.get("bottom_line") != new.data.get("bottom_line"):
        changed.append("the bottom line")
        line = line if line > 1 else new.line_of(("bottom_line",))[0]
    if key_points(before) != key_points(after):
        changed.append("the key points")
        if line == 1:
            match = KEY_POINTS_RE.search(after)
            line = after[: match.start()].count("\n") + 1 if match else 1
    if not changed or _changes(new.data) - _changes(old.data):
        return None
    return Finding(path, line, " and ".join(changed).capitalize())


def check(root: Path, base: str, clinical_dirs: tuple[str, ...], docs: str = "docs") -> list[Finding]:
    names = _git(root, "diff", "--name-only", "--diff-filter=M", base, "--", docs).split()
    findings = []
    for name in sorted(names):
        folder = Path(name).relative_to(docs).parts[0] if name.startswith(docs + "/") else ""
        if not name.endswith(".md") or folder not in clinical_dirs or name.endswith("/index.md"):
            continue
        before = _git(root, "show", f"{base}:{name}")
        after = (root / name).read_text(encoding="utf-8")
        finding = compare(name, before, after)
        if finding is not None:
            findings.append(finding)
    return findings
