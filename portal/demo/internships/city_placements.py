"""Placements of the accepted applications, with their logbooks and guidance sessions.

A placement exists only for an accepted application (one per student and period); finished
periods' placements are completed, the running period's are active. Logbook entries fall on
weekdays inside the placement and not after yesterday: approved by the mentor, except the last
days of a running placement (submitted, the newest a draft) and a few returned with a comment.
Guidance sessions are held by the placement's mentor inside the placement, confirmed by the
student (recent ones still logged, a few disputed). Counters (seats taken, active mentees) are
set from the rows, as the conditional UPDATEs would have left them."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from portal.db import db
from portal.demo.city import City, shares, stamp
from portal.internships.guidance.models import GuidanceSession, SessionMode, SessionState
from portal.internships.models import (
    InternshipPosition,
    MentorCapacity,
    Placement,
    PlacementStatus,
)
from portal.internships.placements.models import EntryState, LogbookEntry

ACTIVITIES = [
    "Menginput data layanan ke sistem informasi OPD",
    "Mengikuti rapat koordinasi bidang dan menyusun notulen",
    "Menyusun draf laporan kegiatan bulanan",
    "Membantu pelayanan masyarakat di loket informasi",
    "Memperbarui konten situs web dan media sosial OPD",
    "Merapikan arsip surat masuk dan keluar",
    "Menganalisis data capaian kinerja triwulan",
    "Mendampingi survei lapangan bersama tim bidang",
]
TOPICS = [
    "Rencana kerja minggu ini dan target keluaran",
    "Umpan balik atas laporan mingguan",
    "Etika kerja dan pelayanan publik",
    "Kemajuan tugas proyek magang",
    "Persiapan presentasi hasil magang",
]


def weekdays(start, end) -> list:
    days, day = [], start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def generate(city: City, placed: list, posts: list[dict]) -> None:
    placements = make_placements(city, placed)
    counters(city, placements, posts)
    logbook(city, placements)
    guidance(city, placements)


def make_placements(city: City, placed: list) -> list[dict]:
    rng, rows = city.rng, []
    placed = sorted(placed, key=lambda item: item[0]["id"])
    for (app, student, post), placement_id in zip(
        placed, city.ids(Placement.__table__, len(placed)), strict=True
    ):
        finished = post["period"]["key"] == "past"
        ends = post["period"]["ends_on"]
        rows.append(
            {
                "id": placement_id,
                "application_id": app["id"],
                "student_id": student["user_id"],
                "position_id": post["id"],
                "period_id": post["period"]["id"],
                "university_id": student["university_id"],
                "agency_id": post["agency_id"],
                "mentor_id": rng.choice(post["mentors"]),
                "supervisor_id": city.staff[student["university_id"]][-1],
                "starts_on": post["period"]["starts_on"],
                "ends_on": ends,
                "status": PlacementStatus.COMPLETED if finished else PlacementStatus.ACTIVE,
                "end_reason": None,
                "ended_at": city.moment(ends + timedelta(days=3)) if finished else None,
                "planned_sks": rng.choice((None, 10, 20)),
                **stamp(app["decided_at"]),
            }
        )
    city.insert(Placement, rows)
    return rows


def counters(city: City, placements: list[dict], posts: list[dict]) -> None:
    seats = Counter(p["position_id"] for p in placements)
    table = InternshipPosition.__table__
    for post in posts:  # the quota may have been raised for the draw (quota ≥ seats)
        if seats[post["id"]]:
            db.session.execute(
                sa.update(table)
                .where(table.c.id == post["id"])
                .values(seats_taken=seats[post["id"]], quota=post["quota"])
            )
    active = Counter(p["mentor_id"] for p in placements if p["status"] == PlacementStatus.ACTIVE)
    limit = int(current_app.config["MENTOR_DEFAULT_LIMIT"])
    mentors = sorted({m for ids in city.mentors.values() for m in ids})
    city.insert(
        MentorCapacity,
        [
            {"user_id": m, "mentee_limit": max(limit, active[m]), "active_mentees": active[m]}
            for m in mentors
        ],
    )


def logbook(city: City, placements: list[dict]) -> None:
    rng, rows = city.rng, []
    yesterday = city.today - timedelta(days=1)
    for placement, wanted in zip(
        placements, shares(city.n("logbook_entries"), len(placements)), strict=True
    ):
        days = weekdays(placement["starts_on"], min(placement["ends_on"], yesterday))
        if len(days) > wanted:
            days = sorted(rng.sample(days, wanted))
        running = placement["status"] == PlacementStatus.ACTIVE
        for index, day in enumerate(days):
            from_end = len(days) - 1 - index
            submitted = city.moment(day, 10 + rng.random())
            reviewed = submitted + timedelta(days=rng.uniform(0.5, 3))
            if running and from_end == 0 and day >= city.today - timedelta(days=3):
                state = EntryState.DRAFT
            elif running and from_end < 4:
                state = EntryState.SUBMITTED
            elif rng.random() < 0.03:
                state = EntryState.RETURNED
            else:
                state = EntryState.APPROVED
            is_reviewed = state in (EntryState.APPROVED, EntryState.RETURNED)
            rows.append(
                {
                    "placement_id": placement["id"],
                    "day": day,
                    "minutes": rng.choice((240, 300, 360, 420, 450, 480)),
                    "activities": rng.choice(ACTIVITIES),
                    "outputs": "Catatan kegiatan harian",
                    "attachment_id": None,
                    "state": state,
                    "submitted_at": None if state == EntryState.DRAFT else submitted,
                    "mentor_comment": "Lengkapi uraian keluaran kegiatan."
                    if state == EntryState.RETURNED
                    else None,
                    "reviewed_by_id": placement["mentor_id"] if is_reviewed else None,
                    "reviewed_at": reviewed if is_reviewed else None,
                    "created_at": city.moment(day, 9),
                    "updated_at": reviewed if is_reviewed else submitted,
                }
            )
    city.insert(LogbookEntry, rows)


def guidance(city: City, placements: list[dict]) -> None:
    rng, rows = city.rng, []
    yesterday = city.today - timedelta(days=1)
    for placement, wanted in zip(
        placements, shares(city.n("guidance_sessions"), len(placements)), strict=True
    ):
        days = weekdays(placement["starts_on"], min(placement["ends_on"], yesterday))
        chosen = sorted(rng.sample(days, min(wanted, len(days))))
        for index, day in enumerate(chosen):
            held = city.moment(day, 7)
            recent = placement["status"] == PlacementStatus.ACTIVE and index >= len(chosen) - 2
            disputed = not recent and rng.random() < 0.01
            state = (
                SessionState.LOGGED
                if recent
                else SessionState.DISPUTED
                if disputed
                else SessionState.CONFIRMED
            )
            later = held + timedelta(days=rng.uniform(0.2, 2))
            rows.append(
                {
                    "placement_id": placement["id"],
                    "mentor_id": placement["mentor_id"],
                    "held_on": day,
                    "duration_minutes": rng.choice((30, 45, 60, 90)),
                    "mode": rng.choice(list(SessionMode)),
                    "topics": rng.choice(TOPICS),
                    "competencies": "",
                    "shared_notes": "Lanjutkan sesuai rencana kerja.",
                    "private_notes": "",
                    "next_meeting_on": None,
                    "state": state,
                    "student_comment": "Topik yang dicatat tidak dibahas." if disputed else None,
                    "confirmed_at": later if state == SessionState.CONFIRMED else None,
                    "disputed_at": later if disputed else None,
                    **stamp(held),
                }
            )
    city.insert(GuidanceSession, rows)
