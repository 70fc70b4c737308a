"""What the placement page's guidance and evaluation partials show, loaded in three queries
whatever the number of sessions (QUALITY.md P4): the partials themselves run none.

``collect(placement, user)`` expects the placement as the placement page loads it (student,
mentor, DPL, position and OPD loaded) and returns plain values plus the permission flags the
partials use to show exactly the buttons that would work. Private mentor notes are never part
of it; the student's feedback is only in it for the student and the OPD's admins.
"""

from __future__ import annotations

import sqlalchemy as sa

from portal.db import db
from portal.internships.evaluation import queries as evaluation_queries
from portal.internships.evaluation import services as evaluation_services
from portal.internships.guidance.models import (
    GuidanceSession,
    SessionState,
    can_log_session,
    can_view_sessions,
)
from portal.internships.models import Placement, PlacementStatus, is_opd_admin, signed_in
from portal.util import clock

RECENT_SESSIONS = 50  # the partial shows 5 and folds the rest away


def _session_counts(placement_id: int) -> dict:
    rows = db.session.execute(
        sa.select(
            GuidanceSession.state,
            sa.func.count(GuidanceSession.id),
            sa.func.coalesce(sa.func.sum(GuidanceSession.duration_minutes), 0),
        )
        .where(GuidanceSession.placement_id == placement_id)
        .group_by(GuidanceSession.state)
    ).all()
    counts = {state.value: 0 for state in SessionState}
    minutes = 0
    for state, number, total in rows:
        counts[SessionState(state).value] = int(number)
        minutes += int(total)
    counts["total"] = sum(counts[s.value] for s in SessionState)
    counts["minutes"] = minutes
    return counts


def _recent_sessions(placement_id: int) -> list:
    return list(
        db.session.execute(
            sa.select(
                GuidanceSession.id,
                GuidanceSession.held_on,
                GuidanceSession.topics,
                GuidanceSession.duration_minutes,
                GuidanceSession.mode,
                GuidanceSession.state,
            )
            .where(GuidanceSession.placement_id == placement_id)
            .order_by(GuidanceSession.held_on.desc(), GuidanceSession.id.desc())
            .limit(RECENT_SESSIONS)
        )
    )


def collect(placement: Placement, user) -> dict:
    """The data of ``_placement_sessions.html`` and ``_placement_evaluation.html`` for ``user``."""
    today = clock.today()
    sees_sessions = can_view_sessions(placement, user)
    counts = _session_counts(placement.id)
    ev = evaluation_queries.state(placement)
    grade, feedback, certificate = ev.grade, ev.feedback, ev.certificate
    uid = user.id if signed_in(user) else None
    is_student, is_mentor = uid == placement.student_id, uid == placement.mentor_id
    is_dpl = uid is not None and uid == placement.supervisor_id
    open_now = evaluation_services.is_open(placement, today)
    active = placement.status == PlacementStatus.ACTIVE
    not_final = grade is None and placement.status != PlacementStatus.TERMINATED
    return {
        "can_view_sessions": sees_sessions,
        "can_log_session": can_log_session(placement, user),
        "sessions": _recent_sessions(placement.id) if sees_sessions else [],
        "session_counts": counts,
        "awaiting_answer": counts[SessionState.LOGGED.value] if is_student else 0,
        "mentor_evaluation": ev.mentor,
        "academic_score": ev.academic,
        "final_grade": grade,
        "mentor_weight": ev.mentor_weight,
        "academic_weight": ev.academic_weight,
        "evaluation_opens_on": evaluation_services.opens_on(placement),
        "evaluation_open": open_now,
        "can_evaluate": is_mentor and not_final and (open_now or active),
        "can_score": is_dpl and not_final and open_now,
        "can_give_feedback": is_student and feedback is None and open_now,
        "feedback": feedback if (is_student or is_opd_admin(user, placement.agency_id)) else None,
        "certificate": certificate if certificate and certificate.can_download(user) else None,
        "certificate_number": certificate.number if certificate else None,
    }
