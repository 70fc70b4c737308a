"""Registration pages: registering and nominating, the ASN's own trainings, one registration
with its history and workflow buttons, and the supervisor's approval queue.

A registration is shown to its ASN, their supervisor, the admins of the ASN's OPD and the people
who run the batch; anyone else gets 404. A step they may see but not take is refused with the
reason (409).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.access import allow, require
from portal.auth.models import Role
from portal.competency.models import AsnProfile
from portal.db import db, utcnow
from portal.i18n import _
from portal.listing import page_arg, page_size
from portal.refusals import attempt
from portal.trainings import bp
from portal.trainings.attendance.services import check_in_window
from portal.trainings.batches import queries as batch_queries
from portal.trainings.batches.forms import NominateForm, TokenForm
from portal.trainings.batches.views import render_batch, visible_batch
from portal.trainings.models import RegistrationState, is_admin_for
from portal.trainings.registrations import services as registration_services
from portal.trainings.registrations import workflow
from portal.trainings.registrations.forms import RegistrationActionForm
from portal.trainings.registrations.workflow import RegistrationAction
from portal.util import links

S = RegistrationState
DANGER = {RegistrationAction.DECLINE, RegistrationAction.CANCEL}
#: Where a workflow button may send the user back to (never a free URL).
BACK = {"approvals": "trainings.approvals", "mine": "trainings.my_trainings"}


# --- registering and nominating ------------------------------------------------------------------


@bp.route("/batches/<int:batch_id>/register", methods=["POST"])
@allow(Role.ASN)
def register(batch_id):
    batch, _mine = visible_batch(batch_id)
    if not TokenForm().validate_on_submit():
        return render_batch(batch_id, status=400, error=_("The form expired; try again."))
    done = attempt(
        lambda: registration_services.register(batch, actor=current_user),
        success=_("Your registration was sent to your supervisor for approval."),
        show=False,
    )
    if not done:
        return render_batch(batch_id, status=done.error.status, error=done.alert)
    return redirect(url_for("trainings.registration", registration_id=done.value.id))


@bp.route("/batches/<int:batch_id>/nominate", methods=["POST"])
@allow(Role.ADMIN)
def nominate(batch_id):
    """An admin nominates an ASN (``asn_id``, found with the batch page's search); an OPD admin
    only ASN of their OPD (others are 404)."""
    batch, _mine = visible_batch(batch_id)
    form = NominateForm()
    if not form.validate_on_submit():
        return render_batch(batch_id, status=400, error=_("Choose an ASN from the search results."))
    asn = db.session.get(AsnProfile, form.asn_id.data)
    require(asn is not None and is_admin_for(current_user, asn.agency_id), 404)
    done = attempt(
        lambda: registration_services.nominate(batch, asn, actor=current_user),
        success=_("The ASN was nominated; their supervisor decides."),
        show=False,
    )
    if not done:
        return render_batch(batch_id, status=done.error.status, error=done.alert)
    return redirect(url_for("trainings.batch", batch_id=batch_id, _anchor="roster"))


# --- the ASN's trainings -------------------------------------------------------------------------


def _next_session(registration, now):
    """The registration's next session (or the one running now) and whether check-in is open."""
    for session in registration.batch.sessions:
        opens, closes = check_in_window(session)
        if closes >= now:
            return session, opens <= now <= closes
    return None, False


@bp.route("/mine")
@allow(Role.ASN)
def my_trainings():
    upcoming, past = batch_queries.my_registrations(
        current_user, page=page_arg(), per_page=page_size()
    )
    now = utcnow()
    next_sessions = {r.id: _next_session(r, now) for r in upcoming if r.state == S.ENROLLED}
    return render_template(
        "trainings/batches/my_trainings.html",
        upcoming=upcoming,
        past=past,
        next_sessions=next_sessions,
        checked_in=batch_queries.checked_in(
            (reg_id, session.id) for reg_id, (session, _open) in next_sessions.items() if session
        ),
        certificates=batch_queries.certificates_for(past.items),
        ledger=links.link("trainings.my_ledger"),
    )


# --- one registration ----------------------------------------------------------------------------


def visible_registration(registration_id: int):
    found = batch_queries.registration_for_page(registration_id)
    require(
        found is not None and registration_services.can_view_registration(found, current_user), 404
    )
    return found


def render_registration(registration_id: int, *, form=None, status: int = 200, error=None):
    found = visible_registration(registration_id)
    certificate = batch_queries.certificates_for([found]).get(found.id)
    actions = workflow.allowed_actions(found, current_user)
    form = form or RegistrationActionForm(formdata=None)
    if RegistrationAction.DECLINE not in actions:
        # The hint about declining is the supervisor's: the ASN (or an admin) only cancels.
        form.note.description = _("Optional; it is kept in the registration's history.")
    return render_template(
        "trainings/batches/registration.html",
        registration=found,
        parties=workflow.parties_of(found, current_user),
        actions=actions,
        form=form,
        error=error,
        danger=DANGER,
        event_titles=workflow.EVENT_TITLES,
        certificate=certificate,
        rank=registration_services.waitlist_rank(found),
        clashes=registration_services.clashing_batches(found.asn_id, found.batch)
        if found.has_clash
        else [],
        links={
            "l1_survey": links.link("trainings.l1_survey", registration_id=found.id),
            "action_plan": links.link("trainings.action_plan", registration_id=found.id),
        },
    ), status


@bp.route("/registrations/<int:registration_id>")
@allow(Role.ASN, Role.ADMIN, Role.UNIVERSITY, own=(Role.ASN, Role.UNIVERSITY))
def registration(registration_id):
    return render_registration(registration_id)


def _take(found, action: RegistrationAction, note: str):
    if action == RegistrationAction.APPROVE:
        return registration_services.approve(found, actor=current_user)
    if action == RegistrationAction.DECLINE:
        return registration_services.decline(found, actor=current_user, reason=note)
    return registration_services.cancel(found, actor=current_user, note=note)


@bp.route("/registrations/<int:registration_id>/action", methods=["POST"])
@allow(Role.ASN, Role.ADMIN, own=(Role.ASN,))
def registration_action(registration_id):
    """Approve, decline (with a reason) or cancel, as ``workflow.allowed_actions`` permits."""
    found = visible_registration(registration_id)
    form = RegistrationActionForm()
    if not form.validate_on_submit():
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return render_registration(registration_id, form=form, status=400, error=error)
    action = RegistrationAction(form.action.data)
    done = attempt(lambda: _take(found, action, form.note.data), show=False)
    if not done:
        return render_registration(
            registration_id, form=form, status=done.error.status, error=done.alert
        )
    state = db.session.get(type(found), registration_id).state
    flash(_("Done: the registration is now “%(state)s”.", state=state.title), "success")
    back = BACK.get(form.back.data or "")
    if back:
        return redirect(url_for(back))
    return redirect(url_for("trainings.registration", registration_id=registration_id))


# --- the supervisor's queue ----------------------------------------------------------------------


@bp.route("/approvals")
@allow(Role.ASN)
def approvals():
    supervisor = batch_queries.my_asn(current_user)
    pagination = (
        batch_queries.approvals(supervisor, page=page_arg(), per_page=page_size())
        if supervisor is not None
        else None
    )
    return render_template(
        "trainings/batches/approvals.html",
        pagination=pagination,
        form=RegistrationActionForm(formdata=None),
    )
