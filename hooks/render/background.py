"""Files that take long to make, made in a forked process while the build goes on.

The generated files (the claim register, the review-due report, the bibliography page, What's
new, the feed) are made from the check's report once every page is checked. The quick ones
(the generated pages, the feed, the search terms) are written at once, in the build's own
process: MkDocs reads them soon after. The claim register (tens of megabytes of JSON at
thousands of pages) is written by a child process (forked: it starts with the report in its
memory, nothing is sent) straight to where it belongs in the built site, while the parent
renders the last pages; the parent waits for it when the build ends. Its memory is its own,
so the register never adds to the build's peak.

Where forking is not available, or not wanted (`mkdocs serve` runs a server thread, and a
fork beside threads is unsafe), the same files are made in the process itself, in order.
"""

from __future__ import annotations

import atexit
import multiprocessing
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from hooks import garbage_collection

# a maker returns the file's text or bytes, or its text in pieces (a large JSON file written as it is
# encoded, never held whole in memory)
Content = str | bytes | Iterator[str]
Makers = dict[str, Callable[[], Content]]


def whole(content: Content) -> str | bytes:
    """The content in one piece (for a file made in memory, as `mkdocs serve` does)."""
    return content if isinstance(content, (str, bytes)) else "".join(content)


def _file_name(index: int, uri: str) -> str:
    return f"{index:02d}-{Path(uri).name}"


def _write_all(paths: dict[str, Path], makers: Makers) -> None:
    for uri, make in makers.items():
        content = make()
        with paths[uri].open("wb") as out:
            if isinstance(content, (str, bytes)):
                out.write(content.encode("utf-8") if isinstance(content, str) else content)
            else:
                for piece in content:
                    out.write(piece.encode("utf-8"))


def _child(paths: dict[str, Path], makers: Makers) -> None:
    try:
        _write_all(paths, makers)
    except BaseException:
        traceback.print_exc(file=sys.stderr)
        sys.stderr.flush()
        raise SystemExit(1) from None


class BackgroundFiles:
    def __init__(self) -> None:
        self.folder: Path | None = None
        self.paths: dict[str, Path] = {}
        self.process = None
        atexit.register(self.discard)  # a build that stops on an error leaves nothing behind

    def plan(self, uris: Iterable[str], elsewhere: dict[str, Path] | None = None) -> dict[str, Path]:
        """Where each file will be, before anything is made (the build lists them before the report
        they are made from is finished): a temporary folder, or the path ``elsewhere`` gives (a file
        written straight into the built site). `start` then makes them."""
        self.discard()
        self.folder = Path(tempfile.mkdtemp(prefix="kb-generated-"))
        elsewhere = elsewhere or {}
        self.paths = {uri: elsewhere.get(uri) or self.folder / _file_name(index, uri) for index, uri in enumerate(uris)}
        return dict(self.paths)

    def start(self, makers: Makers, *, fork: bool, here: Iterable[str] = ()) -> dict[str, Path]:
        """Make every file: those named in ``here`` now, in this process (they are quick, and needed
        soon), the rest in a forked child; returns where each will be (read none of the rest before
        `wait`). Files not planned are planned now."""
        if self.folder is None or self.process is not None or not set(makers) <= set(self.paths):
            self.plan(makers)
        paths = {uri: self.paths[uri] for uri in makers}
        here = set(here)
        now = {uri: make for uri, make in makers.items() if uri in here}
        later = {uri: make for uri, make in makers.items() if uri not in now}
        _write_all(paths, now)
        if later and fork and "fork" in multiprocessing.get_all_start_methods():
            try:
                process = multiprocessing.get_context("fork").Process(target=_child, args=(paths, later), daemon=True)
                with garbage_collection.frozen_for_fork():
                    process.start()
                self.process = process
                return paths
            except OSError:  # no processes here (sandbox, limits): make them in this process
                self.process = None
        _write_all(paths, later)
        return paths

    def wait(self) -> None:
        """Block until every file is written; raises RuntimeError if making them failed."""
        process, self.process = self.process, None
        if process is None:
            return
        process.join()
        if process.exitcode != 0:
            raise RuntimeError(f"making the generated files failed (exit code {process.exitcode}; "
                               "the error is above)")

    def discard(self) -> None:
        """Stop waiting for the files and remove them (the build is over, or starts again)."""
        process, self.process = self.process, None
        if process is not None and process.is_alive():
            process.terminate()
            process.join()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
        self.paths = {}
