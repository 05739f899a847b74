"""Editors' commands behind `make new-page`, `make add-ref` and `make fmt-bib`.

Each one writes through hooks.atomic (temporary file, then rename), refuses to
overwrite what it did not create, and explains every refusal in one line an editor
can act on. Exit status: 0 done, 1 refused or failed (nothing written).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys

from hooks import atomic
from hooks.check import Config
from hooks.editor import bib_format, reference_lookup, scaffold, source_skeleton
from hooks.parse.bibliography import EVIDENCE_TYPES, normalise_evidence
from hooks.parse.bibliography import parse as parse_bib
from hooks.report.suggest import did_you_mean
from hooks.rules.syntax import BIB_DUPLICATE_KEY, BIB_MERGE_CONFLICT, BIB_PARSE

BLOCKING = (BIB_PARSE.id, BIB_DUPLICATE_KEY.id, BIB_MERGE_CONFLICT.id)


def _interactive() -> bool:
    return sys.stdin.isatty() or bool(os.environ.get("KB_INTERACTIVE"))


def _ask(prompt: str, choices: tuple[str, ...] = (), allow_empty: bool = False,
         normalise=lambda answer: answer) -> str:
    """One answer from the editor: one of choices (after normalise), or '' when allow_empty."""
    if not _interactive():
        return ""
    while True:
        try:
            answer = normalise(input(prompt).strip())
        except EOFError:
            return ""
        if not choices or answer in choices or (allow_empty and not answer):
            return answer
        print(f"  please answer one of: {', '.join(choices)}" + (" (or press Enter)" if allow_empty else ""))


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def new_page(config: Config, args: argparse.Namespace) -> int:
    name = args.name or _ask("Page title (e.g. Low-dose oral minoxidil): ")
    page_type = args.page_type or _ask("Type (therapy, condition, claim-check): ", tuple(scaffold.PAGE_TYPES))
    if not name or not page_type:
        return _fail("give NAME='Page title' and TYPE=therapy|condition|claim-check")
    today = args.today or dt.date.today()
    try:
        rel = scaffold.page_path(name, page_type)
        scaffold.refuse_duplicate(name, config.docs_dir, config.docs_dir / rel)
        text = scaffold.page_text(name, page_type, today)
        target = config.docs_dir / rel
        atomic.write_text(target, text, create_only=True)
    except scaffold.ScaffoldError as exc:
        return _fail(str(exc))
    except atomic.AlreadyExists:
        return _fail(f"docs/{rel} already exists; nothing was written (edit that page, or choose another NAME)")
    print(f"created docs/{rel}")
    print("next: 1. fill in the empty front-matter fields, write the sections, then run `make check`;")
    print("         the check names each field still to fill, with its line.")
    print("      2. add each reference with `make add-ref DOI=... EVIDENCE=...`: it also starts the source")
    print("         record data/sources/<key>.yml; read the source and put in its excerpts the words that")
    print("         each claim relies on (every number a claim states must be in an excerpt).")
    print("      3. when every cited reference has its record and every number is traced, add")
    print("         `sources_traced: true` to the front matter: SOURCE-MISSING and NUMBER-UNTRACED then")
    print("         become errors on this page (see CONTRIBUTING.md, 'Source records').")
    return 0


def _read_bib(config: Config) -> str:
    return config.bibliography.read_text(encoding="utf-8") if config.bibliography.exists() else ""


def add_ref(config: Config, args: argparse.Namespace) -> int:
    if bool(args.doi.strip()) == bool(args.pmid.strip()):
        return _fail("give exactly one of DOI=10.xxxx/... or PMID=12345678")
    chosen = normalise_evidence(args.evidence) if args.evidence else ""
    if chosen and chosen not in EVIDENCE_TYPES:
        return _fail(f"EVIDENCE '{args.evidence}' is not one of: {', '.join(EVIDENCE_TYPES)}"
                     + did_you_mean(chosen, EVIDENCE_TYPES))
    text = _read_bib(config)
    bib, diags = parse_bib(str(config.bibliography), text)
    if any(d.rule_id in BLOCKING for d in diags):
        return _fail("references.bib does not parse cleanly; run `make check` and fix it first")
    doi, pmid = reference_lookup.bare_doi(args.doi), args.pmid.strip()
    duplicate = _duplicate(bib.entries.values(), doi, pmid)
    if duplicate:
        return _fail(duplicate)
    try:
        ref = reference_lookup.lookup(doi, pmid, crossref=os.environ.get("KB_CROSSREF_API",
                                                                        reference_lookup.CROSSREF_API),
                                      eutils=os.environ.get("KB_EUTILS_API", reference_lookup.EUTILS_API))
    except reference_lookup.Offline as exc:
        return _fail(f"{exc}. Nothing was written. Add the entry by hand from the journal's or PubMed's "
                     "page (see CONTRIBUTING.md), or try again when online.")
    except reference_lookup.LookupError_ as exc:
        return _fail(f"{exc}. Nothing was written.")
    duplicate = _duplicate(bib.entries.values(), ref.doi, ref.pmid)
    if duplicate:
        return _fail(duplicate)
    evidence = chosen
    if not evidence:
        hint = f" [Enter: {ref.suggested_evidence}, as PubMed suggests]" if ref.suggested_evidence else ""
        evidence = _ask(f"Evidence type ({', '.join(EVIDENCE_TYPES)}){hint}: ", EVIDENCE_TYPES,
                        allow_empty=bool(ref.suggested_evidence), normalise=normalise_evidence)
        if not evidence and _interactive():  # Enter accepts the suggestion
            evidence = ref.suggested_evidence
    if evidence not in EVIDENCE_TYPES:
        return _fail("say what kind of evidence this is: EVIDENCE=" + "|".join(EVIDENCE_TYPES)
                     + (f" (PubMed suggests {ref.suggested_evidence})" if ref.suggested_evidence else ""))
    key = reference_lookup.propose_key(ref, set(bib.entries))
    entry = bib_format.format_entry(ref.entry_type, key, [*ref.fields(), ("evidence", "{" + evidence + "}")])
    today = getattr(args, "today", None) or dt.date.today()
    record_path = config.sources_dir / f"{key}.yml"
    record = source_skeleton.skeleton_text(key, ref, today)
    record_problems = source_skeleton.problems(record, config.source_schema)
    print(entry)
    if args.dry_run:
        print(f"\n{_shown(config, record_path)}:\n{record}(dry run: nothing written)")
        return 0
    new_text = _with_entry(text, key, entry)
    _, after = parse_bib(str(config.bibliography), new_text)
    if any(d.rule_id in BLOCKING for d in after):
        return _fail("the new entry would not parse; nothing was written (please report this)")
    atomic.write_text(config.bibliography, new_text)
    print(f"added '{key}' to {config.bibliography.name}. Cite it as [@{key}]. Check the entry against the "
          "source before you cite it.")
    _write_record(config, record_path, record, record_problems)
    return 0


def _shown(config: Config, path) -> str:
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return str(path)


def _with_entry(text: str, key: str, entry: str) -> str:
    """The bibliography with the entry where `make fmt-bib` would put it, so a formatted file stays formatted."""
    try:
        canonical = not text.strip() or bib_format.format_bibliography(text) == text
    except bib_format.FormatRefused:
        canonical = False
    new_text = bib_format.insert_entry(text, key, entry)
    if canonical:
        with contextlib.suppress(bib_format.FormatRefused):
            new_text = bib_format.format_bibliography(new_text)
    else:
        print("note: references.bib was not in the canonical layout before this entry; run `make fmt-bib`")
    return new_text


def _write_record(config: Config, path, text: str, problems: list[str]) -> None:
    """Start the source record of the new reference (never over one that exists)."""
    shown = _shown(config, path)
    if problems:
        print(f"warning: the source record was not written ({problems[0]}); write {shown} by hand "
              "(see CONTRIBUTING.md, 'Source records')", file=sys.stderr)
        return
    try:
        atomic.write_text(path, text, create_only=True)
    except atomic.AlreadyExists:
        print(f"{shown} already exists: it was left as it is")
        return
    status = next((line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("status:")), "")
    print(f"started {shown} (status: {status}). Next: read the source and add to its excerpts the words "
          "each claim relies on (every number a claim states must be in one).")
    if status != "ok":
        print(f"warning: the registries say this reference is {status}: see the notice in {shown} before "
              "you cite it", file=sys.stderr)


def _duplicate(entries, doi: str, pmid: str) -> str:
    for entry in entries:
        if doi and entry.get("doi").lower() == doi.lower():
            return f"DOI {doi} is already in references.bib as '{entry.key}'; cite [@{entry.key}]"
        if pmid and entry.get("pmid") == pmid:
            return f"PMID {pmid} is already in references.bib as '{entry.key}'; cite [@{entry.key}]"
    return ""


def fmt_bib(config: Config, args: argparse.Namespace) -> int:
    if not config.bibliography.exists():
        return _fail(f"{config.bibliography} does not exist")
    text = _read_bib(config)
    try:
        formatted = bib_format.format_bibliography(text)
    except bib_format.FormatRefused as exc:
        return _fail(f"{config.bibliography.name}: {exc}")
    if formatted == text:
        print(f"{config.bibliography.name} is already formatted")
        return 0
    if args.check:
        problems = bib_format.layout_problems(text, formatted)
        shown = _shown(config, config.bibliography)
        lines = [f"  {shown}:{line}: {what}" for line, what in problems[:20]]
        if len(problems) > 20:
            lines.append(f"  ... and {len(problems) - 20} more")
        return _fail(f"{config.bibliography.name} is not in the canonical layout; run `make fmt-bib`. "
                     "Out of place:\n" + "\n".join(lines))
    atomic.write_text(config.bibliography, formatted)
    print(f"formatted {config.bibliography.name}")
    return 0


def linkcheck_external(config: Config, args: argparse.Namespace) -> int:
    """Scheduled check of every external URL, DOI and PMID. Exit 1 only for links found broken."""
    from hooks.editor import external_links
    from hooks.parse.bibliography import load as load_bib

    targets = []
    for page in sorted(config.docs_dir.rglob("*.md")):
        text = page.read_text(encoding="utf-8", errors="replace")
        targets += external_links.targets_from_markdown(page.relative_to(config.root).as_posix(), text)
    bib, _ = load_bib(config.root, config.bibliography)
    targets += external_links.targets_from_bibliography(bib)
    settings = external_links.Settings(doi_api=os.environ.get("KB_DOI_API", external_links.DOI_API),
                                       eutils_api=os.environ.get("KB_EUTILS_API", external_links.EUTILS_API))
    cache_path = args.cache if args.cache.is_absolute() else config.root / args.cache
    cache = external_links.load_cache(cache_path)
    results = external_links.run(targets, external_links.Checker(settings), cache)
    external_links.save_cache(cache_path, cache)
    if args.format == "json":
        text = json.dumps(external_links.as_json(results), indent=2) + "\n"
    else:
        text = external_links.report_markdown(results)
    if args.output:
        atomic.write_text(args.output, text)
    else:
        sys.stdout.write(text)
    return 1 if any(r.state == external_links.BROKEN for r in results) else 0
