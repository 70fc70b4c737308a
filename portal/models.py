"""Every model of every feature, imported in one place (Alembic autogenerate, ``flask shell``)."""

from portal.audit import AuditEvent
from portal.auth.models import AccountStatus, Role, User, UserRole
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
from portal.institutions.models import Agency, AgencyKind, University
from portal.notify import OutboxEmail
from portal.uploads import StoredFile

__all__ = [
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
    "AuditEvent",
    "OutboxEmail",
    "Role",
    "University",
    "User",
    "UserRole",
]
