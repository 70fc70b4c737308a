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


@dataclass(frozen=True)
class NavGroup:
    """A drop-down menu of items; shown when at least one of its items is."""

    title: object
    items: tuple[NavItem, ...]
    endpoint: str = ""  # a group has no page of its own

    def visible_items(self, user) -> list[NavItem]:
        return [item for item in self.items if item.visible_to(user)]


ADMIN, UNIVERSITY, ASN = (
    frozenset({Role.ADMIN}),
    frozenset({Role.UNIVERSITY}),
    frozenset({Role.ASN}),
)
STUDENT, MENTOR = frozenset({Role.STUDENT}), frozenset({Role.MENTOR})

#: The navigation: each item is shown only to the roles that may use it.
NAVIGATION = (
    NavItem("main.dashboard", _l("Dashboard"), frozenset()),
    NavItem("curricula.catalogue", _l("Curricula"), frozenset(), public=True),
    NavItem("internships.positions", _l("Internships"), frozenset(), public=True),
    NavItem("competency.my_profile", _l("My competencies"), ASN),
    NavItem("internships.my_applications", _l("My applications"), STUDENT),
    NavItem("internships.placements", _l("Placements"), STUDENT | MENTOR),
    NavItem("internships.mentor_sessions", _l("My guidance sessions"), MENTOR),
    NavItem("curricula.my_flags", _l("My reports"), ASN | STUDENT),
    NavGroup(_l("Curricula work"), (
        NavItem("curricula.list_proposals", _l("Proposals"), ADMIN | UNIVERSITY),
        NavItem("curricula.flag_queue", _l("Material reports"), ADMIN | UNIVERSITY),
        NavItem("competency.demand_board", _l("Demand board"), ADMIN | UNIVERSITY),
    )),
    NavGroup(_l("Internship work"), (
        NavItem("auth.verifications", _l("Student verification"), UNIVERSITY),
        NavItem("internships.university_queue", _l("Students' applications"), UNIVERSITY),
        NavItem("internships.manage_positions", _l("Internship positions"), ADMIN),
        NavItem("internships.opd_queue", _l("Applications to the OPD"), ADMIN),
        NavItem("internships.placements", _l("Placements"), ADMIN | UNIVERSITY),
        NavItem("internships.feedback_report", _l("Internship feedback"), ADMIN),
        NavItem("internships.rubric", _l("Assessment rubric"), UNIVERSITY),
        NavItem("internships.university_settings", _l("University settings"), UNIVERSITY),
        NavItem("internships.periods", _l("Internship periods"), ADMIN, city_admin_only=True),
    )),
    NavGroup(_l("Trainings"), (
        NavItem("trainings.batches", _l("Training batches"), ADMIN | UNIVERSITY | ASN),
        NavItem("trainings.my_trainings", _l("My trainings"), ASN),
        NavItem("trainings.check_in", _l("Check in to a session"), ASN),
        NavItem("trainings.my_ledger", _l("My JP ledger"), ASN),
        NavItem("trainings.approvals", _l("Training approvals"), ASN),
        NavItem("trainings.my_l3_forms", _l("Follow-up evaluations"), ASN),
        NavItem("trainings.my_recognitions", _l("My recognition"), ASN),
        NavItem("trainings.hall_of_fame", _l("Hall of fame"), ADMIN | ASN),
    )),
    NavGroup(_l("Training work"), (
        NavItem("trainings.verifications", _l("JP records to verify"), ADMIN),
        NavItem("trainings.compliance", _l("JP compliance"), ADMIN),
        NavItem("trainings.conversion_rules", _l("JP conversion table"), ADMIN),
        NavItem("trainings.quiz_record_queue", _l("Post-tests to record"), ADMIN),
        NavItem("trainings.survey_questions", _l("Training survey questions"), ADMIN,
                city_admin_only=True),
        NavItem("trainings.recognition_proposals", _l("Recognition proposals"), ADMIN,
                city_admin_only=True),
        NavItem("trainings.nominations", _l("Award nominations"), ADMIN),
    )),
    NavGroup(_l("Administration"), (
        NavItem("admin.users", _l("Users"), ADMIN),
        NavItem("competency_admin.list_competencies", _l("Competencies"), ADMIN),
        NavItem("admin.universities", _l("Universities"), ADMIN, city_admin_only=True),
        NavItem("admin.agencies", _l("Agencies (OPD)"), ADMIN, city_admin_only=True),
        NavItem("admin.audit_log", _l("Audit log"), ADMIN),
        NavItem("privacy.request_queue", _l("Personal data requests"), ADMIN,
                city_admin_only=True),
        NavItem("privacy.view_log", _l("Personal data view log"), ADMIN),
        NavItem("privacy.retention", _l("Retention periods"), ADMIN),
    )),
)  # fmt: skip


def nav_items() -> list[NavItem]:
    """Every item of the navigation, groups opened."""
    return [leaf for item in NAVIGATION
            for leaf in (item.items if isinstance(item, NavGroup) else (item,))]  # fmt: skip


def navigation() -> list:
    """What ``current_user`` sees: items, and groups as (group, their visible items)."""
    shown = []
    for item in NAVIGATION:
        if isinstance(item, NavGroup):
            items = item.visible_items(current_user)
            if items:
                shown.append((item, items))
        elif item.visible_to(current_user):
            shown.append((item, None))
    return shown


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
