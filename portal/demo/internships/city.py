"""Internships of the city-scale data: three periods (finished, running, next), positions in
every OPD with ASN mentors, and applications whose histories follow ``workflow.TRANSITIONS``
step by step, each taken by its party. A placed student has exactly one accepted application
in that period (the others were withdrawn automatically when they accepted); positions of the
next period are still open, with applications in the open states. Placements, logbooks and
guidance sessions are in :mod:`city_placements`."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from flask import current_app

from portal.auth.models import Role, UserRole
from portal.demo.city import City, shares, stamp
from portal.demo.internships import city_placements
from portal.internships.applications import workflow
from portal.internships.applications.models import Application, ApplicationEvent, ApplicationState
from portal.internships.models import (
    InternshipPeriod,
    InternshipPosition,
    PositionMentor,
    PositionState,
    WorkMode,
)

S, A = ApplicationState, workflow.ApplicationAction
PARTY = {workflow.STUDENT: "student", workflow.UNIVERSITY: "staff", workflow.OPD: "admin"}
TITLES = [
    ("Pengembangan Aplikasi Layanan Publik", "Bidang Aplikasi Informatika", "S1 Ilmu Komputer"),
    ("Analisis Data Perencanaan", "Bidang Perencanaan dan Evaluasi", "S1 Statistika"),
    ("Administrasi Perkantoran Digital", "Sekretariat", "D3 Administrasi Bisnis"),
    (
        "Pengelolaan Arsip dan Dokumen",
        "Subbagian Umum dan Kepegawaian",
        "S1 Ilmu Administrasi Publik",
    ),
    ("Pelayanan Informasi Publik", "Bidang Komunikasi Publik", "S1 Ilmu Komunikasi"),
    ("Penyusunan Laporan Keuangan", "Subbagian Keuangan", "S1 Akuntansi"),
    ("Kajian Regulasi Daerah", "Subbagian Hukum", "S1 Ilmu Hukum"),
    ("Promosi Kesehatan Masyarakat", "Bidang Kesehatan Masyarakat", "S1 Kesehatan Masyarakat"),
    ("Pemetaan Tata Ruang", "Bidang Tata Ruang", "S1 Perencanaan Wilayah dan Kota"),
    ("Pengawasan Infrastruktur", "Bidang Bina Marga", "S1 Teknik Sipil"),
]
MENTOR_SHARE = 0.03  # of an OPD's ASN who mentor interns
#: Step paths (after "apply") of applications that did not lead to a placement.
CLOSED_PATHS = [
    ["decline"],
    ["endorse", "reject"],
    ["endorse", "shortlist", "reject"],
    ["endorse", "offer", "decline_offer"],
    ["endorse", "offer", "expire"],
    ["withdraw"],
    ["endorse", "waitlist", "reject"],
    ["endorse", "shortlist", "withdraw"],
]
OPEN_PATHS = [
    [],
    [],
    ["endorse"],
    ["endorse"],
    ["endorse", "shortlist"],
    ["endorse", "waitlist"],
    ["endorse", "shortlist", "offer"],
    ["decline"],
    ["withdraw"],
]
ACCEPT_PATH = ["endorse", "shortlist", "offer", "accept"]
REASONS = {
    "decline": "Belum memenuhi syarat SKS minimal dari program studi.",
    "reject": "Kuota posisi sudah terpenuhi oleh pelamar lain.",
}
MOTIVATION = (
    "Saya ingin menerapkan ilmu dari perkuliahan dan belajar langsung tentang pelayanan "
    "publik di lingkungan Pemerintah Kota Medan."
)


def monday(day):
    return day - timedelta(days=day.weekday())


def periods(city: City) -> list[dict]:
    """Finished (26 weeks), running (started about 23 weeks ago) and next (opens soon)."""
    today, made = city.today, []
    for key, start, weeks in (
        ("past", monday(today - timedelta(days=400)), 26),
        ("current", monday(today - timedelta(days=160)), 27),
        ("next", monday(today + timedelta(days=60)), 12),
    ):
        made.append(
            {"key": key, "starts_on": start, "ends_on": start + timedelta(weeks=weeks, days=-3)}
        )
    rows = []
    for period, period_id in zip(made, city.ids(InternshipPeriod.__table__, 3), strict=True):
        period["id"] = period_id
        rows.append(
            {
                "id": period_id,
                "starts_on": period["starts_on"],
                "ends_on": period["ends_on"],
                "name": f"Magang Kota Medan {period['starts_on']:%m/%Y} – {period['ends_on']:%m/%Y}",
                **stamp(city.moment(period["starts_on"] - timedelta(days=100))),
            }
        )
    city.insert(InternshipPeriod, rows)
    return made


def mentors(city: City) -> None:
    """About 3 % of each OPD's generated ASN become mentors (they keep the ASN role)."""
    by_agency = defaultdict(list)
    for person in city.asn:
        by_agency[person["agency_id"]].append(person)
    rows = []
    for agency_id, people in by_agency.items():
        chosen = people[1 : 1 + max(1, round(len(people) * MENTOR_SHARE))] or people[:1]
        city.mentors[agency_id] = [p["user_id"] for p in chosen]
        rows.extend({"user_id": p["user_id"], "role": Role.MENTOR} for p in chosen)
    city.insert(UserRole, rows, label="user_roles (mentor)")


