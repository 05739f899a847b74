"""What a reader sees about a clinical page, computed from its front matter and the bibliography.

Plain data, no HTML and no MkDocs: the review box, the evidence badge, the regulatory
table, the therapy comparison rows, the evidence map and the JSON-LD structured data
all come from here, so each fact is stated once (in front matter) and shown the same
way everywhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from hooks.parse.bibliography import Bibliography
from hooks.parse.reviewers import Reviewer
from hooks.render.citation_style import plain
from hooks.rules.review_dates import ReviewDue, SectionReview, parse_date

STATUS_TEXT = {
    "draft": "This page is a draft.",
    "submitted": "This page has been submitted for clinical review.",
    "in-review": "This page is being reviewed by a clinician.",
}
REVIEW_STEPS = (("submitted", "Submitted"), ("in-review", "In review"), ("approved", "Approved"))
STATUS_ORDER = {"draft": 0, "submitted": 1, "in-review": 2, "approved": 3}


@dataclass(frozen=True)
class SectionDate:
    """A section reviewed on a date of its own (``## Safety { data-reviewed="…" }``)."""

    heading: str
    anchor: str  # the heading's id on the page
    last_reviewed: dt.date
    next_due: dt.date
    overdue: bool


@dataclass(frozen=True)
class ReviewBox:
    """last_reviewed, next_due and overdue are the page's as a whole: as old as its oldest reviewed
    part (the front matter's date or a section's own). page_reviewed is the front matter's date,
    which covers every section without a date of its own."""

    status: str
    steps: list[tuple[str, str, str]]  # (id, label, "done" | "current" | "todo")
    last_reviewed: dt.date | None
    next_due: dt.date | None
    evidence_current_to: dt.date | None
    overdue: bool
    reviewers: list[Reviewer]
    page_reviewed: dt.date | None = None
    sections: list[SectionDate] = field(default_factory=list)

    @property
    def oldest_section(self) -> SectionDate | None:
        """The section that makes the page as old as it is, if one does."""
        if not self.sections or self.last_reviewed is None:
            return None
        oldest = min(self.sections, key=lambda s: s.last_reviewed)
        older_than_page = self.page_reviewed is None or oldest.last_reviewed < self.page_reviewed
        return oldest if older_than_page and oldest.last_reviewed == self.last_reviewed else None


@dataclass(frozen=True)
class RegulatoryRow:
    jurisdiction: str
    label: str
    status: str
    status_label: str
    indication: str
    since: str
    refs: list[str]


@dataclass
class PageView:
    rel: str
    title: str
    description: str
    page_type: str
    conditions: list[tuple[str, str]]  # (id, label)
    aliases: list[str]
    evidence: str
    evidence_label: str
    evidence_note: str
    administration: str
    review: ReviewBox
    regulatory: list[RegulatoryRow] = field(default_factory=list)
    benefit: str = ""  # the main benefit against placebo, "out of 100" (therapies at a glance)


def _steps(status: str) -> list[tuple[str, str, str]]:
    rank = STATUS_ORDER.get(status, 0)
    out = []
    for step_id, label in REVIEW_STEPS:
        step_rank = STATUS_ORDER[step_id]
        state = "done" if step_rank < rank or (step_rank == rank == 3) else "current" if step_rank == rank else "todo"
        out.append((step_id, label, state))
    return out


def anchor(text: str, attrs: dict[str, str] | None = None) -> str:
    """The id Python-Markdown's toc extension gives a heading (an explicit { #id } wins)."""
    if attrs and attrs.get("id"):
        return attrs["id"]
    from markdown.extensions.toc import slugify  # the site's slugify (mkdocs.yml sets no other)

    return slugify(text, "-")


def section_dates(sections: list[SectionReview], anchors: dict[int, str] | None = None) -> list[SectionDate]:
    """anchors: heading line -> id, where the heading has an explicit one."""
    anchors = anchors or {}
    return [SectionDate(s.heading, anchors.get(s.line) or anchor(s.heading), s.last_reviewed, s.next_due, s.overdue)
            for s in sections]


def review_box(meta: dict, due: ReviewDue | None, reviewers: dict[str, Reviewer],
               sections: list[SectionDate] | None = None) -> ReviewBox:
    """The review box; dates and overdue state are the check's own (Page.review, which is already as
    old as the oldest section, and Page.sections), not computed again."""
    review = meta.get("review") if isinstance(meta.get("review"), dict) else {}
    ids = review.get("reviewed_by") or []
    return ReviewBox(
        status=str(review.get("status", "draft")),
        steps=_steps(str(review.get("status", "draft"))),
        last_reviewed=due.last_reviewed if due else parse_date(review.get("last_reviewed")),
        next_due=due.next_due if due else None,
        evidence_current_to=parse_date(review.get("evidence_current_to")),
        overdue=bool(due and due.overdue),
        reviewers=[reviewers[i] for i in ids if isinstance(i, str) and i in reviewers],
        page_reviewed=parse_date(review.get("last_reviewed")) if due else None,
        sections=list(sections or []),
    )


def page_view(rel: str, meta: dict, labels: dict[str, dict[str, str]], due: ReviewDue | None,
              reviewers: dict[str, Reviewer], sections: list[SectionDate] | None = None) -> PageView:
    condition_labels = labels.get("condition", {})
    regulatory = meta.get("regulatory") if isinstance(meta.get("regulatory"), dict) else {}
    rows = []
    for jurisdiction in labels.get("jurisdiction", {}):  # the schema's order, not the page's
        entry = regulatory.get(jurisdiction)
        if not isinstance(entry, dict):
            continue
        status = str(entry.get("status", ""))
        rows.append(RegulatoryRow(jurisdiction, labels["jurisdiction"][jurisdiction], status,
                                  labels.get("status", {}).get(status, status), str(entry.get("indication", "")),
                                  str(entry.get("since", "") or ""), [str(r) for r in entry.get("refs", []) or []]))
    evidence = str(meta.get("evidence", ""))
    return PageView(
        rel=rel,
        title=str(meta.get("title", rel)),
        description=str(meta.get("description", "")),
        page_type=str(meta.get("type", "")),
        conditions=[(str(c), condition_labels.get(str(c), str(c))) for c in meta.get("conditions", []) or []],
        aliases=[str(a) for a in meta.get("aliases", []) or []],
        evidence=evidence,
        evidence_label=labels.get("certainty", {}).get(evidence, evidence),
        evidence_note=str(meta.get("evidence_note", "")),
        administration=str(meta.get("administration", "")),
        review=review_box(meta, due, reviewers, sections),
        regulatory=rows,
        benefit=_benefit_vs_placebo(meta),
    )


PLACEBO_WORDS = ("placebo", "dummy", "sham", "vehicle", "saline")


def _benefit_vs_placebo(meta: dict) -> str:
    """'39 vs 6 of 100 (36 weeks)' from the main benefit's data, when its comparison is a placebo."""
    for item in meta.get("outcomes") or [] if isinstance(meta.get("outcomes"), list) else []:
        if not isinstance(item, dict) or item.get("kind") != "benefit" or item.get("main") is not True:
            continue
        per_100 = item.get("per_100") if isinstance(item.get("per_100"), dict) else {}
        comparison = str(item.get("comparison", "")).lower()
        if not any(word in comparison for word in PLACEBO_WORDS) or not per_100:
            return ""
        treated, control = per_100.get("treatment"), per_100.get("control")
        if not isinstance(treated, int | float) or not isinstance(control, int | float):
            return ""
        return f"{treated:g} vs {control:g} of 100 ({item.get('timepoint', '')})"
    return ""


def structured_data(view: PageView, url: str, cited: list[str], bib: Bibliography) -> dict[str, object]:
    """schema.org MedicalWebPage; lastReviewed is the same date the review box shows: the page's
    as a whole, as old as its oldest reviewed section."""
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": view.title,
        "description": view.description,
        "url": url,
        "medicalAudience": [
            {"@type": "MedicalAudience", "audienceType": "Patient"},
            {"@type": "MedicalAudience", "audienceType": "Clinician"},
        ],
        "about": [{"@type": "MedicalCondition", "name": label} for _, label in view.conditions],
    }
    if view.page_type == "therapy":
        data["mainEntity"] = {"@type": "MedicalTherapy", "name": view.title, "alternateName": view.aliases}
    if view.review.last_reviewed:
        data["lastReviewed"] = view.review.last_reviewed.isoformat()
    if view.review.reviewers:
        data["reviewedBy"] = [{"@type": "Person", "name": r.name, "description": r.credentials}
                              for r in view.review.reviewers]
    citations = []
    for key in cited:
        entry = bib.entries.get(key)
        if entry is None:
            continue
        item: dict[str, object] = {"@type": "CreativeWork", "name": plain(entry.get("title"))}
        if entry.get("doi"):
            item["url"] = f"https://doi.org/{entry.get('doi')}"
        elif entry.get("url"):
            item["url"] = entry.get("url")
        if entry.get("year"):
            item["datePublished"] = entry.get("year")
        citations.append(item)
    data["citation"] = citations
    return data
