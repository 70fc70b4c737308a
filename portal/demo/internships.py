"""Internship demo data (DOMAIN.md §5, §10): a finished period with completed placements, and a
running one with active placements and positions open for applications, so every page of the
feature has something to show and every application state occurs.

Rows are written through the models, as ``portal/demo/curricula.py`` does, with histories the
workflows could have produced: each application step follows ``workflow.TRANSITIONS`` and is
taken by the party it belongs to; logbook entries, reports and sessions follow their own tables.
The counters are set from the rows (a position's seats taken = its placements; a mentor's active
mentees = their active placements), and the final grade is computed with the functions the
evaluation service uses. Files are small PDFs stored through ``uploads.store``. Deterministic
(fixed seed) except the certificate numbers, which are random on purpose; dates count from
today. What is said lives in :mod:`demo_content` (positions) and :mod:`demo_story` (people).
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
from portal.demo import internship_story as story
from portal.demo.curricula import pdf_bytes
from portal.demo.internship_content import POSITIONS
from portal.demo.internship_records import Records, at
from portal.internships.applications import workflow
from portal.internships.applications.models import Application, ApplicationEvent, ApplicationState
from portal.internships.common import move
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
from portal.util import clock, links

S, A = ApplicationState, workflow.ApplicationAction
MONTHS, GAPS, STUDENT_NOTICES = story.MONTHS, story.GAPS, story.STUDENT_NOTICES
OPD_NOTICES = {"decline_offer": "internships.offer_declined", "expire": "internships.offer_expired"}
_ASCII = str.maketrans({"–": "-", "—": "-", "“": '"', "”": '"', "’": "'", "&": "dan"})


def slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


class _Builder(Records):
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

    # --- applications --------------------------------------------------------------------------

    def applications(self) -> None:
        by_student = defaultdict(list)
        for key, position_key, path, note in story.APPLICATIONS:
            by_student[(key, self.specs[position_key]["period"])].append(
                (position_key, path.split(), note)
            )
        for (key, _period), rows in by_student.items():
            rows.sort(key=lambda row: row[1][-1:] != ["accept"])  # the acceptance bounds the rest
            accepted_at, planned = None, []
            for position_key, steps, note in rows:
                times = self.schedule(self.positions[position_key], steps, accepted_at)
                accepted_at = times[-1] if steps[-1:] == ["accept"] else accepted_at
                planned.append((times, position_key, steps, note))
            planned.sort(key=lambda row: row[0][0])
            for rank, (times, position_key, steps, note) in enumerate(planned, start=1):
                self.application(
                    self.students[key],
                    self.positions[position_key],
                    rank=rank,
                    steps=steps,
                    note=note,
                    times=times,
                )

    def schedule(self, position, steps: list[str], accepted_at) -> list[datetime]:
        """When the student applied and took each step: the last step at a moment that fits
        (before today, after the deadline, before an acceptance that withdraws the others)."""
        rng, deadline = self.rng, at(position.application_deadline, 16.5)  # 23:30 WIB
        last = steps[-1] if steps else None
        if position.starts_on > self.today:
            end = self.midnight - timedelta(days=rng.uniform(0.5, 4 if last == "offer" else 5))
        elif last == "accept":
            end = deadline + timedelta(days=rng.uniform(6, 12))
        elif last == "auto_withdraw":
            end = accepted_at
        else:
            end = deadline + timedelta(days=rng.uniform(2, 12))
            if accepted_at is not None:
                end = min(end, accepted_at - timedelta(days=rng.uniform(1, 3)))
        times = [end]
        for step in reversed(steps):
            if step == "expire":  # the daily job, the night after the offer ran out
                gap = timedelta(days=self.offer_days, hours=rng.uniform(1, 6))
            else:
                gap = timedelta(hours=24 * rng.uniform(*GAPS[step]))
            times.insert(0, times[0] - gap)
        if times[0] > deadline:  # applied before the deadline: move the earlier steps back
            shift = times[0] - deadline + timedelta(hours=rng.uniform(6, 72))
            keep = 1 if last == "auto_withdraw" else 0
            times = [t - shift for t in times[: len(times) - keep]] + times[len(times) - keep :]
        return [t.replace(second=0, microsecond=0) for t in times]

    def application(self, student: User, position, *, rank: int, steps, note, times) -> None:
        agency = self.agencies_by_id[position.agency_id]
        university = student.university
        cv = self.pdf(
            f"CV-{slug(student.full_name)}.pdf",
            f"Curriculum Vitae - {student.full_name}",
            [
                f"NIM {student.nim}",
                f"{student.study_programme}, {university.name}",
                student.email,
                "Keterampilan: " + position.wanted_skills.replace("\n", ", "),
                "Organisasi: Himpunan Mahasiswa Program Studi",
            ],
            student,
            times[0],
        )
        letter = (
            f"Yth. Admin {agency.name},\n\nSaya {student.full_name}, mahasiswa "
            f"{student.study_programme} {university.name}, ingin mengikuti magang "
            f"“{position.title}”. {self.rng.choice(story.MOTIVES)}\n\nSaya siap mengikuti "
            "jadwal dan tata tertib kantor. Terima kasih."
        )
        app = Application(
            student_id=student.id,
            position_id=position.id,
            period_id=position.period_id,
            university_id=student.university_id,
            agency_id=position.agency_id,
            rank=rank,
            motivation=letter,
            cv_file_id=cv.id,
            state=S.SUBMITTED,
            created_at=times[0],
            updated_at=times[-1],
        )
        db.session.add(app)
        db.session.flush()
        if position.published_at > times[0]:  # published before anyone applied
            position.published_at = times[0] - timedelta(days=1)
            position.created_at = position.published_at - timedelta(days=2)
        db.session.add(
            ApplicationEvent(
                application_id=app.id,
                action=workflow.APPLY,
                from_state=None,
                to_state=S.SUBMITTED,
                actor_id=student.id,
                at=times[0],
            )
        )
        for step, moment in zip(steps, times[1:], strict=True):
            if step == workflow.AUTO_WITHDRAW:
                target, party = S.WITHDRAWN, workflow.STUDENT
            else:
                target, party = workflow.TRANSITIONS[(app.state, A(step))]
            text = note if note and step == steps[-1] else story.STEP_NOTES.get(step)
            actor = {
                workflow.STUDENT: student,
                workflow.UNIVERSITY: self.staff[app.university_id],
                workflow.OPD: self.admin(app.agency_id),
                workflow.SYSTEM: None,
            }[party]
            move(app, step, target, actor=actor, note=text, now=moment)
            if step == "endorse":
                app.endorsed_at = moment
            elif step == "offer":
                app.offer_expires_at = moment + timedelta(days=self.offer_days)
            elif step in ("decline", "reject"):
                app.decision_reason = text
        self.counts["internship applications"] += 1
        self.tell_history(
            app, student, position, list(zip(steps, times[1:], strict=True)), times[0]
        )
        if app.state == S.ACCEPTED:
            self.accepted.append((app, times[-1]))

    def tell_history(self, app, student, position, steps, applied) -> None:
        """The notices the steps caused; the newest of an open application is still unread."""
        params = {
            "student": student.full_name,
            "position": position.title,
            "agency": self.agencies_by_id[position.agency_id].short_name,
        }
        here = links.link("internships.application", application_id=app.id)
        staff, admin = self.staff[app.university_id], self.admin(app.agency_id)
        self.notice(staff, "internships.submitted", here, applied, read=bool(steps), **params)
        for n, (step, moment) in enumerate(steps, start=1):
            newest = n == len(steps) and app.state.is_open
            extra = {}
            if step in ("decline", "reject"):
                extra["reason"] = app.decision_reason
            if step == "offer":
                expires = moment + timedelta(days=self.offer_days)
                extra["expires"] = clock.local_time(expires).strftime("%Y-%m-%d %H:%M")
            if step in STUDENT_NOTICES:
                self.notice(
                    student, STUDENT_NOTICES[step], here, moment, read=not newest, **params, **extra
                )
            if step == "endorse":
                self.notice(
                    admin,
                    "internships.new_endorsed",
                    here,
                    moment,
                    read=app.state != S.ENDORSED,
                    **params,
                )
            elif step == "accept":
                for user in (admin, staff):
                    self.notice(
                        user,
                        "internships.accepted",
                        here,
                        moment,
                        read=True,
                        start=position.starts_on.isoformat(),
                        **params,
                    )
            elif step in ("withdraw", workflow.AUTO_WITHDRAW):
                self.notice(
                    admin if app.reached_opd else staff,
                    "internships.withdrawn",
                    here,
                    moment,
                    read=True,
                    **params,
                )
            elif step in OPD_NOTICES:
                self.notice(admin, OPD_NOTICES[step], here, moment, read=True, **params)

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


def seed(universities: dict, agencies: dict, users_by_email: dict, password_hash: str) -> dict:
    """Add the internship demo (after the competency demo, whose ASN become mentors); returns
    counts. ``universities`` and ``agencies`` map short names to rows, ``users_by_email`` the
    demo accounts; new accounts get ``password_hash`` (the demo password)."""
    builder = _Builder(universities, agencies, users_by_email, password_hash)
    builder.accounts()
    builder.rubric(universities["UNIMED"], users_by_email["dosen.unimed@sinergi.example"])
    builder.offer_positions()
    builder.applications()
    placements = builder.placements()
    builder.counters(placements)
    status = Counter(p.status.value for p in placements)
    return {
        "internship positions": len(builder.positions),
        **{k: v for k, v in builder.counts.items() if k != "demo files"},
        "active placements": status["active"],
        "completed placements": status["completed"],
    }
