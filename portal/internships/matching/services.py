"""Writes of a matching round: the period's intake mode, the OPD's scores (one by one or by
criteria), the student's order of preferences, a preview run of the match and its publication.
They never commit (the view does, once)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from portal import audit
from portal.auth.models import User
from portal.db import db, utcnow
from portal.errors import DomainError, FieldError
from portal.i18n import _l
from portal.internships.applications import services as application_services
from portal.internships.applications.models import OPEN_STATES, Application, ApplicationState
from portal.internships.applications.workflow import MATCH_CLOSED
from portal.internships.common import move, opd_admins
from portal.internships.matching import algorithm
from portal.internships.matching import queries as matching_queries
from portal.internships.matching.models import MatchingRun
from portal.internships.models import IntakeMode, InternshipPeriod, InternshipPosition
from portal.notify import tell
from portal.util import clock, links
from portal.util.dates import lazy_day

MAX_PREFERENCES = 10


def _city_admin(actor) -> None:
    if actor is None or not getattr(actor, "is_city_admin", False):
        raise DomainError(_l("Only a city-wide admin (BKPSDM) runs the matching rounds."))


def _round_open(period: InternshipPeriod) -> None:
    if period.intake_mode != IntakeMode.MATCHING:
        raise DomainError(_l("This period is not in matching mode."))
    if period.matched_at is not None:
        raise DomainError(_l("The match of this period is already published."))


# --- the period ---------------------------------------------------------------------------------


def set_intake(
    period: InternshipPeriod,
    *,
    actor,
    mode: IntakeMode,
    preference_limit: int,
    preferences_close_on: date | None,
) -> None:
    """Choose how the period gives its seats. A matching round needs the last day of the
    preferences; it cannot start once offers were made in the period (they would be outside
    the match), nor change after its match is published."""
    _city_admin(actor)
    if period.matched_at is not None:
        raise DomainError(_l("The match of this period is already published; its mode is fixed."))
    if not 1 <= preference_limit <= MAX_PREFERENCES:
        raise FieldError(
            "preference_limit",
            _l("Between 1 and %(n)d preferences.", n=MAX_PREFERENCES),
            status=400,
        )
    if mode == IntakeMode.MATCHING:
        if preferences_close_on is None:
            raise FieldError(
                "preferences_close_on",
                _l("Give the last day students may rank positions."),
                status=400,
            )
        if preferences_close_on > period.ends_on:
            raise FieldError(
                "preferences_close_on",
                _l("The preferences must close before the period ends."),
                status=400,
            )
        offered = db.session.scalar(
            sa.select(sa.func.count(Application.id)).where(
                Application.period_id == period.id,
                Application.state.in_((ApplicationState.OFFERED, ApplicationState.ACCEPTED)),
            )
        )
        if offered:
            raise DomainError(
                _l(
                    "Offers were already made in this period (%(n)d): it stays rolling.",
                    n=offered,
                )
            )
    period.intake_mode = mode
    period.preference_limit = preference_limit
    period.preferences_close_on = preferences_close_on if mode == IntakeMode.MATCHING else None
    db.session.flush()
    audit.record(
        actor,
        "internship.intake",
        period,
        target_label=period.name,
        intake_mode=str(mode),
        preference_limit=preference_limit,
    )


# --- the OPD's scores ---------------------------------------------------------------------------


def _scorable(position: InternshipPosition, actor) -> InternshipPeriod:
    if not position.can_manage(actor):
        raise DomainError(_l("Only an admin of this OPD can score its applicants."))
    period = db.session.get(InternshipPeriod, position.period_id)
    if not period.in_matching_round:
        raise DomainError(
            _l("Scores count only in a matching round whose match is not yet published.")
        )
    return period


def score_applicants(position: InternshipPosition, scores: dict, *, actor) -> int:
    """Set the OPD's score (0–100, higher first; None: not scored) and "not acceptable" of the
    position's applicants in the round: ``{application id: (score, unacceptable)}``. Ids that
    are not among them are refused. Returns how many changed."""
    _scorable(position, actor)
    found = {a.id: a for a in matching_queries.applicants(position)}
    changed = 0
    for application_id, (given, unacceptable) in scores.items():
        application = found.get(int(application_id))
        if application is None:
            raise DomainError(_l("This applicant is not among the position's applicants."))
        if given is not None and not 0 <= float(given) <= 100:
            raise DomainError(_l("A score is between 0 and 100."))
        score = None if given is None else round(float(given), 2)
        if (application.opd_score, application.opd_unacceptable) != (score, bool(unacceptable)):
            application.opd_score = score
            application.opd_unacceptable = bool(unacceptable)
            changed += 1
    db.session.flush()
    audit.record(actor, "internship.scores", position, target_label=position.title, scored=changed)
    return changed


@dataclass
class Criteria:
    """The OPD's criteria for scoring in bulk; each one given weighs the same share of 100."""

    programmes: list[str]
    min_semester: int | None = None
    min_gpa: float | None = None
    unacceptable_if_none: bool = False

    @property
    def count(self) -> int:
        return bool(self.programmes) + (self.min_semester is not None) + (self.min_gpa is not None)

    def met(self, application: Application, programme: str) -> int:
        hits = 0
        if self.programmes:
            hits += any(word.lower() in programme.lower() for word in self.programmes)
        if self.min_semester is not None:
            hits += (application.semester or 0) >= self.min_semester
        if self.min_gpa is not None:
            hits += (application.gpa or 0) >= self.min_gpa
        return hits


