"""What the internship service modules share: the refusals, the notification texts, the people
to notify, and the application history (the application workflow's ``record``).

The writes themselves live in ``positions.services`` (periods, positions, mentors),
``applications.services`` (apply … offer, the daily expiry), ``placements.services`` (the
placement afterwards) and ``lifecycle`` (the steps that cross sub-features: accepting an offer,
completing a placement). Services flush, record and notify; they never commit.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, raiseload

from portal.auth.models import AccountStatus, Role, User, UserRole
from portal.db import db, utcnow
from portal.errors import DomainError, FieldError
from portal.i18n import _l
from portal.internships.applications.models import Application, ApplicationEvent, ApplicationState
from portal.internships.models import InternshipPosition
from portal.notify import register_messages
from portal.util import links


def about_field(field_name: str, step, *, status: int | None = None):
    """Run ``step()`` and return what it returns; a refusal it raises is about the form's field
    ``field_name`` (an upload, one number), so the page shows it beside that field. ``status``
    replaces the refusal's own (an unreadable file is a bad request, 400)."""
    try:
        return step()
    except FieldError:
        raise
    except DomainError as exc:
        raise FieldError(field_name, exc.message, status=status or exc.status) from exc


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
    internships__match_unplaced=_l(
        "The matching round of %(period)s is published and gave you no place: none of your "
        "preferences had a seat for you. Positions with seats left are open now; see why on "
        "your preferences page."
    ),
    internships__match_published=_l(
        "The matching round of %(period)s is published: %(n)s offers for your positions went "
        "to the students."
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


def record_step(  # noqa: PLR0917 (the engine's ``record`` signature)
    application: Application,
    action,
    from_state: ApplicationState | None,
    to_state: ApplicationState,
    actor,
    note: str | None,
    at: datetime,
) -> ApplicationEvent:
    """The application workflow's ``record``: write the history row (who, when, from, to, note)
    and, once the application closes, clear its rank and note when it was decided."""
    event = ApplicationEvent(
        application_id=application.id,
        action=str(action),
        from_state=from_state,
        to_state=to_state,
        actor_id=getattr(actor, "id", None),
        note=note or None,
        at=at,
    )
    if not to_state.is_open:
        application.rank = None
        application.decided_at = at
    db.session.add(event)
    return event


def move(
    application: Application,
    action: str,
    to_state: ApplicationState,
    *,
    actor,
    note: str | None = None,
    now: datetime | None = None,
) -> ApplicationEvent:
    """Set the state and write the history without the workflow's check: for the entries that
    are not steps of the table (the automatic withdrawal when another offer is accepted) and
    for histories built after the fact (the demo data)."""
    event = record_step(
        application, action, application.state, to_state, actor, note, now or utcnow()
    )
    application.state = to_state
    return event


# --- loader options shared by the position and application lists ---------------------------------


def position_options():
    return (joinedload(InternshipPosition.agency), joinedload(InternshipPosition.period))


def person(rel):
    """A user reached through ``rel``: their university, never their roles."""
    return joinedload(rel).options(raiseload(User.role_rows), joinedload(User.university))
