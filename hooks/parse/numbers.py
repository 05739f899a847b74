"""Numbers in prose, as the NUMBER-UNTRACED rule reads them (CONTRIBUTING: "How numbers are traced").

A number is a run of digits, with thousands separators (``1,234``) and a decimal part
(``0.5``): integers, decimals, percentages (``45%`` and ``45 percent`` are the number 45),
each end of a range (``2.5–5``, ``10-20``, ``10 to 20``), counts, doses (``5 mg``), dates and
years. Not numbers: digits that are part of a name (``JAK3``, ``COVID-19``, ``CD8+``,
``5α-reductase``, ``IL-17``, ``3D``), digits after a word that makes them a label (``type 2``,
``phase 3``, ``grade 2``, ``stage 4``, ``class II``, ``version 2``), digits inside citations,
link targets, code and HTML comments. Numbers written in words are not read.

A number carries the unit written after it (``%``/percent, mg, g, mcg, ml, µl, hours, days,
weeks, months, years): where the claim and the source both give one, they must agree, and a
percentage in a claim needs a percentage in the source. Both ends of a range in a claim must
be stated by one excerpt.

Values are compared after normalisation: separators dropped and trailing decimal zeros
removed (``1,234`` = ``1234``; ``5.0`` = ``5``). After "about", "around", "approximately",
"roughly", "nearly", "almost", "close to", "some" or "~", a number also matches any source
number that rounds to it at its own precision (``about 45%`` ← 44.6; ``about 1,500`` ← 1,462;
``about 20`` ← 18.7).
"""

from __future__ import annotations

import functools
import re
import string
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

NUMBER_RE = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?")
UNITS = frozenset({
    "mg", "g", "kg", "mcg", "µg", "μg", "ng", "ml", "mL", "l", "L", "dl", "dL", "mm", "cm", "m", "nm", "µm", "μm",
    "h", "hr", "hrs", "d", "wk", "wks", "mo", "y", "yr", "yrs", "iu", "IU", "x", "st", "nd", "rd", "th", "s",
    "mmhg", "mmHg", "kda", "kDa", "j", "J", "w", "W", "mw", "mW", "hz", "Hz",
})
LABEL_WORDS = frozenset({"type", "types", "phase", "phases", "grade", "grades", "stage", "stages", "class",
                         "version", "step", "level", "levels", "part", "section", "article", "chapter",
                         "figure", "fig", "table", "no", "number", "norwood", "ludwig", "savin", "sinclair",
                         "hamilton", "hamilton-norwood", "category", "tier", "schedule", "cycle", "cfr",
                         "§"})
APPROXIMATE = re.compile(r"(?:about|around|approximately|approx\.?|roughly|nearly|almost|close to|some|~|≈|"
                         r"circa|ca\.)\s*$", re.IGNORECASE)
# What is not prose: citations, link targets, code, comments, HTML tags, attribute lists
IGNORED_RE = re.compile(r"\[[^\[\]]*@[^\[\]]*\]|\]\([^)]*\)|`[^`]*`|<!--.*?-->|<[^>]+>|\{[:#.][^}]*\}|"
                        r"https?://\S+", re.DOTALL)


@dataclass(frozen=True)
class Number:
    text: str  # as written
    value: Decimal
    start: int
    approximate: bool
    unit: str | None = None  # "%", "mg", "week", ... as written after it (or after the range it starts)
    range_with: Decimal | None = None  # the other end, when it is one end of a range ("10 to 20 weeks")

    @property
    def precision(self) -> Decimal:
        """The unit of the last significant digit as written: 44.6 → 0.1; 45 → 1; 1,500 → 100."""
        exponent = self.value.normalize().as_tuple().exponent
        if not isinstance(exponent, int):
            return Decimal(1)
        return Decimal(1).scaleb(exponent)

    def matches(self, stated: Stated) -> bool:
        """Whether a source's number is this one: the same value (or, after "about", the value rounded
        at this number's precision) and, where both give a unit, the same unit ("12 weeks" is not
        "12%"); a percentage on the page needs a percentage in the source."""
        if self.unit is not None and stated.unit != self.unit and (stated.unit is not None or self.unit == "%"):
            return False
        if stated.value == self.value:
            return True
        return self.approximate and abs(stated.value - self.value) <= self.precision / 2


@dataclass(frozen=True)
class Stated:
    """A number as a source states it: its value and its unit, if it gives one."""

    value: Decimal
    unit: str | None = None


