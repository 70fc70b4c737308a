"""Internship demo data (DOMAIN.md §5, §10): a finished period with completed placements, and a
running one with active placements and positions open for applications, so every page of the
feature has something to show and every application state occurs.

Rows are written through the models, as ``portal.demo.curricula`` does, with histories the
workflows could have produced: each application step follows ``workflow.TRANSITIONS`` and is
taken by the party it belongs to; logbook entries, reports and sessions follow their own tables.
The counters are set from the rows (a position's seats taken = its placements; a mentor's active
mentees = their active placements), and the final grade is computed with the functions the
evaluation service uses. Files are small PDFs stored through ``uploads.store``. Deterministic
(fixed seed) except the certificate numbers, which are random on purpose; dates count from
today. What is said lives in :mod:`content` (positions) and :mod:`story` (people).
"""

from __future__ import annotations

import io
import random
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from werkzeug.datastructures import FileStorage

from portal import uploads
from portal.auth.models import Role, User
from portal.competency.models import AsnProfile, Position
from portal.db import db
from portal.demo.internships import credit, story
from portal.demo.internships.applications import Applications
from portal.demo.internships.content import POSITIONS
from portal.demo.internships.matching import MatchingRound
from portal.demo.internships.placed import at
from portal.demo.internships.records import Records
from portal.demo.pdf import pdf_bytes
from portal.demo.people import Demo
from portal.internships.applications import workflow
from portal.internships.applications.models import Application, ApplicationState
from portal.internships.evaluation.models import Rubric, RubricCriterion
from portal.internships.models import (
    InternshipPeriod,
    InternshipPosition,
    MentorCapacity,
    Placement,
    PlacementStatus,
    PositionMentor,
    PositionState,
    WorkMode,
)

S, A = ApplicationState, workflow.ApplicationAction
MONTHS, GAPS, STUDENT_NOTICES = story.MONTHS, story.GAPS, story.STUDENT_NOTICES
_ASCII = str.maketrans({"–": "-", "—": "-", "“": '"', "”": '"', "’": "'", "&": "dan"})


