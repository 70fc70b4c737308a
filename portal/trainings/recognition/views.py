"""Recognition pages (DOMAIN.md §6): the rules and the proposals queue (city admins), the ASN's
own badges and hall of fame consent, and the hall of fame. The nomination dossiers for formal
awards are in ``views/recognition_nominations.py``.
"""

from __future__ import annotations

from datetime import datetime

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import SIGNED_IN, allow, require
from portal.auth.models import Role
from portal.competency.assessments.queries import asn_for_user
from portal.db import db
from portal.i18n import _
from portal.listing import id_arg, page_arg, page_size, text_arg
from portal.refusals import attempt
from portal.trainings import bp
from portal.trainings.models import is_city_admin
from portal.trainings.recognition import queries, services
from portal.trainings.recognition.forms import (
    ConsentForm,
    FindForm,
    RejectForm,
    RuleForm,
    TokenForm,
)
from portal.trainings.recognition.models import ProposalState, RecognitionRule
from portal.util import clock


def _city_admin() -> None:
    """Recognition is decided by BKPSDM: OPD admins are refused (403)."""
    require(is_city_admin(current_user), 403)


def _year_arg() -> int | None:
    year = request.args.get("year", type=int)
    return year if year is not None and 2000 <= year <= 2100 else None


def _this_year() -> int:
    return datetime.now(clock.zone()).year


# --- rules ---------------------------------------------------------------------------------------


@bp.route("/recognition/rules")
@allow(Role.ADMIN)
def recognition_rules():
    _city_admin()
    return render_template("trainings/recognition/rules.html", rules=queries.rules())


@bp.route("/recognition/rules/<int:rule_id>/edit", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit_recognition_rule(rule_id):
    _city_admin()
    rule = db.get_or_404(RecognitionRule, rule_id)
    form = RuleForm(obj=rule if request.method == "GET" else None)
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        low, high = rule.kind.threshold_range
        if not low <= form.threshold.data <= high:
            form.threshold.errors = [
                _("The threshold runs from %(low)s to %(high)s.", low=low, high=high)
            ]
        else:
            services.update_rule(
                rule,
                title=form.title.data,
                threshold=form.threshold.data,
                is_active=form.is_active.data,
                actor=current_user,
            )
            db.session.commit()
            flash(_("The rule is saved. It applies to the next proposals."), "success")
            return redirect(url_for("trainings.recognition_rules"))
    return render_template("trainings/recognition/rule_form.html", form=form, rule=rule), status


# --- proposals -----------------------------------------------------------------------------------


def queue_filters() -> dict:
    """The filters of the proposals queue (and its export); proposals waiting by default."""
    state = text_arg("state", 20) if "state" in request.args else ProposalState.PROPOSED.value
    return {
        "state": state if state in {s.value for s in ProposalState} else None,
        "year": _year_arg(),
        "agency_id": id_arg("opd"),
        "q": text_arg("q"),
    }


def _render_queue(*, reject_form=None, rejecting=None, find_form=None, status=200):
    filters = queue_filters()
    pagination = queries.proposals(**filters, page=page_arg(), per_page=page_size())
    return render_template(
        "trainings/recognition/proposals.html",
        pagination=pagination,
        filters=filters,
        states=[(s.value, s.title) for s in ProposalState],
        agencies=[(a.id, a.short_name) for a in queries.agencies()],
        token_form=TokenForm(formdata=None),
        reject_form=reject_form or RejectForm(formdata=None),
        rejecting=rejecting,
        find_form=find_form or FindForm(formdata=None, year=_this_year()),
    ), status


@bp.route("/recognition/proposals")
@allow(Role.ADMIN)
def recognition_proposals():
    _city_admin()
    return _render_queue()


def _proposal_or_404(proposal_id: int):
    proposal = queries.proposal(proposal_id)
    require(proposal is not None, 404)
    return proposal


def _back_to_queue():
    return redirect(url_for("trainings.recognition_proposals"))


@bp.route("/recognition/proposals/<int:proposal_id>/approve", methods=["POST"])
@allow(Role.ADMIN)
def approve_recognition(proposal_id):
    _city_admin()
    proposal = _proposal_or_404(proposal_id)
    if TokenForm().validate_on_submit():
        done = attempt(lambda: services.approve(proposal, actor=current_user))
        if done:
            flash(
                _(
                    "Approved: %(name)s receives the certificate and the badge.",
                    name=proposal.asn.user.full_name,
                ),
                "success",
            )
    return _back_to_queue()


@bp.route("/recognition/proposals/<int:proposal_id>/reject", methods=["POST"])
@allow(Role.ADMIN)
def reject_recognition(proposal_id):
    _city_admin()
    proposal = _proposal_or_404(proposal_id)
    form = RejectForm()
    if not form.validate_on_submit():
        return _render_queue(reject_form=form, rejecting=proposal.id, status=400)
    done = attempt(lambda: services.reject(proposal, reason=form.reason.data, actor=current_user))
    if done:
        flash(_("Rejected; %(name)s is told the reason.", name=proposal.asn.user.full_name), "info")
    return _back_to_queue()


@bp.route("/recognition/proposals/find", methods=["POST"])
@allow(Role.ADMIN)
def find_recognitions():
    """Run the proposing now for a year (the daily command does the same)."""
    _city_admin()
    form = FindForm()
    if not form.validate_on_submit():
        return _render_queue(find_form=form, status=400)
    created = services.propose(form.year.data, actor=current_user)
    db.session.commit()
    flash(
        _("%(count)d new proposal(s) for %(year)d.", count=len(created), year=form.year.data),
        "info",
    )
    return redirect(url_for("trainings.recognition_proposals", year=form.year.data))


# --- the ASN's own page ----------------------------------------------------------------------------


@bp.route("/recognition/mine")
@allow(Role.ASN)
def my_recognitions():
    asn = asn_for_user(current_user.id)
    if asn is None:
        return render_template("trainings/recognition/mine.html", asn=None)
    history = queries.consent_history(asn.id)
    current = next((c for c in history if c.withdrawn_at is None), None)
    return render_template(
        "trainings/recognition/mine.html",
        asn=asn,
        badges=queries.badges(asn.id),
        appreciations=queries.jp_appreciations(asn, (_this_year(), _this_year() - 1)),
        current=current,
        history=history,
        consent_form=ConsentForm(formdata=None),
    )


@bp.route("/recognition/mine/consent", methods=["POST"])
@allow(Role.ASN)
def hall_of_fame_consent():
    asn = asn_for_user(current_user.id)
    require(asn is not None, 404)
    form = ConsentForm()
    if not form.validate_on_submit():
        flash(_("Choose whether to appear in the hall of fame."), "danger")
    elif form.action.data == "give":
        services.give_consent(asn, actor=current_user)
        db.session.commit()
        flash(_("You appear in the hall of fame with your approved recognitions."), "success")
    else:
        services.withdraw_consent(asn, actor=current_user)
        db.session.commit()
        flash(_("You no longer appear in the hall of fame."), "info")
    return redirect(url_for("trainings.my_recognitions"))


# --- hall of fame --------------------------------------------------------------------------------


@bp.route("/recognition/hall-of-fame")
@allow(SIGNED_IN)
def hall_of_fame():
    agency_id = id_arg("opd")
    pagination = queries.hall_of_fame(agency_id=agency_id, page=page_arg(), per_page=page_size())
    return render_template(
        "trainings/recognition/hall_of_fame.html",
        pagination=pagination,
        agency_id=agency_id,
        agencies=[(a.id, a.name) for a in queries.agencies()],
    )
