"""Every model of every feature, imported in one place (Alembic autogenerate, ``flask shell``)."""

from portal.audit import AuditEvent
from portal.auth.models import AccountStatus, Role, User, UserRole
from portal.certificates.models import Certificate
from portal.competency.models import (
    AsnProfile,
    Assessment,
    AssessmentResult,
    Competency,
    CompetencyLevel,
    CompetencyVersion,
    Position,
    StandardItem,
)
from portal.competency.plans import DevelopmentPlan, PlanActivity, PlanEvent
from portal.curricula.models import (
    Curriculum,
    CurriculumAuthor,
    CurriculumEvent,
    CurriculumEvidence,
    CurriculumTarget,
    CurriculumVersion,
    Material,
    MaterialFlag,
    MaterialRating,
    MaterialVersion,
    Module,
    ReviewComment,
)
from portal.institutions.models import Agency, AgencyKind, University
from portal.internships.applications import Application, ApplicationEvent
from portal.internships.evaluation import (
    AcademicScore,
    FinalGrade,
    MentorEvaluation,
    Rubric,
    RubricCriterion,
    StudentFeedback,
)
from portal.internships.guidance import GuidanceAction, GuidanceSession
from portal.internships.logbook import FinalReport, LogbookEntry, LogbookEvent
from portal.internships.models import (
    InternshipPeriod,
    InternshipPosition,
    MentorCapacity,
    Placement,
    PositionMentor,
)
from portal.internships.settings import UniversitySettings
from portal.notification_prefs import NotificationPreference  # noqa: F401
from portal.notify import Notification, OutboxEmail
from portal.privacy.models import ConsentRecord, DataRequest  # noqa: F401
from portal.privacy.view_log import PersonalDataView  # noqa: F401
from portal.reminders.models import SentReminder  # noqa: F401
from portal.trainings.conversion import ConversionRule
from portal.trainings.evaluation import (
    ActionPlanItem,
    L1Answer,
    L1Response,
    L3Form,
    L3Rating,
    SurveyQuestion,
)
from portal.trainings.ledger import LedgerEntry, LedgerEvent
from portal.trainings.models import (
    Attendance,
    Registration,
    RegistrationEvent,
    TrainingBatch,
    TrainingSession,
)
from portal.trainings.quiz import (
    CompetencyGain,
    QuizAnswer,
    QuizAttempt,
    QuizChoice,
    QuizQuestion,
    QuizSet,
)
from portal.trainings.recognition import (
    AwardNomination,
    HallOfFameConsent,
    RecognitionProposal,
    RecognitionRule,
)
from portal.trainings.reminders import JpReminder
from portal.uploads import StoredFile

__all__ = [
    "ActionPlanItem",
    "AwardNomination",
    "CompetencyGain",
    "HallOfFameConsent",
    "JpReminder",
    "L1Answer",
    "L1Response",
    "L3Form",
    "L3Rating",
    "QuizAnswer",
    "QuizAttempt",
    "QuizChoice",
    "QuizQuestion",
    "QuizSet",
    "RecognitionProposal",
    "RecognitionRule",
    "SurveyQuestion",
    "AcademicScore",
    "Certificate",
    "ConversionRule",
    "LedgerEntry",
    "LedgerEvent",
    "FinalGrade",
    "GuidanceAction",
    "GuidanceSession",
    "MentorEvaluation",
    "Rubric",
    "RubricCriterion",
    "StudentFeedback",
    "FinalReport",
    "LogbookEntry",
    "LogbookEvent",
    "UniversitySettings",
    "Curriculum",
    "CurriculumAuthor",
    "CurriculumEvent",
    "CurriculumEvidence",
    "CurriculumTarget",
    "CurriculumVersion",
    "Material",
    "MaterialFlag",
    "MaterialRating",
    "MaterialVersion",
    "Module",
    "Notification",
    "ReviewComment",
    "AccountStatus",
    "AsnProfile",
    "Assessment",
    "AssessmentResult",
    "Competency",
    "CompetencyLevel",
    "CompetencyVersion",
    "DevelopmentPlan",
    "PlanActivity",
    "PlanEvent",
    "Position",
    "StandardItem",
    "StoredFile",
    "Agency",
    "AgencyKind",
    "Application",
    "ApplicationEvent",
    "InternshipPeriod",
    "InternshipPosition",
    "MentorCapacity",
    "Placement",
    "PositionMentor",
    "AuditEvent",
    "Attendance",
    "Registration",
    "RegistrationEvent",
    "TrainingBatch",
    "TrainingSession",
    "OutboxEmail",
    "Role",
    "University",
    "User",
    "UserRole",
]
