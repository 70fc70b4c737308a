"""The record of every reminder sent, so the daily job never sends one twice."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import UTCDateTime, db, utcnow


class SentReminder(db.Model):
    """That ``user`` was reminded of ``kind`` about one object for one due key.

    ``object_key`` names the object ("placement:12", "application:7"); ``due_key`` says which
    occasion of the rule this was (the gap and its step for the logbook, the deadline and the
    threshold for an evaluation or an offer). The unique constraint is what makes a second run,
    even one running at the same moment, send nothing twice: the row is written in the same
    transaction as the notification.
    """

    __tablename__ = "sent_reminders"
    __table_args__ = (
        sa.UniqueConstraint(
            "kind", "user_id", "object_key", "due_key", name="uq_sent_reminders_once"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    object_key: Mapped[str] = mapped_column(sa.String(40))
    due_key: Mapped[str] = mapped_column(sa.String(40))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<SentReminder {self.kind} {self.user_id} {self.object_key} {self.due_key}>"
