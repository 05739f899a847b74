"""A cache of per-page check results, so that an unchanged page is not analysed twice (the
parsed bibliography is kept the same way, see bibliography.load).

The key of a page is a hash of everything its result depends on: the engine's own source,
the page's bytes, the project settings, schema and reviewer registry, the bibliography
and today's date. Any change to one of them is a different key, so a stale result can
never be returned. Entries live in .cache/check/ (git-ignored) and entries not used by
the latest run are removed, so the cache never grows beyond the current pages.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from pathlib import Path

from hooks.atomic import write_bytes

ENGINE_DIR = Path(__file__).resolve().parent  # hooks/: every module below it, in every folder
_ENGINE_DIGEST: list[bytes] = []


def engine_digest() -> bytes:
    """A hash of every Python module under hooks/ (recursively, with its path), so moving or
    changing any rule, parser or renderer can never leave a stale cached result."""
    if not _ENGINE_DIGEST:
        digest = hashlib.sha256()
        for source in sorted(ENGINE_DIR.rglob("*.py")):
            digest.update(source.relative_to(ENGINE_DIR).as_posix().encode() + b"\x00" + source.read_bytes())
        _ENGINE_DIGEST.append(digest.digest())
    return _ENGINE_DIGEST[0]


def context_digest(*parts: bytes | str) -> bytes:
    digest = hashlib.sha256(engine_digest())
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\x00")
    return digest.digest()


class PageCache:
    def __init__(self, folder: Path | None, context: bytes) -> None:
        self.folder = folder
        self.context = context
        self.used: set[str] = set()

    def key(self, data: bytes, rel: str) -> str:
        return hashlib.sha256(self.context + rel.encode() + b"\x00" + data).hexdigest()

    def get(self, key: str):
        self.used.add(key)
        if self.folder is None:
            return None
        try:
            return pickle.loads((self.folder / f"{key}.pickle").read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None

    def put(self, key: str, value: object) -> None:
        self.used.add(key)
        if self.folder is None:
            return
        with contextlib.suppress(OSError):  # a read-only checkout simply has no cache
            write_bytes(self.folder / f"{key}.pickle", pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def prune(self) -> None:
        if self.folder is None or not self.folder.is_dir():
            return
        for entry in self.folder.glob("*.pickle"):
            if entry.stem not in self.used:
                entry.unlink(missing_ok=True)
