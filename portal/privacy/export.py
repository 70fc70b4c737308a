"""Everything the portal holds about one person, as sections of rows (UU PDP Pasal 13, 32).

Each :class:`Section` names a table and the condition that makes one of its rows the person's:
their own id, or a link through their ASN record, placements or training registrations. Rows are
written column by column, minus the columns that are secrets (password hash, session token, a
file's storage key, a check-in code) or another person's private working notes. A column that
points to another user adds that person's name, and nothing more of them (Pasal 33).
"""

from __future__ import annotations

import enum
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from portal.audit import AuditEvent
from portal.auth.models import User
from portal.certificates.models import Certificate
from portal.competency.models import AsnProfile, Assessment, AssessmentResult
from portal.competency.plans.models import DevelopmentPlan, PlanActivity, PlanEvent
from portal.curricula.feedback.models import MaterialFlag, MaterialRating
from portal.curricula.models import Curriculum, CurriculumAuthor
from portal.curricula.proposals.models import ReviewComment
from portal.db import db, utcnow
from portal.i18n import _l
from portal.internships.applications.models import Application, ApplicationEvent
from portal.internships.evaluation.models import (
    AcademicScore,
    FinalGrade,
    MentorEvaluation,
    StudentFeedback,
)
from portal.internships.guidance.models import GuidanceAction, GuidanceSession
from portal.internships.models import MentorCapacity, Placement
from portal.internships.placements.models import FinalReport, LogbookEntry, LogbookEvent
from portal.notify import Notification
from portal.privacy.models import ConsentRecord, DataRequest, NoticeAcceptance
from portal.trainings.evaluation.models import (
    ActionPlanItem,
    L1Answer,
    L1Response,
    L3Form,
    L3Rating,
)
from portal.trainings.ledger.models import LedgerEntry, LedgerEvent
from portal.trainings.models import Attendance, Registration, RegistrationEvent
from portal.trainings.quizzes.models import CompetencyGain, QuizAnswer, QuizAttempt
from portal.trainings.recognition.models import (
    AwardNomination,
    HallOfFameConsent,
    RecognitionProposal,
)
from portal.uploads import StoredFile, _path_for
from portal.view_log import PersonalDataView

#: Never exported, whatever the table.
SECRET_COLUMNS = frozenset({"password_hash", "session_token", "key", "check_in_code"})


@dataclass(frozen=True)
class Section:
    key: str
    title: object  # a lazy string
    model: type
    where: Callable[[int], sa.ColumnElement]
    exclude: frozenset[str] = frozenset()


def _ids(column, where_column, user_id):
    return sa.select(column).where(where_column == user_id)


def _asn(uid):
    return _ids(AsnProfile.id, AsnProfile.user_id, uid)


def _placements(uid):
    return _ids(Placement.id, Placement.student_id, uid)


def _registrations(uid):
    return _ids(Registration.id, Registration.user_id, uid)


def _own(column):
    """Rows whose ``column`` holds the person's own user id."""
    return lambda uid: column == uid


def _in(column, subquery):
    return lambda uid: column.in_(subquery(uid))


def _through(column, parent_id, parent_where):
    """Rows whose ``column`` points to a parent row selected by ``parent_where(uid)``."""
    return lambda uid: column.in_(sa.select(parent_id).where(parent_where(uid)))


_ASSESSMENT = _in(Assessment.asn_id, _asn)
_PLAN = _in(DevelopmentPlan.asn_id, _asn)
_APPLICATION = _own(Application.student_id)
_PLACEMENT_ROW = _in(LogbookEntry.placement_id, _placements)
_SESSION = _in(GuidanceSession.placement_id, _placements)
_ATTEMPT = _in(QuizAttempt.registration_id, _registrations)
_LEDGER = _in(LedgerEntry.asn_id, _asn)
_L1 = _in(L1Response.registration_id, _registrations)
_L3 = _in(L3Form.registration_id, _registrations)

