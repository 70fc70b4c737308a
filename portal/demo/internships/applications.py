"""The internship demo's applications: each student's applications through the workflow's steps
(endorsed, shortlisted, offered, accepted …) at past moments, with the notices each side got."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from portal.auth.models import User
from portal.db import db
from portal.demo.internships import story
from portal.demo.internships.placed import at
from portal.internships.applications import workflow
from portal.internships.applications.models import Application, ApplicationState
from portal.internships.common import move, record_step
from portal.util import clock, links

S, A = ApplicationState, workflow.ApplicationAction
MONTHS, GAPS, STUDENT_NOTICES = story.MONTHS, story.GAPS, story.STUDENT_NOTICES


def slug(text: str) -> str:
    """``"Dian Siregar"`` → ``"dian-siregar"`` (file names of the demo's documents)."""
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


OPD_NOTICES = {"decline_offer": "internships.offer_declined", "expire": "internships.offer_expired"}


class Applications:
    """The applications part of the internship demo's builder (a mixin of ``_Builder``)."""

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
        app = Application.sent(position, student, rank=rank, motivation=letter, cv=cv)
        app.created_at, app.updated_at = times[0], times[-1]
        db.session.add(app)
        db.session.flush()
        if position.published_at > times[0]:  # published before anyone applied
            position.published_at = times[0] - timedelta(days=1)
            position.created_at = position.published_at - timedelta(days=2)
        record_step(app, workflow.APPLY, None, S.SUBMITTED, student, None, times[0])
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