def positions(city: City, terms: list[dict]) -> list[dict]:
    rng, count = city.rng, city.n("internship_positions")
    agencies = [a for a in city.agencies if a.id in city.mentors]
    shares = (("past", 0.4), ("current", 0.4), ("next", 0.2))
    plan = []
    for key, share in shares:
        plan += [key] * max(1, round(count * share))
    rows, links, made = [], [], []
    by_key = {p["key"]: p for p in terms}
    for index, (key, position_id) in enumerate(
        zip(plan, city.ids(InternshipPosition.__table__, len(plan)), strict=False)
    ):
        period, agency = by_key[key], agencies[index % len(agencies)]
        title, unit, major = TITLES[rng.randrange(len(TITLES))]
        deadline = period["starts_on"] - timedelta(days=21)
        published = city.moment(deadline - timedelta(days=49))
        is_open = key == "next"
        closed = None if is_open else city.moment(deadline + timedelta(days=14), 8)
        position = {
            "id": position_id,
            "agency_id": agency.id,
            "period": period,
            "title": title,
            "quota": rng.randint(2, 6),
            "deadline": deadline,
            "mentors": [],
        }
        rows.append(
            {
                "id": position_id,
                "agency_id": agency.id,
                "period_id": period["id"],
                "title": f"{title} — {agency.short_name}",
                "unit": unit,
                "description": f"Magang di {unit}, {agency.name}.",
                "tasks": "Membantu pekerjaan harian bidang\nMenyusun laporan mingguan",
                "wanted_majors": major,
                "wanted_skills": "Microsoft Office\nKomunikasi",
                "quota": position["quota"],
                "seats_taken": 0,
                "starts_on": period["starts_on"],
                "ends_on": period["ends_on"],
                "location": "Kantor " + agency.short_name,
                "mode": rng.choice((WorkMode.ON_SITE, WorkMode.ON_SITE, WorkMode.HYBRID)),
                "application_deadline": deadline,
                "work_plan_item": None,
                "state": PositionState.PUBLISHED if is_open else PositionState.CLOSED,
                "created_by_id": city.opd_admin[agency.id],
                "published_at": published,
                "closed_at": closed,
                "created_at": published - timedelta(days=2),
                "updated_at": closed or published,
            }
        )
        pool = city.mentors[agency.id]
        position["mentors"] = rng.sample(pool, min(len(pool), rng.choice((1, 1, 2))))
        links.extend({"position_id": position_id, "mentor_id": m} for m in position["mentors"])
        made.append(position)
    city.insert(InternshipPosition, rows)
    city.insert(PositionMentor, links)
    return made


def choose(city: City, posts: list[dict]) -> list[tuple[dict, dict]]:
    """(student, position) pairs: each student spreads their applications over the periods,
    at most three a period, never twice the same position."""
    rng, target = city.rng, city.n("applications")
    by_period = defaultdict(list)
    for post in posts:
        by_period[post["period"]["key"]].append(post)
    order = ["past", "current", "next"]
    students = city.students
    pairs = []
    for student, quota in zip(students, shares(target, len(students)), strict=True):
        taken = set()
        for slot in range(min(quota, 9)):
            pool = by_period[order[slot % 3]]
            free = [p for p in rng.sample(pool, min(len(pool), 4)) if p["id"] not in taken]
            if free:
                taken.add(free[0]["id"])
                pairs.append((student, free[0]))
    return pairs


def generate(city: City) -> None:
    terms = periods(city)
    mentors(city)
    posts = positions(city, terms)
    pairs = choose(city, posts)
    accepted = placed_pairs(city, pairs)
    apps, events = Applications(city), []
    by_student_period = defaultdict(list)
    for student, post in pairs:
        by_student_period[(student["user_id"], post["period"]["key"])].append(post)
    for (student_id, key), chosen in by_student_period.items():
        student = apps.students[student_id]
        winner = accepted.get((student_id, key))
        accepted_at = None
        for post in sorted(chosen, key=lambda p: p is not winner):  # the acceptance first
            if post is winner:
                path = ACCEPT_PATH
            elif winner is not None:
                path = ["endorse", workflow.AUTO_WITHDRAW]
            elif key == "next":
                path = city.rng.choice(OPEN_PATHS)
            else:
                path = city.rng.choice(CLOSED_PATHS)
            events.extend(apps.add(student, post, path, until=accepted_at))
            if post is winner:
                accepted_at = apps.rows[-1]["decided_at"]
    apps.rank()
    city.insert(Application, apps.rows)
    city.insert(ApplicationEvent, events)
    city_placements.generate(city, apps.placed, posts)


