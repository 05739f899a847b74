"""Supply chain: a hash-pinned lock, and workflows pinned by commit with least privilege."""

from __future__ import annotations

import re

import yaml

from tests.conftest import REPO


def test_every_locked_requirement_is_pinned_with_hashes():
    text = (REPO / "requirements.lock").read_text(encoding="utf-8")
    requirements = re.findall(r"^([A-Za-z0-9_.-]+)==([^\s\\]+) \\$", text, re.M)
    assert len(requirements) > 20
    blocks = re.split(r"^(?=[A-Za-z0-9_.-]+==)", text, flags=re.M)[1:]
    assert all("--hash=sha256:" in block for block in blocks)
    assert "--extra-index-url" not in text and "--find-links" not in text


def test_workflows_pin_actions_by_commit_and_declare_permissions():
    for workflow in sorted((REPO / ".github" / "workflows").glob("*.yml")):
        text = workflow.read_text(encoding="utf-8")
        for action in re.findall(r"uses:\s*([^\s#]+)", text):
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), f"{workflow.name}: {action}"
        data = yaml.safe_load(text)
        assert "permissions" in data, f"{workflow.name} has no top-level permissions"
        assert data["permissions"].get("contents") in ("read", None), workflow.name
