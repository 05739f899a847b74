"""Reference text in AMA style (11th edition), as Markdown with DOI and PubMed links.

Each entry is formatted once per build from the engine's parsed bibliography. The
output never contains BibTeX or pandoc markup: braces are removed, LaTeX accents
decoded, "and others" becomes "et al", and page ranges use an en dash.
"""

from __future__ import annotations

import contextlib
import functools
import html
import re

from pylatexenc.latex2text import LatexNodes2Text

from hooks.parse.bibliography import EVIDENCE_LABELS, Entry

_LATEX = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=False)
SUFFIX_RE = re.compile(r"^(?:Jr|Sr|II|III|IV)\.?$")
MAX_AUTHORS = 6  # AMA: list all up to six; more than six: first three, then et al


@functools.lru_cache(maxsize=8192)  # the same titles on every page that cites them (structured data, lists)
def plain(value: str) -> str:
    """BibTeX field value to plain text."""
    if "\\" in value:
        with contextlib.suppress(Exception):  # malformed LaTeX stays as written, minus braces
            value = _LATEX.latex_to_text(value)
    value = value.replace("{", "").replace("}", "")
    value = value.replace("---", "\u2014").replace("--", "\u2013")
    return " ".join(value.split())


def split_authors(value: str) -> list[str]:
    """Split a BibTeX name list on 'and' outside braces."""
    names, depth, current = [], 0, []
    tokens = re.split(r"(\s+and\s+|[{}])", value)
    for token in tokens:
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        if depth == 0 and re.fullmatch(r"\s+and\s+", token or ""):
            names.append("".join(current).strip())
            current = []
        else:
            current.append(token)
    if "".join(current).strip():
        names.append("".join(current).strip())
    return names


def ama_name(name: str) -> str:
    stripped = name.strip()
    if stripped.startswith("{") and stripped.endswith("}"):
        return plain(stripped)  # an organisation, written as it is
    suffix = ""
    pieces = [p.strip() for p in stripped.split(",")]
    if len(pieces) == 3:  # "Family, Jr., Given" (BibTeX) or "Family, Given, Jr." (as often typed)
        if SUFFIX_RE.match(pieces[1]):
            stripped, suffix = f"{pieces[0]}, {pieces[2]}", pieces[1]
        elif SUFFIX_RE.match(pieces[2]):
            stripped, suffix = f"{pieces[0]}, {pieces[1]}", pieces[2]
    if "," in stripped:
        family, _, given = stripped.partition(",")
    else:
        parts = stripped.split()
        family, given = (parts[-1], " ".join(parts[:-1])) if len(parts) > 1 else (stripped, "")
    # initials of the given names; a lowercase particle there ('Thaissa Oliveira de Almeida') is left out,
    # as PubMed and AMA write it ('TOA')
    initials = "".join(part[0] for part in re.split(r"[\s.\-]+", plain(given)) if part and part[0].isupper())
    family_text = plain(family)
    return " ".join(p for p in (family_text, initials.upper(), suffix.rstrip(".")) if p)


def authors(entry: Entry) -> str:
    raw = entry.get("author") or entry.get("editor") or entry.get("organization") or entry.get("institution")
    names = split_authors(raw)
    et_al = bool(names) and names[-1].strip().lower() == "others"
    if et_al:
        names = names[:-1]
    if len(names) > MAX_AUTHORS or et_al:  # more than six authors: the first three, et al
        names, et_al = names[:3], True
    text = ", ".join(ama_name(n) for n in names)
    return f"{text}, et al" if et_al else text


def _accessed(value: str) -> str:
    """urldate (YYYY-MM-DD) as AMA writes it: 'November 25, 2026'."""
    import datetime as dt

    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        return ""
    return f"{day:%B} {day.day}, {day.year}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".?!" else text + "."


_FORMATTED: dict[tuple[object, ...], str] = {}


def _once(style: str, entry: Entry, render) -> str:
    """Each distinct entry is formatted once per style and process, however many pages cite it."""
    key = (style, entry.key, entry.entry_type, tuple(sorted(entry.fields.items())))
    text = _FORMATTED.get(key)
    if text is None:
        text = _FORMATTED[key] = render(entry)
    return text


def format_reference(entry: Entry) -> str:
    """One reference as Markdown (escaped where needed), with links and evidence label."""
    return _once("markdown", entry, lambda e: _render(e, md_escape, lambda t: f"*{t}*", lambda t, u: f"[{t}]({u})",
                                                      lambda u: f"<{u}>"))


def _link(text: str, url: str) -> str:
    return f'<a href="{html.escape(url, quote=True)}">{text}</a>'


def reference_html(entry: Entry) -> str:
    """The same reference as HTML: the reference lists of pages and the bibliography page."""
    return _once("html", entry, lambda e: _render(e, html.escape, lambda t: f"<em>{t}</em>", _link,
                                                  lambda u: _link(html.escape(u), u)))


def _render(entry: Entry, esc, em, link, autolink) -> str:
    title = plain(entry.get("title"))
    standalone = entry.entry_type in ("book", "techreport", "report", "manual", "phdthesis", "mastersthesis")
    shown_title = em(esc(title)) if standalone else esc(title)  # AMA: a book's or report's title in italics
    parts = [_sentence(esc(authors(entry))), _sentence(shown_title)]
    journal = plain(entry.get("journal"))
    year = entry.get("year")
    if journal:
        volume, number, pages = entry.get("volume"), entry.get("number"), plain(entry.get("pages"))
        if not volume and not number and not pages:  # online ahead of print: AMA's "Published online"
            parts.append(f"{em(esc(journal))}. Published online {esc(year)}.")
        else:
            locator = year
            if volume:
                locator += f";{plain(volume)}"
            if number:
                locator += f"({plain(number)})" if volume else f";({plain(number)})"
            if pages:
                locator += f":{pages}"
            parts.append(f"{em(esc(journal))}. {esc(locator)}.")
    else:
        booktitle = plain(entry.get("booktitle")) if entry.entry_type in ("incollection", "inproceedings") else ""
        if booktitle:
            parts.append(f"In: {em(esc(booktitle))}.")
        publisher = plain(entry.get("publisher") or entry.get("institution") or entry.get("organization")
                          or ("" if booktitle else entry.get("booktitle")))
        bits = "; ".join(b for b in (esc(publisher), year) if b)
        if bits:
            parts.append(_sentence(bits))
    doi, pmid, url = entry.get("doi"), entry.get("pmid"), entry.get("url")
    if doi:
        parts.append("doi:" + link(esc(doi), f"https://doi.org/{doi}"))
    if pmid:
        parts.append("PMID: " + link(esc(pmid), f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"))
    if url and not doi:
        accessed = _accessed(entry.get("urldate"))
        if accessed:  # AMA: "Accessed Month D, YYYY. URL"
            parts.append(f"Accessed {accessed}.")
        parts.append(autolink(url))
    label = EVIDENCE_LABELS.get(entry.evidence)
    if label:
        parts.append(f'<span class="evidence-label evidence-{html.escape(entry.evidence)}">{label}</span>')
    return " ".join(p for p in parts if p)


def md_escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)
