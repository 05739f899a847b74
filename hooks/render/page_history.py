"""When each page last changed, read from git once per build (no git: no dates, no error).

Dates come from commits, not the clock, so building the same commit twice gives the
same output.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path


def last_changed(root: Path, folder: str = "docs") -> dict[str, dt.date]:
    """Map of repository-relative path -> date of the last commit that touched it."""
    git = shutil.which("git")
    if git is None:
        return {}
    try:
        result = subprocess.run(
            [git, "-C", str(root), "log", "--format=%x00%cs", "--name-only", "--no-renames", "--", folder],
            capture_output=True, text=True, timeout=60, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if result.returncode != 0:
        return {}
    dates: dict[str, dt.date] = {}
    current: dt.date | None = None
    for line in result.stdout.splitlines():
        if line.startswith("\x00"):
            try:
                current = dt.date.fromisoformat(line[1:].strip())
            except ValueError:
                current = None
        elif line.strip() and current is not None:
            dates.setdefault(line.strip(), current)  # newest first: keep the first date seen
    return dates


def last_commit_epoch(root: Path) -> int | None:
    """Seconds since the epoch of the repository's last commit, or None without git."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        result = subprocess.run([git, "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True,
                                text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    value = result.stdout.strip()
    return int(value) if result.returncode == 0 and value.isdigit() else None
