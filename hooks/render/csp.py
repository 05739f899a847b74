"""Content-Security-Policy for each built page: only the site's own scripts and styles.

Material for MkDocs puts a few small inline scripts in every page (its scope, palette and
consent helpers); their text differs with the page's depth, so the policy is computed per
page from the page itself: each executable inline script is allowed by its SHA-256 hash,
nothing else inline runs. Data blocks (JSON config, JSON-LD) are not executed and need no
hash. The policy goes in a <meta http-equiv> tag so it travels with the static files.
"""

from __future__ import annotations

import base64
import hashlib
import re

INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.S | re.I)
DATA_TYPES = ("application/json", "application/ld+json")
BASE_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}


def _executable(attrs: str) -> bool:
    if re.search(r"\ssrc\s*=", attrs, re.I):
        return False
    kind = re.search(r"\stype\s*=\s*[\"']?([^\"'\s>]+)", attrs, re.I)
    return not (kind and kind.group(1).lower() in DATA_TYPES)


def script_hashes(html: str) -> list[str]:
    hashes = []
    for match in INLINE_SCRIPT.finditer(html):
        if _executable(match.group("attrs") or ""):
            digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
            token = f"'sha256-{base64.b64encode(digest).decode()}'"
            if token not in hashes:
                hashes.append(token)
    return hashes


def policy(html: str) -> str:
    directives = {name: list(values) for name, values in BASE_POLICY.items()}
    directives["script-src"] += script_hashes(html)
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def add_meta(html: str) -> str:
    """Insert the policy as the first element after <meta charset>, before any script."""
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
    charset = re.search(r"<meta charset=[^>]*>", html, re.I)
    if charset:
        return html[: charset.end()] + "\n" + tag + html[charset.end():]
    return html.replace("<head>", "<head>\n" + tag, 1)
