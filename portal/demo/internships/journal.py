"""The internship demo's day-to-day records of a placement: logbook entries with their reviews,
and the co-signed guidance sessions."""

from __future__ import annotations

from datetime import date, timedelta

from portal.db import db
from portal.demo.internships import story
from portal.demo.internships.placed import ATTACHMENTS, ES, MINUTES, MODES, Placed, at
from portal.internships.guidance.models import (
    GuidanceAction,
    GuidanceSession,
    SessionState,
)
from portal.internships.placements.models import (
    LogbookEntry,
    LogbookEvent,
)


class Journal:
    """Logbook and guidance records (a mixin of :class:`~.records.Records`)."""

    # --- the logbook -----------------------------------------------------------------------------

    def logbook(self, it: Placed, activities) -> None:
        """Weekdays from the start (a few missed); the last week waits for the mentor."""
        rng, days, day = self.rng, [], it.placement.starts_on
        while day <= it.last_day:
            if day.weekday() < 5 and rng.random() > 0.06:
                days.append(day)
            day += timedelta(days=1)
        week_ago = self.today - timedelta(days=7)
        recent = [d for d in days if d >= week_ago] if it.active else []
        returned = recent[0] if it.spec.get("returned") and len(recent) >= 2 else None
        draft = days[-1] if it.spec.get("draft") and recent else None
        attachments = 0
        for day in days:
            state = ES.APPROVED
            if it.active and day >= week_ago:
                state = {draft: ES.DRAFT, returned: ES.RETURNED}.get(day, ES.SUBMITTED)
            attach = state != ES.DRAFT and attachments < ATTACHMENTS and rng.random() < 0.08
            attachments += attach
            entry = self.entry(it, day, state, activities, attach)
            anchor = f"{it.here}#entry-{entry.id}" if it.here else None
            if state == ES.SUBMITTED:
                self.notice(
                    it.mentor,
                    "internships.entry_submitted",
                    anchor,
                    entry.submitted_at,
                    read=False,
                    student=it.student.full_name,
                    day=day.isoformat(),
                )
            elif state == ES.RETURNED:
                self.notice(
                    it.student,
                    "internships.entry_returned",
                    anchor,
                    entry.reviewed_at,
                    read=False,
                    comment=entry.mentor_comment,
                    day=day.isoformat(),
                )

    def entry(self, it: Placed, day: date, state, activities, attach: bool) -> LogbookEntry:
        rng, student, mentor = self.rng, it.student, it.mentor
        activity, output, (low, high) = rng.choice(activities)
        n = rng.randint(low, high)
        activity, output = activity.format(n=n), output.format(n=n)
        written = self.past(at(day, 9 + rng.uniform(0, 1.5)))  # 16:00–17:30 WIB
        entry = LogbookEntry(
            placement_id=it.placement.id,
            day=day,
            minutes=rng.choice(MINUTES),
            activities=activity,
            outputs=output,
            state=state,
            created_at=written,
            updated_at=written,
        )
        if attach:
            entry.attachment_id = self.pdf(
                f"lampiran-{day.isoformat()}.pdf",
                f"Lampiran logbook {day.isoformat()}",
                [activity, output, student.full_name],
                student,
                written,
            ).id
        db.session.add(entry)
        db.session.flush()
        steps = []  # (action, from, to, actor, moment, comment)
        if state != ES.DRAFT:
            steps.append(("submit", ES.DRAFT, ES.SUBMITTED, student, written, None))
        if state == ES.RETURNED or (state == ES.APPROVED and rng.random() < 0.1):
            back = self.past(written + timedelta(hours=rng.uniform(16, 40)))
            steps.append(
                (
                    "return",
                    ES.SUBMITTED,
                    ES.RETURNED,
                    mentor,
                    back,
                    rng.choice(story.RETURN_COMMENTS),
                )
            )
            if state == ES.APPROVED:
                again = back + timedelta(hours=rng.uniform(3, 20))
                steps.append(("submit", ES.RETURNED, ES.SUBMITTED, student, again, None))
        if state == ES.APPROVED:
            comment = rng.choice(story.APPROVE_COMMENTS) if rng.random() < 0.2 else None
            ok = self.past(steps[-1][4] + timedelta(hours=rng.uniform(14, 60)))
            steps.append(("approve", ES.SUBMITTED, ES.APPROVED, mentor, ok, comment))
        for action, before, after, actor, moment, comment in steps:
            db.session.add(
                LogbookEvent(
                    entry_id=entry.id,
                    action=action,
                    from_state=before,
                    to_state=after,
                    actor_id=actor.id,
                    at=moment,
                    note=comment,
                )
            )
            if action == "submit":
                entry.submitted_at = moment
            else:
                entry.mentor_comment, entry.reviewed_by_id, entry.reviewed_at = (
                    comment,
                    actor.id,
                    moment,
                )
            entry.updated_at = moment
        self.counts["logbook entries"] += 1
        return entry

    # --- guidance sessions -----------------------------------------------------------------------

    def sessions(self, it: Placed) -> None:
        """Every second Thursday; the newest may wait for the student, one may be disputed."""
        days, day = [], it.placement.starts_on + timedelta(days=3)
        while day <= it.last_day:
            days.append(day)
            day += timedelta(days=14)
        for n, held in enumerate(days):
            closing = len(days) - n  # 1: the newest
            topic = story.SESSIONS[1 + n % 2]
            if n == 0:
                topic = story.SESSIONS[0]
            elif not it.active and closing <= 2:
                topic = story.SESSIONS[5 - closing]  # the report, then the presentation
            elif it.active and it.spec.get("report") and closing == 1:
                topic = story.SESSIONS[3]
            state = SessionState.CONFIRMED
            if it.active and it.spec.get("logged") and closing == 1:
                state = SessionState.LOGGED
            elif it.spec.get("disputed") and n == 1:
                state = SessionState.DISPUTED
            self.session(it, held, topic, state)

    def session(self, it: Placed, held: date, topic, state: SessionState) -> None:
        rng = self.rng
        topics, competencies, shared, private, actions = topic
        logged = self.past(at(held, 8 + rng.uniform(0, 2)))
        answered = self.past(logged + timedelta(hours=rng.uniform(5, 30)))
        upcoming = held + timedelta(days=14)
        row = GuidanceSession(
            placement_id=it.placement.id,
            mentor_id=it.mentor.id,
            held_on=held,
            duration_minutes=90 if state == SessionState.DISPUTED else rng.choice((45, 60, 90)),
            mode=rng.choice(MODES),
            topics=topics,
            competencies=competencies,
            shared_notes=shared,
            private_notes=private,
            state=state,
            next_meeting_on=upcoming if upcoming <= it.placement.ends_on else None,
            created_at=logged,
            updated_at=logged if state == SessionState.LOGGED else answered,
        )
        if state == SessionState.CONFIRMED:
            row.confirmed_at = answered
        elif state == SessionState.DISPUTED:
            row.disputed_at, row.student_comment = answered, story.DISPUTE_COMMENT
        for text in actions:
            due = held + timedelta(days=7)
            done = state != SessionState.LOGGED and due < self.today and rng.random() < 0.85
            row.actions.append(
                GuidanceAction(
                    text=text, due_on=due, is_done=done, done_at=at(due, 2) if done else None
                )
            )
        db.session.add(row)
        self.counts["guidance sessions"] += 1
        if state == SessionState.LOGGED:
            self.notice(
                it.student,
                "internships.session_logged",
                it.here,
                logged,
                read=False,
                mentor=it.mentor.full_name,
                date=held.isoformat(),
            )
        elif state == SessionState.DISPUTED:
            self.notice(
                it.mentor,
                "internships.session_disputed",
                it.here,
                answered,
                read=not it.active,
                student=it.student.full_name,
                comment=row.student_comment,
                date=held.isoformat(),
            )
