"""Helpers of the application service tests: a student applies, the notices a user got."""

from __future__ import annotations

import sqlalchemy as sa

from portal.internships.applications import services as apps
from portal.notify import Notification


def notices(db, user) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Notification.message_key)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id)
        )
    )


def apply(imake, position, student, **kw):
    return apps.apply(
        position, actor=student, motivation="Saya tertarik pada SPBE.", cv=imake.cv(student), **kw
    )
