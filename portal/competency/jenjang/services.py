"""The JF jenjang table: writes (flush and audit; the view commits)."""

from __future__ import annotations

import sqlalchemy as sa

from portal import audit
from portal.competency import scope
from portal.competency.models import JF_JENJANG, LEVELS, JenjangLevel
from portal.db import db
from portal.errors import DomainError
from portal.i18n import _l


def save_jenjang_levels(*, actor, levels: dict[str, tuple[int, int]]) -> int:
    """Store the required levels of each jenjang (they override the documented defaults and are
    used from then on when a JF position's standard is suggested; existing standards stay).

    Refuses anyone but a city-wide admin, an unknown jenjang and levels outside 1–5. Returns how
    many jenjang changed.
    """
    scope.require_manage(actor.is_city_admin)
    for jenjang, pair in levels.items():
        if jenjang not in JF_JENJANG:
            raise DomainError(_l("This is not a jenjang of a jabatan fungsional."))
        if any(level not in LEVELS for level in pair):
            raise DomainError(_l("A level runs from 1 to 5."))
    rows = {r.jenjang: r for r in db.session.scalars(sa.select(JenjangLevel))}
    changed = 0
    for jenjang, (managerial, technical) in levels.items():
        row = rows.get(jenjang)
        if row is None:
            row = JenjangLevel(jenjang=jenjang, managerial_level=0, technical_level=0)
            db.session.add(row)
        if (row.managerial_level, row.technical_level) != (managerial, technical):
            row.managerial_level, row.technical_level = managerial, technical
            changed += 1
    db.session.flush()
    audit.record(actor, "position.save", None, affected=changed)
    return changed
