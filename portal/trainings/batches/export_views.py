"""CSV/XLSX exports of the training lists admins, OPDs and universities see: batches, a batch's
participants, the verification queue, post-tests to record, recognition proposals and award
nominations. Each reads the page's filters and scoped statement without pagination and writes
the page's columns; read-only GETs. (Compliance, SIASN, L1 and test results export from their
own modules.)"""

from __future__ import annotations

from flask_login import current_user

from portal.access import SIGNED_IN, allow, require
from portal.auth.models import Role
from portal.exports import export
from portal.i18n import _
from portal.listing import text_arg
from portal.trainings import bp
from portal.trainings.attendance.services import attendance_rates, can_mark_attendance
from portal.trainings.batches import list_queries
from portal.trainings.batches import queries as batch_queries
from portal.trainings.batches import services as batch_services
from portal.trainings.batches.views import batch_filters, visible_batch
from portal.trainings.ledger import queries as ledger_queries
from portal.trainings.models import RegistrationState
from portal.trainings.quizzes import queries as quiz_queries
from portal.trainings.recognition import queries as recognition_queries
from portal.trainings.recognition.nomination_views import nomination_filters
from portal.trainings.recognition.views import _city_admin, queue_filters
from portal.util import clock

#: Who runs a batch (as on the test results): admins, university facilitators and co-authors,
#: ASN co-authors; the last two only on their own batches.
RUNNERS = (Role.ADMIN, Role.UNIVERSITY, Role.ASN)
RUNNERS_OWN = (Role.UNIVERSITY, Role.ASN)


def when(moment) -> str:
    """A moment in WIB (Asia/Jakarta) for a spreadsheet."""
    return moment.astimezone(clock.zone()).strftime("%Y-%m-%d %H:%M") if moment else ""


def day(value) -> str:
    return value.isoformat() if value else ""


@bp.route("/batches/export.<fmt>")
@allow(SIGNED_IN)
def batches_export(fmt):
    headers = [
        _("Training"),
        _("Curriculum"),
        _("First session (WIB)"),
        _("JP"),
        _("Seats left"),
        _("Capacity"),
        _("State"),
        _("Open to OPD"),
        _("Open to positions"),
    ]
    rows = [
        (
            b.title,
            b.curriculum.title,
            when(b.sessions[0].starts_at) if b.sessions else "",
            b.jp,
            b.seats_left,
            b.capacity,
            str(b.state.title),
            ", ".join(a.short_name for a in b.target_agencies) or _("Every OPD"),
            ", ".join(p.name for p in b.target_positions),
        )
        for b in list_queries.batch_list_export(current_user, **batch_filters())
    ]
    return export(fmt, "pelatihan", headers, rows, title=_("Trainings"))


@bp.route("/batches/<int:batch_id>/participants/export.<fmt>")
@allow(*RUNNERS, own=RUNNERS_OWN)
def participants_export(batch_id, fmt):
    """The batch's roster as on its page: for the people who run the batch (404 otherwise)."""
    batch, _mine = visible_batch(batch_id)
    require(
        batch_services.can_manage(batch, current_user) or can_mark_attendance(batch, current_user),
        404,
    )
    rates = attendance_rates(batch)
    headers = [_("Name"), _("NIP"), _("State"), _("Waiting list"), _("Attendance (%)")]
    rows = []
    for r, rank in batch_queries.roster_export(batch):
        rate = r.attendance_rate
        if rate is None and batch.sessions and r.state == RegistrationState.ENROLLED:
            rate = rates.get(r.id, 0)
        rows.append(
            (
                r.user.full_name,
                r.asn.nip if r.asn else "",
                str(r.state.title),
                rank if r.state == RegistrationState.WAITLISTED else "",
                round(rate * 100) if rate is not None else "",
            )
        )
    return export(fmt, f"peserta-pelatihan-{batch.id}", headers, rows, title=_("Participants"))


@bp.route("/ledger/verifications/export.<fmt>")
@allow(Role.ADMIN)
def verifications_export(fmt):
    agencies = ledger_queries.agency_names()
    headers = [
        _("ASN"),
        _("NIP"),
        _("OPD"),
        _("Activity"),
        _("Form"),
        _("Scope"),
        _("Starts on"),
        _("Ends on"),
        _("JP"),
        _("Sent (WIB)"),
    ]
    rows = [
        (
            e.asn.user.full_name,
            e.asn.nip,
            agencies.get(e.asn.agency_id, ""),
            e.title,
            str(e.form_title),
            str(e.scope.title),
            day(e.started_on),
            day(e.ended_on),
            e.jp,
            when(e.created_at),
        )
        for e in ledger_queries.verification_export(current_user, text_arg("q"))
    ]
    return export(fmt, "verifikasi-jp", headers, rows, title=_("Records to verify"))


@bp.route("/post-tests/to-record/export.<fmt>")
@allow(Role.ADMIN)
def quiz_record_queue_export(fmt):
    headers = [_("Name"), _("NIP"), _("Training"), _("Score"), _("Submitted (WIB)")]
    rows = [
        (
            a.registration.asn.user.full_name,
            a.registration.asn.nip,
            a.registration.batch.title,
            a.score,
            when(a.submitted_at),
        )
        for a in quiz_queries.to_record_export(current_user, q=text_arg("q"))
    ]
    return export(fmt, "post-test-dicatat", headers, rows, title=_("Post-tests"))


@bp.route("/recognition/proposals/export.<fmt>")
@allow(Role.ADMIN)
def recognition_proposals_export(fmt):
    _city_admin()
    headers = [
        _("ASN"),
        _("NIP"),
        _("OPD"),
        _("Recognition"),
        _("Year"),
        _("Kind"),
        _("State"),
        _("Decided at (WIB)"),
        _("Reason"),
        _("Certificate"),
    ]
    rows = [
        (
            p.asn.user.full_name,
            p.asn.nip,
            p.agency.short_name,
            p.title,
            p.period,
            str(p.rule.kind.title),
            str(p.state.title),
            when(p.decided_at),
            p.reason or "",
            p.certificate.number if p.certificate else "",
        )
        for p in recognition_queries.proposals_export(**queue_filters())
    ]
    return export(fmt, "usulan-penghargaan", headers, rows, title=_("Recognition proposals"))


@bp.route("/recognition/nominations/export.<fmt>")
@allow(Role.ADMIN)
def nominations_export(fmt):
    headers = [_("ASN"), _("NIP"), _("OPD"), _("Award"), _("Category"), _("Year"), _("State")]
    rows = [
        (
            n.asn.user.full_name,
            n.asn.nip,
            n.agency.short_name,
            str(n.award.title),
            n.category or "",
            n.year,
            str(n.state.title),
        )
        for n in recognition_queries.nominations_export(current_user, **nomination_filters())
    ]
    return export(fmt, "nominasi-penghargaan", headers, rows, title=_("Award nominations"))
