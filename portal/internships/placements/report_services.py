"""The final report (laporan akhir): the student uploads a PDF, the mentor approves it or returns
it with a reason, then the DPL gives the final approval or returns it with a reason; after a
return the student uploads the next version. Services flush and never commit.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from portal import audit, uploads
from portal.db import db, utcnow
from portal.errors import DomainError
from portal.i18n import _l
from portal.internships.common import university_staff
from portal.internships.models import Placement, PlacementStatus
from portal.internships.placements.logbook_services import clean, people, placement_link, user
from portal.internships.placements.models import (
    TEXT_MAX,
    FinalReport,
    ReportAction,
    ReportState,
    can_upload_report,
)
from portal.internships.placements.workflow import DPL, MENTOR, check_report, report_closed
from portal.notify import register_messages, tell

REPORT_MAX_BYTES = 20 * 1024 * 1024

register_messages(
    internships__report_uploaded=_l(
        "%(student)s uploaded version %(version)s of the final report for “%(position)s”."
    ),
    internships__report_mentor_approved=_l(
        "The mentor approved version %(version)s of the final report of %(student)s "
        "(“%(position)s”); it now waits for the DPL's approval."
    ),
    internships__report_approved=_l(
        "The final report of %(student)s for “%(position)s” (version %(version)s) is approved."
    ),
    internships__report_returned=_l(
        "Version %(version)s of the final report of %(student)s was returned: %(reason)s"
    ),
)


def latest_report(placement_id: int) -> FinalReport | None:
    """The newest version (the one that counts), or None before the first upload."""
    return db.session.scalar(
        sa.select(FinalReport)
        .where(FinalReport.placement_id == placement_id)
        .order_by(FinalReport.version.desc())
        .limit(1)
    )


def report_limit() -> int:
    return int(current_app.config.get("INTERNSHIP_REPORT_MAX_BYTES", REPORT_MAX_BYTES))


def why_no_upload(placement: Placement, latest: FinalReport | None, actor) -> DomainError:
    if actor.id != placement.student_id:
        return DomainError(_l("Only the student of this placement uploads its final report."))
    if placement.status == PlacementStatus.TERMINATED:
        return report_closed(placement)
    return DomainError(
        _l(
            "Version %(version)d of the report is “%(state)s”; a new version can be uploaded "
            "once a report is returned.",
            version=latest.version,
            state=latest.state.title,
        )
    )


def upload_report(
    placement: Placement, *, actor, upload, note: str = "", now: datetime | None = None
) -> FinalReport:
    """The student uploads the final report as a PDF: the first version, or the next one after
    a return. Refuses anyone else, a report already under review or approved, a placement
    ended early, and a file that is not a PDF (by its content too)."""
    latest = latest_report(placement.id)
    if not can_upload_report(placement, latest, actor):
        raise why_no_upload(placement, latest, actor)
    note = clean(note, TEXT_MAX)
    if upload is None or not getattr(upload, "filename", None):
        raise DomainError(_l("Choose the PDF file of the report."))
    stored = uploads.store(upload, allowed=("pdf",), actor=actor, max_bytes=report_limit())
    report = FinalReport(
        placement_id=placement.id,
        version=(latest.version + 1) if latest else 1,
        file_id=stored.id,
        note=note,
        state=ReportState.SUBMITTED,
        uploaded_by_id=actor.id,
        created_at=now or utcnow(),
    )
    db.session.add(report)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # another upload of the same version a moment ago
        uploads.discard(stored)
        raise DomainError(
            _l("A new version was uploaded a moment ago. Reload the page to see it.")
        ) from None
    audit.record(
        actor,
        "internship.report",
        report,
        target_label=f"v{report.version}",
        placement_id=placement.id,
        step="upload",
    )
    tell(
        [user(placement.mentor_id)],
        "internships.report_uploaded",
        link=placement_link(placement, "#report"),
        version=report.version,
        **people(placement),
    )
    return report


def decide_report(
    report: FinalReport,
    placement: Placement,
    action: ReportAction,
    *,
    actor,
    reason: str = "",
    now: datetime | None = None,
) -> None:
    """The mentor (first) or the DPL (then) approves the report or returns it with a reason.

    Refuses a step the report's state does not allow, the wrong person (the mentor decides
    first, only the placement's DPL gives the final approval), a return without a reason, and
    a placement ended early."""
    next_state = check_report(report, action, actor)
    reason = clean(reason)
    if action.needs_reason and not reason:
        raise DomainError(_l("Give a reason for returning the report."))
    by_mentor = report.state == ReportState.SUBMITTED  # the mentor decides first
    prefix = "mentor" if by_mentor else "dpl"
    moment = now or utcnow()
    result = db.session.execute(
        sa.update(FinalReport)
        .where(FinalReport.id == report.id, FinalReport.state == report.state)
        .values(
            {
                "state": next_state,
                f"{prefix}_decision": action,
                f"{prefix}_reason": reason or None,
                f"{prefix}_decided_by_id": actor.id,
                f"{prefix}_decided_at": moment,
            }
        )
        .execution_options(synchronize_session="evaluate")
    )
    if result.rowcount != 1:
        db.session.expire(report)
        raise DomainError(_l("This report was decided a moment ago. Reload the page."))
    audit.record(
        actor,
        "internship.report",
        report,
        target_label=f"v{report.version}",
        placement_id=placement.id,
        step=f"{prefix}_{action}",
        state=str(next_state),
    )
    _tell_decision(report, placement, action, MENTOR if by_mentor else DPL, reason)


def _tell_decision(report: FinalReport, placement: Placement, action, party: str, reason: str):
    params = {"version": report.version, **people(placement)}
    here = placement_link(placement, "#report")
    student, mentor = user(placement.student_id), user(placement.mentor_id)
    if action == ReportAction.RETURN:
        tell(
            [student, mentor if party == DPL else None],
            "internships.report_returned",
            link=here,
            reason=reason,
            **params,
        )
    elif party == MENTOR:
        # The DPL gives the final approval; without one yet, the university is asked to name one.
        dpl = user(placement.supervisor_id)
        waiting = [dpl] if dpl is not None else university_staff(placement.university_id)
        tell([student, *waiting], "internships.report_mentor_approved", link=here, **params)
    else:
        tell([student, mentor], "internships.report_approved", link=here, **params)
