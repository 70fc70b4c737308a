"""Helpers of the position page tests (test_admin_positions.py, test_admin_position_standards.py):
a position added directly, its standard as stored, the standard table as a page shows it, and
the name of a competency's level field. The world they run on: tests/support/worlds/positions.py."""

from __future__ import annotations

import re

import sqlalchemy as sa

from portal.competency.models import Position, PositionKind, StandardItem

URL = "/admin/competency/positions"


def add_position(db, agency, name="Kepala Bidang Aplikasi Informatika", **kw):
    position = Position(
        name=name, kind=kw.pop("kind", PositionKind.ADMINISTRATOR), agency_id=agency.id, **kw
    )
    db.session.add(position)
    db.session.flush()
    return position


def standard(db, position) -> dict[str, int]:
    """The position's standard as {competency code: required level}."""
    db.session.expire_all()
    from portal.competency.models import Competency

    rows = db.session.execute(
        sa.select(Competency.code, StandardItem.required_level)
        .join(Competency, Competency.id == StandardItem.competency_id)
        .where(StandardItem.position_id == position.id)
    )
    return dict(rows.all())


def standard_rows(response) -> dict[str, str]:
    """Code → selected level of each row of the standard table."""
    body = response.get_data(as_text=True)
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        code = re.search(r"<td>(.*?)</td>", row)
        select = re.search(r"<select[^>]*>(.*?)</select>", row, re.S)
        if code and select:
            chosen = re.search(
                r'<option selected value="(\d)"|<option value="(\d)" selected', select.group(1)
            )
            rows[code.group(1)] = (chosen.group(1) or chosen.group(2)) if chosen else "0"
    return rows


def level_field(db, code):
    from portal.competency.models import Competency

    competency = db.session.scalars(sa.select(Competency).where(Competency.code == code)).one()
    return f"level_{competency.id}"
