"""Command line: the same engine as the MkDocs hooks, without building the site.

    python -m hooks.cli check [--format text|json|github] [--today YYYY-MM-DD] [FILE ...]
    python -m hooks.cli claims --output site-data/claims.json
    python -m hooks.cli rules
    python -m hooks.cli review-report [--format markdown|json] [--output FILE]
    python -m hooks.cli new-page [--name NAME] [--type therapy|condition|claim-check]
    python -m hooks.cli add-ref (--doi DOI | --pmid PMID) [--evidence TYPE] [--dry-run]
    python -m hooks.cli fmt-bib [--check]
    python -m hooks.cli changes-check --base REV [--format text|github]
    python -m hooks.cli surveil [--today YYYY-MM-DD] [--output-dir DIR] [PAGE ...]
    python -m hooks.cli refresh-sources [--today YYYY-MM-DD] [--dry-run] [--output FILE]

Exit status: 0 clean (warnings allowed), 1 errors, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from hooks import atomic
from hooks.check import Config, Report, check_project, default_workers
from hooks.config import ConfigError
from hooks.report import claim_register as claim_register_mod
from hooks.report import diagnostics, review_report
from hooks.rules.registry import Severity, all_rules

EDITOR_COMMANDS = ("new-page", "add-ref", "fmt-bib", "linkcheck-external")


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
    parser.add_argument("--no-cache", action="store_true", help="analyse every page again (ignore .cache/check)")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check docs/ and references.bib")
    check.add_argument("--format", choices=("text", "json", "github"), default="text")
    check.add_argument("files", nargs="*", type=Path,
                       help="only report problems in these files (the whole project is still read)")
    claims = sub.add_parser("claims", help="write the claim register as JSON")
    claims.add_argument("--output", type=Path, default=None, help="file to write (default: stdout)")
    rules = sub.add_parser("rules", help="print every rule id with its meaning and fix (Markdown)")
    rules.add_argument("ids", nargs="*", metavar="RULE-ID", help="explain only these rules, e.g. CITE-UNKNOWN-KEY")
    rules.add_argument("--write", type=Path, default=None,
                       help="replace the table between <!-- rules:start --> and <!-- rules:end --> in this file")
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
    links = sub.add_parser("linkcheck-external", help="check external URLs, DOIs and PMIDs (network; scheduled)")
    links.add_argument("--cache", type=Path, default=Path(".cache/linkcheck.json"))
    links.add_argument("--output", type=Path, default=None, help="write the Markdown report here")
    links.add_argument("--format", choices=("markdown", "json"), default="markdown")
    gate = sub.add_parser("changes-check", help="refuse a change to a page's grade, bottom line or key points "
                                                "without a change-log entry (pull requests)")
    gate.add_argument("--base", required=True, help="the git revision to compare with, e.g. origin/main")
    gate.add_argument("--format", choices=("text", "github"), default="text")
    surveil = sub.add_parser("surveil", help="run each page's declared PubMed search for records newer than its "
                                         "evidence_current_to (network; scheduled)")
    surveil.add_argument("--today", type=_date, default=argparse.SUPPRESS, help="pretend today is this date")
    surveil.add_argument("--output-dir", type=Path, default=Path("surveillance"),
                         help="where the per-page reports go (Markdown and JSON)")
    surveil.add_argument("pages", nargs="*", help="only these pages (docs/… paths or paths inside docs/)")
    refresh = sub.add_parser("refresh-sources", help="update source records' status from Crossref and PubMed "
                             "(network; scheduled)")
    refresh.add_argument("--today", type=_date, default=argparse.SUPPRESS, help="pretend today is this date")
    refresh.add_argument("--dry-run", action="store_true", help="report what would change, write no record")
    refresh.add_argument("--output", type=Path, default=None, help="also write the Markdown report here")
    refresh.add_argument("--cache", type=Path, default=Path(".cache/refresh-sources.json"))
    fmt = sub.add_parser("fmt-bib", help="rewrite references.bib in the canonical layout")
    fmt.add_argument("--check", action="store_true", help="only report whether it is formatted (exit 1 if not)")
    return parser


CLAIMS_MARKER = f'"generated_by": "{claim_register_mod.GENERATED_BY}"'
REPORT_MARKER = "generated by hooks.cli review-report"
claim_register = claim_register_mod.register


def _summary(report: Report) -> str:
    count = diagnostics.counts(report.all_diagnostics())
    lines = [f"{count[Severity.ERROR]} error(s), {count[Severity.WARNING]} warning(s), "
             f"{count[Severity.REPORT]} report entr{'y' if count[Severity.REPORT] == 1 else 'ies'} in "
             f"{len(report.pages)} page(s) and {len(report.bibliography.entries)} reference(s); "
             f"{len(report.claims)} claim(s) checked."]
    for kind, title in (("no-claim", "no-claim exemption(s)"), ("derived", "derived-number marker(s)")):
        exemptions = [e for e in report.exemptions if e.kind == kind]
        lines.append(f"{len(exemptions)} {title}" + (":" if exemptions else "."))
        lines.extend(f"  {e.path}:{e.line}: {e.reason}" for e in exemptions)
    return "\n".join(lines)


def rules_markdown() -> str:
    out = ["| rule | severity | what it means | how to fix it | example of a violation |",
           "| --- | --- | --- | --- | --- |"]
    for rule in sorted(all_rules().values(), key=lambda r: (r.module, r.id)):
        example = f"`{rule.example}`" if rule.example else ""
        severity = rule.severity.value + (f" ({rule.lenient.value} until a page is converted)" if rule.lenient else "")
        out.append(f"| `{rule.id}` | {severity} | {rule.summary} | {rule.hint} | {example} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "rules" and args.ids:
        from hooks.editor.explain import explain_rules

        return explain_rules(args.ids)
    if args.command == "rules":
        if args.write is None:
            print(rules_markdown())
            return 0
        return _write_rules_table(args.write)
    root = args.root.resolve()
    try:
        config = Config.load(root)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command == "changes-check":
        from hooks import change_gate

        try:
            findings = change_gate.check(root, args.base, config.clinical_dirs, config.docs_dir.name)
        except change_gate.GitError as exc:
            print(f"error: cannot compare with {args.base}: {exc}", file=sys.stderr)
            return 2
        for finding in findings:
            print(finding.github() if args.format == "github" else finding.text())
        return 1 if findings else 0
    if args.command == "surveil":
        from hooks.editor import surveil as surveil_mod

        return int(surveil_mod.command(config, args))
    if args.command == "refresh-sources":
        from hooks.editor import refresh_sources

        return int(refresh_sources.command(config, args))
    if args.command in EDITOR_COMMANDS:
        from hooks.editor import commands as editor_commands

        return int(getattr(editor_commands, args.command.replace("-", "_"))(config, args))
    if not config.schema.exists():
        print(f"{config.schema}: error: schema file not found", file=sys.stderr)
        return 2
    report = check_project(config, args.today, workers=default_workers(), use_cache=not args.no_cache)
    if args.command == "review-report":
        if args.format == "json":
            text = json.dumps({"generated_by": REPORT_MARKER, **review_report.as_json(report)}, indent=2,
                              ensure_ascii=False) + "\n"
        else:
            text = f"<!-- {REPORT_MARKER} -->\n# Review-due report\n\n" + review_report.as_markdown(report)
        if not _emit(text, args.output, REPORT_MARKER, "the review-due report"):
            return 1
        return 0
    if args.command == "claims":
        text = json.dumps(claim_register(report), indent=2, ensure_ascii=False) + "\n"
        if not _emit(text, args.output, CLAIMS_MARKER, f"{len(report.claims)} claims"):
            return 1
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


def _write_rules_table(path: Path) -> int:
    """The rule table in CONTRIBUTING.md is generated from the registry, never typed."""
    text = path.read_text(encoding="utf-8")
    start, end = "<!-- rules:start -->\n", "<!-- rules:end -->"
    if start not in text or end not in text:
        print(f"{path}: error: no '{start.strip()}' ... '{end}' markers", file=sys.stderr)
        return 2
    head, rest = text.split(start, 1)
    atomic.write_text(path, head + start + rules_markdown() + "\n" + end + rest.split(end, 1)[1])
    print(f"wrote the rule table to {path}")
    return 0


def _emit(text: str, output: Path | None, marker: str, what: str) -> bool:
    """Print text, or write it to output (replacing only an earlier output of the same command)."""
    if output is None:
        sys.stdout.write(text)
        return True
    try:
        atomic.write_generated(output, text, marker)
    except atomic.AlreadyExists as exc:
        print(f"error: {exc}", file=sys.stderr)
        return False
    print(f"wrote {what} to {output}")
    return True


def _shown(root: Path, file: Path) -> str:
    path = file if file.is_absolute() else Path.cwd() / file
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return file.as_posix()


if __name__ == "__main__":
    sys.exit(main())
