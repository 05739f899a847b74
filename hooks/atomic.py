"""Writing files without ever leaving a half-written or lost file behind.

Every command that writes goes through here: the text goes to a temporary file in
the same folder, is flushed to disk, and only then replaces (or, for a new file,
is linked to) the target. On any failure the temporary file is removed and the
original is untouched.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class AlreadyExists(FileExistsError):
    """The target exists and the command must not overwrite it."""


def write_bytes(path: Path, data: bytes) -> None:
    """Write bytes to path atomically (temporary file in the same folder, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str, *, create_only: bool = False) -> None:
    """Write text to path atomically. With create_only, refuse (AlreadyExists) if path exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if create_only and path.exists():
        raise AlreadyExists(f"{path} already exists")
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if create_only:
            try:
                os.link(tmp, path)  # fails if path appeared meanwhile: never overwrites
            except FileExistsError as exc:
                raise AlreadyExists(f"{path} already exists") from exc
            tmp.unlink()
        else:
            os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_generated(path: Path, text: str, marker: str) -> None:
    """Write a generated file, replacing only an earlier output of the same command.

    The output must contain marker near its start; an existing file without it was not
    made by this command and is never overwritten.
    """
    if path.exists():
        try:
            head = path.read_text(encoding="utf-8", errors="replace")[:400]
        except OSError as exc:
            raise AlreadyExists(f"{path} cannot be read, so it is not replaced: {exc}") from exc
        if marker not in head:
            raise AlreadyExists(f"{path} exists and was not written by this command; refusing to overwrite it")
    write_text(path, text)
