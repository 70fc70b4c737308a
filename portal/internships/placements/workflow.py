"""The placement's workflows (CONVENTIONS.md §6), three tables on the engine
(``portal/workflow.py``) and who the parties are:

Placement: active → completed (the mentor or the OPD) | terminated (the OPD or the university,
with a reason).
Logbook entry: draft → submitted (the student) → approved (the mentor; locked for good)
                                               ↘ returned with a comment (the mentor) → submitted …
Final report (one row per uploaded version): submitted → approved_by_mentor → approved (the DPL);
the mentor or the DPL may instead return it with a reason, and the student uploads a new version.

An entry's and a report's parties are those of their placement (read from the session's
identity map: the pages and services have it loaded).
"""

from __future__ import annotations

from portal.db import TitledEnum, db
from portal.errors import InvalidTransition
from portal.i18n import _l
from portal.internships.applications.workflow import OPD, STUDENT, UNIVERSITY, unproxied
from portal.internships.models import (
    Placement,
    PlacementStatus,
    is_opd_admin,
    is_university_staff,
)
from portal.internships.placements.models import (
    EntryAction,
    EntryState,
    FinalReport,
    LogbookEntry,
    LogbookEvent,
    ReportAction,
    ReportState,
)
from portal.workflow import Workflow, step

MENTOR, DPL = "mentor", "dpl"


def placement_parties(placement: Placement, user) -> frozenset[str]:
    """The parties ``user`` acts for on a placement, the DPL (its named supervisor) included."""
    user = unproxied(user)
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    parties = set()
    if user.id == placement.student_id:
        parties.add(STUDENT)
    if user.id == placement.mentor_id:
        parties.add(MENTOR)
    if is_university_staff(user, placement.university_id):
        parties.add(UNIVERSITY)
    if is_opd_admin(user, placement.agency_id):
        parties.add(OPD)
    if placement.supervisor_id is not None and user.id == placement.supervisor_id:
        parties.add(DPL)
    return frozenset(parties)


def _placement_of(row: LogbookEntry | FinalReport) -> Placement:
    return db.session.get(Placement, row.placement_id)


# --- the placement -----------------------------------------------------------------------------


class PlacementAction(TitledEnum):
    COMPLETE = "complete", _l("Complete the placement")
    TERMINATE = "terminate", _l("End the placement early")


COMPLETE, TERMINATE = PlacementAction.COMPLETE, PlacementAction.TERMINATE

PLACEMENT = Workflow(
    name="internships.placement",
    steps={
        (PlacementStatus.ACTIVE, COMPLETE): step(PlacementStatus.COMPLETED, OPD, MENTOR),
        (PlacementStatus.ACTIVE, TERMINATE): step(PlacementStatus.TERMINATED, OPD, UNIVERSITY),
    },
    parties=placement_parties,
    not_possible=lambda _action, status: _l(
        "This placement is “%(status)s” and can no longer change.", status=status.title
    ),
    party_text={
        frozenset({OPD, MENTOR}): _l(
            "Only the mentor or an admin of the OPD can complete a placement."
        ),
        frozenset({OPD, UNIVERSITY}): _l(
            "Only the OPD's admins or the student's university can end a placement early."
        ),
    },
    state_attr="status",
)
PLACEMENT_TRANSITIONS = PLACEMENT.steps

#: The status ``action`` leads to; raises InvalidTransition saying why when it is blocked.
check_placement = PLACEMENT.check
#: The steps ``user`` may take on the placement now (the page's status buttons).
allowed_placement_actions = PLACEMENT.allowed


# --- logbook entries ---------------------------------------------------------------------------


def placement_closed(placement: Placement) -> InvalidTransition:
    return InvalidTransition(
        _l(
            "This placement is “%(status)s”: its logbook can no longer change.",
            status=placement.status.title,
        )
    )


def _logbook_open(entry: LogbookEntry, _action, _user, **_context):
    """The logbook changes only while its placement runs."""
    placement = _placement_of(entry)
    if placement.status != PlacementStatus.ACTIVE:
        return placement_closed(placement).message
    return None


def _record_entry_step(  # noqa: PLR0917 (the engine's ``record`` signature)
    entry: LogbookEntry, action, from_state, to_state, actor, note, at
):
    db.session.add(
        LogbookEvent(
            entry_id=entry.id,
            action=str(action),
            from_state=from_state,
            to_state=to_state,
            actor_id=getattr(actor, "id", None),
            note=note or None,
            at=at,
        )
    )


ES, EA = EntryState, EntryAction
ENTRY = Workflow(
    name="internships.logbook_entry",
    steps={
        (ES.DRAFT, EA.SUBMIT): step(ES.SUBMITTED, STUDENT),
        (ES.RETURNED, EA.SUBMIT): step(ES.SUBMITTED, STUDENT),
        (ES.SUBMITTED, EA.APPROVE): step(ES.APPROVED, MENTOR),
        (ES.SUBMITTED, EA.RETURN): step(ES.RETURNED, MENTOR),
    },
    parties=lambda entry, user: placement_parties(_placement_of(entry), user),
    not_possible=lambda action, state: _l(
        "“%(action)s” is not possible while the entry is “%(state)s”.",
        action=action.title,
        state=state.title,
    ),
    party_text={
        frozenset({STUDENT}): _l("Only the student of this placement can submit their logbook."),
        frozenset({MENTOR}): _l("Only the mentor of this placement can review its logbook."),
    },
    guards=(_logbook_open,),
    record=_record_entry_step,
)
ENTRY_TRANSITIONS = ENTRY.steps


#: The state ``action`` leads an entry to; raises InvalidTransition saying why it is blocked.
check_entry = ENTRY.check
#: The steps ``user`` may take on an entry now (the page shows exactly these buttons).
allowed_entry_actions = ENTRY.allowed


# --- the final report --------------------------------------------------------------------------


def report_closed(placement: Placement) -> InvalidTransition:
    return InvalidTransition(
        _l("This placement was ended early: its final report can no longer change.")
    )


def _report_open(report: FinalReport, _action, _user, **_context):
    """A placement ended early has no final report to decide on."""
    placement = _placement_of(report)
    if placement.status == PlacementStatus.TERMINATED:
        return report_closed(placement).message
    return None


RS, RA = ReportState, ReportAction
REPORT = Workflow(
    name="internships.final_report",
    steps={
        (RS.SUBMITTED, RA.APPROVE): step(RS.APPROVED_BY_MENTOR, MENTOR),
        (RS.SUBMITTED, RA.RETURN): step(RS.RETURNED, MENTOR),
        (RS.APPROVED_BY_MENTOR, RA.APPROVE): step(RS.APPROVED, DPL),
        (RS.APPROVED_BY_MENTOR, RA.RETURN): step(RS.RETURNED, DPL),
    },
    parties=lambda report, user: placement_parties(_placement_of(report), user),
    not_possible=lambda action, state: _l(
        "“%(action)s” is not possible while the report is “%(state)s”.",
        action=action.title,
        state=state.title,
    ),
    party_text={
        frozenset({MENTOR}): _l(
            "Only the mentor of this placement can decide on the report first."
        ),
        frozenset({DPL}): _l(
            "Only the lecturer supervising this placement (DPL) can give the final approval."
        ),
    },
    guards=(_report_open,),
)
REPORT_TRANSITIONS = REPORT.steps


#: The state ``action`` leads a report to; raises InvalidTransition saying why it is blocked.
check_report = REPORT.check
#: The decisions ``user`` may take on a report now (the page shows exactly these buttons).
allowed_report_actions = REPORT.allowed
