"""The registry of clinical reviewers (data/reviewers.yml): real, named people with credentials.

Read by the check (which ids may sign off a page) and by the review box (names and credentials).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Reviewer:
    id: str
    name: str
    credentials: str
    affiliation: str
    conflicts: str


def load(path: Path) -> dict[str, Reviewer]:
    """Reviewers by id; a missing or unreadable registry is an empty one."""
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError:
        return {}
    out = {}
    for item in data.get("reviewers", []) or [] if isinstance(data, dict) else []:
        if isinstance(item, dict) and item.get("id"):
            out[str(item["id"])] = Reviewer(str(item["id"]), str(item.get("name", "")),
                                            str(item.get("credentials", "")), str(item.get("affiliation", "")),
                                            str(item.get("conflicts", "")))
    return out
