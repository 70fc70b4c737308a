"""Logbook pages: write and change an entry (the student), one step on an entry (the student
submits; the mentor approves or returns it with a comment), and an entry's attachment."""

from __future__ import annotations

from flask import flash, render_template, request
from flask_babel import format_date
from flask_login import current_user

from portal import uploads
from portal.access import allow, require
from portal.auth.models import Role
from portal.i18n import _
from portal.internships import bp
from portal.internships.placements import logbook_services
from portal.internships.placements import queries as placement_queries
from portal.internships.placements.forms import EntryActionForm, EntryForm
from portal.internships.placements.models import EntryAction, can_add_entry, logbook_opens_on
from portal.internships.placements.views import (
    SHARING,
    SHARING_OWN,
    render_placement,
    to_placement,
    viewable,
)
from portal.refusals import attempt
from portal.util import clock


def _entry(entry_id: int):
    """The entry and its placement, or 404 when the user may not see them (a draft is the
    student's own)."""
    entry = placement_queries.entry(entry_id)
    require(entry is not None, 404)
    placement, _hours = viewable(entry.placement_id)
    require(entry.can_view(placement, current_user), 404)
    return entry, placement


def _default_day(placement):
    """Today, within the placement's dates."""
    return min(max(clock.today(), placement.starts_on), placement.ends_on)


def _fields(form: EntryForm) -> dict:
    return {
        "day": form.day.data,
        "minutes": form.minutes,
        "activities": form.activities.data,
        "outputs": form.outputs.data or "",
        "upload": form.attachment.data,
        "submit": form.submit_now,
    }


def _saved_message(submitted: bool) -> str:
    return (
        _("The entry was sent to your mentor.")
        if submitted
        else _("The entry was saved as a draft.")
    )


@bp.route("/placements/<int:placement_id>/logbook/new", methods=["GET", "POST"])
@allow(Role.STUDENT, own=(Role.STUDENT,))
def new_entry(placement_id):
    placement, _hours = viewable(placement_id)
    require(placement.student_id == current_user.id, 404)
    if not can_add_entry(placement, current_user):
        flash(
            _(
                "This placement is “%(status)s”: its logbook can no longer change.",
                status=placement.status.title,
            ),
            "warning",
        )
        return to_placement(placement.id)
    opens = logbook_opens_on(placement, clock.today())
    if opens is not None:
        flash(
            _(
                "Your logbook opens on %(day)s, the first day of the placement.",
                day=format_date(opens, "long"),
            ),
            "info",
        )
        return to_placement(placement.id)
    form = EntryForm(data={"day": _default_day(placement)} if request.method == "GET" else None)
    del form.remove_attachment
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            done = attempt(
                lambda: logbook_services.add_entry(placement, actor=current_user, **_fields(form)),
                success=_saved_message(form.submit_now),
            )
            if done:
                return to_placement(placement_id, f"entry-{done.value.id}")
            status = done.error.status
            placement, _hours = viewable(placement_id)
    return render_template(
        "internships/logbook_form.html", form=form, placement=placement, entry=None, history=[]
    ), status


@bp.route("/logbook/<int:entry_id>/edit", methods=["GET", "POST"])
@allow(Role.STUDENT, own=(Role.STUDENT,))
def edit_entry(entry_id):
    entry, placement = _entry(entry_id)
    require(placement.student_id == current_user.id, 404)
    if not entry.can_edit(placement, current_user):
        flash(str(logbook_services.not_editable(entry, placement, current_user).message), "warning")
        return to_placement(placement.id, f"entry-{entry.id}")
    form = EntryForm(obj=entry if request.method == "GET" else None)
    if request.method == "GET":
        form.hours.data = entry.minutes / 60
    if entry.attachment_id is None:
        del form.remove_attachment
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            placement_id = placement.id
            done = attempt(
                lambda: logbook_services.edit_entry(
                    entry,
                    placement,
                    actor=current_user,
                    **_fields(form),
                    remove_attachment=bool(
                        getattr(form, "remove_attachment", None) and form.remove_attachment.data
                    ),
                ),
                success=_saved_message(form.submit_now),
            )
            if done:
                logbook_services.remove_files(done.value)  # the commit went through
                return to_placement(placement_id, f"entry-{entry_id}")
            status = done.error.status
            entry, placement = _entry(entry_id)
    return render_template(
        "internships/logbook_form.html",
        form=form,
        placement=placement,
        entry=entry,
        history=placement_queries.entry_history(entry.id),
    ), status


@bp.route("/logbook/<int:entry_id>/action", methods=["POST"])
@allow(Role.STUDENT, Role.MENTOR, own=(Role.STUDENT, Role.MENTOR))
def entry_action(entry_id):
    entry, placement = _entry(entry_id)
    form = EntryActionForm()
    if not form.validate_on_submit():
        return render_placement(placement.id, status=400, entry_form=form, failed_entry=entry.id)
    action = EntryAction(form.action.data)
    placement_id = placement.id
    done = attempt(
        lambda: logbook_services.take_entry_action(
            entry, placement, action, actor=current_user, comment=form.comment.data or ""
        ),
        success={
            EntryAction.SUBMIT: _("The entry was sent to your mentor."),
            EntryAction.APPROVE: _("The entry was approved."),
            EntryAction.RETURN: _("The entry was returned to the student with your comment."),
        }[action],
        show=False,
    )
    if not done:
        return render_placement(
            placement_id,
            status=done.error.status,
            error=done.alert,
            entry_form=form,
            failed_entry=entry_id,
        )
    page = request.args.get("page", type=int)
    return to_placement(placement_id, f"entry-{entry_id}", **({"page": page} if page else {}))


@bp.route("/logbook/<int:entry_id>/attachment")
@allow(*SHARING, own=SHARING_OWN)
def entry_attachment(entry_id):
    entry, _placement = _entry(entry_id)
    require(entry.attachment is not None, 404)
    return uploads.send(entry.attachment)
