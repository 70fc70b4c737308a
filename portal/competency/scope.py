"""What the competency admin screens (``dictionary``, ``positions``, ``asn``) share: which OPDs
an admin works with and may change, id bounds, export rows and the OPD names of a page.

A city-wide admin (BKPSDM) manages every OPD's data; an OPD admin only its own OPD's, and any
other OPD's object is "not found" for it.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from portal.auth.models import User
from portal.db import db
from portal.errors import DomainError
from portal.exports import FORMATS
from portal.i18n import _l
from portal.institutions.models import Agency

#: Largest id a URL or filter may name (beyond it no row exists, and SQLite/PostgreSQL overflow).
MAX_ID = 2**31 - 1


def in_range(obj_id: int) -> bool:
    """Whether ``obj_id`` can name a row at all."""
    return 0 < obj_id <= MAX_ID


#: The most rows an export holds (the list is filtered first; a bigger one is cut there).
EXPORT_LIMIT = 50_000


def export_rows(stmt) -> list:
    """The rows of a list's statement for its CSV/XLSX export: no pagination, at most
    :data:`EXPORT_LIMIT`, with the eager loading the statement declares."""
    return list(db.session.execute(stmt.limit(EXPORT_LIMIT)))


def agencies_in_scope(admin: User, include_ids=()) -> list[Agency]:
    """The OPDs the admin works with: all active ones (plus ``include_ids``) for a city-wide
    admin, only its own for an OPD admin."""
    if not admin.is_city_admin:
        return list(db.session.scalars(sa.select(Agency).where(Agency.id == admin.admin_agency_id)))
    wanted = Agency.is_active.is_(True)
    include = {i for i in include_ids if i}
    if include:
        wanted = sa.or_(wanted, Agency.id.in_(include))
    return list(db.session.scalars(sa.select(Agency).where(wanted).order_by(Agency.name)))


def agency_names(ids) -> dict[int, Agency]:
    """Agencies by id for the rows of a page (one query whatever the number of rows)."""
    ids = {i for i in ids if i}
    return {a.id: a for a in db.session.scalars(sa.select(Agency).where(Agency.id.in_(ids)))}


def agency(agency_id: int | None) -> Agency | None:
    if not agency_id or not in_range(agency_id):
        return None
    return db.session.get(Agency, agency_id)


def may_manage_agency(user, agency_id: int | None) -> bool:
    """City-wide admins manage every OPD's data; an OPD admin only its own OPD's."""
    if not user.is_admin:
        return False
    return user.is_city_admin or (agency_id is not None and agency_id == user.admin_agency_id)


def require_manage(condition: bool) -> None:
    """Refuse a write the admin may not make (a ``DomainError``)."""
    if not condition:
        raise DomainError(_l("You may not change this."))


#: The empty choice of an OPD or position field.
NONE_CHOICE = (0, _l("— none —"))


def check_format(fmt: str) -> None:
    """An export in a format the portal does not write is "not found"."""
    if fmt not in FORMATS:
        abort(404)


def opd_names(objects) -> dict[int, str]:
    """Short names of the rows' OPDs (one query, whatever the number of rows)."""
    return {i: a.short_name for i, a in agency_names(o.agency_id for o in objects).items()}
