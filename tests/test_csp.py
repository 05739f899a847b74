"""The Content-Security-Policy computed for each built page."""

from __future__ import annotations

import base64
import hashlib

from hooks.render import csp

PAGE = ('<html><head><meta charset="utf-8"><script>var a=1</script>'
        '<script id="__config" type="application/json">{"x": 1}</script>'
        '<script type="application/ld+json">{"@type": "MedicalWebPage"}</script>'
        '<script src="x.js"></script></head><body><script>var a=1</script></body></html>')


def test_inline_scripts_are_allowed_by_hash_and_data_blocks_need_none():
    expected = "'sha256-" + base64.b64encode(hashlib.sha256(b"var a=1").digest()).decode() + "'"
    assert csp.script_hashes(PAGE) == [expected]
    policy = csp.policy(PAGE)
    assert f"script-src 'self' {expected};" in policy
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "object-src 'none'" in policy and "default-src 'self'" in policy


def test_policy_meta_comes_before_any_script():
    html = csp.add_meta(PAGE)
    assert html.index('http-equiv="Content-Security-Policy"') < html.index("<script")
