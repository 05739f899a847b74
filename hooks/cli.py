"""Command line: the same engine as the MkDocs hooks, without building the site.

    python -m hooks.cli check [--format text|json|github] [--today YYYY-MM-DD] [FILE ...]
    python -m hooks.cli claims --output site-data/claims.json
    python -m hooks.cli rules
    python -m hooks.cli review-report [--format markdown|json] [--output FILE]
    python -m hooks.cli new-page [--name NAME] [--type therapy|condition|claim-check]
    python -m hooks.cli add-ref (--doi DOI | --pmid PMID) [--evidence TYPE] [--dry-run]
    python -m hooks.cli fmt-bib [--check]

Exit status: 0 clean (warnings allowed), 1 errors, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import asdict
from pathlib import Path

from hooks.engine import atomic, diagnostics, review_report
from hooks.engine.project import Config, Report, check_project
from hooks.engine.rules import RULES

EDITOR_COMMANDS = ("new-page", "add-ref", "fmt-bib")


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
    check.add_argument("files", nargs="*", type=Path,
                       help="only report problems in these files (the whole project is still read)")
    claims = sub.add_parser("claims", help="write the claim register as JSON")
    claims.add_argument("--output", type=Path, default=None, help="file to write (default: stdout)")
    sub.add_parser("rules", help="print every rule id with its meaning and fix (Markdown)")
    report = sub.add_parser("review-report", help="pages by next review date (overdue, due in 30/90 days)")
    report.add_argument("--format", choices=("markdown", "json"), default="markdown")
    report.add_argument("--output", type=Path, default=None, help="file to write (default: stdout)")
    new_page = sub.add_parser("new-page", help="scaffold a clinical page (asks for what is missing)")
    new_page.add_argument("--name", default="", help="page title, e.g. 'Low-dose oral minoxidil'")
    new_page.add_argument("--type", dest="page_type", default="", help="therapy, condition or claim-check")
    add_ref = sub.add_parser("add-ref", help="add a reference to references.bib from its DOI or PMID")
    add_ref.add_argument("--doi", default="")
    add_ref.add_argument("--pmid", default="")
    add_ref.add_argument("--evidence", default="", help="evidence type (asked for when not given)")
    add_ref.add_argument("--dry-run", action="store_true", help="show the entry, write nothing")
    fmt = sub.add_parser("fmt-bib", help="rewrite references.bib in the canonical layout")
    fmt.add_argument("--check", action="store_true", help="only report whether it is formatted (exit 1 if not)")
    return parser


def write_atomic(path: Path, text: str) -> None:
    atomic.write_text(path, text)


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
    if args.command in EDITOR_COMMANDS:
        from hooks import editor_commands

        return int(getattr(editor_commands, args.command.replace("-", "_"))(config, args))
    if not config.schema.exists():
        print(f"{config.schema}: error: schema file not found", file=sys.stderr)
        return 2
    report = check_project(config, args.today)
    if args.command == "review-report":
        if args.format == "json":
            text = json.dumps(review_report.as_json(report), indent=2, ensure_ascii=False) + "\n"
        else:
            text = "# Review-due report\n\n" + review_report.as_markdown(report)
        if args.output:
            write_atomic(args.output, text)
            print(f"wrote the review-due report to {args.output}")
        else:
            sys.stdout.write(text)
        return 0
    if args.command == "claims":
        text = json.dumps(claim_register(report), indent=2, ensure_ascii=False) + "\n"
        if args.output:
            write_atomic(args.output, text)
            print(f"wrote {len(report.claims)} claims to {args.output}")
        else:
            sys.stdout.write(text)
        return 1 if report.error_count else 0
    diags = report.all_diagnostics()
    if args.files:
        wanted = {_shown(root, f) for f in args.files}
        diags = [d for d in diags if d.path in wanted]
    rendered = diagnostics.render(diags, args.format)
    if rendered:
        print(rendered)
    if args.format == "text":
        print(_summary(report))
    return 1 if any(d.is_error for d in diags) else 0


def _shown(root: Path, file: Path) -> str:
    path = file if file.is_absolute() else Path.cwd() / file
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return file.as_posix()


if __name__ == "__main__":
    sys.exit(main())
