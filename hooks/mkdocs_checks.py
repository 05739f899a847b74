"""MkDocs hook: run the check engine on every build and serve, before anything renders.

A thin adapter: the engine reads the source files itself (MkDocs strips and may
silently drop front matter), and each diagnostic becomes a MkDocs log record that
names path:line:col. Errors fail the build; warnings fail `mkdocs build --strict`.
Report-only rules (overdue reviews, uncited references) are logged as info: a page
going stale is a reader-visible warning and a report entry, not a red build.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.plugins import get_plugin_logger

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hooks.build_state import build_date, set_report  # noqa: E402
from hooks.engine.project import Config, check_project, default_workers  # noqa: E402
from hooks.engine.rules import REPORT_ONLY  # noqa: E402

log = get_plugin_logger("kb-checks")
_state: dict[str, int] = {"errors": 0}
_command: dict[str, str] = {"name": "build"}


def on_startup(command: str, dirty: bool) -> None:
    _command["name"] = command


def on_pre_build(config) -> None:
    root = Path(config.config_file_path).resolve().parent
    # parallel for `build`; `serve` stays in one process (forking beside its server threads is unsafe)
    workers = default_workers() if _command["name"] == "build" else 1
    report = check_project(Config.load(root), build_date(), workers=workers, use_cache=True)
    set_report(report)
    _state["errors"] = 0
    for diag in sorted(report.all_diagnostics()):
        text = diag.format_text()
        if diag.is_error:
            _state["errors"] += 1
            log.error(text)
        elif diag.rule_id in REPORT_ONLY:
            log.info(text)
        else:
            log.warning(text)


def on_post_build(config) -> None:
    if _state["errors"] and _command["name"] == "build":
        raise Abort(f"Aborted: the content check found {_state['errors']} error(s).")
