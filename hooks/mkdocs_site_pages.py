"""MkDocs hook: the glossary (tooltips on every page and a glossary page), the bibliography
page with backlinks, and the downloadable claim register. Thin adapter over hooks/engine."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hooks.build_state import report  # noqa: E402
from hooks.cli import claim_register  # noqa: E402
from hooks.engine import bibliography_page, glossary  # noqa: E402

GLOSSARY_FILE = "data/glossary.yml"
GLOSSARY_PAGE = "about/glossary.md"
BIBLIOGRAPHY_PAGE = "about/bibliography.md"
CLAIMS_FILE = "claims.json"
_terms: list[glossary.Term] = []


def on_files(files, config):
    _terms[:] = glossary.load(Path(config.config_file_path).resolve().parent / GLOSSARY_FILE)
    files.append(File.generated(config, GLOSSARY_PAGE, content=glossary.page_markdown(_terms)))
    current = report()
    if current is not None:
        content = bibliography_page.page_markdown(current, BIBLIOGRAPHY_PAGE, "../" + CLAIMS_FILE)
        files.append(File.generated(config, BIBLIOGRAPHY_PAGE, content=content))
        register = json.dumps(claim_register(current), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        files.append(File.generated(config, CLAIMS_FILE, content=register))
    return files


@event_priority(-100)  # last: after citations are placed, so the definitions stay at the very end
def on_page_markdown(markdown: str, page, config, files) -> str:
    if not _terms:
        return markdown
    return markdown.rstrip("\n") + "\n\n" + glossary.abbreviations(_terms) + "\n"

