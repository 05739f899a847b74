"""What readers see of the source records: the excerpts a sentence relies on, shown as quotations
with their place in the source ("What the source says"), and a source's status ("Retracted",
"Withdrawn", "Corrected", "Expression of concern") with the notice linked."""

from __future__ import annotations

import html

from hooks.parse.source_records import SourceRecord


def status_html(record: SourceRecord | None) -> str:
    if record is None or not record.label:
        return ""
    label = html.escape(record.label)
    url = record.notice_url
    date = record.notice.get("date", "")
    notice = (f' <a class="kb-status-notice" href="{html.escape(url, quote=True)}">notice'
              f'{" of " + html.escape(date) if date else ""}</a>') if url else ""
    return f'<span class="kb-status kb-status-{html.escape(record.status)}">{label}</span>{notice}'


def excerpts_html(record: SourceRecord | None, indexes: list[int]) -> str:
    if record is None or not indexes:
        return ""
    quotes = []
    for index in indexes:
        if 0 <= index < len(record.excerpts):
            excerpt = record.excerpts[index]
            where = f' <span class="kb-excerpt-where">({html.escape(excerpt.where)})</span>' if excerpt.where else ""
            quotes.append(f'<q class="kb-excerpt">{html.escape(excerpt.text)}</q>{where}')
    if not quotes:
        return ""
    return ('<span class="kb-source-says"><span class="kb-source-says-title">What the source says:</span> '
            + " ".join(quotes) + "</span>")


def relied_on(claims, key: str) -> list[int]:
    """The excerpts of `key` that the given claims rely on, in the record's order."""
    return sorted({index for claim in claims for k, index in claim.relies_on if k == key})
