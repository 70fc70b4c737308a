"""Reading list-page query arguments safely: search text, page numbers, dates, LIKE patterns.

Query strings come from anyone; a NUL byte, a page number past any offset or a year 1 date must
give a normal page, never a 500 (QUALITY.md G10).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, request

from portal.db import db
from portal.forms import clean_line

MAX_PAGE = 10_000


def text_arg(name: str, max_length: int = 100) -> str:
    """A search or filter argument without control characters, at most ``max_length`` long."""
    return clean_line(request.args.get(name, ""))[:max_length]


def page_arg() -> int:
    page = request.args.get("page", 1, type=int) or 1
    return min(max(page, 1), MAX_PAGE)


MAX_ID = 2_147_483_647  # the largest INTEGER key on PostgreSQL


def id_arg(name: str) -> int | None:
    """An id-valued argument; an absent, malformed or out-of-range value means "no filter"."""
    value = request.args.get(name, type=int)
    return value if value is not None and 1 <= value <= MAX_ID else None


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


def _like_pattern(text: str) -> str:
    """A case-insensitive ``LIKE`` pattern (use with ``escape="\\\\"``) matching ``text`` literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def contains(column, text: str):
    """``column`` contains ``text``, whatever the case (``%`` and ``_`` in ``text`` are literal)."""
    return sa.func.lower(column).like(_like_pattern(text), escape="\\")


def any_contains(text: str, *columns):
    """One of ``columns`` contains ``text``, whatever the case: a list's search box."""
    return sa.or_(*(contains(column, text) for column in columns))


class ListPage:
    """A page of an in-memory list, with the interface of Flask-SQLAlchemy's Pagination that
    the ``data_table``/``pagination`` macros use."""

    def __init__(self, items: list, page: int, per_page: int):
        self.total = len(items)
        self.per_page = per_page
        self.pages = max(1, -(-self.total // per_page))
        self.page = min(max(page, 1), self.pages)
        start = (self.page - 1) * per_page
        self.items = items[start : start + per_page]

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    def iter_pages(self, *, left_edge=2, left_current=2, right_current=4, right_edge=2):
        last = 0
        for n in range(1, self.pages + 1):
            if (
                n <= left_edge
                or self.page - left_current <= n <= self.page + right_current
                or n > self.pages - right_edge
            ):
                if last + 1 != n:
                    yield None
                yield n
                last = n


class QueryPage(ListPage):
    """One page of a query's rows, counted by the database (see :func:`paginate_by_id`)."""

    def __init__(self, items: list, total: int, page: int, per_page: int):
        self.total, self.per_page, self.page, self.items = total, per_page, page, items
        self.pages = max(1, -(-total // per_page))


def paginate_by_id(stmt, key, *, options=(), page: int, per_page: int) -> QueryPage:
    """Paginate ``stmt`` (a filtered, ordered select of one entity whose primary key is ``key``)
    whose rows are shown with joined relationships (``options``). Two queries, as
    ``db.paginate``, but the joins are made for the page's rows only: the page's keys are chosen
    in a subquery by the filter and the order alone, on their indexes. Joining first and then
    sorting every match (``LIMIT`` after the joins) grows with the data (QUALITY.md P1)."""
    keys = stmt.with_only_columns(key)
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(keys.order_by(None).subquery())
    )
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    chosen = keys.limit(per_page).offset((page - 1) * per_page).scalar_subquery()
    items = list(db.session.scalars(stmt.where(key.in_(chosen)).options(*options)).unique())
    return QueryPage(items, total, page, per_page)
