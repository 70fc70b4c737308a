"""Reading list-page query arguments safely: search text, page numbers, dates, LIKE patterns.

Query strings come from anyone; a NUL byte, a page number past any offset or a year 1 date must
give a normal page, never a 500 (QUALITY.md G10).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, request

from portal.forms import clean_line

MAX_PAGE = 10_000


def text_arg(name: str, max_length: int = 100) -> str:
    """A search or filter argument without control characters, at most ``max_length`` long."""
    return clean_line(request.args.get(name, ""))[:max_length]


def page_arg() -> int:
    page = request.args.get("page", 1, type=int) or 1
    return min(max(page, 1), MAX_PAGE)


def page_size() -> int:
    return current_app.config["PAGE_SIZE"]


def date_arg(name: str) -> datetime | None:
    """A ``YYYY-MM-DD`` argument as the start of that day in the portal's time zone (or None)."""
    try:
        day = datetime.strptime(text_arg(name, 10), "%Y-%m-%d")
    except ValueError:
        return None
    if not 1900 <= day.year <= 9998:
        return None
    return day.replace(tzinfo=ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))


def like_pattern(text: str) -> str:
    """A case-insensitive ``LIKE`` pattern (use with ``escape="\\\\"``) matching ``text`` literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