def placed_pairs(city: City, pairs) -> dict[tuple[int, str], dict]:
    """(student id, period key) → the position they accepted; half finished, half running,
    never more than the position's quota (raised where the draw needs it)."""
    target = city.n("placements")
    candidates = defaultdict(list)
    for student, post in pairs:
        if post["period"]["key"] != "next":
            candidates[(student["user_id"], post["period"]["key"])].append(post)
    keys = sorted(candidates, key=lambda k: (k[1], k[0]))
    chosen = city.rng.sample(keys, min(target, len(keys)))
    accepted, seats = {}, defaultdict(int)
    for key in sorted(chosen, key=lambda k: (k[1], k[0])):
        post = min(candidates[key], key=lambda p: seats[p["id"]] / p["quota"])
        seats[post["id"]] += 1
        post["quota"] = max(post["quota"], seats[post["id"]])
        accepted[key] = post
    return accepted


class Applications:
    """Application rows and their events, with the moments of each step."""

    def __init__(self, city: City):
        self.city = city
        self.rows: list[dict] = []
        self.placed: list[tuple[dict, dict, dict]] = []  # (application, student, position)
        self.students = {s["user_id"]: s for s in city.students}
        self.offer_days = int(current_app.config["INTERNSHIP_OFFER_DAYS"])

    def add(self, student: dict, post: dict, path: list[str], until=None) -> list[dict]:
        """One application taking the steps of ``path``; an automatic withdrawal happens at
        ``until`` (the moment the student accepted another offer)."""
        city, rng = self.city, self.city.rng
        (app_id,) = city.ids(Application.__table__, 1)
        deadline = city.moment(post["deadline"], 16)
        if post["period"]["key"] == "next":
            applied = city.moment(
                city.today - timedelta(days=rng.randint(8, 30)), rng.uniform(1, 12)
            )
            gap = 1.5
        else:
            applied = deadline - timedelta(days=rng.uniform(3, 35))
            gap = 3.0
        row = {
            "id": app_id,
            "student_id": student["user_id"],
            "position_id": post["id"],
            "period_id": post["period"]["id"],
            "university_id": student["university_id"],
            "agency_id": post["agency_id"],
            "rank": None,
            "motivation": MOTIVATION,
            "cv_file_id": None,
            "state": S.SUBMITTED,
            "endorsed_at": None,
            "decided_at": None,
            "offer_expires_at": None,
            "decision_reason": None,
            "created_at": applied,
        }
        events = [
            self.event(app_id, workflow.APPLY, (None, S.SUBMITTED), student["user_id"], applied)
        ]
        at = applied
        for step in path:
            at = at + timedelta(days=rng.uniform(0.3, gap))
            if until is not None:
                at = (
                    until if step == workflow.AUTO_WITHDRAW else min(at, until - timedelta(hours=2))
                )
            if (
                step in ("shortlist", "offer", "reject", "waitlist")
                and post["period"]["key"] != "next"
            ):
                at = max(at, deadline + timedelta(days=rng.uniform(0.5, 3)))
            if step == workflow.AUTO_WITHDRAW:
                target, party = S.WITHDRAWN, workflow.STUDENT
            else:
                target, party = workflow.TRANSITIONS[(row["state"], A(step))]
            actor = {
                workflow.STUDENT: student["user_id"],
                workflow.UNIVERSITY: city.staff[student["university_id"]][0],
                workflow.OPD: city.opd_admin[post["agency_id"]],
                workflow.SYSTEM: None,
            }[party]
            if step == "offer" and post["period"]["key"] == "next":
                at = max(at, city.moment(city.today - timedelta(days=2), rng.uniform(1, 8)))
            if step == "expire":
                at = row["offer_expires_at"] + timedelta(hours=rng.uniform(1, 6))
            events.append(
                self.event(app_id, step, (row["state"], target), actor, at, note=REASONS.get(step))
            )
            row["state"] = target
            if step == "endorse":
                row["endorsed_at"] = at
            elif step == "offer":
                row["offer_expires_at"] = at + timedelta(days=self.offer_days)
            elif step in REASONS:
                row["decision_reason"] = REASONS[step]
            if not target.is_open:
                row["decided_at"] = at
        row["updated_at"] = at
        self.rows.append(row)
        if row["state"] == S.ACCEPTED:
            self.placed.append((row, student, post))
        return events

    def event(self, app_id, action, states, actor_id, at, *, note=None) -> dict:
        from_state, to_state = states
        return {
            "application_id": app_id,
            "action": str(action),
            "from_state": from_state,
            "to_state": to_state,
            "actor_id": actor_id,
            "at": at,
            "note": note,
        }

    def rank(self) -> None:
        """Open applications are ranked 1, 2, … per student and period, in the order made."""
        groups = defaultdict(list)
        for row in self.rows:
            if row["state"].is_open:
                groups[(row["student_id"], row["period_id"])].append(row)
        for rows in groups.values():
            for rank, row in enumerate(sorted(rows, key=lambda r: r["created_at"]), start=1):
                row["rank"] = rank