def score_by_criteria(position: InternshipPosition, criteria: Criteria, *, actor) -> int:
    """Score every applicant of the position at once: the share of the criteria they meet (study
    programme among the words given, at least the semester, at least the GPA) × 100; with
    ``unacceptable_if_none``, those who meet none are marked not acceptable. Ties are broken by
    the match's lottery. Returns how many applicants were scored."""
    _scorable(position, actor)
    if criteria.count == 0:
        raise DomainError(_l("Choose at least one criterion."))
    applicants = matching_queries.applicants(position)
    for application in applicants:
        hits = criteria.met(application, application.student.study_programme or "")
        application.opd_score = round(100 * hits / criteria.count, 2)
        application.opd_unacceptable = criteria.unacceptable_if_none and hits == 0
    db.session.flush()
    audit.record(
        actor, "internship.scores", position, target_label=position.title, scored=len(applicants)
    )
    return len(applicants)


# --- the student's preferences ------------------------------------------------------------------


def reorder_preferences(period: InternshipPeriod, order: list[int], *, actor, now=None) -> None:
    """The student puts their open applications of a round in a new order (first = first
    choice), until the preferences close. ``order`` must name each of them once."""
    if not period.in_matching_round:
        raise DomainError(_l("Preferences are ordered only in an open matching round."))
    closes = period.preferences_close_on
    if closes is not None and clock.today(now) > closes:
        raise DomainError(_l("The preferences closed on %(date)s.", date=lazy_day(closes)))
    mine = {
        a.id: a
        for a in db.session.scalars(
            sa.select(Application).where(
                Application.student_id == actor.id,
                Application.period_id == period.id,
                Application.state.in_(OPEN_STATES),
            )
        )
    }
    if sorted(order) != sorted(mine) or len(set(order)) != len(order):
        raise DomainError(_l("Give each of your preferences one place in the order."))
    for application in mine.values():  # free the ranks first: (student, period, rank) is unique
        application.rank = None
    db.session.flush()
    for rank, application_id in enumerate(order, start=1):
        mine[application_id].rank = rank
    db.session.flush()


# --- the match ----------------------------------------------------------------------------------


def _compute(period: InternshipPeriod, seed: int):
    inputs = matching_queries.round_inputs(period)
    allotted = algorithm.allot_mentor_room(
        inputs.seats, inputs.mentors, inputs.room, demand=inputs.demand
    )
    capacity = algorithm.capacities(allotted)
    instance = algorithm.Instance(inputs.preferences, capacity, inputs.scores)
    result = algorithm.deferred_acceptance(instance, seed)
    return inputs, instance, result, algorithm.mentors_for(result, allotted), capacity


def preview_match(period: InternshipPeriod, *, actor, seed: int | None = None) -> MatchingRun:
    """Run the match without changing anyone's application: a run with its seed (a new random
    one unless given: the same seed on the same inputs gives the same match), its figures and,
    per application, [outcome, choice, mentor]. The admin reads it, then publishes it."""
    _city_admin(actor)
    _round_open(period)
    if seed is None:
        seed = secrets.randbelow(2**31)
    elif not 0 <= seed < 2**63:
        raise FieldError("seed", _l("A seed is a whole number of at least 0."), status=400)
    inputs, instance, result, mentors, capacity = _compute(period, seed)
    figures = algorithm.summary(instance, result.match)
    placed_by_position: dict[str, int] = {}
    for position_id in result.match.values():
        placed_by_position[str(position_id)] = placed_by_position.get(str(position_id), 0) + 1
    figures |= {
        "positions": len(inputs.seats),
        "free_seats": sum(inputs.seats.values()),
        "unscored": inputs.unscored,
        "proposals": result.proposals,
        "seats_by_position": {str(p): n for p, n in capacity.items() if n},
        "placed_by_position": placed_by_position,
        "unplaced_ids": sorted(s for s in instance.preferences if s not in result.match),
    }
    outcomes = {}
    for (student, position), outcome in result.outcomes.items():
        application_id = inputs.application[student, position]
        choice = instance.preferences[student].index(position) + 1
        mentor = mentors.get(student) if outcome == algorithm.MATCHED else None
        outcomes[str(application_id)] = [outcome, choice, mentor]
    run = MatchingRun(
        period_id=period.id,
        seed=seed,
        digest=inputs.digest(),
        figures=figures,
        result=outcomes,
        created_by_id=actor.id,
    )
    db.session.add(run)
    db.session.flush()
    audit.record(
        actor,
        "internship.match",
        period,
        target_label=period.name,
        step="preview",
        seed=seed,
        placed=figures["placed"],
        unplaced=figures["unplaced"],
    )
    return run


