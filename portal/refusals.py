"""Showing a refused step (a ``DomainError`` from a service) on the page that asked for it."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash
from flask_login import current_user
from sqlalchemy.orm import selectinload

from portal.auth.models import User
from portal.db import db
from portal.errors import DomainError


def refused(form, exc: DomainError) -> None:
    """Roll back and show the refusal: beside its field when it is about one, else as a flash.

    The form keeps what was typed. The rollback expired the signed-in user too: it is loaded
    again with its roles now, before a page query meets it (a user reloaded by such a query
    could not load its roles later, under the lazy-load guard of the tests).
    """
    db.session.rollback()
    if current_user.is_authenticated:
        db.session.scalars(
            sa.select(User).where(User.id == current_user.id).options(selectinload(User.role_rows))
        ).first()
    name = getattr(exc, "field", None)
    if form is not None and name is not None and name in form:
        form[name].errors = [*form[name].errors, exc.message]
    else:
        flash(str(exc.message), "danger")
