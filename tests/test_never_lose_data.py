"""Every command that writes: temporary file then rename, original untouched on failure, and never
overwriting a file it did not create."""

from __future__ import annotations

import json

import pytest

from hooks import atomic, cli


def run(project, capsys, *args):
    code = cli.main(["--root", str(project.root), "--today", "2026-11-22", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("command", [["claims"], ["review-report"], ["review-report", "--format", "json"]])
def test_exports_refuse_to_overwrite_a_file_they_did_not_create(project, capsys, command):
    target = project.root / "notes.txt"
    target.write_text("an editor's own notes\n")
    code, _, err = run(project, capsys, *command, "--output", str(target))
    assert code == 1 and "refusing to overwrite" in err
    assert target.read_text() == "an editor's own notes\n"


@pytest.mark.parametrize("command", [["claims"], ["review-report"], ["review-report", "--format", "json"]])
def test_exports_replace_their_own_earlier_output(project, capsys, command):
    target = project.root / "out" / "export"
    assert run(project, capsys, *command, "--output", str(target))[0] == 0
    first = target.read_text()
    assert run(project, capsys, *command, "--output", str(target))[0] == 0
    assert target.read_text() == first


def test_claim_export_interrupted_mid_write_keeps_the_previous_file(project, capsys, monkeypatch):
    target = project.root / "claims.json"
    assert run(project, capsys, "claims", "--output", str(target))[0] == 0
    before = target.read_text()
    project.page("extra", "# E\n\nAnother claim [@olsen2002randomized].\n")

    def interrupted(handle_self, *args, **kwargs):
        raise KeyboardInterrupt  # the process is stopped while writing

    monkeypatch.setattr(atomic.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run(project, capsys, "claims", "--output", str(target))
    assert target.read_text() == before
    assert json.loads(before)["generated_by"] == "hooks.cli claims"
    assert sorted(p.name for p in project.root.iterdir() if p.name.startswith(".claims")) == []


def test_fmt_bib_interrupted_mid_write_keeps_the_bibliography(project, capsys, monkeypatch):
    bib = project.root / "references.bib"
    bib.write_text(bib.read_text() + "\n@misc{zz2020last, title = {Z}, author = {{Org}}, publisher = {Org},"
                   " year = {2020}, url = {https://example.org}, evidence = {regulatory}}\n")
    before = bib.read_text()
    monkeypatch.setattr(atomic.os, "replace", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError):
        run(project, capsys, "fmt-bib")
    assert bib.read_text() == before
    assert [p.name for p in project.root.iterdir() if p.name.endswith(".tmp")] == []


def test_new_page_interrupted_leaves_no_page(project, capsys, monkeypatch):
    monkeypatch.setattr(atomic.os, "link", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError):
        run(project, capsys, "new-page", "--name", "Half written", "--type", "therapy")
    folder = project.root / "docs" / "therapies"
    assert not (folder / "half-written.md").exists()
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []
