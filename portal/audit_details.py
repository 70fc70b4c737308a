"""How the audit log shows an event's details, in the reader's language.

``audit.record(actor, action, target, **detail)`` stores identifiers: ``step="answer"``,
``state="waitlisted"``, ``method="post_training_test"``, ``clash=False``. ``DETAILS`` is the one
registry of every detail key the portal records: its translated label and how its value is shown
-- an enum value by the title its workflow gives it (which vocabulary depends on the action: a
``state`` of ``training.registration`` is a registration state), a boolean as Yes/No, a number, a
date or a moment in the reader's locale (moments in WIB), an id as ``#12`` under a label that
says what it refers to (the ways of showing are in portal/audit_values.py). The admin page and
its CSV/XLSX export both read :func:`describe`.

A key nobody registered (an event older than a renamed key) is still shown, its name made
readable but untranslated; tests/admin/test_audit_details.py fails when the code records a key
that has no entry here.
"""

from __future__ import annotations

from portal.audit_values import (
    NOTHING,
    Detail,
    by_action,
    day,
    moment,
    one_of,
    plain,
    record_of,
    ref,
    shown,
    titles_of,
    values_of,
)
from portal.auth.models import AccountStatus, Role
from portal.certificates.models import CertificateKind
from portal.competency.models import AsnStatus, AssessmentMethod, PositionKind
from portal.curricula.feedback.models import FlagState
from portal.curricula.models import AuthorSide, CurriculumState, MaterialKind
from portal.curricula.proposals.versions import FIELD_TITLES, MODULE_FIELD_TITLES
from portal.curricula.proposals.workflow import CurriculumAction
from portal.i18n import _, _l
from portal.internships.applications.models import ApplicationState
from portal.internships.applications.workflow import EVENT_TITLES as APPLICATION_EVENTS
from portal.internships.guidance.models import SessionState
from portal.internships.models import IntakeMode, PlacementStatus, PositionState
from portal.internships.placements.models import EntryAction as LogbookAction
from portal.internships.placements.models import EntryState as LogbookState
from portal.internships.placements.models import ReportState
from portal.privacy.models import ConsentPurpose, RequestKind, RequestState
from portal.privacy.retention import BY_KEY as RECORD_TYPES
from portal.trainings.evaluation.models import PlanStatus, Respondent
from portal.trainings.ledger.conversion import Unit
from portal.trainings.models import AttendanceMethod, BatchState, RegistrationState
from portal.trainings.quizzes.models import QuizKind
from portal.trainings.recognition.models import AwardKind, NominationState, ProposalState
from portal.trainings.registrations.workflow import EVENT_TITLES as REGISTRATION_EVENTS

# --- the vocabularies of the values ---------------------------------------------------------------

CHANGED = _l("Changed")
ADDED = _l("Added")