UNIT_WORDS = {
    "%": "%", "percent": "%", "per cent": "%", "percentage point": "%", "percentage points": "%",
    "mg": "mg", "milligram": "mg", "milligrams": "mg", "g": "g", "gram": "g", "grams": "g",
    "mcg": "mcg", "µg": "mcg", "μg": "mcg", "ml": "ml", "µl": "µl", "μl": "µl",
    "h": "hour", "hr": "hour", "hrs": "hour", "hour": "hour", "hours": "hour",
    "d": "day", "day": "day", "days": "day", "wk": "week", "wks": "week", "week": "week", "weeks": "week",
    "mo": "month", "mos": "month", "month": "month", "months": "month",
    "y": "year", "yr": "year", "yrs": "year", "year": "year", "years": "year",
}
UNIT_RE = re.compile(r"\s?[-‐‑–]?\s?(%|per ?cent(?:age points?)?\b|" + "|".join(
    sorted((re.escape(w) + r"\b" for w in UNIT_WORDS if w[0].isalpha() and " " not in w), key=len, reverse=True))
    + ")", re.IGNORECASE)
# what joins the two ends of a range, or a mean and its spread, that share the last one's unit:
# "2.5–5 mg", "10 to 20 weeks", "20.9 ± 12%", "34.5 vs. 55.6%" (not "and" or commas: "aged 40 to 49 and 50%")
JOINER_RE = re.compile(r"\s?(?:[-‐‑–—]|to|±|vs\.?|versus|bis|/)\s?[-−]?", re.IGNORECASE)
RANGE_RE = re.compile(r"\s?(?:[-‐‑–—]|to|bis)\s?", re.IGNORECASE)


_SPACES_RE = re.compile(r"\s+")


def _unit(after: str) -> str | None:
    match = UNIT_RE.match(after)
    if match is None:
        return None
    word = _SPACES_RE.sub(" ", match.group(1).lower())
    if word.startswith("per"):
        return "%"
    return UNIT_WORDS.get(word)


def normalise(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "")).normalize()
    except InvalidOperation:
        return None


def prose(text: str) -> str:
    """The text with citations, link targets, code, comments and tags blanked (same length)."""
    return IGNORED_RE.sub(lambda m: " " * len(m.group(0)), text)


# Chinese, Japanese and Korean characters next to digits count, mean or date them (120例, 2015年9月28日,
# 0.5mg以上); only letters of alphabets glue digits into a name (JAK3, 5α-reductase)
CJK_RE = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]")


def _letter(char: str) -> bool:
    return char.isalpha() and not CJK_RE.match(char)


BEFORE_WINDOW = 80  # what is read before a number: its label word ("type", "phase") and "about"
_WORD_AFTER_RE = re.compile(r"[^\W\d_]+")
_CODE_TITLE_AFTER_RE = re.compile(r"\s?(?:CFR|U\.S\.C\.)")
_WORD_CHARS = frozenset(string.ascii_letters + "-")


def _word_before(before: str) -> str | None:
    """The word that ends the text, before a dot and spaces, as r"([A-Za-z§][A-Za-z-]*)\\.?\\s*$" finds
    it, read from its end (the pattern is tried at every character of the text before it)."""
    text = before.rstrip()
    if text.endswith("."):
        text = text[:-1]
    start = len(text)
    while start and text[start - 1] in _WORD_CHARS:
        start -= 1
    if start and text[start - 1] == "§":
        return text[start - 1:]
    return text[start:].lstrip("-") or None


def numbers_in(text: str) -> list[Number]:
    """Every number in a piece of prose, in order."""
    clean = prose(text)
    out: list[Number] = []
    for match in NUMBER_RE.finditer(clean):
        start, end = match.start(), match.end()
        before = clean[max(0, start - BEFORE_WINDOW):start]  # (not the whole text before: every number
        after = clean[end:end + 12]  # would copy and search it again, a long text's time grew as its square)
        if _letter(before[-1:]) or before[-1:] in ("_",):
            continue  # JAK3, CD8, B12
        if before[-1:] in ("-", "‑") and before[-2:-1].isalpha():
            continue  # COVID-19, IL-17
        if before[-1:] in ("/",) and before[-2:-1].isalpha():
            continue  # a fraction of a name, e.g. "JAK1/2" is still a name
        tail = _WORD_AFTER_RE.match(after)
        if tail and not _letter(tail.group(0)[0]):  # 120例, 2015年: a word of another script is no name
            tail = None
        if tail and tail.group(0) not in UNITS and tail.group(0).lower() not in UNITS:
            continue  # 5α-reductase, 3D, 2nd-generation names
        if after[:1] == "+" and before[-1:].isalpha():
            continue
        if after.startswith("(k)") or _CODE_TITLE_AFTER_RE.match(after):
            continue  # a 510(k) clearance, the title of a code (21 CFR 878.4430): names
        word = _word_before(before)
        if word and word.lower() in LABEL_WORDS:
            continue  # type 2, phase 3, grade 2
        value = normalise(match.group(0))
        if value is None:
            continue
        out.append(Number(match.group(0), value, start, bool(APPROXIMATE.search(before[-20:])),
                          _unit(clean[end:end + 24])))
    # the first end of a range takes the unit written after the last ("10 to 20 weeks") and gives
    # the last its "about" ("about 36 to 39"); each end knows the other
    for index in range(len(out) - 2, -1, -1):
        number, following = out[index], out[index + 1]
        joiner = clean[number.start + len(number.text):following.start]
        if not JOINER_RE.fullmatch(joiner):
            continue
        if number.unit is None and following.unit is not None:
            number = replace(number, unit=following.unit)
        if RANGE_RE.fullmatch(joiner) and number.range_with is None:
            number = replace(number, range_with=following.value)
            following = replace(following, range_with=number.value,
                                approximate=following.approximate or number.approximate)
        out[index], out[index + 1] = number, following
    return out


