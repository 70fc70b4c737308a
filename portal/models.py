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
from portal.competency.plans.models import DevelopmentPlan, PlanActivity, PlanEvent
from portal.competency.roster.models import RosterImport, RosterImportPerson  # noqa: F401
from portal.curricula.feedback.models import MaterialFlag, MaterialRating
from portal.curricula.models import (
    Curriculum,
    CurriculumAuthor,
    CurriculumEvidence,
    CurriculumTarget,
    Material,
    MaterialVersion,
    Module,
)
from portal.curricula.proposals.models import CurriculumEvent, CurriculumVersion, ReviewComment
from portal.institutions.models import Agency, AgencyKind, University
from portal.internships.applications.models import Application, ApplicationEvent
from portal.internships.credit.models import CreditCourse, CreditScheme, GradeBand  # noqa: F401
from portal.internships.evaluation.models import (
    AcademicScore,
    FinalGrade,
    MentorEvaluation,
    Rubric,
    RubricCriterion,
    StudentFeedback,
)
from portal.internships.guidance.models import GuidanceAction, GuidanceSession
from portal.internships.matching.models import MatchingRun  # noqa: F401
from portal.internships.models import (
    InternshipPeriod,
    InternshipPosition,
    MentorCapacity,
    Placement,
    PositionMentor,
)
from portal.internships.placements.models import FinalReport, LogbookEntry, LogbookEvent
from portal.internships.settings import UniversitySettings
from portal.notification_prefs import NotificationPreference  # noqa: F401
from portal.notify import Notification, OutboxEmail
from portal.privacy.models import ConsentRecord, DataRequest  # noqa: F401
from portal.reminders.models import SentReminder  # noqa: F401
from portal.trainings.evaluation.models import (
    ActionPlanItem,
    L1Answer,
    L1Response,
    L3Form,
    L3Rating,
    SurveyQuestion,
)
from portal.trainings.ledger.conversion import ConversionRule
from portal.trainings.ledger.models import LedgerEntry, LedgerEvent
from portal.trainings.ledger.reminders import JpReminder
from portal.trainings.models import (
    Attendance,
    Registration,
    RegistrationEvent,
    TrainingBatch,
    TrainingSession,
)
from portal.trainings.quizzes.models import (
    CompetencyGain,
    QuizAnswer,
    QuizAttempt,
    QuizChoice,
    QuizQuestion,
    QuizSet,
)
from portal.trainings.recognition.models import (
    AwardNomination,
    HallOfFameConsent,
    RecognitionProposal,
    RecognitionRule,
)
from portal.uploads import StoredFile
from portal.view_log import PersonalDataView  # noqa: F401

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