SECTIONS: tuple[Section, ...] = (
    Section("asn_profile", _l("ASN record"), AsnProfile, _own(AsnProfile.user_id)),
    Section("assessments", _l("Competency assessments"), Assessment, _ASSESSMENT),
    Section("assessment_results", _l("Competency assessment results"), AssessmentResult,
            _through(AssessmentResult.assessment_id, Assessment.id, _ASSESSMENT)),
    Section("development_plans", _l("Development plans"), DevelopmentPlan, _PLAN),
    Section("plan_activities", _l("Development plan activities"), PlanActivity,
            _through(PlanActivity.plan_id, DevelopmentPlan.id, _PLAN)),
    Section("plan_events", _l("Development plan history"), PlanEvent,
            _through(PlanEvent.plan_id, DevelopmentPlan.id, _PLAN)),
    Section("curriculum_authorship", _l("Curricula I (co-)author"), CurriculumAuthor,
            _own(CurriculumAuthor.user_id)),
    Section("curricula", _l("Curricula I (co-)author: contents"), Curriculum,
            _through(Curriculum.id, CurriculumAuthor.curriculum_id,
                     _own(CurriculumAuthor.user_id))),
    Section("review_comments", _l("Review comments I wrote"), ReviewComment,
            _own(ReviewComment.author_id)),
    Section("material_ratings", _l("Feedback on course materials"), MaterialRating,
            _own(MaterialRating.user_id)),
    Section("material_flags", _l("Problems I reported in course materials"), MaterialFlag,
            _own(MaterialFlag.reporter_id)),
    Section("internship_applications", _l("Internship applications"), Application, _APPLICATION),
    Section("application_events", _l("Internship application history"), ApplicationEvent,
            _through(ApplicationEvent.application_id, Application.id, _APPLICATION)),
    Section("placements", _l("Internship placements"), Placement, _own(Placement.student_id)),
    Section("logbook_entries", _l("Logbook entries"), LogbookEntry, _PLACEMENT_ROW),
    Section("logbook_events", _l("Logbook history"), LogbookEvent,
            _through(LogbookEvent.entry_id, LogbookEntry.id, _PLACEMENT_ROW)),
    Section("final_reports", _l("Final reports"), FinalReport,
            _in(FinalReport.placement_id, _placements)),
    # The mentor's private notes are the mentor's working notes, not the student's data.
    Section("guidance_sessions", _l("Guidance sessions"), GuidanceSession, _SESSION,
            frozenset({"private_notes"})),
    Section("guidance_actions", _l("Guidance action items"), GuidanceAction,
            _through(GuidanceAction.session_id, GuidanceSession.id, _SESSION)),
    Section("mentor_evaluations", _l("Mentor evaluations of my internship"), MentorEvaluation,
            _in(MentorEvaluation.placement_id, _placements)),
    Section("academic_scores", _l("Academic scores of my internship"), AcademicScore,
            _in(AcademicScore.placement_id, _placements)),
    Section("final_grades", _l("Final internship grades"), FinalGrade,
            _in(FinalGrade.placement_id, _placements)),
    Section("student_feedback", _l("My feedback on placements"), StudentFeedback,
            _own(StudentFeedback.student_id)),
    Section("mentor_capacity", _l("My mentee limit"), MentorCapacity, _own(MentorCapacity.user_id)),
    Section("training_registrations", _l("Training registrations"), Registration,
            _own(Registration.user_id)),
    Section("registration_events", _l("Training registration history"), RegistrationEvent,
            _in(RegistrationEvent.registration_id, _registrations)),
    Section("attendance", _l("Training attendance"), Attendance,
            _in(Attendance.registration_id, _registrations)),
    Section("quiz_attempts", _l("Pre- and post-test attempts"), QuizAttempt, _ATTEMPT),
    Section("quiz_answers", _l("Pre- and post-test answers"), QuizAnswer,
            _through(QuizAnswer.attempt_id, QuizAttempt.id, _ATTEMPT)),
    Section("competency_gains", _l("Competency gains from trainings"), CompetencyGain,
            _in(CompetencyGain.registration_id, _registrations)),
    Section("l1_responses", _l("Training reaction surveys (L1)"), L1Response, _L1),
    Section("l1_answers", _l("Training reaction survey answers (L1)"), L1Answer,
            _through(L1Answer.response_id, L1Response.id, _L1)),
    Section("action_plan_items", _l("Follow-up action plans"), ActionPlanItem,
            _in(ActionPlanItem.registration_id, _registrations)),
    Section("l3_forms", _l("Post-training evaluations (L3)"), L3Form, _L3),
    Section("l3_ratings", _l("Post-training evaluation ratings (L3)"), L3Rating,
            _through(L3Rating.form_id, L3Form.id, _L3)),
    Section("ledger_entries", _l("JP ledger entries"), LedgerEntry, _LEDGER),
    Section("ledger_events", _l("JP ledger history"), LedgerEvent,
            _through(LedgerEvent.entry_id, LedgerEntry.id, _LEDGER)),
    Section("recognition_proposals", _l("Recognitions"), RecognitionProposal,
            _in(RecognitionProposal.asn_id, _asn)),
    Section("hall_of_fame_consents", _l("Hall of fame consents"), HallOfFameConsent,
            _in(HallOfFameConsent.asn_id, _asn)),
    Section("award_nominations", _l("Award nominations"), AwardNomination,
            _in(AwardNomination.asn_id, _asn)),
    Section("certificates", _l("Certificates"), Certificate, _own(Certificate.subject_id)),
    Section("notifications", _l("Notifications"), Notification, _own(Notification.user_id)),
    Section("consents", _l("Consents"), ConsentRecord, _own(ConsentRecord.user_id)),
    Section("notice_acceptances", _l("Privacy notices accepted"), NoticeAcceptance,
            _own(NoticeAcceptance.user_id)),
    Section("data_requests", _l("Personal data requests"), DataRequest,
            _own(DataRequest.user_id)),
    Section("uploaded_files", _l("Files I uploaded"), StoredFile, _own(StoredFile.uploaded_by_id)),
    # Who opened my records (Pasal 32: the processing history); the viewer's address is theirs.
    Section("views_of_my_records", _l("Who viewed my records"), PersonalDataView,
            _own(PersonalDataView.subject_user_id), frozenset({"ip"})),
    # What I did, and what was done to my account. Labels and details are left out: an
    # administrator's own trail names the people they acted on.
    Section("activity", _l("Activity on my account (audit trail)"), AuditEvent,
            lambda uid: sa.or_(AuditEvent.actor_id == uid,
                               sa.and_(AuditEvent.target_type == "user",
                                       AuditEvent.target_id == uid)),
            frozenset({"target_label", "detail"})),
)  # fmt: skip


