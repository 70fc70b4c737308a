"""What really happened to an account's invitation, as the admin pages say it.

An account without a password was either never invited (the roster import makes accounts and
sends nothing), or its invitation e-mail is queued, sent or failed in the outbox; an account
with a password has accepted. The same rule is written once in Python (one account on a page)
and once in SQL (filters and counts over thousands of accounts).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import format_date

from portal.auth.models import User
from portal.db import TitledEnum, db
from portal.i18n import _, _l, ngettext
from portal.notify import OutboxEmail, OutboxStatus


class InvitationState(TitledEnum):
    NOT_SENT = "not_sent", _l("No invitation sent yet")
    QUEUED = "queued", _l("Invitation queued")
    SENT = "sent", _l("Invitation sent")
    FAILED = "failed", _l("Sending failed")
    ACCEPTED = "accepted", _l("Accepted / active")


#: The states a bulk invitation sends to: never invited, or the last sending failed.
TO_INVITE = frozenset({InvitationState.NOT_SENT, InvitationState.FAILED})

_BADGES = {
    InvitationState.NOT_SENT: "warning",
    InvitationState.QUEUED: "info",
    InvitationState.SENT: "primary",
    InvitationState.FAILED: "danger",
    InvitationState.ACCEPTED: "success",
}


def _mail(user: User) -> OutboxEmail | None:
    """The account's invitation e-mail: loaded with a list, or read for one account's page."""
    if "invitation_email" not in sa.inspect(user).unloaded:
        return user.invitation_email
    if user.invitation_email_id is None:
        return None
    return db.session.get(OutboxEmail, user.invitation_email_id)


def state_of(user: User) -> InvitationState:
    if user.password_hash is not None:
        return InvitationState.ACCEPTED
    mail = _mail(user)
    if mail is None:
        # an outbox row removed by the retention rules after it was delivered or given up
        return InvitationState.SENT if user.invited_at else InvitationState.NOT_SENT
    return {
        OutboxStatus.PENDING: InvitationState.QUEUED,
        OutboxStatus.SENT: InvitationState.SENT,
        OutboxStatus.FAILED: InvitationState.FAILED,
    }[mail.status]


def describe(user: User) -> str:
    """One line for the admin: "Invitation sent on 8 Dec 2026", "Sending failed: …"."""
    state = state_of(user)
    mail = _mail(user)
    if state == InvitationState.SENT:
        when = (mail.sent_at if mail is not None else None) or user.invited_at
        return _("Invitation sent on %(date)s", date=format_date(when, "medium"))
    if state == InvitationState.QUEUED:
        line = _("Invitation queued on %(date)s", date=format_date(user.invited_at, "medium"))
        if mail.last_error:
            line += " · " + _("retrying after: %(error)s", error=mail.last_error)
        return line
    if state == InvitationState.FAILED:
        return _("Sending failed: %(error)s", error=mail.last_error or _("no reason given"))
    return str(state.title)


def badge(user: User) -> str:
    return _BADGES[state_of(user)]


def _outbox(status: OutboxStatus):
    return User.invitation_email_id.in_(
        sa.select(OutboxEmail.id).where(OutboxEmail.status == status)
    )


def state_is(state: InvitationState) -> sa.ColumnElement[bool]:
    """SQL: the account's invitation is in ``state`` (the same rule as :func:`state_of`)."""
    waiting = User.password_hash.is_(None)
    if state == InvitationState.ACCEPTED:
        return User.password_hash.is_not(None)
    if state == InvitationState.NOT_SENT:
        return sa.and_(waiting, User.invitation_email_id.is_(None), User.invited_at.is_(None))
    if state == InvitationState.SENT:
        return sa.and_(
            waiting,
            sa.or_(
                _outbox(OutboxStatus.SENT),
                sa.and_(User.invitation_email_id.is_(None), User.invited_at.is_not(None)),
            ),
        )
    if state == InvitationState.QUEUED:
        return sa.and_(waiting, _outbox(OutboxStatus.PENDING))
    return sa.and_(waiting, _outbox(OutboxStatus.FAILED))


def to_invite() -> sa.ColumnElement[bool]:
    """SQL: an active account a bulk invitation sends to (never invited, or the sending failed)."""
    return sa.and_(User.is_active_flag.is_(True), sa.or_(*(state_is(s) for s in sorted(TO_INVITE))))


def counts(ids) -> dict[str, int]:
    """How many of the accounts (``ids``: a SELECT of user ids) a bulk invitation sends to, and
    how many it skips: accepted, already invited (queued or sent), deactivated. One query."""
    active = User.is_active_flag.is_(True)
    wanted = {
        "to_send": to_invite(),
        "accepted": state_is(InvitationState.ACCEPTED),
        "invited": sa.and_(
            active, sa.or_(state_is(InvitationState.QUEUED), state_is(InvitationState.SENT))
        ),
        "inactive": sa.and_(~active, User.password_hash.is_(None)),
    }
    return _count(ids, wanted)


def state_counts(ids) -> dict[InvitationState, int]:
    """How many of the accounts (a SELECT of user ids) are in each invitation state. One query."""
    return _count(ids, {state: state_is(state) for state in InvitationState})


def _count(ids, wanted: dict) -> dict:
    row = db.session.execute(
        sa.select(*(sa.func.count().filter(cond) for cond in wanted.values()))
        .select_from(User)
        .where(User.id.in_(ids))
    ).one()
    return {key: n or 0 for key, n in zip(wanted, row, strict=True)}


def bulk_outcome(result: dict[str, int], skipped: dict[str, int]) -> str:
    """What a bulk invitation did, for the page: sent, skipped (and why, from :func:`counts`
    taken before), left for the next round."""
    line = ngettext(
        "%(num)d invitation queued: the e-mail goes out within minutes.",
        "%(num)d invitations queued: the e-mails go out within minutes.",
        result["queued"],
    )
    total = result["skipped"] + sum(v for k, v in skipped.items() if k != "to_send")
    if total:
        line += " " + _(
            "Skipped: %(total)d (%(accepted)d already accepted, %(invited)d already invited, "
            "%(inactive)d deactivated).",
            total=total,
            accepted=skipped.get("accepted", 0),
            invited=skipped.get("invited", 0),
            inactive=skipped.get("inactive", 0),
        )
    left = max(result["left"], skipped.get("to_send", 0) - result["queued"])
    if left > 0:
        line += " " + _("%(num)d more remain: send again to invite them.", num=left)
    return line
