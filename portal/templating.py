"""Jinja globals and filters: the locale, dates in Asia/Jakarta, the role-aware navigation."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

from portal.auth.models import Role
from portal.i18n import _l


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    title: object
    roles: frozenset  # empty: every signed-in user
    city_admin_only: bool = False

    def visible_to(self, user) -> bool:
        if self.city_admin_only and not user.is_city_admin:
            return False
        return not self.roles or bool(user.roles.intersection(self.roles))


#: The navigation: each item is shown only to the roles that may use it.
NAVIGATION = (
    NavItem("main.dashboard", _l("Dashboard"), frozenset()),
    NavItem("competency.my_profile", _l("My competencies"), frozenset({Role.ASN})),
    NavItem("auth.verifications", _l("Student verification"), frozenset({Role.UNIVERSITY})),
    NavItem(
        "competency.demand_board", _l("Demand board"), frozenset({Role.ADMIN, Role.UNIVERSITY})
    ),
    NavItem("admin.users", _l("Users"), frozenset({Role.ADMIN})),
    NavItem("competency_admin.list_competencies", _l("Competencies"), frozenset({Role.ADMIN})),
    NavItem(
        "admin.universities", _l("Universities"), frozenset({Role.ADMIN}), city_admin_only=True
    ),
    NavItem("admin.agencies", _l("Agencies (OPD)"), frozenset({Role.ADMIN}), city_admin_only=True),
    NavItem("admin.audit_log", _l("Audit log"), frozenset({Role.ADMIN})),
)


def navigation():
    if not current_user.is_authenticated:
        return []
    return [item for item in NAVIGATION if item.visible_to(current_user)]


def url_with(**changes) -> str:
    """The current page's URL with some query arguments changed (pagination, filters)."""
    args = request.args.to_dict()
    args.update({k: v for k, v in changes.items() if v is not None})
    for k, v in changes.items():
        if v is None:
            args.pop(k, None)
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def init_app(app: Flask) -> None:
    from portal.competency.nip import check_nip

    app.jinja_env.globals.update(
        get_locale=get_locale,
        navigation=navigation,
        url_with=url_with,
        nip_display=lambda nip: check_nip(nip).display,
    )
    app.jinja_env.filters["datetime"] = lambda v, fmt="medium": format_datetime(v, fmt) if v else ""
    app.jinja_env.filters["date"] = lambda v, fmt="medium": format_date(v, fmt) if v else ""
