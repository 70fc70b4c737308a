"""The log of who viewed someone else's personal record (UU PDP Pasal 31: a record of the
processing; DOMAIN.md §8 checklist 12).

A page that shows another person's record calls :func:`record_view` once it has decided the
viewer may see it. The row is written when the response is ready, in its own short transaction:
the GET pages stay read-only otherwise, a failed page (4xx/5xx) logs nothing, and a failure to
write the log (a read-only or locked database) never breaks the page: it is logged as an error.
A row holds who, whose record, which record, when and from which address; never page content.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import after_this_request, g, has_request_context, request
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from portal.auth.models import User
from portal.db import UTCDateTime, db, utcnow
from portal.i18n import _l
from portal.listing import any_contains

if TYPE_CHECKING:
    from portal.auth.models import User


log = logging.getLogger("portal.privacy")

#: The kinds of personal record whose viewing is logged, with their titles.
RECORD_TYPES = {
    "asn_profile": _l("ASN competency profile"),
    "asn_ledger": _l("ASN JP ledger"),
    "application": _l("Internship application"),
    "placement": _l("Internship placement"),
}
#: The page of each kind of record and its URL argument (the log links to the record).
RECORD_PAGES = {
    "asn_profile": ("competency.asn_profile", "asn_id"),
    "asn_ledger": ("trainings.asn_ledger", "asn_id"),
    "application": ("internships.application", "application_id"),
    "placement": ("internships.placement", "placement_id"),
}
EXPORT_LIMIT = 50_000
_PENDING = "_personal_data_views"


class PersonalDataView(db.Model):
    """One look by one user at another person's record."""

    __tablename__ = "personal_data_views"
    __table_args__ = (
        sa.Index("ix_personal_data_views_subject_at", "subject_user_id", "viewed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    viewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    viewer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    subject_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    record_type: Mapped[str] = mapped_column(sa.String(30))
    record_id: Mapped[int] = mapped_column()
    # The OPD the record belonged to when it was viewed: an OPD admin sees these rows only.
    agency_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agencies.id", ondelete="SET NULL"), index=True
    )
    ip: Mapped[str | None] = mapped_column(sa.String(45))

    viewer: Mapped[User | None] = relationship("User", foreign_keys=[viewer_id])
    subject: Mapped[User | None] = relationship("User", foreign_keys=[subject_user_id])

    @property
    def record_title(self):
        return RECORD_TYPES.get(self.record_type, self.record_type)


def record_view(
    subject_user_id: int | None, record_type: str, record_id: int, *, agency_id: int | None = None
) -> bool:
    """Log that the signed-in user is viewing ``record_type`` #``record_id`` of another person.

    Nothing is logged for a person reading their own record, outside a request, or for an
    anonymous visitor; the same record is logged once per request. Refuses (ValueError) an
    unknown record type. Returns whether a row will be written.
    """
    if record_type not in RECORD_TYPES:
        raise ValueError(f"unknown personal record type {record_type!r}")
    if not has_request_context() or not current_user.is_authenticated:
        return False
    viewer_id = current_user.id
    if viewer_id == subject_user_id:
        return False
    pending = g.get(_PENDING)
    if pending is None:
        pending = g.setdefault(_PENDING, {})
        after_this_request(_write_pending)
    pending.setdefault(
        (record_type, record_id),
        {
            "viewer_id": viewer_id,
            "subject_user_id": subject_user_id,
            "record_type": record_type,
            "record_id": record_id,
            "agency_id": agency_id,
            "ip": request.remote_addr,
            "viewed_at": utcnow(),
        },
    )
    return True


def _write_pending(response):
    """Write the views of this request once the page is ready (not for a failed page)."""
    pending = g.pop(_PENDING, None)
    if not pending or response.status_code >= 400:
        return response
    try:
        if db.session.new or db.session.dirty or db.session.deleted:
            # Uncommitted changes of the page would be discarded at teardown: never commit them.
            db.session.rollback()
        db.session.add_all(PersonalDataView(**row) for row in pending.values())
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception(
            "personal-data view log not written",
            extra={
                "view_log": {"records": [f"{t}:{i}" for t, i in pending], "ip": request.remote_addr}
            },
        )
    return response


# --- the admins' page ----------------------------------------------------------------------------


def _people_matching(text: str):
    return sa.select(User.id).where(any_contains(text, User.full_name, User.email))


def views_stmt(
    admin,
    *,
    viewer: str = "",
    subject: str = "",
    record_type: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
):
    """The views an admin may see, newest first: a city-wide admin all of them, an OPD admin only
    those of records of their OPD. ``viewer``/``subject`` search names and e-mails; ``until``
    is exclusive."""
    stmt = (
        sa.select(PersonalDataView)
        .options(selectinload(PersonalDataView.viewer), selectinload(PersonalDataView.subject))
        .order_by(PersonalDataView.viewed_at.desc(), PersonalDataView.id.desc())
    )
    if not admin.is_city_admin:
        stmt = stmt.where(PersonalDataView.agency_id == admin.admin_agency_id)
    if viewer:
        stmt = stmt.where(PersonalDataView.viewer_id.in_(_people_matching(viewer)))
    if subject:
        stmt = stmt.where(PersonalDataView.subject_user_id.in_(_people_matching(subject)))
    if record_type:
        stmt = stmt.where(PersonalDataView.record_type == record_type)
    if since:
        stmt = stmt.where(PersonalDataView.viewed_at >= since)
    if until:
        stmt = stmt.where(PersonalDataView.viewed_at < until)
    return stmt


def views_page(admin, *, page: int, per_page: int, **filters):
    """One page of :func:`views_stmt`."""
    return db.paginate(views_stmt(admin, **filters), page=page, per_page=per_page, error_out=False)


def views_export(admin, **filters) -> list[PersonalDataView]:
    """Every row of :func:`views_stmt` for the CSV/XLSX export (at most EXPORT_LIMIT)."""
    return list(db.session.scalars(views_stmt(admin, **filters).limit(EXPORT_LIMIT)))


def views_of(subject_user_id: int, *, limit: int = 500) -> list[PersonalDataView]:
    """Who viewed this person's records, newest first (for the person's own data export)."""
    return list(
        db.session.scalars(
            sa.select(PersonalDataView)
            .options(selectinload(PersonalDataView.viewer))
            .where(PersonalDataView.subject_user_id == subject_user_id)
            .order_by(PersonalDataView.viewed_at.desc(), PersonalDataView.id.desc())
            .limit(limit)
        )
    )
