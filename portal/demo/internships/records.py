"""What the internship demo writes inside a placement (a part of the demo's builder): the daily
logbook with its review history, guidance sessions, the final report, and at the end
the evaluation, the final grade and the certificate. Each row follows its workflow table
(``logbook.ENTRY_TRANSITIONS``, ``REPORT_TRANSITIONS``, ``guidance.TRANSITIONS``); the grade
uses the functions of the evaluation service (``rubric_for``, ``weighted_total``,
``final_grade``) and the certificate ``certificates.services.issue_certificate``.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from flask import current_app

from portal.db import db, utcnow
from portal.demo.internships import story
from portal.demo.internships.content import ACTIVITIES
from portal.demo.internships.journal import Journal
from portal.demo.internships.outcomes import Outcomes
from portal.demo.internships.placed import Placed, at
from portal.internships.guidance import services as guidance_services  # noqa: F401 (its texts)

# The services register the notification texts the demo uses.
from portal.internships.models import Placement, PlacementStatus
from portal.internships.placements import (
    logbook_services,  # noqa: F401 (its texts)
    report_services,  # noqa: F401
)
from portal.notify import notify
from portal.util import clock, links


class Records(Journal, Outcomes):
    """The placement-level half of the demo builder (``builder._Builder`` adds the rest)."""

    def __init__(self, rng):
        self.rng, self.today = rng, clock.today()
        # Today's first moment in Medan: every date is counted from it, so that two loads on
        # the same day give the same rows whatever the hour.
        self.midnight = clock.local_time(utcnow()).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        self.offer_days = int(current_app.config["INTERNSHIP_OFFER_DAYS"])
        self.counts: Counter = Counter()

    def past(self, moment: datetime) -> datetime:
        """Never later than the start of today (a review of yesterday's entry, not tomorrow)."""
        return min(moment, self.midnight)

    def notice(self, user, key: str, link, when: datetime, *, read: bool, **params) -> None:
        """A notice as the service would have sent it (in the portal; the demo sends no mail)."""
        if user is None:
            return
        row = notify(user, key, link=link, history=True, **params)
        row.created_at = self.past(when)
        row.read_at = self.past(when + timedelta(hours=3)) if read else None
        self.counts["internship notifications"] += 1

    # --- placements ----------------------------------------------------------------------------

    def placements(self) -> list[Placement]:
        """A placement for each accepted offer, in the order they were accepted."""
        keys = {user.id: key for key, user in self.students.items()}
        made = []
        for app, accepted_at in sorted(self.accepted, key=lambda row: row[1]):
            spec = story.PLACEMENTS[keys[app.student_id]]
            position_key = next(k for k, p in self.positions.items() if p.id == app.position_id)
            position = self.positions[position_key]
            mentor = self.people.get(spec.get("mentor")) or self.mentors[position_key][0]
            placement = Placement(
                application_id=app.id,
                student_id=app.student_id,
                position_id=position.id,
                period_id=app.period_id,
                university_id=app.university_id,
                agency_id=app.agency_id,
                mentor_id=mentor.id,
                supervisor_id=self.staff[app.university_id].id,
                starts_on=position.starts_on,
                ends_on=position.ends_on,
                planned_sks=spec["sks"],
                status=PlacementStatus.ACTIVE,
                created_at=accepted_at,
                updated_at=accepted_at,
            )
            last_day = min(position.ends_on, self.today - timedelta(days=1))
            if "ended" in spec:
                last_day = position.starts_on + timedelta(weeks=5, days=2)
                placement.status, placement.end_reason = PlacementStatus.TERMINATED, spec["ended"]
                placement.ended_at = at(last_day, 4)
            elif position.ends_on < self.today:
                placement.status, placement.ended_at = PlacementStatus.COMPLETED, at(last_day, 9)
            placement.updated_at = placement.ended_at or accepted_at
            db.session.add(placement)
            db.session.flush()
            student = next(u for u in self.students.values() if u.id == app.student_id)
            params = {
                "student": student.full_name,
                "position": position.title,
                "agency": self.agencies_by_id[position.agency_id].short_name,
            }
            here = links.link("internships.placement", placement_id=placement.id)
            self.follow(
                Placed(
                    placement,
                    spec,
                    position,
                    student,
                    mentor,
                    self.staff[app.university_id],
                    last_day,
                    here,
                    params,
                ),
                accepted_at,
                ACTIVITIES[position_key],
            )
            made.append(placement)
        return made

    def follow(self, it: Placed, accepted_at: datetime, activities) -> None:
        """Everything that happened in a placement, in the order it happened."""
        self.notice(
            it.mentor,
            "internships.mentee",
            it.here,
            accepted_at,
            read=True,
            start=it.placement.starts_on.isoformat(),
            end=it.placement.ends_on.isoformat(),
            **it.params,
        )
        self.notice(
            it.dpl,
            "internships.supervisor",
            it.here,
            accepted_at + timedelta(days=2),
            read=True,
            **it.params,
        )
        self.logbook(it, activities)
        self.sessions(it)
        self.report(it)
        if it.placement.status == PlacementStatus.COMPLETED:
            self.evaluate(it)
        elif it.placement.status == PlacementStatus.TERMINATED:
            self.notice(
                it.student,
                "internships.placement_terminated",
                it.here,
                it.placement.ended_at,
                read=True,
                reason=it.placement.end_reason,
                **it.params,
            )
