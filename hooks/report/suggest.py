"""'Did you mean …?' for names an editor types: fields, citation keys, #anchors, rule ids, values."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def close_matches(word: str, candidates: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The candidates closest to word (case-insensitive), best first."""
    pool = {str(c).lower(): str(c) for c in candidates if str(c)}
    found = difflib.get_close_matches(word.lower(), list(pool), n=n, cutoff=cutoff)
    if not found:  # a prefix or a part: 'olsen2002' for 'olsen2002randomized'
        lowered = word.lower()
        found = [c for c in sorted(pool) if len(lowered) >= 4 and (c.startswith(lowered) or lowered in c)][:n]
    return [pool[f] for f in found]


def did_you_mean(word: str, candidates: Iterable[str], n: int = 3, prefix: str = "") -> str:
    """": did you mean 'x'?" (or "'x' or 'y'"), or '' when nothing is close. prefix goes before
    each name inside the quotes ('#' for anchors)."""
    found = close_matches(word, candidates, n)
    if not found:
        return ""
    names = [f"'{prefix}{f}'" for f in found]
    return ": did you mean " + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]) + "?"
