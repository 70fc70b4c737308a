"""Users and their roles."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from portal.db import TimestampMixin, TitledEnum, UTCDateTime, db, str_enum
from portal.i18n import _l
from portal.institutions.models import Agency, University


def _enum(cls, length=20):
    return str_enum(cls, length)


class Role(TitledEnum):
    ADMIN = "admin", _l("Administrator")
    UNIVERSITY = "university", _l("University staff")
    MENTOR = "mentor", _l("Mentor")
    STUDENT = "student", _l("Student")
    ASN = "asn", _l("ASN (civil servant)")


#: Roles whose holders belong to a university, and those who belong to an OPD.
UNIVERSITY_ROLES = frozenset({Role.UNIVERSITY, Role.STUDENT})
AGENCY_ROLES = frozenset({Role.MENTOR, Role.ASN})


class AccountStatus(TitledEnum):
    PENDING = (
        "pending",
        _l("Waiting for verification"),
    )  # a student waiting for the university's verification
    ACTIVE = "active", _l("Verified")
    REJECTED = "rejected", _l("Rejected")


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(_enum(Role), primary_key=True)


class User(TimestampMixin, db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased (see normalise_email), so the unique constraint is case-insensitive.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    is_active_flag: Mapped[bool] = mapped_column("is_active", default=True)
    # A restriction of processing in force (UU PDP Pasal 11; set by the privacy requests): the
    # optional processing (the hall of fame) leaves the person out.
    processing_restricted: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    status: Mapped[AccountStatus] = mapped_column(
        _enum(AccountStatus), default=AccountStatus.ACTIVE
    )
    rejection_reason: Mapped[str | None] = mapped_column(sa.String(500))
    locale: Mapped[str] = mapped_column(sa.String(5), default="id")
    # Rotated on sign-out, password change, deactivation and role change (QUALITY.md G7).
    session_token: Mapped[str] = mapped_column(
        sa.String(64), default=new_session_token, unique=True
    )

    university_id: Mapped[int | None] = mapped_column(sa.ForeignKey("universities.id"), index=True)
    agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    # For admins: None = city-wide (BKPSDM); otherwise the one OPD the admin coordinates.
    admin_agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agencies.id"))

    nim: Mapped[str | None] = mapped_column(sa.String(30))
    study_programme: Mapped[str | None] = mapped_column(sa.String(120))

    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The last invitation e-mail queued for this account (its outbox row says queued, sent or
    # failed) and when; an account made by the roster import has neither until one is sent.
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    invitation_email_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("outbox_emails.id", ondelete="SET NULL")
    )
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    role_rows: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by=UserRole.role
    )
    university: Mapped[University | None] = relationship(foreign_keys=[university_id])
    agency: Mapped[Agency | None] = relationship(foreign_keys=[agency_id])
    admin_agency: Mapped[Agency | None] = relationship(foreign_keys=[admin_agency_id])
    invitation_email = relationship("OutboxEmail", foreign_keys=[invitation_email_id])

    @validates("email")
    def normalise_email(self, _key, value: str) -> str:
        return value.strip().lower()

    # --- Flask-Login -------------------------------------------------------------------------
    @property
    def is_active(self) -> bool:
        return self.is_active_flag and self.status == AccountStatus.ACTIVE

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """The session carries the rotating token, never the primary key (QUALITY.md G7)."""
        return self.session_token

    # --- roles -------------------------------------------------------------------------------
    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(r.role for r in self.role_rows)

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def is_city_admin(self) -> bool:
        return self.is_admin and self.admin_agency_id is None

    def set_roles(self, roles) -> None:
        wanted = set(roles)
        self.role_rows = [r for r in self.role_rows if r.role in wanted]
        have = {r.role for r in self.role_rows}
        self.role_rows.extend(UserRole(role=r) for r in sorted(wanted - have))

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    # --- predicates --------------------------------------------------------------------------
    def can_be_verified_by(self, user) -> bool:
        """A university user verifies pending students of their own university only."""
        return (
            Role.STUDENT in self.roles
            and self.status == AccountStatus.PENDING
            and user.has_role(Role.UNIVERSITY)
            and user.university_id is not None
            and user.university_id == self.university_id
        )

    def can_be_managed_by(self, user) -> bool:
        """City-wide admins manage every account; an OPD admin only the ASN and mentors of its OPD."""
        if not user.is_admin:
            return False
        if user.is_city_admin:
            return True
        return (
            self.agency_id is not None
            and self.agency_id == user.admin_agency_id
            and not self.has_role(Role.ADMIN, Role.UNIVERSITY, Role.STUDENT)
        )

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"
