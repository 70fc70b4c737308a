"""Consent records and data-subject requests (UU PDP Pasal 22-24, 30-32; DOMAIN.md §8).

``ConsentRecord`` is a ledger: a new row per grant, withdrawal stamps the open row, nothing is
deleted (it is the proof of consent the controller must be able to show, Pasal 24). The two
optional purposes each already have a switch in their own feature (the hall of fame consent of
trainings, the "show my name" box of material feedback); :func:`_mirror_consents` writes the
ledger from those switches at flush time, so every entry point keeps it consistent.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from portal.db import TimestampMixin, TitledEnum, UTCDateTime, db, str_enum, utcnow
from portal.i18n import _l

if TYPE_CHECKING:
    from portal.auth.models import User


class ConsentPurpose(TitledEnum):
    HALL_OF_FAME = "hall_of_fame", _l("Appearing in the hall of fame")
    FEEDBACK_NAME = "feedback_name", _l("Showing my name with my feedback on course materials")

    @property
    def description(self):
        return {
            ConsentPurpose.HALL_OF_FAME: _l(
                "Signed-in users of the portal see your name, position, OPD and approved "
                "recognitions in the hall of fame."
            ),
            ConsentPurpose.FEEDBACK_NAME: _l(
                "The authors of a course material see your name next to the ratings and comments "
                'for which you ticked "show my name". Withdrawing hides your name on all of them.'
            ),
        }[self]


class ConsentRecord(db.Model):
    """One grant of consent for one purpose, with the notice version the person saw."""

    __tablename__ = "consent_records"
    __table_args__ = (
        sa.Index(
            "uq_consent_records_open",
            "user_id",
            "purpose",
            unique=True,
            sqlite_where=sa.text("withdrawn_at IS NULL"),
            postgresql_where=sa.text("withdrawn_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[ConsentPurpose] = mapped_column(str_enum(ConsentPurpose, 30))
    notice_version: Mapped[str] = mapped_column(sa.String(20))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class NoticeAcceptance(db.Model):
    """Which version of the privacy notice a person was shown and accepted, and when (UU PDP
    Pasal 21-24: the controller shows what the person was told). The optional consents given at
    the same moment are :class:`ConsentRecord` rows with the same ``notice_version``."""

    __tablename__ = "notice_acceptances"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    notice_version: Mapped[str] = mapped_column(sa.String(20))
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: where: "registration", "invitation", or "before_versioning" (accounts that existed
    #: before acceptances were recorded, written by the migration with the previous version)
    context: Mapped[str] = mapped_column(sa.String(20))
    #: the optional purposes ticked then, comma-separated ConsentPurpose values ("" for none)
    optional_purposes: Mapped[str] = mapped_column(sa.String(200), default="")


class RequestKind(TitledEnum):
    CORRECTION = "correction", _l("Correction")
    DELETION = "deletion", _l("Deletion")
    RESTRICTION = "restriction", _l("Restriction of processing")
    OBJECTION = "objection", _l("Objection")


class RequestState(TitledEnum):
    OPEN = "open", _l("Open")
    #: a deletion an admin agreed to, waiting for the erasure step
    APPROVED = "approved", _l("Approved, to be erased")
    #: a restriction in force: the person's data is flagged as restricted until it is lifted
    IN_FORCE = "in_force", _l("Restriction in force")
    DONE = "done", _l("Done")
    REJECTED = "rejected", _l("Rejected")


class DataRequest(TimestampMixin, db.Model):
    """A person's recorded request (Pasal 14) to correct or delete data, due in 3×24 hours."""

    __tablename__ = "data_requests"
    __table_args__ = (
        sa.CheckConstraint("(state = 'open') = (handled_at IS NULL)", name="handled_when_closed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[RequestKind] = mapped_column(str_enum(RequestKind, 12))
    details: Mapped[str] = mapped_column(sa.Text)  # what is wrong / which data
    explanation: Mapped[str] = mapped_column(sa.Text, default="")  # what it should be / why
    state: Mapped[RequestState] = mapped_column(
        str_enum(RequestState, 10), default=RequestState.OPEN, index=True
    )
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    handled_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    response: Mapped[str | None] = mapped_column(sa.Text)

    user: Mapped[User] = relationship("User", foreign_keys=[user_id])
    handled_by: Mapped[User | None] = relationship("User", foreign_keys=[handled_by_id])

    def is_overdue(self, now: datetime | None = None) -> bool:
        return self.state == RequestState.OPEN and self.due_at < (now or utcnow())

    def can_view(self, user) -> bool:
        """The person who asked, and city-wide admins (who handle every request)."""
        return user.id == self.user_id or getattr(user, "is_city_admin", False)

    def can_handle(self, user) -> bool:
        """An open request, or a step still due on an approved deletion / a restriction in
        force, for a city-wide admin."""
        return self.state in (
            RequestState.OPEN,
            RequestState.APPROVED,
            RequestState.IN_FORCE,
        ) and getattr(user, "is_city_admin", False)

    def can_erase(self, user) -> bool:
        """The erasure step: an approved deletion request, by a city-wide admin."""
        return (
            self.kind == RequestKind.DELETION
            and self.state == RequestState.APPROVED
            and getattr(user, "is_city_admin", False)
        )


def is_restricted_sql(user_id_column):
    """SQL: the user has a restriction of processing in force (UU PDP Pasal 11)."""
    return (
        sa.select(DataRequest.id)
        .where(
            DataRequest.user_id == user_id_column,
            DataRequest.kind == RequestKind.RESTRICTION,
            DataRequest.state == RequestState.IN_FORCE,
        )
        .exists()
    )


def is_restricted(user_id: int) -> bool:
    """Whether ``user_id``'s processing is restricted now (a restriction request in force)."""
    return bool(db.session.scalar(sa.select(is_restricted_sql(sa.literal(user_id)))))


def notice_version() -> str:
    if has_app_context():
        return current_app.config["PRIVACY_NOTICE_VERSION"]
    return "unknown"


# --- keeping the ledger in step with the features' own switches ----------------------------------


def _open_record(session: Session, user_id: int, purpose: ConsentPurpose):
    for obj in session.new:
        if (
            isinstance(obj, ConsentRecord)
            and obj.user_id == user_id
            and obj.purpose == purpose
            and obj.withdrawn_at is None
        ):
            return obj
    return session.scalar(
        sa.select(ConsentRecord).where(
            ConsentRecord.user_id == user_id,
            ConsentRecord.purpose == purpose,
            ConsentRecord.withdrawn_at.is_(None),
        )
    )


def _grant(session: Session, user_id: int, purpose: ConsentPurpose, at: datetime) -> None:
    if _open_record(session, user_id, purpose) is None:
        session.add(
            ConsentRecord(
                user_id=user_id, purpose=purpose, notice_version=notice_version(), given_at=at
            )
        )


def _withdraw(session: Session, user_id: int, purpose: ConsentPurpose, at: datetime) -> None:
    record = _open_record(session, user_id, purpose)
    if record is not None:
        record.withdrawn_at = at


def _hall_of_fame_user(session: Session, asn_id: int) -> int | None:
    from portal.competency.models import AsnProfile

    profile = session.get(AsnProfile, asn_id)
    return profile.user_id if profile is not None else None


@sa.event.listens_for(Session, "before_flush")
def _mirror_consents(session: Session, _context, _instances) -> None:
    """A hall of fame consent given or withdrawn in trainings, and a rating saved with "show my
    name", write the ledger in the same flush (so the proof exists whatever page was used)."""
    from portal.curricula.feedback.models import MaterialRating
    from portal.trainings.recognition.models import HallOfFameConsent

    new = set(session.new)
    changed = [
        o
        for o in list(session.new) + list(session.dirty)
        if isinstance(o, HallOfFameConsent | MaterialRating)
    ]
    if not changed:
        return
    with session.no_autoflush:
        for obj in changed:
            if isinstance(obj, MaterialRating):
                touched = obj in new or sa.inspect(obj).attrs.show_name.history.has_changes()
                if touched and obj.show_name and obj.user_id is not None:
                    _grant(session, obj.user_id, ConsentPurpose.FEEDBACK_NAME, utcnow())
                continue
            user_id = _hall_of_fame_user(session, obj.asn_id)
            if user_id is None:
                continue
            if obj in new and obj.withdrawn_at is None:
                _grant(session, user_id, ConsentPurpose.HALL_OF_FAME, obj.given_at or utcnow())
            elif obj.withdrawn_at is not None and (
                obj in new or sa.inspect(obj).attrs.withdrawn_at.history.has_changes()
            ):
                _withdraw(session, user_id, ConsentPurpose.HALL_OF_FAME, obj.withdrawn_at)
