"""Outcomes for readers, from the front matter's ``outcomes:`` (one source of truth, DESIGN §8):

* clinicians: a Summary of Findings table in the GRADE layout (outcome and time point; anticipated
  absolute effects per 100 with the comparison and with the treatment; relative effect; participants
  and studies; certainty with the reasons for rating down; comments);
* patients: for the main benefit and the main harm, an icon array "out of 100 people like those
  studied", as inline SVG with a text alternative that states the numbers; filled and hollow icons
  (not only colour) tell the groups apart, in both palettes and in print.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

CERTAINTY = {"high": ("High", 4), "moderate": ("Moderate", 3), "low": ("Low", 2), "very-low": ("Very low", 1)}
KIND_VERB = {"benefit": "improved", "harm": "had this side effect", "stopping": "stopped because of side effects"}


@dataclass(frozen=True)
class Outcome:
    outcome: str
    kind: str
    main: bool
    timepoint: str
    population: str
    comparison: str
    studies: int | None
    participants: int | None
    relative_effect: str
    control: float | None
    treatment: float | None
    derived: str
    certainty: str
    downgrades: tuple[str, ...]
    refs: tuple[str, ...]
    comment: str


def outcomes_of(data: dict) -> list[Outcome]:
    out = []
    for item in data.get("outcomes") or [] if isinstance(data.get("outcomes"), list) else []:
        if not isinstance(item, dict):
            continue
        per_100 = item.get("per_100") if isinstance(item.get("per_100"), dict) else {}
        out.append(Outcome(
            str(item.get("outcome", "")), str(item.get("kind", "")), item.get("main") is True,
            str(item.get("timepoint", "")), str(item.get("population", "")), str(item.get("comparison", "")),
            item.get("studies") if isinstance(item.get("studies"), int) else None,
            item.get("participants") if isinstance(item.get("participants"), int) else None,
            str(item.get("relative_effect", "")) or "not reported",
            _number(per_100.get("control")), _number(per_100.get("treatment")), str(item.get("derived", "")),
            str(item.get("certainty", "")), tuple(str(d) for d in item.get("downgrades") or []),
            tuple(str(r) for r in item.get("refs") or []), str(item.get("comment", ""))))
    return out


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def lower_first(text: str) -> str:
    """'Placebo (dummy pill)' -> 'placebo (dummy pill)', but 'JAK inhibitors' stays as it is."""
    return text[:1].lower() + text[1:] if len(text) > 1 and text[1:2].islower() else text


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def _cite(refs: tuple[str, ...]) -> str:
    """Citation markup for Markdown: mkdocs-bibtex and the reference list number them like any other."""
    return f" [{'; '.join('@' + r for r in refs)}]" if refs else ""


def sof_markdown(outcomes: list[Outcome], treatment: str) -> str:
    """The Summary of Findings table as Markdown (so its citations join the page's reference list)."""
    if not outcomes:
        return ""
    head = ("| Outcome | Risk with comparison (per 100) | Risk with " + treatment.replace("|", "/")
            + " (per 100) | Relative effect (95% CI) | Participants (studies) | Certainty (GRADE) | Comments |")
    lines = [head, "| --- | --- | --- | --- | --- | --- | --- |"]  # no alignment: it would be an inline style (CSP)
    for o in outcomes:
        control = _fmt(o.control) if o.control is not None else "—"
        treated = _fmt(o.treatment) if o.treatment is not None else "—"
        people = f"{o.participants:,}" if o.participants else "—"
        studies = f" ({o.studies} {'study' if o.studies == 1 else 'studies'})" if o.studies else ""
        label, _ = CERTAINTY.get(o.certainty, (o.certainty, 0))
        reasons = f": {'; '.join(o.downgrades)}" if o.downgrades else ""
        notes = " ".join(x for x in (o.comment, f"Derived: {o.derived}" if o.derived else "") if x)
        cells = [f"**{o.outcome}** ({o.timepoint}); {o.population}; vs {o.comparison}", control, treated,
                 o.relative_effect, people + studies, label + reasons, notes]
        lines.append("| " + " | ".join(c.replace("|", "/").replace("\n", " ") for c in cells[:-1])
                     + " | " + cells[-1].replace("|", "/") + _cite(o.refs) + " |")
    return "\n".join(lines)


def icon_array_svg(count: float, label: str, filled_class: str) -> str:
    """100 people as a 10 × 10 grid; the first `count` (rounded) are filled, the rest hollow."""
    filled = round(count)
    cells = []
    for index in range(100):
        row, col = divmod(index, 10)
        x, y = 6 + col * 12, 6 + row * 12
        cls = filled_class if index < filled else "kb-icon-empty"
        cells.append(f'<circle class="{cls}" cx="{x}" cy="{y}" r="4.5"/>')
    return (f'<svg class="kb-icon-array" viewBox="0 0 120 120" width="120" height="120" role="img" '
            f'aria-label="{html.escape(label, quote=True)}" focusable="false">' + "".join(cells) + "</svg>")


def alt_text(o: Outcome, treatment: str) -> str:
    verb = KIND_VERB.get(o.kind, "had this outcome")
    assert o.control is not None and o.treatment is not None
    return (f"Out of 100 people like those studied ({lower_first(o.population)}), about {_fmt(o.treatment)} "
            f"{verb} with {lower_first(treatment)} and about {_fmt(o.control)} with {lower_first(o.comparison)}, "
            f"after {o.timepoint}.")


def icon_arrays_html(outcomes: list[Outcome], treatment: str) -> str:
    """The patients' view: the main benefit and the main harm, each as two icon arrays and a sentence."""
    shown = [o for o in outcomes if o.main and o.control is not None and o.treatment is not None]
    if not shown:
        return ""
    figures = []
    for o in sorted(shown, key=lambda o: o.kind != "benefit"):
        title = "Main benefit" if o.kind == "benefit" else "Main side effect" if o.kind == "harm" else "Stopping"
        sentence = alt_text(o, treatment)
        pair = (f'<div class="kb-icon-pair"><figure class="kb-icon-group">'
                f'{icon_array_svg(o.treatment, f"{_fmt(o.treatment)} of 100 with {treatment}", "kb-icon-treated")}'
                f"<figcaption>With {html.escape(lower_first(treatment))}: about {_fmt(o.treatment)} of 100</figcaption>"
                f'</figure><figure class="kb-icon-group">'
                f'{icon_array_svg(o.control, f"{_fmt(o.control)} of 100 with {o.comparison}", "kb-icon-control")}'
                f"<figcaption>With {html.escape(lower_first(o.comparison))}: about {_fmt(o.control)} of 100"
                "</figcaption>"
                "</figure></div>")
        figures.append(f'<div class="kb-outcome-figure" data-kind="{html.escape(o.kind)}">'
                       f'<p class="kb-outcome-title"><strong>{title}: {html.escape(o.outcome)}</strong></p>'
                       f'{pair}<p class="kb-outcome-sentence">{html.escape(sentence)}</p></div>')
    return ('<div class="kb-out-of-100" data-search-exclude>' + "".join(figures) + "</div>")


def no_numbers_html(note: str) -> str:
    return f'<p class="kb-no-numbers"><strong>No "out of 100" figures:</strong> {html.escape(note)}</p>'
