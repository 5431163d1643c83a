"""Event dates from the words of the text, resolved against the publication date.

"On Wednesday, October 20" in an article of 2021-10-21 is 2021-10-20; "Thursday"
alone is the last Thursday on or before publication; "today" is the publication
date. A month and day without a year take the publication year, or the year before
when that would put the event more than a week after publication. A month alone
("in November", "November 2021", "late March") names that month, as YYYY-MM: the
publication year's, or the year before's when the month has not come yet.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    name: i
    for i, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_MONTHS.update({name[:3]: i for name, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_WEEKDAYS = {
    name: i
    for i, name in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
}
_MONTH_RE = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_MONTH_DAY = re.compile(_MONTH_RE + r"\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b", re.I)
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_RE + r"(?:,?\s+(\d{4}))?\b", re.I)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
#: A month named without a day: "November", "last November", "late March 2021".
_MONTH_ONLY = re.compile(
    r"^(?:(?:the\s+)?(?:early|late|mid|last|this|end\s+of)[\s-]+)?" + _MONTH_RE + r"(?:,?\s+(\d{4}))?$", re.I
)
_RELATIVE = {
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "yesterday": -1,
}


def resolve_date(text: str, published: str | None) -> str | None:
    """Return the ISO date (YYYY-MM-DD, or YYYY-MM for a month) a date expression names, else None."""
    base = dt.date.fromisoformat(published) if published else None
    lowered = text.lower()
    match = _ISO.search(text)
    if match:
        return _safe_date(int(match[1]), int(match[2]), int(match[3]))
    match = _MONTH_DAY.search(text)
    if match:
        return _with_year(_MONTHS[match[1].lower()], int(match[2]), match[3], base)
    match = _DAY_MONTH.search(text)
    if match:
        return _with_year(_MONTHS[match[2].lower()], int(match[1]), match[3], base)
    match = _MONTH_ONLY.match(text.strip())
    if match and (match[2] or base is not None):
        month = _MONTHS[match[1].lower()]
        if match[2]:
            year = int(match[2])
        else:
            assert base is not None  # the condition above
            year = base.year - (month > base.month)
        return f"{year:04d}-{month:02d}"
    if base is None:
        return None
    for phrase, offset in _RELATIVE.items():
        if re.search(rf"\b{phrase}\b", lowered):
            return (base + dt.timedelta(days=offset)).isoformat()
    for name, weekday in _WEEKDAYS.items():
        if re.search(rf"\b{name}\b", lowered):
            back = (base.weekday() - weekday) % 7
            return (base - dt.timedelta(days=back)).isoformat()
    return None


def _safe_date(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _with_year(month: int, day: int, year: str | None, base: dt.date | None) -> str | None:
    if year:
        return _safe_date(int(year), month, day)
    if base is None:
        return None
    candidate = _safe_date(base.year, month, day)
    if candidate and dt.date.fromisoformat(candidate) > base + dt.timedelta(days=7):
        candidate = _safe_date(base.year - 1, month, day)
    return candidate
