"""The reader's views rendered from data: the Summary of Findings table, the icon arrays and their text,
the bottom line placed first, the home page's way in, and the search terms."""

from __future__ import annotations

import json

from hooks.render import outcomes, review_box, search_terms, way_in
from hooks.render.page_view import PageView, ReviewBox

DATA = {"outcomes": [
    {"outcome": "Regrowth", "kind": "benefit", "main": True, "timepoint": "48 weeks", "population": "Men with AGA",
     "comparison": "Placebo", "studies": 1, "participants": 393, "relative_effect": "not reported",
     "per_100": {"control": 23, "treatment": 45.5}, "derived": "45.5 = 84 of 189", "certainty": "moderate",
     "downgrades": ["Imprecision: one trial"], "refs": ["olsen2002randomized"], "comment": "While used."},
    {"outcome": "Itching", "kind": "harm", "main": True, "timepoint": "48 weeks", "population": "Men with AGA",
     "comparison": "Placebo", "per_100": {"control": 1, "treatment": 6}, "certainty": "low",
     "refs": ["olsen2002randomized"]},
]}


def test_summary_of_findings_has_the_grade_columns_and_cites_its_sources():
    table = outcomes.sof_markdown(outcomes.outcomes_of(DATA), "Minoxidil")
    head, rule, first, second = table.split("\n")
    assert head == ("| Outcome | Risk with comparison (per 100) | Risk with Minoxidil (per 100) "
                    "| Relative effect (95% CI) | Participants (studies) | Certainty (GRADE) | Comments |")
    assert ":" not in rule  # no alignment: Markdown would write it as an inline style, which the CSP blocks
    assert "| 23 | 45.5 | not reported | 393 (1 study) | Moderate: Imprecision: one trial |" in first
    assert first.endswith("Derived: 45.5 = 84 of 189 [@olsen2002randomized] |")
    assert "| — |" in second  # no participants given


def test_icon_arrays_fill_as_many_people_as_the_data_and_say_the_numbers():
    html = outcomes.icon_arrays_html(outcomes.outcomes_of(DATA), "Minoxidil")
    first_svg = html[html.index("<svg"):html.index("</svg>")]
    assert first_svg.count('class="kb-icon-treated"') == 46 and first_svg.count('class="kb-icon-empty"') == 54
    assert 'aria-label="45.5 of 100 with Minoxidil"' in html
    assert ("Out of 100 people like those studied (men with AGA), about 45.5 improved with minoxidil and about 23 "
            "with placebo, after 48 weeks.") in html
    assert html.index("Main benefit") < html.index("Main side effect")


def test_a_page_without_main_figures_says_why():
    assert outcomes.icon_arrays_html([], "X") == ""
    assert "No &quot;out of 100&quot; figures" not in outcomes.no_numbers_html("No controlled trial reported it.")
    assert "No controlled trial reported it." in outcomes.no_numbers_html("No controlled trial reported it.")


def test_the_page_head_goes_under_the_bottom_line():
    markdown = '# T\n\n!!! abstract "Bottom line"\n    It helps some men [@a].\n\n## Key points\n'
    placed = review_box.insert_under_title(markdown, "HEAD")
    assert placed.index("It helps some men") < placed.index("HEAD") < placed.index("## Key points")
    assert review_box.insert_under_title("# T\n\nText.\n", "HEAD").index("HEAD") < 10


def _view(rel: str, kind: str, conditions: list[tuple[str, str]], evidence: str = "low") -> PageView:
    box = ReviewBox("draft", [], None, None, None, False, [])
    return PageView(rel, rel.split("/")[-1].removesuffix(".md").title(), "", kind, conditions, [], evidence,
                    evidence.title(), "", "", box)


def test_the_home_page_routes_what_people_notice_to_the_condition_and_its_treatments():
    views = [_view("conditions/alopecia-areata.md", "condition", [("alopecia-areata", "Alopecia areata")]),
             _view("therapies/jak.md", "therapy", [("alopecia-areata", "Alopecia areata")], "high"),
             _view("therapies/other.md", "therapy", [("telogen-effluvium", "TE")])]
    text = way_in.way_in_markdown(views, {"conditions/alopecia-areata.md": ["Round bald patches"]}, "index.md")
    assert text == ("- **Round bald patches**: see [Alopecia-Areata](conditions/alopecia-areata.md). "
                    "Treatments: [Jak](therapies/jak.md) (high evidence).")


def test_search_terms_carry_titles_aliases_and_what_people_notice():
    data = {"title": "Finasteride", "aliases": ["Propecia"], "noticed": ["Thinning crown"]}
    parsed = json.loads(search_terms.terms_json([("therapies/finasteride/", "Finasteride", "therapy",
                                                  search_terms.page_terms(data))]))
    assert parsed == [{"url": "therapies/finasteride/", "title": "Finasteride", "type": "therapy",
                       "terms": ["Finasteride", "Propecia", "Thinning crown"]}]


def test_the_glance_table_gives_the_main_benefit_against_placebo_out_of_100():
    from hooks.render.page_view import _benefit_vs_placebo

    assert _benefit_vs_placebo(DATA) == "45.5 vs 23 of 100 (48 weeks)"
    other = {"outcomes": [{**DATA["outcomes"][0], "comparison": "Topical minoxidil 5%"}]}
    assert _benefit_vs_placebo(other) == ""  # not against a placebo: not in the placebo column
    assert _benefit_vs_placebo({"outcomes_note": "No numbers."}) == ""
