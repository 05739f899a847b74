"""Navigation from the files themselves: a folder entry in the nav lists its pages.

In mkdocs.yml, `- Therapies: therapies/` stands for the folder's landing page
(index.md) followed by every other page in it, ordered by the title in its front
matter. A new page appears in the navigation without anyone editing mkdocs.yml.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import yaml

from hooks.parse import frontmatter


def page_title(path: Path) -> str:
    """The title in the page's front matter (its file name if it has none, or the YAML is broken: the
    check reports that with its line)."""
    try:
        lines, _, closed = frontmatter.split(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return path.stem
    data = None
    if lines is not None and closed:
        with contextlib.suppress(yaml.YAMLError):
            data = frontmatter.load_yaml("\n".join(lines))[1]
    title = data.get("title") if isinstance(data, dict) else None
    return str(title) if title else path.stem.replace("-", " ").capitalize()


def folder_pages(docs_dir: Path, folder: str) -> list[str]:
    """The folder's pages for the nav: index.md first, then the rest by title (case-insensitive)."""
    base = docs_dir / folder.strip("/")
    if not base.is_dir():
        return []
    pages = [p for p in base.rglob("*.md") if p.is_file()]
    index = [p for p in pages if p.name == "index.md" and p.parent == base]
    rest = sorted((p for p in pages if p not in index), key=lambda p: (page_title(p).casefold(), p.name))
    return [p.relative_to(docs_dir).as_posix() for p in index + rest]


def expand(nav: list[object], docs_dir: Path) -> list[object]:
    """Replace every `Title: folder/` entry (at any depth) with the folder's pages; drop empty folders."""
    out: list[object] = []
    for item in nav:
        if isinstance(item, dict) and len(item) == 1:
            (title, value), = item.items()
            if isinstance(value, str) and value.endswith("/"):
                pages = folder_pages(docs_dir, value)
                if pages:
                    out.append({title: pages})
                continue
            if isinstance(value, list):
                out.append({title: expand(value, docs_dir)})
                continue
        out.append(item)
    return out
