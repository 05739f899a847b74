"""The home page as a way in: start from what a reader notices, go to the condition page, then to
its treatments with their evidence. Generated from the condition pages' front matter (``noticed:``,
``conditions:``) and the therapy pages' (``conditions:``, ``evidence:``): nothing is typed twice.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from hooks.render.page_view import PageView

MARKER = "<!-- kb:way-in -->"
GRADE_RANK = {"high": 0, "moderate": 1, "low": 2, "very-low": 3}
MAX_THERAPIES = 4


def _rel(src: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(src) or ".")


def way_in_markdown(views: Iterable[PageView], noticed: dict[str, list[str]], src: str) -> str:
    """noticed: condition page (path inside docs/) -> what a reader notices."""
    views = list(views)
    therapies = [v for v in views if v.page_type == "therapy"]
    rows = []
    for view in sorted((v for v in views if v.page_type == "condition" and noticed.get(v.rel)),
                       key=lambda v: v.title.casefold()):
        ids = {cid for cid, _ in view.conditions}
        matching = sorted((t for t in therapies if ids & {cid for cid, _ in t.conditions}),
                          key=lambda t: (GRADE_RANK.get(t.evidence, 9), t.title.casefold()))
        shown = ", ".join(f"[{t.title}]({_rel(src, t.rel)}) ({t.evidence_label.lower()} evidence)"
                          for t in matching[:MAX_THERAPIES])
        more = f", and {len(matching) - MAX_THERAPIES} more" if len(matching) > MAX_THERAPIES else ""
        signs = "; ".join(noticed[view.rel])
        treatments = f" Treatments: {shown}{more}." if shown else ""
        rows.append(f"- **{signs}**: see [{view.title}]({_rel(src, view.rel)}).{treatments}")
    return "\n".join(rows) if rows else "<!-- no condition page lists what readers notice yet -->"