STEPS = {
    "curriculum.transition": titles_of(CurriculumAction),
    "training.registration": REGISTRATION_EVENTS,
    "training.batch": {
        "schedule": _l("Scheduled"),
        "open": BatchState.OPEN.title,
        "close": BatchState.CLOSED.title,
        "edit": CHANGED,
        "cancel": BatchState.CANCELLED.title,
        "complete": BatchState.COMPLETED.title,
    },
    "training.action_plan": {"add": ADDED, "update": CHANGED},
    "training.l3": {"send": _l("Form sent"), "answer": _l("Answered")},
    "training.quiz": {
        "add": _l("Question added"),
        "edit": _l("Question changed"),
        "delete": _l("Question deleted"),
        "move": _l("Question moved"),
        "pass_score": _l("Pass mark changed"),
    },
    "recognition.nominate": titles_of(NominationState),
    "internship.application": APPLICATION_EVENTS,
    "internship.logbook": {"write": _l("Written"), "edit": CHANGED, **titles_of(LogbookAction)},
    "internship.report": {
        "upload": _l("Uploaded"),
        "mentor_approve": _l("Approved by the mentor"),
        "mentor_return": _l("Returned by the mentor"),
        "dpl_approve": _l("Approved by the DPL"),
        "dpl_return": _l("Returned by the DPL"),
    },
    "internship.match": {"preview": _l("Preview"), "publish": _l("Published")},
    "internship.session": {
        "log": _l("Logged"),
        "edit": CHANGED,
        "confirm": SessionState.CONFIRMED.title,
        "dispute": SessionState.DISPUTED.title,
    },
}
STATES = {
    "training.registration": titles_of(RegistrationState),
    "internship.application": titles_of(ApplicationState),
    "internship.position_state": titles_of(PositionState),
    "internship.logbook": titles_of(LogbookState),
    "internship.report": titles_of(ReportState),
}
STATUSES = {
    "asn.save": titles_of(AsnStatus),
    "training.action_plan": titles_of(PlanStatus),
    "internship.placement": titles_of(PlacementStatus),
}
#: ``from_state`` / ``to_state``
MOVES = {
    "curriculum.transition": titles_of(CurriculumState),
    "material.flag": titles_of(FlagState),
    "internship.session": titles_of(SessionState),
}
KINDS = {
    "certificate.issue": titles_of(CertificateKind),
    "position.save": titles_of(PositionKind),
    "material.save": titles_of(MaterialKind),
    "training.quiz": titles_of(QuizKind),
    "privacy.request_create": titles_of(RequestKind),
}
METHODS = {
    "assessment.record": titles_of(AssessmentMethod),
    "training.attendance": titles_of(AttendanceMethod),
}
LOGIN_REFUSALS = {
    "inactive": _l("Account deactivated"),
    "pending": AccountStatus.PENDING.title,
    "rejected": AccountStatus.REJECTED.title,
}
INVITATION_SOURCES = {
    "import": _l("A roster import"),
    "list": _l("The filtered list of accounts"),
    "asn_list": _l("The filtered list of ASN records"),
}
CERTIFICATE_SOURCES = {
    "training_registration": _l("Registration"),
    "recognition": _l("Recognition"),
    "internship_placement": _l("Placement"),
}
POSITION_FIELDS = {
    "title": _l("Title"),
    "unit": _l("Unit"),
    "description": _l("Description"),
    "tasks": _l("Tasks"),
    "wanted_majors": _l("Wanted majors"),
    "wanted_skills": _l("Wanted skills"),
    "quota": _l("Quota (interns)"),
    "starts_on": _l("Starts on"),
    "ends_on": _l("Ends on"),
    "location": _l("Location"),
    "mode": _l("Mode"),
    "application_deadline": _l("Application deadline"),
    "work_plan_item": _l("Work-plan item"),
    "period": _l("Period"),
}
ROLES = one_of(titles_of(Role))


def _fields(value, action="", detail=None) -> str:
    """The proposal's (or, with ``module_changed``, the module's) fields that changed."""
    names = MODULE_FIELD_TITLES if "module_changed" in (detail or {}) else FIELD_TITLES
    return one_of({**names, "agency_id": FIELD_TITLES["agency"]})(value)


def _evidence(value, action="", detail=None) -> str:
    """A demand-board evidence cited or removed: ``[agency_id, competency_id, position kind]``."""
    if not isinstance(value, list | tuple) or len(value) != 3:
        return plain(value)
    agency, competency, kind = value
    return _(
        "OPD #%(agency)s, competency #%(competency)s, %(kind)s",
        agency=agency,
        competency=competency,
        kind=one_of(titles_of(PositionKind))(kind) if kind else _("All kinds"),
    )


def _levels(value, action="", detail=None) -> str:
    """``{competency id: level}`` as ``#12: 3, #15: 2``."""
    if not isinstance(value, dict):
        return plain(value)
    return ", ".join(f"#{k}: {plain(v)}" for k, v in value.items()) or NOTHING


def _purged(value, action="", detail=None) -> str:
    """The purge's ``{record type: count}`` under the record types' titles."""
    if not isinstance(value, dict):
        return plain(value)
    titles = {key: kind.title for key, kind in RECORD_TYPES.items()}
    return ", ".join(f"{titles.get(k, k)}: {plain(v)}" for k, v in value.items()) or NOTHING


def _erased(value, action="", detail=None) -> str:
    """The erasure step's ``{step: count}`` under the steps' titles."""
    from portal.privacy.erasure import STEPS

    if not isinstance(value, dict):
        return plain(value)
    titles = {step.key: step.title for step in STEPS}
    return ", ".join(f"{titles.get(k, k)}: {plain(v)}" for k, v in value.items()) or NOTHING


