"""Rules raised while parsing: a file that cannot be read, front matter or BibTeX whose syntax
is broken. The parsers in hooks/parse raise them where they meet the problem; nothing runs after."""

from __future__ import annotations

from hooks.rules.registry import Severity, define

FILE_ENCODING = define(
    'FILE-ENCODING',
    Severity.ERROR,
    'The file is not valid UTF-8.',
    "Save the file as UTF-8 (most editors: 'Save with encoding').",
    'a byte such as 0xff in the middle of a page',
    module=__name__,
)
FILE_TOO_LONG_LINE = define(
    'FILE-TOO-LONG-LINE',
    Severity.ERROR,
    'A line is longer than the engine accepts.',
    'Break the line; Markdown joins lines of one paragraph anyway.',
    'a pasted 2 MB line',
    module=__name__,
)
FM_UNCLOSED = define(
    'FM-UNCLOSED',
    Severity.ERROR,
    "The front matter has no closing '---' line.",
    "Add a line with exactly '---' after the last front-matter field.",
    module=__name__,
)
FM_YAML = define(
    'FM-YAML',
    Severity.ERROR,
    'The front matter is not valid YAML.',
    "Check indentation and quoting at the line shown; values with ':' need quotes.",
    'title: Minoxidil: the facts',
    module=__name__,
)
BIB_PARSE = define(
    'BIB-PARSE',
    Severity.ERROR,
    'references.bib has a syntax error.',
    "Fix what the message says at the line shown: every '{' needs its '}', fields are separated by ',', "
    "and an entry ends with a '}' on its own line. Entries that depend on the error are not checked further "
    "until it is fixed.",
    "title = {{Exosome products},   (one '{' too many)",
    module=__name__,
)
BIB_FILE_MISSING = define(
    'BIB-FILE-MISSING',
    Severity.ERROR,
    'The bibliography (references.bib) does not exist or cannot be read.',
    'Every citation is looked up there, so nothing else is checked until it is back: restore it '
    "(git checkout -- references.bib), or point [tool.kb] bibliography in pyproject.toml at it.",
    'references.bib deleted or renamed',
    module=__name__,
)
BIB_MERGE_CONFLICT = define(
    'BIB-MERGE-CONFLICT',
    Severity.ERROR,
    'references.bib still holds merge-conflict markers (<<<<<<<, =======, >>>>>>>).',
    'Two versions of the same lines were merged: keep the version you want, delete the other and the '
    'three marker lines. Until then the check reads the first version.',
    '<<<<<<< HEAD ... ======= ... >>>>>>> branch',
    module=__name__,
)
BIB_DUPLICATE_KEY = define(
    'BIB-DUPLICATE-KEY',
    Severity.ERROR,
    'Two entries share one key.',
    'Give each entry its own key, or delete the duplicate.',
    module=__name__,
)
