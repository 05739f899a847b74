"""Synthetic sites for the benchmark: N therapy pages of about 600 words and 8 citations each,
drawn from a bibliography of M valid entries. Deterministic (seeded), so runs are comparable."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
WORDS = (
    "hair", "follicle", "minoxidil", "scalp", "density", "trial", "placebo", "patients", "women", "men", "treatment",
    "months", "weeks", "growth", "loss", "shedding", "dose", "safety", "evidence", "review", "study", "response",
    "outcome", "baseline", "count", "terminal", "vellus", "regrowth", "effect",
)
FRONT_MATTER = {
    "description": "A synthetic therapy page written by the benchmark generator.",
    "type": "therapy", "conditions": ["androgenetic-alopecia"], "evidence": "low",
    "evidence_note": "Synthetic page for the benchmark; not a real grade.",
    "regulatory": {j: {"status": "not-approved", "indication": "Synthetic."} for j in ("us-fda", "eu-ema")},
    "review": {"last_reviewed": "2026-06-01", "status": "draft", "reviewed_by": [],
               "evidence_current_to": "2026-06-01"},
}
ENTRY = """@article{{author{i}2020study,
  author = {{Author{i}, Alex and Writer, Sam and others}},
  title = {{A synthetic study number {i} of hair growth}},
  journal = {{J Synth Dermatol}},
  year = {{2020}},
  volume = {{{v}}},
  pages = {{{p}--{q}}},
  doi = {{10.5555/synth.{i}}},
  pmid = {{{pmid}}},
  evidence = {{rct}},
}}
"""


def bibliography(entries: int) -> str:
    return "\n".join(ENTRY.format(i=i, v=1 + i % 40, p=100 + i % 50, q=110 + i % 50, pmid=90_000_000 + i)
                     for i in range(entries))


def page(n: int, entries: int, rnd: random.Random) -> str:
    meta = {"title": f"Therapy {n:04d}", "aliases": [f"T{n}"], **FRONT_MATTER}
    lines = ["---", yaml.safe_dump(meta, sort_keys=False).strip(), "---", f"# Therapy {n:04d}", "", "## Key points", ""]
    keys = [f"author{rnd.randrange(entries)}2020study" for _ in range(8)]
    lines += [f"- You use it on the scalp each day [@{keys[0]}].", f"- It can help some people [@{keys[1]}].", ""]
    for section, key in zip(("How well it works", "Safety", "What we don't know", "For clinicians"),
                            keys[2:], strict=False):
        lines += [f"## {section}", ""]
        for _ in range(5):
            words = " ".join(rnd.choice(WORDS) for _ in range(27))
            lines.append(f"{words.capitalize()} [@{key}].")
        lines.append("")
    lines += ["## Questions people ask", "", f"Does it work? Sometimes, in trials [@{keys[6]}; @{keys[7]}].", ""]
    return "\n".join(lines)


def make_site(dest: Path, pages: int, entries: int, *, bare: bool, bounded_nav: bool = False) -> Path:
    """A project copy with synthetic content. bare=True: Material and search only, no citations plugin,
    no hooks (the citations stay as literal text): the baseline. bounded_nav=True adds to that bare site
    only the project's navigation hook (a window of each large section in every sidebar), so the cost
    of everything else the project adds can be read against a baseline with the same navigation."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in ("hooks", "schema", "data", "overrides", "bench"):
        shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "sources"))
    shutil.copy(REPO / "pyproject.toml", dest)
    docs = dest / "docs"
    (docs / "therapies").mkdir(parents=True)
    shutil.copytree(REPO / "docs" / "stylesheets", docs / "stylesheets")
    shutil.copytree(REPO / "docs" / "javascripts", docs / "javascripts")
    (docs / "index.md").write_text("# Synthetic\n\nA benchmark site.\n", encoding="utf-8")
    # the folder's landing page, as on the real site: a table of every therapy (an HTML comment
    # in the bare build, which has no hooks to fill it)
    (docs / "therapies" / "index.md").write_text(
        "---\ntitle: Therapies\n---\n\n# Therapies\n\n<!-- kb:therapy-comparison -->\n", encoding="utf-8")
    rnd = random.Random(pages * 7919 + entries)
    for n in range(pages):
        (docs / "therapies" / f"therapy-{n:04d}.md").write_text(page(n, entries, rnd), encoding="utf-8")
    (dest / "references.bib").write_text(bibliography(entries), encoding="utf-8")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:", 1)[0]
    if bare:
        config = bare_config(config)  # MkDocs builds the same navigation from the folders
        if bounded_nav:
            config += "hooks:\n  - bench/nav_only_hook.py\n"
    else:
        config += "\nnav:\n  - Home: index.md\n  - Therapies: therapies/\n"
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    return dest


def bare_config(config: str) -> str:
    """mkdocs.yml with Material and search only: no mkdocs-bibtex, no hooks, no project script,
    no custom_dir."""
    out, skip = [], False
    for line in config.split("\n"):
        if line.startswith(("plugins:", "hooks:", "extra_javascript:", "extra:")):
            skip = True
            if line.startswith("plugins:"):
                out += ["plugins:", "  - search"]
            continue
        if skip and (line.startswith(" ") or line.startswith("-") or not line.strip()):
            continue
        skip = False
        out.append(line)
    return "\n".join(out).replace("  custom_dir: overrides\n", "") + "\n"
