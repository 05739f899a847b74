"""Links that `mkdocs build --strict` refuses or that leave the site: an absolute path (/therapies/x/)
and the site's own full address (https://<site_url>/therapies/x/). Both are reported by the check
first, with the page's line and the relative link to write instead."""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from hooks.report.diagnostics import Diagnostic
from hooks.rules.registry import Severity, define

SCOPE = "page"

LINK_ABSOLUTE = define(
    'LINK-ABSOLUTE',
    Severity.ERROR,
    "A link to a page of this site is absolute (/therapies/x/) or uses the site's own address: the strict "
    "build refuses the first, and both break in previews and copies of the site.",
    "Link to the page's file, relative to this page: [finasteride](../therapies/finasteride.md) or, in the "
    "same folder, [finasteride](finasteride.md); #anchors work the same way.",
    '[finasteride](/therapies/finasteride/)',
    module=__name__,
)

SITE_URL_RE = re.compile(r"^site_url:\s*['\"]?(?P<url>[^'\"\s#]+)", re.MULTILINE)


@lru_cache(maxsize=8)
def _site_url(root: str) -> tuple[str, str]:
    """(host, path prefix) of mkdocs.yml's site_url, or ('', '') when it has none."""
    try:
        text = (Path(root) / "mkdocs.yml").read_text(encoding="utf-8")
    except OSError:
        return "", ""
    match = SITE_URL_RE.search(text)
    if not match:
        return "", ""
    parts = urlsplit(match.group("url"))
    return parts.netloc.lower(), parts.path.rstrip("/")


def _target_file(site_path: str, files: set[str]) -> str | None:
    """The docs/ file that a site path (therapies/x/, therapies/x.md, therapies/) is built from."""
    path = unquote(site_path).strip("/")
    candidates = [path] if path.endswith(".md") else []
    if not path:
        candidates = ["index.md"]
    elif not path.endswith(".md"):
        stem = path[:-len("/index.html")] if path.endswith("/index.html") else path.removesuffix(".html")
        candidates += [f"{stem}.md", f"{stem}/index.md", path]
    return next((c for c in candidates if c in files), None)


def suggestion(page_rel: str, site_path: str, fragment: str, files: set[str]) -> str:
    target = _target_file(site_path, files)
    if target is None:
        return ""
    relative = posixpath.relpath(target, posixpath.dirname(page_rel) or ".")
    return relative + (f"#{fragment}" if fragment else "")


def _docs_files(docs_dir: Path) -> set[str]:
    return {p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*") if p.is_file()}


def check(context) -> list[Diagnostic]:
    page, doc = context.page, context.page.doc
    if doc is None:
        return []
    host, prefix = _site_url(str(context.config.root))
    files: set[str] | None = None
    diags: list[Diagnostic] = []
    for link in doc.links:
        url = link.url.strip()
        parts = urlsplit(url)
        if url.startswith("/") and not url.startswith("//"):
            site_path, why = parts.path, "an absolute link: the strict build refuses it"
        elif host and parts.scheme in ("http", "https") and parts.netloc.lower() == host \
                and (parts.path + "/").startswith(prefix + "/"):
            site_path, why = parts.path[len(prefix):], "a link to this site by its full address"
        else:
            continue
        if files is None:
            files = _docs_files(context.config.docs_dir)
        better = suggestion(page.rel, site_path, parts.fragment, files)
        fix = f": write '{better}' (relative to this page)" if better else \
            ": link to the page's .md file, relative to this page"
        diags.append(Diagnostic(page.path, link.line, link.col, LINK_ABSOLUTE, f"'{url}' is {why}{fix}"))
    return diags
