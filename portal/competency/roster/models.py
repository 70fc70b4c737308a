"""What a confirmed roster import leaves behind: who imported, the counts, and its people (so
the admin can see what happened to their invitations and invite them together)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import UTCDateTime, db, utcnow


class RosterImport(db.Model):
    __tablename__ = "roster_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    rows: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)

    actor = relationship("User", foreign_keys=[actor_id])

    def can_view(self, user) -> bool:
        """The admin who imported, or a city-wide admin."""
        return user.is_admin and (user.is_city_admin or self.actor_id == user.id)


class RosterImportPerson(db.Model):
    __tablename__ = "roster_import_people"

    import_id: Mapped[int] = mapped_column(
        sa.ForeignKey("roster_imports.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
