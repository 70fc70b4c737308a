"""Guidance sessions: the mentor logs and edits them (until the student confirms), the student
confirms or disputes with a comment. Services flush, record and notify; they never commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from portal import audit
from portal.auth.models import User
from portal.db import db, utcnow
from portal.errors import DomainError, FieldError, InvalidTransition
from portal.i18n import _l
from portal.internships.guidance import workflow
from portal.internships.guidance.models import (
    GuidanceAction,
    GuidanceSession,
    SessionAction,
    SessionMode,
    SessionState,
    can_log_session,
)
from portal.internships.models import Placement
from portal.notify import register_messages, tell
from portal.util import clock, links
from portal.util.dates import lazy_day
from portal.util.text import clean_text

TOPICS_MAX, NOTES_MAX, COMPETENCIES_MAX = 2000, 5000, 500
ACTION_MAX, MAX_ACTIONS, COMMENT_MAX = 300, 10, 2000
DURATION_MIN, DURATION_MAX = 5, 600
#: How far ahead the next meeting may be planned.
NEXT_MEETING_HORIZON = timedelta(days=180)

register_messages(
    internships__session_logged=_l(
        "%(mentor)s logged a guidance session held on %(date)s. Confirm it, or dispute it "
        "with a comment."
    ),
    internships__session_changed=_l(
        "%(mentor)s changed the guidance session of %(date)s. Check it, then confirm it or "
        "dispute it."
    ),
    internships__session_confirmed=_l("%(student)s confirmed the guidance session of %(date)s."),
    internships__session_disputed=_l(
        "%(student)s disputed the guidance session of %(date)s: %(comment)s"
    ),
)


@dataclass
class ActionData:
    text: str
    due_on: date | None = None
    is_done: bool = False


@dataclass
class SessionData:
    """What the mentor types; only these fields reach a session (no state, ids or owners)."""

    held_on: date
    duration_minutes: int
    mode: str
    topics: str
    competencies: str = ""
    shared_notes: str = ""
    private_notes: str = ""
    next_meeting_on: date | None = None
    actions: list[ActionData] = field(default_factory=list)


def _validate(data: SessionData, placement: Placement, today: date) -> None:
    """Refuse what the form cannot catch alone: dates against the placement and today."""
    if not isinstance(data.held_on, date):
        raise FieldError("held_on", _l("Enter the date of the session."))
    if data.held_on > today:
        raise FieldError("held_on", _l("A session is logged after it took place, not before."))
    if data.held_on < placement.starts_on or data.held_on > placement.ends_on:
        raise FieldError(
            "held_on",
            _l(
                "The date must fall within the placement (%(start)s to %(end)s).",
                start=lazy_day(placement.starts_on),
                end=lazy_day(placement.ends_on),
            ),
        )
    if not isinstance(data.duration_minutes, int) or not (
        DURATION_MIN <= data.duration_minutes <= DURATION_MAX
    ):
        raise FieldError(
            "duration_minutes",
            _l(
                "The duration is between %(min)d and %(max)d minutes.",
                min=DURATION_MIN,
                max=DURATION_MAX,
            ),
        )
    try:
        SessionMode(data.mode)
    except ValueError:
        raise FieldError("mode", _l("Choose how the session took place.")) from None
    if not clean_text(data.topics, TOPICS_MAX):
        raise FieldError("topics", _l("Write the topics of the session."))
    nxt = data.next_meeting_on
    if nxt is not None and not (data.held_on < nxt <= data.held_on + NEXT_MEETING_HORIZON):
        raise FieldError(
            "next_meeting_on",
            _l("The next meeting comes after this session, within six months."),
        )
    if len([a for a in data.actions if clean_text(a.text, ACTION_MAX)]) > MAX_ACTIONS:
        raise FieldError("actions", _l("At most %(max)d actions per session.", max=MAX_ACTIONS))
    for item in data.actions:
        if item.due_on is not None and item.due_on < data.held_on:
            raise FieldError("actions", _l("An action is due on or after the session's date."))


def _apply(session: GuidanceSession, data: SessionData) -> None:
    session.held_on = data.held_on
    session.duration_minutes = data.duration_minutes
    session.mode = SessionMode(data.mode)
    session.topics = clean_text(data.topics, TOPICS_MAX)
    session.competencies = clean_text(data.competencies, COMPETENCIES_MAX)
    session.shared_notes = clean_text(data.shared_notes, NOTES_MAX)
    session.private_notes = clean_text(data.private_notes, NOTES_MAX)
    session.next_meeting_on = data.next_meeting_on
    now = utcnow()
    wanted = [a for a in data.actions if clean_text(a.text, ACTION_MAX)]
    kept = list(session.actions)
    for index, item in enumerate(wanted):
        row = kept[index] if index < len(kept) else GuidanceAction()
        row.text, row.due_on = clean_text(item.text, ACTION_MAX), item.due_on
        if item.is_done != row.is_done:
            row.is_done, row.done_at = item.is_done, now if item.is_done else None
        if index >= len(kept):
            session.actions.append(row)
    for row in kept[len(wanted) :]:
        session.actions.remove(row)


def _people(session: GuidanceSession) -> tuple[User, User, dict]:
    """The mentor, the student and the notification parameters of a session."""
    mentor = db.session.get(User, session.mentor_id)
    student = db.session.get(User, session.placement.student_id)
    params = {
        "mentor": mentor.full_name,
        "student": student.full_name,
        "date": session.held_on,
    }
    return mentor, student, params


def _session_link(session: GuidanceSession) -> str | None:
    return links.link("internships.session", session_id=session.id)


def mark_actions_done(placement: Placement, action_ids, *, actor) -> int:
    """Tick off actions of earlier sessions of this placement (the mentor, at the next meeting).
    Ids of other placements' actions are ignored; returns how many were ticked."""
    ids = [int(i) for i in action_ids or () if isinstance(i, int) or str(i).isdigit()]
    if not ids or actor is None or actor.id != placement.mentor_id:
        return 0
    result = db.session.execute(
        sa.update(GuidanceAction)
        .where(
            GuidanceAction.id.in_(ids),
            GuidanceAction.is_done.is_(False),
            GuidanceAction.session_id.in_(
                sa.select(GuidanceSession.id).where(GuidanceSession.placement_id == placement.id)
            ),
        )
        .values(is_done=True, done_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def log_session(
    placement: Placement, data: SessionData, *, actor, done_action_ids=(), today=None
) -> GuidanceSession:
    """The placement's mentor logs a session held within the placement, up to today; the student
    is asked to confirm it. Refuses anyone else, an ended placement and impossible dates."""
    if not can_log_session(placement, actor):
        raise InvalidTransition(
            _l("Only the mentor of an active placement can log a guidance session.")
        )
    _validate(data, placement, today or clock.today())
    session = GuidanceSession(
        placement_id=placement.id, mentor_id=actor.id, state=SessionState.LOGGED
    )
    session.placement = placement
    _apply(session, data)
    db.session.add(session)
    db.session.flush()
    ticked = mark_actions_done(placement, done_action_ids, actor=actor)
    audit.record(
        actor,
        "internship.session",
        session,
        target_label=f"placement {placement.id}",
        step="log",
        actions=len(session.actions),
        ticked=ticked,
    )
    _mentor, student, params = _people(session)
    tell([student], "internships.session_logged", link=_session_link(session), **params)
    return session


def edit_session(session: GuidanceSession, data: SessionData, *, actor, today=None) -> None:
    """The mentor corrects a session the student has not confirmed; a disputed session goes back
    to the student for confirmation. Refuses a confirmed session and anyone but the mentor."""
    next_state = workflow.check(session, SessionAction.EDIT, actor)
    _validate(data, session.placement, today or clock.today())
    was = session.state
    _apply(session, data)
    session.state = next_state
    db.session.flush()
    audit.record(actor, "internship.session", session, step="edit", from_state=str(was))
    _mentor, student, params = _people(session)
    tell([student], "internships.session_changed", link=_session_link(session), **params)


def answer_session(session: GuidanceSession, action, *, actor, comment: str | None = None):
    """The student confirms a logged session (a comment is optional) or disputes it (a comment
    saying what is wrong is required). Refuses anyone but the student and answered sessions."""
    try:
        action = SessionAction(action)
    except ValueError:
        raise DomainError(_l("Choose to confirm or to dispute the session.")) from None
    if action == SessionAction.EDIT:
        raise DomainError(_l("Choose to confirm or to dispute the session."))
    next_state = workflow.check(session, action, actor)
    comment = clean_text(comment, COMMENT_MAX)
    if action == SessionAction.DISPUTE and not comment:
        raise FieldError("comment", _l("Say what is wrong with the session."))
    now = utcnow()
    session.state = next_state
    session.student_comment = comment or None
    if action == SessionAction.CONFIRM:
        session.confirmed_at = now
    else:
        session.disputed_at = now
    db.session.flush()
    audit.record(actor, "internship.session", session, step=str(action))
    mentor, _student, params = _people(session)
    if action == SessionAction.CONFIRM:
        tell([mentor], "internships.session_confirmed", link=_session_link(session), **params)
    else:
        tell(
            [mentor],
            "internships.session_disputed",
            link=_session_link(session),
            comment=comment,
            **params,
        )
