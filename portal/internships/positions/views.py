"""Position pages: the public list and page, and the OPD admins' management (positions, their
mentors, publishing and closing) with the city admins' periods.

Each view loads, checks who may see (404: another OPD's drafts do not exist for you) and act,
validates, calls a service with explicit keywords, commits once and redirects; a refused or
invalid request re-renders what the user typed.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import PUBLIC, allow, require
from portal.auth.models import Role, User
from portal.db import db
from portal.i18n import _
from portal.institutions.models import Agency
from portal.internships import bp
from portal.internships.applications import queries as application_queries
from portal.internships.models import PositionState, WorkMode, is_verified_student
from portal.internships.positions import queries
from portal.internships.positions import services as position_services
from portal.internships.positions.forms import ConfirmForm, MentorForm, PeriodForm, PositionForm
from portal.listing import id_arg, page_arg, page_size, text_arg
from portal.refusals import attempt

MODES = [(m.value, m.title) for m in WorkMode]
POSITION_STATES = [(s.value, s.title) for s in PositionState]


def visible_position(position_id: int):
    """The position with its OPD, period and mentors; 404 when missing or a draft you may not
    see."""
    found = queries.position(position_id)
    require(found is not None and found.can_view(current_user), 404)
    return found


def managed_position(position_id: int):
    """A position the signed-in admin manages (404 for another OPD's)."""
    found = queries.position(position_id)
    require(found is not None and found.can_manage(current_user), 404)
    return found


def to_position(position):
    return redirect(url_for("internships.position", position_id=position.id))


# --- public ----------------------------------------------------------------------------------


@bp.route("/positions")
@allow(PUBLIC)
def positions():
    filters = {
        "q": text_arg("q"),
        "agency_id": id_arg("opd"),
        "major": text_arg("major"),
        "period_id": id_arg("period"),
        "mode": text_arg("mode", 10),
    }
    pagination = queries.published_positions(**filters, page=page_arg(), per_page=page_size())
    return render_template(
        "internships/positions.html",
        pagination=pagination,
        filters=filters,
        modes=MODES,
        agencies=queries.agencies_with_positions(),
        periods=queries.periods(),
    )


@bp.route("/positions/<int:position_id>")
@allow(PUBLIC)
def position(position_id):
    found = visible_position(position_id)
    status = None
    if current_user.is_authenticated and Role.STUDENT in current_user.roles:
        status = application_queries.apply_status(found, current_user)
    return render_template(
        "internships/position.html",
        position=found,
        apply_status=status,
        can_manage=found.can_manage(current_user),
        confirm=ConfirmForm(),
        is_student=current_user.is_authenticated and Role.STUDENT in current_user.roles,
        is_verified=is_verified_student(current_user),
    )


# --- management ------------------------------------------------------------------------------


def manage_filters() -> dict:
    """The filters of the management list (and its export); the OPD one for city admins only."""
    return {
        "q": text_arg("q"),
        "state": text_arg("state", 10),
        "agency_id": id_arg("opd") if current_user.is_city_admin else None,
    }


@bp.route("/manage/positions")
@allow(Role.ADMIN)
def manage_positions():
    filters = manage_filters()
    pagination, waiting = queries.managed_positions(
        current_user, **filters, page=page_arg(), per_page=page_size()
    )
    return render_template(
        "internships/positions_manage.html",
        pagination=pagination,
        waiting=waiting,
        filters=filters,
        states=POSITION_STATES,
        agencies=queries.active_agencies() if current_user.is_city_admin else [],
    )


def _agency_for_new():
    """The OPD a new position belongs to: the admin's own, or (a city admin) the one chosen in
    the address; None when a city admin has not chosen yet."""
    if current_user.admin_agency_id is not None:
        return db.session.get(Agency, current_user.admin_agency_id), []
    agencies = queries.active_agencies()
    chosen = id_arg("opd")
    return next((a for a in agencies if a.id == chosen), None), agencies


def _render_form(form, position, *, agency=None, agencies=(), status=200, error=None):
    return render_template(
        "internships/position_form.html",
        form=form,
        position=position,
        agency=agency,
        agencies=agencies,
        error=error,
    ), status


def _period(form, periods):
    return next((p for p in periods if p.id == form.period_id.data), None)


@bp.route("/manage/positions/new", methods=["GET", "POST"])
@allow(Role.ADMIN)
def new_position():
    agency, agencies = _agency_for_new()
    periods = queries.periods()
    form = PositionForm()
    form.set_periods(periods)
    if agency is None:
        if form.is_submitted():
            flash(_("Choose the OPD the position belongs to."), "danger")
        return _render_form(
            form, None, agencies=agencies, status=400 if form.is_submitted() else 200
        )
    if not form.validate_on_submit():
        return _render_form(
            form, None, agency=agency, agencies=agencies, status=400 if form.is_submitted() else 200
        )
    period = _period(form, periods)
    if period is None:
        form.period_id.errors = [_("Choose a period.")]
        return _render_form(form, None, agency=agency, agencies=agencies, status=400)
    done = attempt(
        lambda: position_services.create_position(
            agency, actor=current_user, period=period, **form.values()
        ),
        success=_("The position has been saved as a draft. Name its mentors, then publish it."),
        show=False,
    )
    if not done:
        return _render_form(
            form,
            None,
            agency=agency,
            agencies=agencies,
            status=done.error.status,
            error=done.alert,
        )
    return redirect(url_for("internships.position_mentors", position_id=done.value.id))


@bp.route("/manage/positions/<int:position_id>/edit", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit_position(position_id):
    found = managed_position(position_id)
    if found.state == PositionState.CLOSED:
        flash(_("A closed position cannot be changed; publish it again first."), "warning")
        return to_position(found)
    periods = queries.periods()
    form = PositionForm(obj=found if request.method == "GET" else None)
    form.set_periods(periods)
    if found.state != PositionState.DRAFT:
        del form.period_id  # the period is fixed once published
    if not form.validate_on_submit():
        return _render_form(form, found, status=400 if form.is_submitted() else 200)
    changes = form.values()
    if "period_id" in form:
        changes["period"] = _period(form, periods)
        if changes["period"] is None:
            form.period_id.errors = [_("Choose a period.")]
            return _render_form(form, found, status=400)
    done = attempt(
        lambda: position_services.update_position(found, actor=current_user, **changes),
        success=_("The position has been saved."),
        show=False,
    )
    if not done:
        return _render_form(
            form, managed_position(position_id), status=done.error.status, error=done.alert
        )
    return to_position(found)


@bp.route("/manage/positions/<int:position_id>/mentors", methods=["GET", "POST"])
@allow(Role.ADMIN)
def position_mentors(position_id):
    found = managed_position(position_id)
    candidates = queries.mentor_candidates(found)
    form = MentorForm()
    form.set_candidates(candidates)
    if request.method == "GET":
        form.mentee_limit.data = current_app.config["MENTOR_DEFAULT_LIMIT"]
    status = 200
    if form.is_submitted():
        status = 400
        mentor = next((u for u in candidates if u.id == form.mentor_id.data), None)
        if form.validate_on_submit():
            if mentor is None:
                form.mentor_id.errors = [_("Choose a mentor from the list.")]
            else:
                done = attempt(
                    lambda: position_services.add_mentor(
                        found, mentor, actor=current_user, mentee_limit=form.mentee_limit.data
                    ),
                    success=_("%(name)s is now a mentor of this position.", name=mentor.full_name),
                )
                if done:
                    return redirect(url_for("internships.position_mentors", position_id=found.id))
                status = done.error.status
                found = managed_position(position_id)
    return render_template(
        "internships/position_mentors.html",
        position=found,
        form=form,
        confirm=ConfirmForm(),
        rows=queries.mentor_rows(found),
    ), status


def _one_click(position_id: int, call, done: str):
    found = managed_position(position_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(_("The request could not be understood."), "danger")
        return to_position(found)
    attempt(lambda: call(found), success=done)
    return to_position(found)


@bp.route("/manage/positions/<int:position_id>/mentors/<int:mentor_id>/remove", methods=["POST"])
@allow(Role.ADMIN)
def remove_mentor(position_id, mentor_id):
    found = managed_position(position_id)
    mentor = db.session.get(User, mentor_id)
    require(mentor is not None, 404)
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(_("The request could not be understood."), "danger")
    else:
        attempt(
            lambda: position_services.remove_mentor(found, mentor, actor=current_user),
            success=_("The mentor is no longer named for this position."),
        )
    return redirect(url_for("internships.position_mentors", position_id=position_id))


@bp.route("/manage/positions/<int:position_id>/publish", methods=["POST"])
@allow(Role.ADMIN)
def publish_position(position_id):
    return _one_click(
        position_id,
        lambda p: position_services.publish_position(p, actor=current_user),
        _("The position is open for applications."),
    )


@bp.route("/manage/positions/<int:position_id>/close", methods=["POST"])
@allow(Role.ADMIN)
def close_position(position_id):
    return _one_click(
        position_id,
        lambda p: position_services.close_position(p, actor=current_user),
        _("The position is closed; applications already sent go on."),
    )


@bp.route("/manage/periods", methods=["GET", "POST"])
@allow(Role.ADMIN)
def periods():
    form = PeriodForm()
    status = 200
    if form.is_submitted():
        require(current_user.is_city_admin, 403)
        status = 400
        if form.validate_on_submit():
            done = attempt(
                lambda: position_services.create_period(
                    actor=current_user,
                    name=form.name.data,
                    starts_on=form.starts_on.data,
                    ends_on=form.ends_on.data,
                ),
                success=_("The period has been created."),
            )
            if done:
                return redirect(url_for("internships.periods"))
            status = done.error.status
    return render_template(
        "internships/positions_periods.html", form=form, periods=queries.periods()
    ), status