def _source(value, action="", detail=None) -> str:
    """A certificate's source ``training_registration:12`` as ``Registration #12``."""
    kind, _sep, ident = str(value).partition(":")
    if kind not in CERTIFICATE_SOURCES or not ident:
        return plain(value)
    return f"{CERTIFICATE_SOURCES[kind]} #{ident}"


def _pass_score(value, action="", detail=None) -> str:
    return _("Portal default") if value is None else plain(value)


# Parts of the rules whose values before and after a change are recorded whole.
CONVERSION_RULE = {
    "unit": Detail(_l("Unit of the duration"), one_of(titles_of(Unit))),
    "jp_per_unit": Detail(_l("JP per unit")),
    "cap_per_day": Detail(_l("At most JP a day")),
    "cap_per_month": Detail(_l("At most sessions a month")),
    "bonus_percent": Detail(_l("International bonus (percent)")),
}
RECOGNITION_RULE = {
    "title": Detail(_l("Title")),
    "threshold": Detail(_l("Threshold")),
    "active": Detail(_l("Active")),
}
BEFORE_AFTER = {
    "account.roles": ROLES,
    "ledger.rule": record_of(CONVERSION_RULE),
    "recognition.rule": record_of(RECOGNITION_RULE),
    "training.action_plan": one_of(titles_of(PlanStatus)),
}


# --- the registry ---------------------------------------------------------------------------------

