"""What the three internship service modules share: the refusals, the notification texts, the
people to notify, and the application history.

The writes themselves live in ``position_services`` (periods, positions, mentors),
``application_services`` (apply … offer, the daily expiry) and ``placement_services`` (accepting
an offer, and the placement afterwards). Services flush, record and notify; they never commit.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from portal.auth.models import AccountStatus, Role, User, UserRole
from portal.db import db, utcnow
from portal.errors import DomainError
from portal.i18n import _l
from portal.internships.applications.models import Application, ApplicationEvent, ApplicationState
from portal.notify import register_messages
from portal.util import links


class QuotaFull(DomainError):
    default_message = _l("The quota of this position is full.")


class MentorsFull(DomainError):
    default_message = _l("The mentors of this position cannot take another intern.")


register_messages(
    internships__submitted=_l(
        "%(student)s applied for “%(position)s” (%(agency)s) and waits for your endorsement."
    ),
    internships__endorsed=_l("Your university endorsed your application for “%(position)s”."),
    internships__new_endorsed=_l(
        "A new endorsed application for “%(position)s” is waiting for your decision."
    ),
    internships__declined=_l(
        "Your university declined your application for “%(position)s”: %(reason)s"
    ),
    internships__shortlisted=_l("Your application for “%(position)s” is on the shortlist."),
    internships__waitlisted=_l("Your application for “%(position)s” is on the waiting list."),
    internships__offered=_l(
        "You have an offer for “%(position)s” (%(agency)s). Answer it before %(expires)s WIB."
    ),
    internships__rejected=_l("Your application for “%(position)s” was not accepted: %(reason)s"),
    internships__withdrawn=_l("%(student)s withdrew the application for “%(position)s”."),
    internships__offer_declined=_l("%(student)s declined the offer for “%(position)s”."),
    internships__offer_expired=_l("The offer for “%(position)s” to %(student)s has expired."),
    internships__accepted=_l(
        "%(student)s accepted the offer for “%(position)s”; the placement starts on %(start)s."
    ),
    internships__mentee=_l(
        "You are the mentor of %(student)s for “%(position)s” from %(start)s to %(end)s."
    ),
    internships__supervisor=_l(
        "You are the lecturer supervising %(student)s at %(agency)s (“%(position)s”)."
    ),
    internships__placement_completed=_l(
        "The placement of %(student)s in “%(position)s” (%(agency)s) is completed."
    ),
    internships__placement_terminated=_l(
        "The placement of %(student)s in “%(position)s” (%(agency)s) was ended early: %(reason)s"
    ),
)


def application_link(application: Application) -> str | None:
    return links.link("internships.application", application_id=application.id)


def _active_users_with_role(role: Role, *where) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(UserRole)
            .where(
                UserRole.role == role,
                User.is_active_flag.is_(True),
                User.status == AccountStatus.ACTIVE,
                *where,
            )
            .order_by(User.id)
        )
    )


def university_staff(university_id: int) -> list[User]:
    """Active staff accounts of a university (they endorse and follow its students)."""
    return _active_users_with_role(Role.UNIVERSITY, User.university_id == university_id)


def opd_admins(agency_id: int) -> list[User]:
    """The admins of one OPD; the city-wide admins when the OPD has none of its own."""
    admins = _active_users_with_role(Role.ADMIN, User.admin_agency_id == agency_id)
    return admins or _active_users_with_role(Role.ADMIN, User.admin_agency_id.is_(None))


def move(
    application: Application,
    action: str,
    to_state: ApplicationState,
    *,
    actor,
    note: str | None = None,
    now: datetime | None = None,
) -> ApplicationEvent:
    """Set the state, clear the rank once the application is closed, and write the history."""
    event = ApplicationEvent(
        application_id=application.id,
        action=str(action),
        from_state=application.state,
        to_state=to_state,
        actor_id=getattr(actor, "id", None),
        note=note or None,
        at=now or utcnow(),
    )
    application.state = to_state
    if not to_state.is_open:
        application.rank = None
        application.decided_at = now or utcnow()
    db.session.add(event)
    return event
