"""`make bench` keeps working: a tiny run reports every measurement (numbers are not asserted;
the benchmark is a command to read, not a timed test)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.build

ROWS = ("bare build", "bare build, bounded navigation", "full build, cold cache", "full build, warm cache",
        "rebuild after editing one page", "check, cold", "check, warm")


def test_the_benchmark_reports_every_measurement_against_both_baselines():
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "bench.run", "--sizes", "3", "--runs", "1", "--entries", "40"],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    for row in ROWS:
        line = rf"^\| 3 \| {re.escape(row)} \| [\d.]+ \| \d+ \| [\d.]+x \| [\d.]+x \|$"  # time, memory, 2 ratios
        assert re.search(line, result.stdout, re.M), row
    assert re.search(r"^- html, gzip: \d+$", result.stdout, re.M)
    assert re.search(r"^- search index, gzip: \d+$", result.stdout, re.M)
