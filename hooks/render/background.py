"""Files that take long to make, made in a forked process while the build goes on.

The generated files (the claim register, the review-due report, the bibliography page, What's
new, the feed) are made from the check's report, which is complete before the pages are
rendered, and nothing else in the build depends on them until they are read: the generated
pages come last, the other files are copied after every page has been read. A child process
(forked: it starts with the report in its memory, nothing is sent) writes them into a
temporary folder while the parent renders pages on the other core, and the parent waits for
it only when it first needs one of them. Its memory is its own, so making the claim register
(tens of megabytes of JSON for thousands of pages) no longer adds to the build's peak.

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
from collections.abc import Callable, Iterator
from pathlib import Path

# a maker returns the file's text or bytes, or its text in pieces (a large JSON file written as it is
# encoded, never held whole in memory)
Content = str | bytes | Iterator[str]
Makers = dict[str, Callable[[], Content]]


def whole(content: Content) -> str | bytes:
    """The content in one piece (for a file made in memory, as `mkdocs serve` does)."""
    return content if isinstance(content, (str, bytes)) else "".join(content)


def _file_name(index: int, uri: str) -> str:
    return f"{index:02d}-{Path(uri).name}"


def _write_all(folder: Path, makers: Makers) -> None:
    for index, (uri, make) in enumerate(makers.items()):
        content = make()
        with (folder / _file_name(index, uri)).open("wb") as out:
            if isinstance(content, (str, bytes)):
                out.write(content.encode("utf-8") if isinstance(content, str) else content)
            else:
                for piece in content:
                    out.write(piece.encode("utf-8"))


def _child(folder: str, makers: Makers) -> None:
    try:
        _write_all(Path(folder), makers)
    except BaseException:
        traceback.print_exc(file=sys.stderr)
        sys.stderr.flush()
        raise SystemExit(1) from None


class BackgroundFiles:
    def __init__(self) -> None:
        self.folder: Path | None = None
        self.process = None
        atexit.register(self.discard)  # a build that stops on an error leaves nothing behind

    def start(self, makers: Makers, *, fork: bool) -> dict[str, Path]:
        """Start making every file; returns where each will be (read none before `wait`)."""
        self.discard()
        self.folder = Path(tempfile.mkdtemp(prefix="kb-generated-"))
        paths = {uri: self.folder / _file_name(index, uri) for index, uri in enumerate(makers)}
        if fork and "fork" in multiprocessing.get_all_start_methods():
            try:
                process = multiprocessing.get_context("fork").Process(target=_child, args=(str(self.folder), makers),
                                                                      daemon=True)
                process.start()
                self.process = process
                return paths
            except OSError:  # no processes here (sandbox, limits): make them in this process
                self.process = None
        _write_all(self.folder, makers)
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
