"""Nobody takes an official step on their own record (issue 15).

An admin who is also an ASN does not record their own official assessment, verify their own JP,
decide on their own recognition, nominate themself for an award or mark their own attendance;
nobody rates, approves or answers a follow-up evaluation as their own supervisor. Another person
takes the step.

The workflows of the portal have no common engine, so the rule is written once, here, and every
step asks it twice: its ``can_<verb>`` predicate asks :func:`is_own_record` (the page does not
offer the button or the form) and its service calls :func:`refuse_own_record` (a forged request
is refused with a message that says why and who must take the step instead).
"""

from __future__ import annotations

from portal.errors import InvalidTransition
from portal.i18n import _l


class OwnRecord(InvalidTransition):
    """An official step on the actor's own record, refused by the step's guard (a
    ``DomainError``, shown like any refusal). The message names who takes it instead."""

    status = 403
    default_message = _l("You cannot approve or verify your own record: another person must do it.")


def subject_user_id(subject) -> int | None:
    """The user a record is about: a user id, or the ``user_id`` of the record (an ASN record,
    a registration …)."""
    if subject is None or isinstance(subject, int):
        return subject
    return getattr(subject, "user_id", None)


def is_own_record(user, subject) -> bool:
    """True when ``user`` is the person ``subject`` is about (never for nobody or a visitor)."""
    user_id = getattr(user, "id", None)
    return user_id is not None and user_id == subject_user_id(subject)


def refuse_own_record(user, subject, message=None) -> None:
    """Raise :class:`OwnRecord` (with ``message``, a lazy string saying why) when ``user`` would
    take an official step on their own record."""
    if is_own_record(user, subject):
        raise OwnRecord(message)