#: The registry's entries; a bare label stands for a key whose value is shown as it was recorded
#: (a figure, yes or no, a text).
_ENTRIES: dict[str, Detail | object] = {
    # what happened: workflow steps, states and kinds
    "step": Detail(_l("Step"), values_of(STEPS)),
    "state": Detail(_l("State"), values_of(STATES)),
    "status": Detail(_l("Status"), values_of(STATUSES)),
    "from_state": Detail(_l("From"), values_of(MOVES)),
    "to_state": Detail(_l("To"), values_of(MOVES)),
    "outcome": Detail(_l("Outcome"), one_of(titles_of(RequestState))),
    "decision": Detail(_l("Decision"), one_of(titles_of(ProposalState))),
    "kind": Detail(_l("Kind"), values_of(KINDS)),
    "method": Detail(_l("Method"), values_of(METHODS)),
    "award": Detail(_l("Award"), one_of(titles_of(AwardKind))),
    "purpose": Detail(_l("Purpose"), one_of(titles_of(ConsentPurpose))),
    "respondent": Detail(_l("Respondent"), one_of(titles_of(Respondent))),
    "side": Detail(_l("Side"), one_of(titles_of(AuthorSide))),
    "roles": Detail(_l("Roles"), ROLES),
    "consent": Detail(_l("Consent"), one_of({"given": _l("Given"), "withdrawn": _l("Withdrawn")})),
    "intake_mode": Detail(_l("Intake mode"), one_of(titles_of(IntakeMode))),
    "part": Detail(
        _l("Part"),
        one_of({"mentor": _l("Mentor's evaluation"), "academic": _l("Academic score")}),
    ),
    "direction": Detail(_l("Direction"), one_of({"up": _l("Up"), "down": _l("Down")})),
    "reason": Detail(_l("Reason"), values_of({"login.failure": LOGIN_REFUSALS})),
    "before": Detail(_l("Before"), by_action(BEFORE_AFTER)),
    "after": Detail(_l("After"), by_action(BEFORE_AFTER)),
    "fields": Detail(_l("Fields changed"), _fields),
    "changed": Detail(
        CHANGED,
        by_action({"internship.position": one_of(POSITION_FIELDS), "training.survey": ref}),
        labels={"internship.position": _l("Fields changed"), "training.survey": _l("Questions")},
    ),
    # yes or no
    "active": _l("Active"),
    "clash": _l("Schedule clash"),
    "present": _l("Present"),
    "retired": _l("Retired"),
    "rule_of_thumb": _l("Filled by the rule of thumb"),
    "sent": _l("E-mail sent"),
    # dates and moments
    "starts_at": Detail(_l("Starts"), moment),
    "today": Detail(_l("Date"), day),
    # references to other records
    "added": Detail(
        ADDED,
        ref,
        labels={
            "curriculum.authors": _l("Co-author added"),
            "internship.mentors": _l("Mentor added"),
            "training.survey": _l("Question added"),
        },
    ),
    "removed": Detail(
        _l("Removed"),
        by_action({"curriculum.evidence": _evidence}, default=ref),
        labels={
            "curriculum.authors": _l("Co-author removed"),
            "internship.mentors": _l("Mentor removed"),
            "curriculum.evidence": _l("Evidence removed"),
        },
    ),
    "cited": Detail(_l("Evidence cited"), _evidence),
    "agency_id": Detail(_l("OPD"), ref),
    "assessment": Detail(_l("Assessment"), ref),
    "curriculum_id": Detail(_l("Curriculum"), ref),
    "flag_id": Detail(_l("Problem report"), ref),
    "mentor_id": Detail(_l("Mentor"), ref),
    "module_added": Detail(_l("Module added"), ref),
    "module_changed": Detail(_l("Module changed"), ref),
    "module_moved": Detail(_l("Module moved"), ref),
    "module_removed": Detail(_l("Module removed"), ref),
    "placement_id": Detail(_l("Placement"), ref),
    "position_id": Detail(_l("Position"), ref),
    "question": Detail(_l("Question"), ref),
    "registration_id": Detail(_l("Registration"), ref),
    "request_id": Detail(_l("Request"), ref),
    "supervisor_id": Detail(_l("Supervisor"), ref, labels={"internship.placement": _l("DPL")}),
    "target_added": Detail(_l("Target competency added"), ref),
    "target_removed": Detail(_l("Target competency removed"), ref),
    "withdrawn": Detail(_l("Other applications withdrawn"), ref),
    "levels": Detail(_l("Level per competency"), _levels),
    "source": Detail(_l("Source"), _source),
    "certificate": _l("Certificate number"),
    # figures
    "actions": _l("Follow-up actions"),
    "affected": _l("Records affected"),
    "capacity": _l("Capacity"),
    "certificates": _l("Certificates issued"),
    "competencies": _l("Competencies"),
    "completed": _l("Completed"),
    "counts": Detail(_l("Records purged"), _purged),
    "erased": Detail(_l("Records erased"), _erased),
    "courses": _l("Courses"),
    "credit_sks": _l("SKS of the credit scheme"),
    "criteria": _l("Criteria"),
    "files": _l("Files removed"),
    "grade": _l("Final grade"),
    "grade_letters": _l("Letter grades"),
    "hours_per_sks": _l("Hours per SKS"),
    "jp": _l("JP"),
    "level": _l("Target level"),
    "mentee_limit": _l("Mentee limit"),
    "placed": _l("Students placed"),
    "preference_limit": _l("Preferences per student"),
    "scored": _l("Applicants scored"),
    "seed": _l("Lottery seed"),
    "unplaced": _l("Students not placed"),
    "mentor_weight": _l("Mentor's share of the final grade (%)"),
    "not_completed": _l("Not completed"),
    "notice_version": _l("Privacy notice version"),
    "pass_score": Detail(_l("Pass mark"), _pass_score),
    "planned_sks": _l("Planned SKS"),
    "registrations": _l("Registrations cancelled"),
    "score": _l("Score"),
    "standard": _l("Competencies in the standard"),
    "threshold": _l("Threshold"),
    "ticked": _l("Actions from earlier sessions now done"),
    "total": _l("Total score"),
    "version": _l("Version"),
    "versions": _l("Versions"),
    # texts kept as they were typed or named
    "module_title": _l("Module title"),
    "university": _l("University"),
    # the ASN roster import (``audit.record(actor, "asn.import", **counts)``)
    "rows": _l("Rows"),
    "created": _l("Accounts created"),
    "updated": _l("Accounts updated"),
    # invitations sent together (``account.invite_bulk``)
    "sent_from": Detail(_l("Sent from"), one_of(INVITATION_SOURCES)),
    "queued": _l("Invitations queued"),
    "skipped": _l("Skipped"),
}

#: Every detail key ``audit.record`` is called with (tests/admin/test_audit_details.py checks it).
DETAILS: dict[str, Detail] = {
    key: entry if isinstance(entry, Detail) else Detail(entry) for key, entry in _ENTRIES.items()
}


def describe(event) -> list[tuple[str, str]]:
    """The event's details as ``(label, value)`` pairs in the reader's language, in the
    registry's order: what happened first, then references and figures, unknown keys last."""
    return shown(DETAILS, event.detail_dict, event.action)


def describe_text(event) -> str:
    """The details on one line (``Label: value; Label: value``), for a spreadsheet cell."""
    return "; ".join(f"{label}: {value}" for label, value in describe(event))
