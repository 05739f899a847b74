"""Real-page replicas for the benchmark: the project's own site, grown to N pages with copies of
its clinical pages (the Markdown under docs/therapies, docs/conditions and docs/claims as it is,
front matter included), beside the same references.bib and data/sources.

Copy k of `finasteride.md` is `finasteride-r{k}.md`, with " (replica k)" after its title and
" rk" after each alias, so titles and aliases stay unique; everything else, citations, tables,
outcomes, regulatory data, change logs, links to other pages, is the page itself. The copies
go round the clinical pages in order until the site has N Markdown pages (the real ones
included), so every kind of page grows in proportion. The whole replicated site passes
`make check` (0 errors): the benchmark builds it strictly, as CI does.

The plain baseline is the same docs/ built by Material alone: search only, no hooks, no
mkdocs-bibtex (citations stay as literal text), no custom_dir, and no `nav:`, so MkDocs
makes its own navigation of every page.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from bench.synthetic import bare_config

REPO = Path(__file__).resolve().parent.parent
CLINICAL = ("therapies", "conditions", "claims")
FRONT = re.compile(r"\A---\n(.*?\n)---\n", re.S)


def clinical_pages(repo: Path = REPO) -> list[Path]:
    """The pages that are copied: every clinical page but the folders' landing pages."""
    return [p for d in CLINICAL for p in sorted((repo / "docs" / d).glob("*.md")) if p.name != "index.md"]


def replica(text: str, k: int) -> str:
    """Copy k of a page: a unique title and unique aliases; the rest as it is, byte for byte."""
    match = FRONT.match(text)
    if not match:
        return text
    head = match.group(1)
    title = yaml.safe_load(head).get("title")
    if title:
        head = re.sub(r"(?m)^title: .*$", lambda _m: "title: " + _yaml_str(f"{title} (replica {k})"), head, count=1)
    head = _renamed_aliases(head, k)
    return "---\n" + head + "---\n" + text[match.end():]


def _yaml_str(value: str) -> str:
    return yaml.safe_dump(value, default_style='"', width=10_000).strip()


def _renamed_aliases(head: str, k: int) -> str:
    lines = head.split("\n")
    out, inside = [], False
    for line in lines:
        if line.startswith("aliases:"):
            inline = line[len("aliases:"):].strip()
            if inline.startswith("["):
                names = yaml.safe_load(inline) or []
                out.append("aliases: [" + ", ".join(_yaml_str(f"{n} r{k}") for n in names) + "]")
                continue
            inside = True
            out.append(line)
            continue
        if inside and line.startswith("  - "):
            name = yaml.safe_load(line[4:])
            out.append("  - " + _yaml_str(f"{name} r{k}"))
            continue
        inside = False
        out.append(line)
    return "\n".join(out)


def _copy_project(dest: Path, repo: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__")
    for name in ("hooks", "schema", "data", "overrides", "bench", "docs"):
        shutil.copytree(repo / name, dest / name, ignore=ignore)
    for name in ("pyproject.toml", "references.bib", "mkdocs.yml"):
        shutil.copy(repo / name, dest / name)


def make_site(dest: Path, pages: int, *, plain: bool, repo: Path = REPO) -> Path:
    """A copy of the project whose docs/ holds `pages` Markdown pages (at least the real ones)."""
    _copy_project(dest, repo)
    docs = dest / "docs"
    have = sum(1 for _ in docs.rglob("*.md"))
    sources = clinical_pages(repo)
    originals = {p: p.read_text(encoding="utf-8") for p in sources}
    k, made = 1, 0
    while have + made < pages:
        for page in sources:
            if have + made >= pages:
                break
            target = docs / page.parent.name / f"{page.stem}-r{k}.md"
            target.write_text(replica(originals[page], k), encoding="utf-8")
            made += 1
        k += 1
    if plain:
        config = (dest / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:", 1)[0]
        (dest / "mkdocs.yml").write_text(plain_config(config), encoding="utf-8")
        shutil.rmtree(dest / "overrides")
    return dest


def plain_config(config: str) -> str:
    """mkdocs.yml as plain Material would have it: search only (no mkdocs-bibtex, no hooks, no
    project script or custom_dir), MkDocs' own navigation of every page, and not strict (links to
    the pages the hooks generate, such as the glossary, are missing there)."""
    return re.sub(r"^strict:.*$", "strict: false", bare_config(config), flags=re.M)
