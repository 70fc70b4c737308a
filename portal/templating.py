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
    public: bool = False  # shown to visitors who are not signed in as well

    def visible_to(self, user) -> bool:
        if not user.is_authenticated:
            return self.public
        if self.city_admin_only and not user.is_city_admin:
            return False
        return not self.roles or bool(user.roles.intersection(self.roles))


#: The navigation: each item is shown only to the roles that may use it.
NAVIGATION = (
    NavItem("main.dashboard", _l("Dashboard"), frozenset()),
    NavItem("curricula.catalogue", _l("Curricula"), frozenset(), public=True),
    NavItem("competency.my_profile", _l("My competencies"), frozenset({Role.ASN})),
    NavItem("auth.verifications", _l("Student verification"), frozenset({Role.UNIVERSITY})),
    NavItem(
        "competency.demand_board", _l("Demand board"), frozenset({Role.ADMIN, Role.UNIVERSITY})
    ),
    NavItem("curricula.list_proposals", _l("Proposals"), frozenset({Role.ADMIN, Role.UNIVERSITY})),
    NavItem(
        "curricula.flag_queue", _l("Material reports"), frozenset({Role.ADMIN, Role.UNIVERSITY})
    ),
    NavItem("curricula.my_flags", _l("My reports"), frozenset({Role.ASN, Role.STUDENT})),
    NavItem("admin.users", _l("Users"), frozenset({Role.ADMIN})),
    NavItem("competency_admin.list_competencies", _l("Competencies"), frozenset({Role.ADMIN})),
    NavItem(
        "admin.universities", _l("Universities"), frozenset({Role.ADMIN}), city_admin_only=True
    ),
    NavItem("admin.agencies", _l("Agencies (OPD)"), frozenset({Role.ADMIN}), city_admin_only=True),
    NavItem("admin.audit_log", _l("Audit log"), frozenset({Role.ADMIN})),
)


def navigation():
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

    from portal.main.notifications import cached_unread_count

    @app.context_processor
    def _notifications():
        # A callable: the count query runs only when a page shows the bell, once per request.
        return {"unread_notifications": cached_unread_count}
