"""The benchmark's second baseline: bare Material plus only the project's bounded sidebar, so the cost
of everything else the project adds can be read against a baseline with the same navigation."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hooks.config import Config  # noqa: E402
from hooks.render.sidebar import BoundedSidebar  # noqa: E402

_sidebar = BoundedSidebar(Config.load(ROOT).nav_window)


def on_nav(nav, config, files):
    _sidebar.plan(nav)
    return nav


def on_page_context(context, page, config, nav):
    if _sidebar.plans:
        context["nav"] = _sidebar.bounded(nav, page)
    return context