@dataclass
class Published:
    offers: int
    closed: int
    unplaced: int


def publish_match(run: MatchingRun, *, actor, now: datetime | None = None) -> Published:
    """Publish a preview: each matched application gets an offer through the application
    workflow (the student is told as for any offer, and the seat and the mentor's place are
    kept for it), every other preference of the round closes with its outcome (the student reads
    why), each unplaced student is told that the positions with seats left are open to them,
    and the period goes on as a rolling one.

    Refused before the preferences close, for a run that is not the period's latest preview,
    and when the preferences, scores or seats changed since the preview (run it again)."""
    now = now or utcnow()
    _city_admin(actor)
    period = db.session.get(InternshipPeriod, run.period_id)
    _round_open(period)
    closes = period.preferences_close_on
    if closes is not None and clock.today(now) <= closes:
        raise DomainError(
            _l(
                "The preferences are open until %(date)s; publish the match after that day.",
                date=lazy_day(closes),
            )
        )
    latest = matching_queries.latest_run(period.id)
    if latest is None or latest.id != run.id:
        raise DomainError(_l("A newer preview of this round exists: publish that one."))
    inputs = matching_queries.round_inputs(period)
    if inputs.digest() != run.digest:
        raise DomainError(
            _l(
                "Preferences, scores or seats changed since this preview: run the preview "
                "again and check it before publishing."
            )
        )
    # One publication: the period row is marked with a conditional UPDATE first.
    marked = db.session.execute(
        sa.update(InternshipPeriod)
        .where(InternshipPeriod.id == period.id, InternshipPeriod.matched_at.is_(None))
        .values(matched_at=now)
        .execution_options(synchronize_session=False)
    )
    if marked.rowcount != 1:
        raise DomainError(_l("The match of this period is already published."))
    db.session.expire(period, ["matched_at"])
    run.published_at, run.published_by_id = now, actor.id
    ids = [int(i) for i in run.result]
    applications = (
        {
            a.id: a
            for a in db.session.scalars(
                sa.select(Application).where(Application.id.in_(ids)).order_by(Application.id)
            )
        }
        if ids
        else {}
    )
    offers = closed = 0
    for application_id, (outcome, choice, mentor) in sorted(
        (int(k), v) for k, v in run.result.items()
    ):
        application = applications[application_id]
        application.match_outcome, application.match_choice = outcome, choice
        if outcome == algorithm.MATCHED:
            application.matched_mentor_id = mentor
            application_services.offer_application(application, actor=actor, now=now)
            offers += 1
        else:
            move(application, MATCH_CLOSED, ApplicationState.REJECTED, actor=actor, now=now)
            closed += 1
    db.session.flush()
    unplaced = [db.session.get(User, i) for i in run.figures.get("unplaced_ids", [])]
    tell(
        unplaced,
        "internships.match_unplaced",
        link=links.link("internships.my_round", period_id=period.id),
        period=period.name,
    )
    per_agency: dict[int, int] = {}
    for application in applications.values():
        if application.match_outcome == algorithm.MATCHED:
            per_agency[application.agency_id] = per_agency.get(application.agency_id, 0) + 1
    for agency_id, count in sorted(per_agency.items()):
        tell(
            opd_admins(agency_id),
            "internships.match_published",
            leave_out=(actor.id,),
            link=links.link("internships.opd_queue"),
            period=period.name,
            n=count,
        )
    audit.record(
        actor,
        "internship.match",
        period,
        target_label=period.name,
        step="publish",
        seed=run.seed,
        placed=offers,
        unplaced=len(unplaced),
    )
    return Published(offers=offers, closed=closed, unplaced=len(unplaced))
