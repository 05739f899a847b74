"""Command line: the same engine as the MkDocs hooks, without building the site.

    python -m hooks.cli check [--format text|json|github] [--today YYYY-MM-DD]
    python -m hooks.cli claims --output site-data/claims.json
    python -m hooks.cli rules

Exit status: 0 clean (warnings allowed), 1 errors, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

from hooks.engine import diagnostics
from hooks.engine.project import Config, Report, check_project
from hooks.engine.rules import RULES


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date in YYYY-MM-DD form") from exc


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m hooks.cli", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (default: .)")
    parser.add_argument("--today", type=_date, default=None, help="pretend today is this date")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check docs/ and references.bib")
    check.add_argument("--format", choices=("text", "json", "github"), default="text")
    claims = sub.add_parser("claims", help="write the claim register as JSON")
    claims.add_argument("--output", type=Path, default=None, help="file to write (default: stdout)")
    sub.add_parser("rules", help="print every rule id with its meaning and fix (Markdown)")
    return parser


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, then rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def claim_register(report: Report) -> dict[str, object]:
    return {
        "generated_for": report.today.isoformat(),
        "claims": [asdict(c) for c in report.claims],
        "exemptions": [asdict(e) for e in report.exemptions],
    }


def _summary(report: Report) -> str:
    diags = report.all_diagnostics()
    errors = sum(1 for d in diags if d.is_error)
    warnings = len(diags) - errors
    lines = [f"{errors} error(s), {warnings} warning(s) in {len(report.pages)} page(s) and "
             f"{len(report.bibliography.entries)} reference(s); {len(report.claims)} claim(s) checked."]
    exemptions = report.exemptions
    lines.append(f"{len(exemptions)} no-claim exemption(s)" + (":" if exemptions else "."))
    lines.extend(f"  {e.path}:{e.line}: {e.reason}" for e in exemptions)
    return "\n".join(lines)


def rules_markdown() -> str:
    out = ["| rule | severity | what it means | how to fix it | example of a violation |",
           "| --- | --- | --- | --- | --- |"]
    for rule in RULES.values():
        example = f"`{rule.example}`" if rule.example else ""
        out.append(f"| `{rule.id}` | {rule.severity} | {rule.summary} | {rule.hint} | {example} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "rules":
        print(rules_markdown())
        return 0
    root = args.root.resolve()
    config = Config.load(root)
    if not config.schema.exists():
        print(f"{config.schema}: error: schema file not found", file=sys.stderr)
        return 2
    report = check_project(config, args.today)
    if args.command == "claims":
        text = json.dumps(claim_register(report), indent=2, ensure_ascii=False) + "\n"
        if args.output:
            write_atomic(args.output, text)
            print(f"wrote {len(report.claims)} claims to {args.output}")
        else:
            sys.stdout.write(text)
        return 1 if report.error_count else 0
    diags = report.all_diagnostics()
    rendered = diagnostics.render(diags, args.format)
    if rendered:
        print(rendered)
    if args.format == "text":
        print(_summary(report))
    return 1 if report.error_count else 0


if __name__ == "__main__":
    sys.exit(main())
