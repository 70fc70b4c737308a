"""Helpers shared by the administration tests (tests/admin/, and the competency admin pages):
the names in a page's table, staff who read English, the audit trail and row counts."""

from __future__ import annotations

import html
import itertools
import re

import sqlalchemy as sa

from portal.audit import AuditEvent

_emails = itertools.count(1)


def table_cells(response) -> list[str]:
    """The first cell of every body row of the page's table (the name column)."""
    body = response.get_data(as_text=True)
    tbody = re.search(r"<tbody>(.*?)</tbody>", body, re.S)
    if tbody is None:
        return []
    return [
        html.unescape(c).strip()
        for c in re.findall(r"<tr>\s*<td[^>]*>(.*?)</td>", tbody.group(1), re.S)
    ]


def en(make, *roles, **kw):
    kw.setdefault("locale", "en")
    kw.setdefault("email", f"staf{next(_emails)}@mail.example.com")
    return make.user(*roles, **kw)


def events(db, action: str, **where) -> list[AuditEvent]:
    stmt = sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(AuditEvent, key) == value)
    return list(db.session.scalars(stmt))


def count(db, model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))