class _Builder(Applications, Records, MatchingRound):
    def __init__(self, universities, agencies, people, password_hash):
        super().__init__(random.Random(6_2026))  # noqa: S311  (demo data, not security)
        self.universities, self.agencies, self.people = universities, agencies, people
        self.agencies_by_id = {agency.id: agency for agency in agencies.values()}
        self.password_hash = password_hash
        self.monday = self.today - timedelta(days=self.today.weekday())
        self.admins = {u.admin_agency_id: u for u in people.values() if Role.ADMIN in u.roles}
        self.students: dict[str, User] = {}
        self.staff: dict[int, User] = {}  # university id -> its DPL (who also endorses)
        self.specs = {spec["key"]: spec for spec in POSITIONS}
        self.positions: dict[str, InternshipPosition] = {}
        self.mentors: dict[str, list[User]] = {}
        self.generated: dict[str, list[User]] = {}
        self.accepted: list[tuple[Application, datetime]] = []

    # --- people --------------------------------------------------------------------------------

    def user(self, email: str, name: str, role: Role, **fields) -> User:
        user = User(email=email, full_name=name, password_hash=self.password_hash, **fields)
        user.set_roles([role])
        db.session.add(user)
        self.counts["internship demo accounts"] += 1
        return user

    def accounts(self) -> None:
        for short, who in story.DPLS.items():
            university = self.universities[short]
            self.staff[university.id] = self.people.get(who) or self.user(
                f"dosen.{short.lower()}@demo.sinergi.example",
                who,
                Role.UNIVERSITY,
                university_id=university.id,
            )
        db.session.flush()
        n = 0
        for key, (name, short, programme, email) in story.STUDENTS.items():
            if email:
                self.students[key] = self.people[email]
                continue
            n += 1
            university = self.universities[short]
            self.students[key] = self.user(
                f"mahasiswa{n:02d}@demo.sinergi.example",
                name,
                Role.STUDENT,
                university_id=university.id,
                nim=f"{story.NIM_PREFIX[short]}9{n:02d}",
                study_programme=programme,
                verified_at=self.midnight - timedelta(days=200 + n),
                verified_by_id=self.staff[university.id].id,
            )
        db.session.flush()

    def mentor(self, ref: str) -> User:
        """A demo mentor account, or the n-th generated ASN of an OPD, made a mentor."""
        if "@" in ref:
            return self.people[ref]
        short, index = ref.rsplit(":", 1)
        if short not in self.generated:
            self.generated[short] = list(
                db.session.scalars(
                    sa.select(User)
                    .join(AsnProfile, AsnProfile.user_id == User.id)
                    .join(Position, Position.id == AsnProfile.position_id)
                    .where(
                        AsnProfile.agency_id == self.agencies[short].id,
                        User.email.like("asn%@demo.sinergi.example"),
                        Position.name.in_(story.MENTOR_JOBS),
                    )
                    .order_by(User.id)
                )
            )
        user = self.generated[short][int(index)]
        if Role.MENTOR not in user.roles:
            user.set_roles([*user.roles, Role.MENTOR])
        return user

    def admin(self, agency_id: int) -> User:
        """The OPD's own admin, else the city-wide one (as ``services.opd_admins``)."""
        return self.admins.get(agency_id) or self.admins[None]

    def rubric(self, university, staff) -> None:
        """UNIMED weighs the mentor's part 70 % with its own criteria (DOMAIN.md §5.3)."""
        weight, criteria = story.UNIMED_RUBRIC
        set_on = self.midnight - timedelta(days=300)
        rubric = Rubric(
            university_id=university.id,
            mentor_weight=weight,
            updated_by_id=staff.id,
            created_at=set_on,
            updated_at=set_on,
        )
        rubric.criteria = [
            RubricCriterion(position=n, name=name, weight=w)
            for n, (name, w) in enumerate(criteria, start=1)
        ]
        db.session.add(rubric)
        db.session.flush()

    # --- periods and positions -----------------------------------------------------------------

    def span(self, spec: dict) -> tuple[date, date]:
        start = self.monday + timedelta(weeks=spec["start"])
        return start, start + timedelta(days=7 * spec["weeks"] - 3)  # Monday … Friday

    def offer_positions(self) -> None:
        spans = defaultdict(list)
        for spec in POSITIONS:
            spans[spec["period"]].extend(self.span(spec))
        periods = {}
        for key, days in spans.items():
            start, end = min(days), max(days)
            name = f"Magang {MONTHS[start.month]} {start.year} – {MONTHS[end.month]} {end.year}"
            made = at(start - timedelta(days=90), 2)
            periods[key] = InternshipPeriod(
                name=name, starts_on=start, ends_on=end, created_at=made, updated_at=made
            )
        db.session.add_all(periods.values())
        db.session.flush()
        for spec in POSITIONS:
            start, end = self.span(spec)
            is_open = start > self.today
            deadline = start - timedelta(days=18 if is_open else 21)
            published = at(deadline - timedelta(days=49), 2)
            closed = None if is_open else at(deadline + timedelta(days=14), 3)
            agency = self.agencies[spec["agency"]]
            fields = (
                "title",
                "unit",
                "description",
                "tasks",
                "wanted_majors",
                "wanted_skills",
                "quota",
                "location",
                "work_plan_item",
            )
            position = InternshipPosition(
                agency_id=agency.id,
                period_id=periods[spec["period"]].id,
                starts_on=start,
                ends_on=end,
                mode=WorkMode(spec["mode"]),
                application_deadline=deadline,
                state=PositionState.PUBLISHED if is_open else PositionState.CLOSED,
                created_by_id=self.admin(agency.id).id,
                published_at=published,
                closed_at=closed,
                created_at=published - timedelta(days=2),
                updated_at=closed or published,
                **{f: spec[f] for f in fields},
            )
            self.mentors[spec["key"]] = [self.mentor(ref) for ref in spec["mentors"]]
            position.mentors = [PositionMentor(mentor_id=m.id) for m in self.mentors[spec["key"]]]
            db.session.add(position)
            self.positions[spec["key"]] = position
        db.session.flush()

    # --- the whole ---------------------------------------------------------------------------

    def counters(self, placements: list[Placement]) -> None:
        """Seats taken and active mentees, as the conditional UPDATEs would have left them."""
        seats = Counter(p.position_id for p in placements)
        for position in self.positions.values():
            position.seats_taken = seats[position.id]  # the quota's check constraint holds
        active = Counter(p.mentor_id for p in placements if p.status == PlacementStatus.ACTIVE)
        limit = current_app.config["MENTOR_DEFAULT_LIMIT"]
        named = {m.id for mentors in self.mentors.values() for m in mentors}
        for mentor_id in sorted(named | set(active)):
            db.session.add(
                MentorCapacity(
                    user_id=mentor_id, mentee_limit=limit, active_mentees=active[mentor_id]
                )
            )
        db.session.flush()

    def pdf(self, name: str, title: str, lines: list[str], owner: User, when: datetime):
        """A small real PDF stored through ``uploads.store`` as ``owner`` uploaded it."""
        data = pdf_bytes(title.translate(_ASCII), [line.translate(_ASCII) for line in lines])
        stored = uploads.store(
            FileStorage(io.BytesIO(data), filename=name), allowed=("pdf",), actor=owner
        )
        stored.created_at = when
        self.counts["demo files"] += 1
        return stored


def seed(demo: Demo) -> dict:
    """Add the internship demo (after the competency demo, whose ASN become mentors); returns
    counts. New accounts get the demo's password hash."""
    people = demo.people
    builder = _Builder(demo.universities, demo.agencies, people, demo.password_hash)
    builder.accounts()
    builder.rubric(demo.universities["UNIMED"], people["dosen.unimed@sinergi.example"])
    credit.schemes(demo.universities, builder.staff, builder.today, builder.midnight)
    builder.offer_positions()
    builder.applications()
    placements = builder.placements()
    builder.matching_positions()
    builder.counters(placements)
    builder.matching_round()
    status = Counter(p.status.value for p in placements)
    return {
        "internship positions": len(builder.positions),
        **{k: v for k, v in builder.counts.items() if k != "demo files"},
        "active placements": status["active"],
        "completed placements": status["completed"],
    }
