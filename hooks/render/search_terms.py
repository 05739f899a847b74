"""What the pages know about themselves, for search: each clinical page's title, other names (brand
names, abbreviations, lay terms) and, for conditions, what people notice. The site's search box uses
it (docs/javascripts/kb.js) to put the page about the thing a reader typed first ("Best match"),
ahead of Material's full-text results, where a brand name in a study title or a common word such as
"scalp" or "hair" would otherwise decide the order."""

from __future__ import annotations

import json

FILE = "search-terms.json"


def terms_json(pages: list[tuple[str, str, str, list[str]]]) -> str:
    """pages: (url relative to the site root, title, type, terms)."""
    data = [{"url": url, "title": title, "type": kind, "terms": sorted(set(terms), key=str.casefold)}
            for url, title, kind, terms in sorted(pages)]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def page_terms(data: dict) -> list[str]:
    title = str(data.get("title", ""))
    out = [title, *(str(a) for a in data.get("aliases") or [] if isinstance(data.get("aliases"), list))]
    out += [str(n) for n in data.get("noticed") or [] if isinstance(data.get("noticed"), list)]
    return [t for t in out if t.strip()]
