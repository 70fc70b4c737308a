"""Nomination dossiers for formal awards (Anugerah ASN, Satyalancana Karya Satya …): an admin
prepares one for an ASN of their OPD (a city admin for any), prints it and forwards it to the
authorised official. The portal nominates; the award is granted by an SK, never here.
(Imported by ``views/recognition.py``.)
"""

from __future__ import annotations

from datetime import datetime

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import allow, require
from portal.auth.models import Role
from portal.competency.models import AsnProfile
from portal.competency.nip import normalise_nip
from portal.db import db
from portal.i18n import _
from portal.listing import id_arg, page_arg, page_size, text_arg
from portal.refusals import attempt
from portal.trainings import bp
from portal.trainings.recognition import nomination_services, queries
from portal.trainings.recognition.forms import DecisionForm, NominationForm, SubmitNominationForm
from portal.trainings.recognition.models import NominationState
from portal.trainings.recognition.workflow import OWN_NOMINATION
from portal.util import clock


def _may_see_asn(asn: AsnProfile | None) -> bool:
    return asn is not None and (
        current_user.is_city_admin or current_user.admin_agency_id == asn.agency_id
    )


def _nomination_or_404(nomination_id: int):
    nomination = queries.nomination(nomination_id)
    require(nomination is not None and nomination.can_view(current_user), 404)
    return nomination


def nomination_filters() -> dict:
    """The filters of the nominations list (and its export)."""
    state = text_arg("state", 20)
    return {
        "state": state if state in {s.value for s in NominationState} else None,
        "q": text_arg("q"),
    }


@bp.route("/recognition/nominations")
@allow(Role.ADMIN)
def nominations():
    filters = nomination_filters()
    pagination = queries.nominations(current_user, **filters, page=page_arg(), per_page=page_size())
    return render_template(
        "trainings/recognition/nominations.html",
        pagination=pagination,
        **filters,
        states=[(s.value, s.title) for s in NominationState],
    )


def _save(form: NominationForm, nomination, asn):
    """Call the service, commit and go to the dossier (or None to re-render)."""
    done = attempt(
        lambda: nomination_services.save_nomination(
            nomination,
            asn=asn,
            award=form.award.data,
            category=form.category.data,
            year=form.year.data,
            justification=form.justification.data,
            checks=form.checks(),
            actor=current_user,
        ),
        success=_("The nomination dossier is saved."),
    )
    if not done:
        return None
    return redirect(url_for("trainings.nomination", nomination_id=done.value.id))


@bp.route("/recognition/nominations/new", methods=["GET", "POST"])
@allow(Role.ADMIN)
def new_nomination():
    form = NominationForm()
    if request.method == "GET":
        form.year.data = datetime.now(clock.zone()).year
        wanted = id_arg("asn_id")
        asn = db.session.get(AsnProfile, wanted) if wanted else None
        if _may_see_asn(asn):
            form.nip.data = asn.nip
        return render_template(
            "trainings/recognition/nomination_form.html", form=form, nomination=None
        )
    if form.validate_on_submit():
        asn = queries.asn_by_nip(normalise_nip(form.nip.data or ""))
        if not _may_see_asn(asn):
            form.nip.errors = [_("No ASN of your OPD has this NIP.")]
        else:
            done = _save(form, None, asn)
            if done is not None:
                return done
    return render_template(
        "trainings/recognition/nomination_form.html", form=form, nomination=None
    ), 400


@bp.route("/recognition/nominations/<int:nomination_id>")
@allow(Role.ADMIN)
def nomination(nomination_id):
    """The printable dossier."""
    nomination = _nomination_or_404(nomination_id)
    return _dossier(nomination)


def _dossier(nomination, submit_form=None, status=200, decision_form=None):
    today = datetime.now(clock.zone()).date()
    return render_template(
        "trainings/recognition/nomination.html",
        nomination=nomination,
        badges=queries.badges(nomination.asn_id),
        service_years=nomination_services.service_years(nomination.asn, today),
        submit_form=submit_form or SubmitNominationForm(formdata=None),
        decision_form=decision_form or DecisionForm(formdata=None),
    ), status


@bp.route("/recognition/nominations/<int:nomination_id>/edit", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit_nomination(nomination_id):
    nomination = _nomination_or_404(nomination_id)
    if not nomination.can_change(current_user):
        flash(
            _("A submitted nomination can no longer be changed.")
            if nomination.state != NominationState.PREPARED
            else str(OWN_NOMINATION),
            "warning",
        )
        return redirect(url_for("trainings.nomination", nomination_id=nomination.id))
    form = NominationForm(obj=nomination if request.method == "GET" else None)
    form.nip.data = nomination.asn.nip
    if form.validate_on_submit():
        done = _save(form, nomination, nomination.asn)
        if done is not None:
            return done
        nomination = _nomination_or_404(nomination_id)
    status = 400 if form.is_submitted() else 200
    return render_template(
        "trainings/recognition/nomination_form.html", form=form, nomination=nomination
    ), status


@bp.route("/recognition/nominations/<int:nomination_id>/submit", methods=["POST"])
@allow(Role.ADMIN)
def submit_nomination(nomination_id):
    nomination = _nomination_or_404(nomination_id)
    form = SubmitNominationForm()
    if not form.validate_on_submit():
        return _dossier(nomination, form, 400)
    done = attempt(
        lambda: nomination_services.submit_nomination(
            nomination, submitted_to=form.submitted_to.data, actor=current_user
        ),
        success=_("The nomination is submitted. The authorised official decides on the award."),
    )
    if not done:
        return _dossier(_nomination_or_404(nomination_id), form, done.error.status)
    return redirect(url_for("trainings.nomination", nomination_id=nomination_id))


@bp.route("/recognition/nominations/<int:nomination_id>/decision", methods=["POST"])
@allow(Role.ADMIN)
def record_decision(nomination_id):
    """Record the authorised official's decision: awarded (with the SK's number and date) or
    not. What was typed stays in the form when it is refused."""
    nomination = _nomination_or_404(nomination_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _dossier(nomination, status=400, decision_form=form)
    done = attempt(
        lambda: nomination_services.record_decision(
            nomination,
            awarded=form.outcome.data == "awarded",
            decision_number=form.decision_number.data,
            decision_date=form.decision_date.data,
            actor=current_user,
        ),
        form=form,
        success=_("The decision is recorded."),
    )
    if not done:
        return _dossier(
            _nomination_or_404(nomination_id), status=done.error.status, decision_form=form
        )
    return redirect(url_for("trainings.nomination", nomination_id=nomination_id))
