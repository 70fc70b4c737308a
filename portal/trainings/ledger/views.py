"""The JP ledger of one ASN: their year against the target (seen by the ASN, their direct
supervisor and the admins of their OPD), a record submitted from elsewhere, a record's page
with its history and evidence, and the verifier's decision on it."""

from __future__ import annotations

from contextlib import contextmanager

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal import uploads
from portal.access import allow, require
from portal.auth.models import Role
from portal.competency.assessments import queries as asn_queries
from portal.errors import DomainError
from portal.i18n import _
from portal.refusals import attempt
from portal.templating import query_args
from portal.trainings import bp
from portal.trainings.ledger import conversion, pending_evidence
from portal.trainings.ledger import queries as ledger_queries
from portal.trainings.ledger import services as ledger_services
from portal.trainings.ledger.conversion import Scope, UnitContext
from portal.trainings.ledger.forms import ExternalRecordForm, RejectForm, VerifyForm
from portal.util import clock
from portal.view_log import record_view

FIRST_YEAR = 2020


def year_arg() -> int:
    """``?year=`` within 2020 … next year (anything else: this year)."""
    this_year = clock.today().year
    year = request.args.get("year", type=int)
    return year if year is not None and FIRST_YEAR <= year <= this_year + 1 else this_year


def year_choices() -> list[int]:
    return list(range(clock.today().year + 1, FIRST_YEAR - 1, -1))


def _render_ledger(asn, *, own: bool):
    year = year_arg()
    ledger = ledger_queries.ledger_for(asn, year, as_of=clock.today())
    reports = ledger_queries.reports_progress(asn, year) if own else []
    return render_template(
        "trainings/ledger/ledger.html",
        ledger=ledger,
        asn=asn,
        own=own,
        year=year,
        years=year_choices(),
        reports=reports,
    )


@bp.route("/ledger")
@allow(Role.ASN)
def my_ledger():
    asn = asn_queries.asn_for_user(current_user.id)
    if asn is None:
        return render_template("trainings/ledger/no_record.html")
    return _render_ledger(asn, own=True)


@bp.route("/ledger/asn/<int:asn_id>")
@allow(Role.ASN, Role.ADMIN, own=(Role.ASN,))
def asn_ledger(asn_id):
    asn = asn_queries.asn_by_id(asn_id)
    # Someone else's ledger is private: 404, not 403.
    require(asn is not None and asn_queries.can_view(asn, current_user), 404)
    if asn.user_id == current_user.id:
        return redirect(url_for("trainings.my_ledger", **query_args()))
    record_view(asn.user_id, "asn_ledger", asn.id, agency_id=asn.agency_id)
    return _render_ledger(asn, own=False)


# --- submitting a record from elsewhere ----------------------------------------------------------


def _preview(form: ExternalRecordForm):
    """The JP the record would get under the rule in force, or None with the reason on the
    field it concerns (a scope without a rule, a quantity the rule refuses)."""
    try:
        jp, explanation = conversion.convert(
            form.form.data,
            Scope(form.scope.data),
            float(form.quantity.data),
            UnitContext.between(form.started_on.data, form.ended_on.data),
        )
    except DomainError as exc:
        form.scope.errors = [*form.scope.errors, exc.message]
        return None
    if jp > ledger_services.MAX_JP:
        form.quantity.errors = [*form.quantity.errors, ledger_services.TOO_MANY_JP]
        return None
    return jp, explanation


def _future(form: ExternalRecordForm) -> bool:
    if form.ended_on.data and form.ended_on.data > clock.today():
        form.ended_on.errors = [*form.ended_on.errors, _("Record development once it has ended.")]
        return True
    return False


def _chosen(form: ExternalRecordForm):
    """The file chosen in this request, or None."""
    return form.evidence.data if getattr(form.evidence.data, "filename", None) else None


@contextmanager
def _evidence_upload(form: ExternalRecordForm, kept):
    """The file chosen now, else the one kept from the preview (None when there is neither)."""
    chosen = _chosen(form)
    if chosen is not None or kept is None:
        yield chosen
        return
    with pending_evidence.opened(kept) as upload:
        yield upload


def _save(asn, form: ExternalRecordForm, kept):
    """Submit the record; a redirect to its page, or (None, status) with the error on the file
    field (the other fields were checked before)."""
    with _evidence_upload(form, kept) as evidence:
        if evidence is None:
            form.evidence.errors = [_("Attach the certificate or other proof.")]
            return None, 400
        done = _submit(asn, form, evidence)
    if not done:
        form.evidence.errors = [done.error.message]
        return None, 400
    pending_evidence.forget(kept)
    entry = done.value
    flash(
        _("Your record was sent for verification (%(jp)s JP once verified).", jp=_jp(entry.jp)),
        "success",
    )
    return redirect(url_for("trainings.ledger_entry", entry_id=entry.id)), 302


