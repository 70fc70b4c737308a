"""CSV/XLSX exports of the admin lists: accounts, universities, agencies and the audit log.

Each export has the list page's access policy and object checks, reads the page's filters through
the same function and the rows from the same scoped statement (without pagination, at most
``queries.EXPORT_LIMIT`` rows). The columns are the page's table without its buttons. Exports are
GETs: they write nothing, not even an audit row.
"""

from __future__ import annotations

from flask import abort
from flask_babel import format_datetime
from flask_login import current_user

from portal.access import allow, require
from portal.admin import bp, queries
from portal.admin.views import INSTITUTIONS, audit_filters, institution_filters, user_filters
from portal.audit_details import describe_text
from portal.auth import invitations
from portal.auth.models import Role
from portal.exports import FORMATS, export
from portal.i18n import _, _l
from portal.institutions.models import Agency

USER_HEADERS = (_l("Name"), _l("E-mail"), _l("Roles"), _l("Institution"), _l("Status"))
AUDIT_HEADERS = (
    _l("When (WIB)"),
    _l("Action"),
    _l("By"),
    _l("Target"),
    _l("IP address"),
    _l("Details"),
)


def when(moment) -> str:
    """A moment as the portal's local time (WIB), for a spreadsheet cell."""
    return format_datetime(moment, "yyyy-MM-dd HH:mm") if moment else ""


def _institution(user) -> str:
    """The institution cell of the account list (with the admin's scope, as on the page)."""
    home = user.university or user.agency
    text = home.short_name if home else ""
    if user.is_admin:
        scope = (
            _("admin of %(scope)s", scope=user.admin_agency.short_name)
            if user.admin_agency
            else _("city-wide admin")
        )
        text = f"{text} ({scope})" if text else f"({scope})"
    return text


def _account_status(user) -> str:
    if not user.is_active_flag:
        return _("Deactivated")
    if user.password_hash is None:
        return invitations.describe(user)
    return str(user.status.title)


@bp.route("/users/export.<fmt>")
@allow(Role.ADMIN)
def users_export(fmt):
    """The accounts the admin may manage (an OPD admin: its own OPD's ASN and mentors)."""
    if fmt not in FORMATS:
        abort(404)
    stmt = queries.users_stmt(current_user, **user_filters())
    rows = (
        (
            u.full_name,
            u.email,
            ", ".join(sorted(str(r.title) for r in u.roles)),
            _institution(u),
            _account_status(u),
        )
        for u in queries.export_rows(stmt)
    )
    return export(fmt, "users", USER_HEADERS, rows, title=_("Users"))


def _register_institution_export(kind: str) -> None:
    @allow(Role.ADMIN)
    def institutions_export(fmt):
        require(current_user.is_city_admin)  # as the list page: city-wide admins only
        if fmt not in FORMATS:
            abort(404)
        model, _form, title, _one = INSTITUTIONS[kind]
        agencies = model is Agency
        headers = [_("Name"), _("Short name")] + ([_("Kind")] if agencies else []) + [_("Status")]
        rows = (
            [obj.name, obj.short_name]
            + ([obj.kind.title] if agencies else [])
            + [_("Active") if obj.is_active else _("Inactive")]
            for obj in queries.export_rows(
                queries.institutions_stmt(model, **institution_filters())
            )
        )
        return export(fmt, kind, headers, rows, title=title)

    institutions_export.__name__ = f"{kind}_export"
    bp.add_url_rule(f"/{kind}/export.<fmt>", f"{kind}_export", institutions_export)


for _kind in INSTITUTIONS:
    _register_institution_export(_kind)


@bp.route("/audit/export.<fmt>")
@allow(Role.ADMIN)
def audit_log_export(fmt):
    """The filtered audit trail (an OPD admin: events about its own OPD's accounts only)."""
    if fmt not in FORMATS:
        abort(404)
    stmt = queries.audit_events_stmt(current_user, **audit_filters())
    rows = (
        (
            when(e.at),
            e.action_title,
            e.actor.email if e.actor else "",
            e.target_label or "",
            e.ip or "",
            describe_text(e),
        )
        for e in queries.export_rows(stmt)
    )
    return export(fmt, "audit-log", AUDIT_HEADERS, rows, title=_("Audit log"))
