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
from portal.i18n import _, _l
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


def asn_columns(opd) -> list:
    """The first columns of an export about ASN (``item.asn``): who, their NIP and their OPD
    (``opd(item)``). Each column is a header and the item's cell."""
    return [
        (_l("ASN"), lambda item: item.asn.user.full_name),
        (_l("NIP"), lambda item: item.asn.nip),
        (_l("OPD"), opd),
    ]


def columns_export(fmt, filename: str, columns, items, *, title):
    """``items`` as ``fmt``, one row each under ``columns`` (a header and a cell getter each)."""
    headers = [header for header, _cell in columns]
    rows = [tuple(cell(item) for _header, cell in columns) for item in items]
    return export(fmt, filename, headers, rows, title=title)


#: The columns after the ASN ones: a JP record to verify, a recognition proposal, a nomination.
VERIFICATION_COLUMNS = [
    (_l("Activity"), lambda e: e.title),
    (_l("Form"), lambda e: str(e.form_title)),
    (_l("Scope"), lambda e: str(e.scope.title)),
    (_l("Starts on"), lambda e: day(e.started_on)),
    (_l("Ends on"), lambda e: day(e.ended_on)),
    (_l("JP"), lambda e: e.jp),
    (_l("Sent (WIB)"), lambda e: when(e.created_at)),
]
PROPOSAL_COLUMNS = [
    (_l("Recognition"), lambda p: p.title),
    (_l("Year"), lambda p: p.period),
    (_l("Kind"), lambda p: str(p.rule.kind.title)),
    (_l("State"), lambda p: str(p.state.title)),
    (_l("Decided at (WIB)"), lambda p: when(p.decided_at)),
    (_l("Reason"), lambda p: p.reason or ""),
    (_l("Certificate"), lambda p: p.certificate.number if p.certificate else ""),
]
NOMINATION_COLUMNS = [
    (_l("Award"), lambda n: str(n.award.title)),
    (_l("Category"), lambda n: n.category or ""),
    (_l("Year"), lambda n: n.year),
    (_l("State"), lambda n: str(n.state.title)),
]


def _agency_name(item) -> str:
    return item.agency.short_name


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
    columns = [*asn_columns(lambda e: agencies.get(e.asn.agency_id, "")), *VERIFICATION_COLUMNS]
    entries = ledger_queries.verification_export(current_user, text_arg("q"))
    return columns_export(fmt, "verifikasi-jp", columns, entries, title=_("Records to verify"))


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
    columns = [*asn_columns(_agency_name), *PROPOSAL_COLUMNS]
    proposals = recognition_queries.proposals_export(**queue_filters())
    return columns_export(
        fmt, "usulan-pengakuan", columns, proposals, title=_("Recognition proposals")
    )


@bp.route("/recognition/nominations/export.<fmt>")
@allow(Role.ADMIN)
def nominations_export(fmt):
    columns = [*asn_columns(_agency_name), *NOMINATION_COLUMNS]
    nominations = recognition_queries.nominations_export(current_user, **nomination_filters())
    return columns_export(
        fmt, "nominasi-penghargaan", columns, nominations, title=_("Award nominations")
    )
