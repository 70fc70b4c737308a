"""Showing a refused step (a ``DomainError`` from a service) on the page that asked for it, and
:func:`attempt`: the one way a view runs a service step (commit, flash, or roll back and refuse)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash
from flask_login import current_user
from sqlalchemy.orm import selectinload

from portal.auth.models import User
from portal.db import db
from portal.errors import DomainError


def rolled_back() -> None:
    """Roll the session back after a refusal. The rollback expired the signed-in user too: it
    is loaded again with its roles now, before a page query meets it (a user reloaded by such a
    query could not load its roles later, under the lazy-load guard of the tests)."""
    db.session.rollback()
    if current_user.is_authenticated:
        db.session.scalars(
            sa.select(User).where(User.id == current_user.id).options(selectinload(User.role_rows))
        ).first()


def beside_field(form, exc: DomainError) -> bool:
    """Put a refusal about one field of ``form`` (a ``FieldError``) beside that field; False
    when it is about no field of the form."""
    name = getattr(exc, "field", None)
    if form is None or name is None or name not in form:
        return False
    form[name].errors = [*form[name].errors, exc.message]
    return True


def refused(form, exc: DomainError) -> None:
    """Roll back and show the refusal: beside its field when it is about one, else as a flash.
    The form keeps what was typed."""
    rolled_back()
    if not beside_field(form, exc):
        flash(str(exc.message), "danger")


class Outcome:
    """What :func:`attempt` did: ``ok`` (the step landed, ``value`` is what it returned) or
    refused (``error`` is the service's ``DomainError``). True when it landed. ``alert``: the
    refusal a page showing it in its own alert still has to show (None when it landed or when it
    went beside its field)."""

    __slots__ = ("alert", "error", "value")

    def __init__(self, value=None, error: DomainError | None = None, alert=None):
        self.value, self.error, self.alert = value, error, alert

    @property
    def ok(self) -> bool:
        return self.error is None

    def __bool__(self) -> bool:
        return self.ok


def attempt(
    step, *, form=None, success=None, category: str = "success", show: bool = True
) -> Outcome:
    """Run one service step (``step()``), commit once and flash ``success``; or, when the service
    refuses (``DomainError``), roll back and show the refusal (:func:`refused`: beside its field
    in ``form``, else as a flash) with the form as typed. The view then redirects on success or
    renders its page again. A page that shows a refusal in its own alert, next to the step that
    was refused, passes ``show=False``: a refusal about a field of ``form`` still goes beside it,
    any other is left in ``outcome.alert`` for the page to show::

        done = attempt(lambda: services.rate(material, actor=current_user, ...), form=form,
                       success=_("Thank you: your rating was saved."))
        if done:
            return redirect(...)
        return render_page(form, status=400)
    """
    try:
        value = step()
        db.session.commit()
    except DomainError as exc:
        if show:
            refused(form, exc)
            return Outcome(error=exc)
        rolled_back()
        return Outcome(error=exc, alert=None if beside_field(form, exc) else exc.message)
    if success is not None:
        flash(str(success), category)
    return Outcome(value)
