"""Jinja globals and filters: the locale, dates in Asia/Jakarta, the role-aware navigation."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from jinja2 import pass_context
from markupsafe import Markup
from wtforms import Form

from portal.access import may_reach
from portal.auth.models import Role
from portal.i18n import _l
from portal.util import dates
from portal.util.names import single_stop


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    title: object
    roles: frozenset  # empty: every signed-in user
    city_admin_only: bool = False
    public: bool = False  # shown to visitors who are not signed in as well
    #: roles that find the item in one of their groups instead (a shorter menu bar: issue 18)
    grouped_for: frozenset = frozenset()

    def visible_to(self, user) -> bool:
        if not user.is_authenticated:
            return self.public
        if self.city_admin_only and not user.is_city_admin:
            return False
        if user.roles.intersection(self.grouped_for):
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

#: The navigation: each item is shown only to the roles that may use it. An admin's menu bar
#: holds one group per domain (the catalogues and the trainings lists are in the admin's work
#: groups), so that it stays on one line on a 1280 px desktop in Indonesian (issue 18).
NAVIGATION = (
    NavItem("main.dashboard", _l("Dashboard"), frozenset()),
    NavItem("curricula.catalogue", _l("Curricula"), frozenset(), public=True, grouped_for=ADMIN),
    NavItem(
        "internships.positions", _l("Internships"), frozenset(), public=True, grouped_for=ADMIN
    ),
    NavItem("competency.my_profile", _l("My competencies"), ASN),
    NavItem("internships.my_applications", _l("My applications"), STUDENT),
    NavItem("internships.placements", _l("Placements"), STUDENT | MENTOR),
    NavItem("internships.mentor_sessions", _l("My guidance sessions"), MENTOR),
    NavItem("curricula.my_flags", _l("My reports"), ASN | STUDENT),
    NavGroup(
        _l("Curricula work"),
        (
            NavItem("curricula.catalogue", _l("Curricula"), ADMIN),
            NavItem("curricula.list_proposals", _l("Proposals"), ADMIN | UNIVERSITY),
            NavItem("curricula.flag_queue", _l("Material reports"), ADMIN | UNIVERSITY),
            NavItem("competency.demand_board", _l("Demand board"), ADMIN | UNIVERSITY),
        ),
    ),
    NavGroup(
        _l("Internship work"),
        (
            NavItem("internships.positions", _l("Internships"), ADMIN),
            NavItem("auth.verifications", _l("Student verification"), UNIVERSITY),
            NavItem("internships.university_queue", _l("Students' applications"), UNIVERSITY),
            NavItem("internships.manage_positions", _l("Internship positions"), ADMIN),
            NavItem("internships.opd_queue", _l("Applications to the OPD"), ADMIN),
            NavItem("internships.placements", _l("Placements"), ADMIN | UNIVERSITY),
            NavItem("internships.feedback_report", _l("Internship feedback"), ADMIN),
            NavItem("internships.rubric", _l("Assessment rubric"), UNIVERSITY),
            NavItem("internships.university_settings", _l("University settings"), UNIVERSITY),
            NavItem("internships.periods", _l("Internship periods"), ADMIN, city_admin_only=True),
        ),
    ),
    NavGroup(
        _l("Trainings"),
        (
            NavItem("trainings.batches", _l("Training batches"), UNIVERSITY | ASN),
            NavItem("trainings.my_trainings", _l("My trainings"), ASN),
            NavItem("trainings.check_in", _l("Check in to a session"), ASN),
            NavItem("trainings.my_ledger", _l("My JP ledger"), ASN),
            NavItem("trainings.approvals", _l("Training approvals"), ASN),
            NavItem("trainings.my_l3_forms", _l("Follow-up evaluations"), ASN),
            NavItem("trainings.my_recognitions", _l("My recognition"), ASN),
            NavItem("trainings.hall_of_fame", _l("Hall of fame"), ASN),
        ),
    ),
    NavGroup(
        _l("Training work"),
        (
            NavItem("trainings.batches", _l("Training batches"), ADMIN),
            NavItem("trainings.verifications", _l("JP records to verify"), ADMIN),
            NavItem("trainings.compliance", _l("JP compliance"), ADMIN),
            NavItem("trainings.conversion_rules", _l("JP conversion table"), ADMIN),
            NavItem("trainings.quiz_record_queue", _l("Post-tests to record"), ADMIN),
            NavItem(
                "trainings.survey_questions",
                _l("Training survey questions"),
                ADMIN,
                city_admin_only=True,
            ),
            NavItem(
                "trainings.recognition_proposals",
                _l("Recognition proposals"),
                ADMIN,
                city_admin_only=True,
            ),
            NavItem("trainings.nominations", _l("Award nominations"), ADMIN),
            NavItem("trainings.hall_of_fame", _l("Hall of fame"), ADMIN),
        ),
    ),
    NavGroup(
        _l("Administration"),
        (
            NavItem("admin.users", _l("Users"), ADMIN),
            NavItem("competency_admin.list_competencies", _l("Competencies"), ADMIN),
            NavItem("admin.universities", _l("Universities"), ADMIN, city_admin_only=True),
            NavItem("admin.agencies", _l("Agencies (OPD)"), ADMIN, city_admin_only=True),
            NavItem("admin.audit_log", _l("Audit log"), ADMIN),
            NavItem(
                "privacy.request_queue", _l("Personal data requests"), ADMIN, city_admin_only=True
            ),
            NavItem("privacy.view_log", _l("Personal data view log"), ADMIN),
            NavItem("privacy.retention", _l("Retention periods"), ADMIN),
        ),
    ),
)


def nav_items() -> list[NavItem]:
    """Every item of the navigation, groups opened."""
    return [
        leaf
        for item in NAVIGATION
        for leaf in (item.items if isinstance(item, NavGroup) else (item,))
    ]


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


#: Keyword names of ``url_for`` itself: a query argument of that name would be taken for the
#: keyword (``?_method=POST`` builds the URL of a POST rule, ``?endpoint=x`` is a duplicate
#: argument), so the page would answer 500. No filter or pagination of the portal uses them.
URL_FOR_KEYWORDS = frozenset({"endpoint", "values"})


def query_args(*taken) -> dict:
    """The current request's query arguments that may be passed on to ``url_for``: the first
    value of each, without ``url_for``'s own keywords (``endpoint``, ``_method``, ``_anchor``,
    ``_external``, ``_scheme`` and any other name starting with ``_``), without the view's URL
    arguments and without ``taken`` (names the caller sets itself, such as ``fmt``).

    Every link or redirect that carries the page's filters on goes through this, so that no
    odd query string can make building the URL fail."""
    drop = URL_FOR_KEYWORDS.union(taken, request.view_args or ())
    return {k: v for k, v in request.args.items() if not k.startswith("_") and k not in drop}


def url_with(**changes) -> str:
    """The current page's URL with some query arguments changed (pagination, filters)."""
    args = query_args()
    args.update({k: v for k, v in changes.items() if v is not None})
    for k, v in changes.items():
        if v is None:
            args.pop(k, None)
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def csrf_input() -> Markup:
    """The hidden CSRF field of a form. Without an id: a page with several forms would
    otherwise repeat ``id="csrf_token"`` (invalid HTML)."""
    return Markup('<input name="csrf_token" type="hidden" value="%s">') % generate_csrf()


