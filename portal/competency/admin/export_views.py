"""CSV/XLSX exports of the competency admin lists: the catalogue, positions and ASN records
(part of the ``competency_admin`` blueprint).

Each export has its list page's policy, reads the page's filters through the same function and
its rows from the same scoped statement, without pagination (at most ``EXPORT_LIMIT`` rows): an
OPD admin's file holds only its own OPD's technical competencies, positions and ASN. The columns
are the page's table without its buttons. Exports are GETs and write nothing.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from portal.access import allow
from portal.auth.models import Role
from portal.competency import admin_bp as bp
from portal.competency.admin import queries
from portal.competency.admin.asn_views import asn_filters
from portal.competency.admin.views import competency_filters, nip_display, position_filters
from portal.exports import FORMATS, export
from portal.i18n import _, _l

COMPETENCY_HEADERS = (
    _l("Code"),
    _l("Name"),
    _l("Type"),
    _l("OPD"),
    _l("Version"),
    _l("Status"),
)
POSITION_HEADERS = (
    _l("Name"),
    _l("Kind of position"),
    _l("OPD"),
    _l("Competencies in the standard"),
)
ASN_HEADERS = (
    _l("Name"),
    _l("NIP"),
    _l("Status"),
    _l("Golongan"),
    _l("Position"),
    _l("OPD"),
    _l("Supervisor"),
)


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        abort(404)


def _opd_names(objects) -> dict[int, str]:
    """Short names of the rows' OPDs (one query, whatever the number of rows)."""
    return {i: a.short_name for i, a in queries.agency_names(o.agency_id for o in objects).items()}


def _competency_name(competency) -> str:
    version = competency.current_version
    if version is None:
        return ""
    if version.to_be_confirmed:
        return f"{version.name} ({_('to be confirmed')})"
    return version.name


@bp.route("/catalogue/export.<fmt>")
@allow(Role.ADMIN)
def list_competencies_export(fmt):
    """The catalogue with the page's filters (an OPD admin: no other OPD's technical ones)."""
    _check(fmt)
    stmt = queries.competencies_stmt(current_user, **competency_filters())
    items = [row[0] for row in queries.export_rows(stmt)]
    names = _opd_names(items)
    rows = (
        (
            c.code,
            _competency_name(c),
            c.type.title,
            names.get(c.agency_id, ""),
            c.current_version.number if c.current_version else "",
            _("Retired") if c.is_retired else _("In use"),
        )
        for c in items
    )
    return export(fmt, "competencies", COMPETENCY_HEADERS, rows, title=_("Competency catalogue"))


@bp.route("/positions/export.<fmt>")
@allow(Role.ADMIN)
def list_positions_export(fmt):
    """The positions with the page's filters and the size of each one's standard."""
    _check(fmt)
    stmt = queries.positions_stmt(current_user, **position_filters())
    found = queries.export_rows(stmt.add_columns(queries.standard_size_column()))
    names = _opd_names(p for p, _size in found)
    rows = (
        (
            f"{p.name} ({p.jenjang})" if p.jenjang else p.name,
            p.kind.title,
            names.get(p.agency_id, ""),
            size,
        )
        for p, size in found
    )
    return export(fmt, "positions", POSITION_HEADERS, rows, title=_("Positions"))


@bp.route("/asn/export.<fmt>")
@allow(Role.ADMIN)
def list_asn_export(fmt):
    """The ASN records with the page's filters (an OPD admin: its own OPD's only)."""
    _check(fmt)
    stmt = queries.asn_records_stmt(current_user, **asn_filters())
    items = [row[0] for row in queries.export_rows(stmt)]
    names = _opd_names(items)
    rows = (
        (
            a.user.full_name,
            nip_display(a.nip),
            a.status.title,
            a.golongan or "",
            a.position.name if a.position else "",
            names.get(a.agency_id, ""),
            a.supervisor.user.full_name if a.supervisor else "",
        )
        for a in items
    )
    return export(fmt, "asn-records", ASN_HEADERS, rows, title=_("ASN records"))
