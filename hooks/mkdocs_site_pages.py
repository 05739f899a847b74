"""MkDocs hook: the glossary (tooltips on every page and a glossary page), the bibliography
page with backlinks, and the downloadable claim register. Thin adapter over hooks/engine."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hooks.build_state import report  # noqa: E402
from hooks.engine import bibliography_page, claim_register, glossary  # noqa: E402

GLOSSARY_PAGE = "about/glossary.md"
BIBLIOGRAPHY_PAGE = "about/bibliography.md"
CLAIMS_FILE = "claims.json"
_terms: list[glossary.Term] = []


def on_files(files, config):
    _terms[:] = glossary.load(Path(config.config_file_path).resolve().parent / glossary.DATA_FILE)
    files.append(File.generated(config, GLOSSARY_PAGE, content=glossary.page_markdown(_terms)))
    current = report()
    if current is not None:
        content = bibliography_page.page_markdown(current, "../" + CLAIMS_FILE)
        files.append(File.generated(config, BIBLIOGRAPHY_PAGE, content=content))
        register = json.dumps(claim_register.register(current), separators=(",", ":"), ensure_ascii=False,
                              sort_keys=True)
        files.append(File.generated(config, CLAIMS_FILE, content=register))
    return files


def on_page_content(html_text: str, page, config, files) -> str:
    """Glossary tooltips on every page (one pass over the HTML); the bibliography list on its page."""
    if page.file.src_uri == BIBLIOGRAPHY_PAGE and bibliography_page.MARKER in html_text:
        current = report()
        if current is not None:
            def url_for(rel: str) -> str:
                target = files.get_file_from_path(rel)
                return target.url_relative_to(page.file) if target else rel

            html_text = html_text.replace(bibliography_page.MARKER, bibliography_page.list_html(current, url_for))
    return glossary.annotate_html(html_text, _terms) if _terms else html_text