@dataclass(frozen=True)
class FormProblem:
    """One line of the error summary: the field's label and message, and the id to jump to."""

    target: str | None
    label: str
    message: str


#: Fields whose inputs carry ``<id>-0``, ``<id>-1`` … rather than the field's own id.
_GROUPED = {"RadioField", "MultiCheckboxField"}


@pass_context
def form_problems(context) -> list[FormProblem]:
    """Every error of every form on the page that failed validation, for the summary at the
    top of the page (a reader who cannot see the whole page learns at once what to fix, and
    each line links to its field). Hidden fields (the CSRF token) are left to the flash that
    explains them."""
    problems, seen = [], set()
    for value in context.get_all().values():
        if not isinstance(value, Form) or not value.errors or id(value) in seen:
            continue
        seen.add(id(value))
        for message in getattr(value, "form_errors", ()):
            problems.append(FormProblem(None, "", str(message)))
        for field in value:
            if not field.errors or getattr(field.widget, "input_type", None) == "hidden":
                continue
            target = f"{field.id}-0" if field.type in _GROUPED else field.id
            for message in field.errors:
                if not isinstance(message, list | dict):  # a FieldList's or FormField's own
                    problems.append(
                        FormProblem(target, str(field.label.text).rstrip(".:"), str(message))
                    )
    return problems


def init_app(app: Flask) -> None:
    from portal.competency.nip import check_nip

    app.jinja_env.globals.update(
        get_locale=get_locale,
        navigation=navigation,
        url_with=url_with,
        query_args=query_args,
        form_problems=form_problems,
        csrf_input=csrf_input,
        may_reach=may_reach,
        nip_display=lambda nip: check_nip(nip).display,
    )
    # Day first in every language (portal.util.dates): "4 Aug 2027", "04/08/2027 03:30".
    from portal.extensions import babel

    dates.configure(babel)
    app.jinja_env.filters["datetime"] = lambda v, fmt="medium": dates.moment_text(v or None, fmt)
    app.jinja_env.filters["date"] = lambda v, fmt="medium": dates.day_text(v or None, fmt)
    # <time datetime>: HTML allows at most three digits of a second's fraction; whole seconds.
    app.jinja_env.filters["iso_datetime"] = lambda v: v.isoformat(timespec="seconds") if v else ""
    # "Welcome, Dr. Rina Siregar, M.Pd." with one full stop: {{ _("…%(name)s.", …)|single_stop(name) }}
    app.jinja_env.filters["single_stop"] = single_stop

    from portal.main.notifications import cached_unread_count

    @app.context_processor
    def _notifications():
        # A callable: the count query runs only when a page shows the bell, once per request.
        return {"unread_notifications": cached_unread_count}