def counts(user_id: int) -> list[tuple[Section, int]]:
    """How many rows each section holds for the person, in one query."""
    columns = [
        sa.select(sa.func.count())
        .select_from(s.model)
        .where(s.where(user_id))
        .scalar_subquery()
        .label(s.key)
        for s in SECTIONS
    ]
    row = db.session.execute(sa.select(*columns)).one()
    return list(zip(SECTIONS, row, strict=True))


# --- writing the archive ----------------------------------------------------------------------


def _user_columns(model) -> list[str]:
    return [
        c.key
        for c in model.__table__.columns
        if any(fk.column.table.name == "users" for fk in c.foreign_keys)
    ]


def _file_columns(model) -> list[str]:
    return [
        c.key
        for c in model.__table__.columns
        if any(fk.column.table.name == "stored_files" for fk in c.foreign_keys)
    ]


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return float(value)
    return value


def _rows(section: Section, user_id: int) -> list[dict]:
    table = section.model.__table__
    columns = [
        c for c in table.columns if c.key not in SECRET_COLUMNS and c.key not in section.exclude
    ]
    result = db.session.execute(
        sa.select(*columns).where(section.where(user_id)).order_by(*table.primary_key.columns)
    )
    return [{key: _plain(value) for key, value in row._mapping.items()} for row in result]


def _account(user_id: int) -> dict:
    user = db.session.scalars(
        sa.select(User)
        .where(User.id == user_id)
        .options(
            selectinload(User.university),
            selectinload(User.agency),
            selectinload(User.admin_agency),
        )
    ).one()
    return {
        "id": user.id,
        "email": user.email,
        "full_name": user.full_name,
        "roles": sorted(str(r) for r in user.roles),
        "status": _plain(user.status),
        "rejection_reason": user.rejection_reason,
        "locale": user.locale,
        "university": user.university.name if user.university else None,
        "agency": user.agency.name if user.agency else None,
        "admin_agency": user.admin_agency.name if user.admin_agency else None,
        "nim": user.nim,
        "study_programme": user.study_programme,
        "is_active": user.is_active_flag,
        "created_at": _plain(user.created_at),
        "last_login_at": _plain(user.last_login_at),
        "verified_at": _plain(user.verified_at),
    }


def collect(user_id: int) -> tuple[dict, list[StoredFile]]:
    """The person's data as a JSON-ready dict, and the stored files that belong in the archive.

    Another user appears only by name (``<column>_name`` next to the id that points to them).
    """
    data = {"account": _account(user_id), "sections": {}}
    file_ids: set[int] = set()
    other_users: set[int] = set()
    for section in SECTIONS:
        rows = _rows(section, user_id)
        for column in _file_columns(section.model):
            file_ids.update(r[column] for r in rows if r.get(column))
        if section.model is StoredFile:
            file_ids.update(r["id"] for r in rows)
        for column in _user_columns(section.model):
            other_users.update(r[column] for r in rows if r.get(column) not in (None, user_id))
        data["sections"][section.key] = {"title": str(section.title), "rows": rows}
    names = (
        dict(
            db.session.execute(
                sa.select(User.id, User.full_name).where(User.id.in_(other_users))
            ).all()
        )
        if other_users
        else {}
    )
    for section in SECTIONS:
        user_columns = [c for c in _user_columns(section.model) if c not in section.exclude]
        for row in data["sections"][section.key]["rows"]:
            for column in user_columns:
                if row.get(column) in names:
                    row[column.removesuffix("_id") + "_name"] = names[row[column]]
    files = (
        db.session.scalars(
            sa.select(StoredFile).where(StoredFile.id.in_(file_ids)).order_by(StoredFile.id)
        ).all()
        if file_ids
        else []
    )
    return data, list(files)


def _zip_name(stored: StoredFile) -> str:
    return f"files/{stored.id}-{stored.original_name}"


def write_archive(user_id: int) -> io.BytesIO:
    """A zip (``data.json`` and ``files/``) built in memory, rewound; the caller sends it.

    Nothing is written to the database (the view records the download in the audit trail).
    """
    data, files = collect(user_id)
    data["generated_at"] = utcnow().isoformat()
    data["files"] = []
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for stored in files:
            entry = {
                "id": stored.id,
                "name": stored.original_name,
                "type": stored.mimetype,
                "size": stored.size,
                "sha256": stored.sha256,
            }
            try:
                archive.write(_path_for(stored.key), _zip_name(stored))
                entry["path"] = _zip_name(stored)
            except (OSError, ValueError):  # the file is gone from the disk: say so
                entry["path"] = None
            data["files"].append(entry)
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
    out.seek(0)
    return out


__all__ = ["SECTIONS", "Section", "collect", "counts", "write_archive"]
