"""A run of the match: its seed, who ran it, what went in (a digest) and what came out."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import UTCDateTime, db, utcnow

if TYPE_CHECKING:
    from portal.auth.models import User
    from portal.internships.models import InternshipPeriod


class MatchingRun(db.Model):
    """One run of a period's match. A preview until published; only the published run changed
    anything. ``digest`` is a hash of the preferences, scores and seats it read: publishing a
    preview whose inputs changed since is refused (run it again). ``result`` holds, per
    application id, ``[outcome, choice, mentor id or None]`` (see ``algorithm.OUTCOMES``);
    ``figures`` the summary the admin reads (``algorithm.summary``)."""

    __tablename__ = "internship_matching_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(
        sa.ForeignKey("internship_periods.id", ondelete="CASCADE"), index=True
    )
    seed: Mapped[int] = mapped_column(sa.BigInteger)
    digest: Mapped[str] = mapped_column(sa.String(64))
    figures: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    result: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    period: Mapped[InternshipPeriod] = relationship("InternshipPeriod")
    created_by: Mapped[User | None] = relationship("User", foreign_keys=[created_by_id])

    def __repr__(self) -> str:
        return f"<MatchingRun {self.id} seed={self.seed}>"
