"""Dates as the forms and the mail carry them -> aware datetimes (naive ones are taken
as UTC); None for an empty or unreadable date, never an exception."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

_PDF_DATE = re.compile(
    r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?"
    r"\s*(?:(Z)|([+-])(\d{2})'?(\d{2})?'?)?")


def parse_iso(text: str) -> datetime | None:
    """An ISO 8601 date (a message's date, a ledger's timestamp) as an aware datetime."""
    try:
        moment = datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


def parse_pdf_date(text: str) -> datetime | None:
    """A PDF date (D:YYYYMMDDHHmmSS+HH'mm') as an aware datetime; None if unreadable."""
    m = _PDF_DATE.match(text.strip())
    if not m:
        return None
    year, month, day, hour, minute, second = (int(g) if g else d for g, d in
                                              zip(m.groups()[:6], (0, 1, 1, 0, 0, 0),
                                                  strict=True))
    zone = UTC
    if m.group(8):
        offset = timedelta(hours=int(m.group(9)), minutes=int(m.group(10) or 0))
        zone = timezone(offset if m.group(8) == "+" else -offset)
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except ValueError:
        return None