def _submit(asn, form: ExternalRecordForm, evidence):
    return attempt(
        lambda: ledger_services.submit_external(
            asn,
            form=form.form.data,
            scope=form.scope.data,
            title=form.title.data,
            organiser=form.organiser.data,
            started_on=form.started_on.data,
            ended_on=form.ended_on.data,
            quantity=float(form.quantity.data),
            evidence_upload=evidence,
            certificate_number=form.certificate_number.data,
            actor=current_user,
        ),
        show=False,
    )


def _keep_evidence(form: ExternalRecordForm, kept):
    """The file to show as kept when the form is shown again: the one chosen now (replacing the
    one kept before), unless it was refused; else the one kept before."""
    chosen = _chosen(form)
    if chosen is None or form.evidence.errors:
        return kept
    try:
        new = pending_evidence.keep(
            chosen, user_id=current_user.id, allowed=ledger_services.EVIDENCE_KINDS
        )
    except DomainError as exc:
        form.evidence.errors = [*form.evidence.errors, exc.message]
        return kept
    pending_evidence.forget(kept)
    return new


@bp.route("/ledger/submit", methods=["GET", "POST"])
@allow(Role.ASN)
def submit_external():
    asn = asn_queries.asn_for_user(current_user.id)
    if asn is None:
        return render_template("trainings/ledger/no_record.html")
    rules = conversion.rule_table()
    form = ExternalRecordForm()
    form.set_choices(rules)
    preview, status, kept = None, 200, None
    if form.is_submitted():
        status = 400
        kept = pending_evidence.find(form.kept_evidence.data, user_id=current_user.id)
        if form.validate() and not _future(form):
            preview = _preview(form)
        if preview is not None and form.previewing:
            status = 200
        elif preview is not None:
            response, status = _save(asn, form, kept)
            if response is not None:
                return response
            rules = conversion.rule_table()  # the rollback expired the stored rows
            if form.evidence.errors and _chosen(form) is None:
                pending_evidence.forget(kept)  # the kept file was refused: choose another
                kept = None
        kept = _keep_evidence(form, kept)
    form.kept_evidence.data = kept.token if kept else ""
    return render_template(
        "trainings/ledger/submit.html", form=form, preview=preview, rules=rules, kept=kept
    ), status


def _jp(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


# --- one record -------------------------------------------------------------------------------


def _entry(entry_id: int):
    entry = ledger_queries.entry_detail(entry_id)
    require(entry is not None and ledger_queries.can_read_entry(entry, current_user), 404)
    return entry


def _render_entry(entry, *, reject_form=None, error=None, status: int = 200):
    return render_template(
        "trainings/ledger/entry.html",
        entry=entry,
        role=entry.role_of(current_user),
        can_verify=entry.can_verify(current_user),
        verify_form=VerifyForm(formdata=None),
        reject_form=reject_form or RejectForm(formdata=None),
        error=error,
    ), status


@bp.route("/ledger/entries/<int:entry_id>")
@allow(Role.ASN, Role.ADMIN, own=(Role.ASN,))
def ledger_entry(entry_id):
    return _render_entry(_entry(entry_id))


@bp.route("/ledger/entries/<int:entry_id>/evidence")
@allow(Role.ASN, Role.ADMIN, own=(Role.ASN,))
def entry_evidence(entry_id):
    entry = _entry(entry_id)
    # The ASN and the verifiers only (a supervisor sees the record, not the document).
    require(entry.can_view(current_user) and entry.evidence is not None, 404)
    return uploads.send(entry.evidence)


@bp.route("/ledger/entries/<int:entry_id>/verify", methods=["POST"])
@allow(Role.ADMIN)
def verify_entry(entry_id):
    entry = _entry(entry_id)
    require(entry.can_view(current_user), 404)
    if not VerifyForm().validate_on_submit():
        return _render_entry(entry, status=400)
    done = attempt(
        lambda: ledger_services.verify_external(entry, actor=current_user),
        success=_("The record was verified; its JP now count."),
        show=False,
    )
    if not done:
        return _render_entry(_entry(entry_id), error=done.alert, status=done.error.status)
    return redirect(url_for("trainings.ledger_entry", entry_id=entry_id))


@bp.route("/ledger/entries/<int:entry_id>/reject", methods=["POST"])
@allow(Role.ADMIN)
def reject_entry(entry_id):
    entry = _entry(entry_id)
    require(entry.can_view(current_user), 404)
    form = RejectForm()
    if not form.validate_on_submit():
        return _render_entry(entry, reject_form=form, status=400)
    done = attempt(
        lambda: ledger_services.reject_external(entry, actor=current_user, reason=form.reason.data),
        success=_("The record was rejected; the ASN can read your reason."),
        show=False,
    )
    if not done:
        return _render_entry(
            _entry(entry_id),
            reject_form=form,
            error=done.alert,
            status=done.error.status,
        )
    return redirect(url_for("trainings.ledger_entry", entry_id=entry_id))
