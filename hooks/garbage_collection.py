"""Python's garbage collector during a site build and around the check's worker processes.

A build keeps what it makes until it ends (each page's check result, search entries, reference lists,
the pages waiting to be written). CPython makes a full collection each time the objects kept have grown
by a quarter and the middle generation has been collected ten times, and each full collection scans
every object again: at 500 pages, eight or nine of them took 0.6-0.8 of the build process's 10-11.5
processor seconds and found fewer than 5,000 objects of garbage each. During a build a full collection waits for
:data:`MIDDLE_COLLECTIONS_PER_FULL` collections of the middle generation instead; the young
generations, where a page's own garbage goes, are collected as before. The settings are restored when
the build ends (``mkdocs serve`` goes on with Python's own).

Forked worker processes start with the objects that exist when they are forked (bibliography, source
records): frozen (:func:`gc.freeze`) for the fork, a worker's collections never scan them, and never
write to the memory they share with the build's process (which would copy it). The build's process
unfreezes them at once.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

MIDDLE_COLLECTIONS_PER_FULL = 100  # CPython's default: 10


def fewer_full_collections() -> tuple[int, int, int]:
    """Full collections made rarer; returns the settings to give to :func:`restore`."""
    previous = gc.get_threshold()
    gc.set_threshold(previous[0], previous[1], max(previous[2], MIDDLE_COLLECTIONS_PER_FULL))
    return previous


def restore(previous: tuple[int, int, int]) -> None:
    gc.set_threshold(*previous)


@contextlib.contextmanager
def frozen_for_fork() -> Iterator[None]:
    """Every object that exists now, frozen while processes are forked inside the block."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