def range_in(number: Number, text: str) -> bool:
    """Whether a source's excerpt states both ends of a range the page gives ("4 to 13 weeks"): a
    range is traced to one excerpt that has both numbers, not to two numbers from two places."""
    if number.range_with is None:
        return True
    stated = stated_in(text)
    if not any(number.matches(s) for s in stated):
        return False
    other_end = replace(number, value=number.range_with)
    return any(other_end.matches(s) for s in stated)


_UNITS_WORDS = {w: i for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
     "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"])}
_TENS_WORDS = {w: 10 * i for i, w in enumerate(["_", "_", "twenty", "thirty", "forty", "fifty", "sixty",
                                                "seventy", "eighty", "ninety"])
               if w != "_"}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
WORD_NUMBER_RE = re.compile(
    # longest first, each a whole word: "ninety" is not "nine" + "ty"
    r"\b(?:(?:" + "|".join(sorted([*_UNITS_WORDS, *_TENS_WORDS, *_SCALES], key=len, reverse=True))
    + r")\b(?:[\s-]+(?:and[\s-]+)?)?)+",
    re.IGNORECASE)


def _word_value(words: str) -> int | None:
    total = current = 0
    seen = False
    for word in re.split(r"[\s-]+", words.lower()):
        if word in ("", "and"):
            continue
        if word in _UNITS_WORDS:
            current += _UNITS_WORDS[word]
        elif word in _TENS_WORDS:
            current += _TENS_WORDS[word]
        elif word in _SCALES:
            scale = _SCALES[word]
            if scale == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * scale
                current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _word_numbers(text: str) -> set[Stated]:
    """Numbers a source writes in words ("One hundred twenty-five", "twenty men"): a page may give them
    in digits. Only excerpts are read this way; a page's own words are not numbers to trace."""
    out: set[Stated] = set()
    for match in WORD_NUMBER_RE.finditer(text):
        # "and" joins parts of one number only after a scale ("one hundred and five"); elsewhere it
        # separates two numbers ("nineteen and fourteen")
        parts = re.split(r"(?<!hundred)(?<!thousand)(?<!million)[\s-]+and[\s-]+", match.group(0),
                         flags=re.IGNORECASE)
        unit = _unit(text[match.end():match.end() + 24])  # "Fifty-six percent": the last part's unit
        for index, part in enumerate(parts):
            value = _word_value(part)
            if value is not None:
                out.add(Stated(Decimal(value).normalize(), unit if index == len(parts) - 1 else None))
    return out


def stated_in(text: str) -> frozenset[Stated]:
    """Every number in a source's excerpt with its unit (numbers written in words have none).
    An excerpt is read once per process, however many claims cite it."""
    return _excerpt_stated(text)


@functools.lru_cache(maxsize=16_384)
def _excerpt_stated(text: str) -> frozenset[Stated]:
    return frozenset({Stated(number.value, number.unit) for number in numbers_in(text)}
                     | _word_numbers(text) | _decimal_commas(text))


# "2,8 %", "0,05 mg": a decimal comma, as European labels and product information write it
DECIMAL_COMMA_RE = re.compile(r"(?<![\d.,])(\d+),(\d{1,3})(?![\d,])")


def _decimal_commas(text: str) -> set[Stated]:
    """In a source, "2,8" may be the number 2.8 (and "2,275" 2.275, where a comma is the decimal
    sign): both readings count, so a page can give the number with a decimal point."""
    clean = prose(text)
    return {Stated(Decimal(f"{m.group(1)}.{m.group(2)}").normalize(), _unit(clean[m.end():m.end() + 24]))
            for m in DECIMAL_COMMA_RE.finditer(clean)}


def values_in(text: str) -> set[Decimal]:
    """Every number in a source's excerpt, as values (those of `stated_in`, without their units)."""
    return set(_excerpt_values(text))


@functools.lru_cache(maxsize=16_384)
def _excerpt_values(text: str) -> frozenset[Decimal]:
    return frozenset(stated.value for stated in _excerpt_stated(text))
