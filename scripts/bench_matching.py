"""Benchmark of the matching round (issue 18): a generated city-scale cohort, placed by deferred
acceptance and, for comparison, first-come first-served.

The cohort: 3,000 students × 600 positions of 40 OPDs, 5 preferences each. Popularity is skewed
(Zipf-like: a few OPDs, and a few positions within each, get most of the wishes); each OPD's
score of an applicant is an integer from the student's GPA plus noise (so there are ties, which
the seed's lottery breaks); about 3% of the applications are marked not acceptable; quotas are
1–10; each position names 1–3 mentors of its OPD (shared between positions) with room for 1–6.

Phase 1 (the algorithm, no database) times, best of 3, what ``services._compute`` does on plain
data: building the instance from the rows + ``allot_mentor_room`` + ``deferred_acceptance`` +
``mentors_for``. Phase 2 (``--database``, on by default) seeds a fresh SQLite database with the
same cohort as rows (a period in matching mode, positions, mentors with their capacity, students,
endorsed applications with ranks and OPD scores) and times ``services.preview_match`` (reading
the rows, the match, writing the preview run), best of 3. Both against a 5 s target.

Then the figures: students placed, at their first choice, in their top 3, unplaced, seats left
unfilled, and the pairs with justified envy (a student passed over at a position they prefer for
someone the OPD ranked lower, or while a seat stayed free) — for the match and for the same
cohort placed first come, first served on the same seats.

    .venv/bin/python scripts/bench_matching.py [--students 3000] [--positions 600] [--seed 18]
                                               [--no-database]

Exits 1 when a time misses the target (a script, not a test: no timing assertion in the suite).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.internships.matching import algorithm

TARGET_SECONDS = 5.0
OPDS = 40
PREFERENCES = 5
UNACCEPTABLE_SHARE = 0.03
ZIPF_OPD = 0.8  # popularity of the k-th OPD ~ 1/k^0.8 …
ZIPF_POSITION = 0.5  # … and of the k-th position ~ 1/k^0.5
SHARED = 0.3  # chance that a position's next mentor is one the OPD already named elsewhere


@dataclass
class Cohort:
    """The round as the database would hold it: one row per application, seats and mentors."""

    rows: list[tuple[int, int, int, int, bool]] = field(default_factory=list)
    # (student, position, rank, score, unacceptable), ordered by student then rank
    seats: dict[int, int] = field(default_factory=dict)
    opd: dict[int, int] = field(default_factory=dict)  # position -> OPD
    mentors: dict[int, list[int]] = field(default_factory=dict)
    room: dict[int, int] = field(default_factory=dict)
    mentor_opd: dict[int, int] = field(default_factory=dict)
    gpa: dict[int, float] = field(default_factory=dict)


def generate(students: int, positions: int, seed: int) -> Cohort:
    rng = random.Random(seed)  # noqa: S311 (a reproducible cohort, not a secret)
    cohort = Cohort()
    opd_weight = [1 / (k + 1) ** ZIPF_OPD for k in range(OPDS)]
    rng.shuffle(opd_weight)
    weights = []
    ids = list(range(1, positions + 1))
    within = [1 / (k + 1) ** ZIPF_POSITION for k in range(positions)]
    rng.shuffle(within)
    pool: dict[int, list[int]] = {}
    next_mentor = 10_001
    for position in ids:
        opd = 1 + (position - 1) % OPDS
        cohort.opd[position] = opd
        cohort.seats[position] = rng.randint(1, 10)
        weights.append(opd_weight[opd - 1] * within[position - 1])
        mentors = pool.setdefault(opd, [])
        named: list[int] = []
        for _ in range(rng.randint(1, 3)):
            others = [m for m in mentors if m not in named]
            if others and rng.random() < SHARED:  # one the OPD already has: mentors are shared
                named.append(rng.choice(others))
            else:
                mentors.append(next_mentor)
                cohort.room[next_mentor] = rng.randint(1, 6)
                cohort.mentor_opd[next_mentor] = opd
                named.append(next_mentor)
                next_mentor += 1
        cohort.mentors[position] = named
    cumulative = []
    total = 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    for student in range(1, students + 1):
        gpa = min(4.0, max(2.0, rng.gauss(3.3, 0.35)))
        cohort.gpa[student] = round(gpa, 2)
        wishes: list[int] = []
        while len(wishes) < PREFERENCES:
            position = rng.choices(ids, cum_weights=cumulative)[0]
            if position not in wishes:
                wishes.append(position)
        for rank, position in enumerate(wishes, start=1):
            score = round(max(0, min(100, 40 + 25 * (gpa - 2.0) + rng.gauss(0, 6))))
            cohort.rows.append((student, position, rank, score, rng.random() < UNACCEPTABLE_SHARE))
    return cohort


def place(cohort: Cohort, seed: int):
    """What ``services._compute`` does once the rows are read: instance, mentors' room, match,
    mentor places."""
    preferences: dict[int, list[int]] = {}
    scores: dict[int, dict[int, float]] = {p: {} for p in cohort.seats}
    for student, position, _rank, score, unacceptable in cohort.rows:
        preferences.setdefault(student, []).append(position)
        if not unacceptable:
            scores[position][student] = float(score)
    demand = {p: len(s) for p, s in scores.items()}
    allotted = algorithm.allot_mentor_room(cohort.seats, cohort.mentors, cohort.room, demand)
    instance = algorithm.Instance(preferences, algorithm.capacities(allotted), scores)
    result = algorithm.deferred_acceptance(instance, seed)
    return instance, result, algorithm.mentors_for(result, allotted)


def justified_envy(
    instance: algorithm.Instance, match: dict[int, int], seed: int
) -> tuple[int, int]:
    """Pairs (student, position): the student prefers the position to what they got, the OPD
    accepts them, and it has a seat left or holds someone it ranked lower (score, then the same
    lottery as the match). Returns (pairs, students in at least one)."""
    ties = algorithm.lottery(instance.preferences, seed)
    worst: dict[int, tuple[float, int]] = {}
    held: dict[int, int] = {}
    for student, position in match.items():
        key = (instance.scores[position][student], -ties[student])
        held[position] = held.get(position, 0) + 1
        worst[position] = min(worst.get(position, key), key)
    pairs = 0
    envious = set()
    for student, choices in instance.preferences.items():
        got = match.get(student)
        for position in choices:
            if position == got:
                break
            score = instance.scores.get(position, {}).get(student)
            seats = instance.capacity.get(position, 0)
            if score is None or seats <= 0:
                continue
            if held.get(position, 0) < seats or worst[position] < (score, -ties[student]):
                pairs += 1
                envious.add(student)
    return pairs, len(envious)


def figures_line(name: str, instance, match, seed: int) -> str:
    f = algorithm.summary(instance, match)
    n = f["students"]
    pairs, envious = justified_envy(instance, match, seed)
    return (
        f"{name:<28} placed {f['placed']:5d} ({f['placed'] / n:5.1%})  "
        f"1st choice {f['first'] / n:5.1%}  top 3 {f['top3'] / n:5.1%}  "
        f"unplaced {f['unplaced']:5d}  unfilled seats {f['unfilled']:4d}/{f['seats']}  "
        f"justified envy: {pairs:5d} pairs, {envious:4d} students"
    )


def best_of(times: int, run) -> tuple[float, object]:
    best, value = float("inf"), None
    for _ in range(times):
        start = time.perf_counter()
        value = run()
        best = min(best, time.perf_counter() - start)
    return best, value


def verdict(label: str, elapsed: float) -> bool:
    ok = elapsed < TARGET_SECONDS
    print(
        f"{label}: {elapsed:6.3f} s  ({elapsed / TARGET_SECONDS:.1%} of the {TARGET_SECONDS:.0f} s "
        f"target)  {'PASS' if ok else 'FAIL'}"
    )
    return ok


# --- phase 2: the database path ------------------------------------------------------------------


def seed_database(cohort: Cohort, students: int):
    """Rows for the cohort in the app's fresh database; returns (period, city admin)."""
    import sqlalchemy as sa

    from portal.auth.models import AccountStatus, Role, User, UserRole
    from portal.db import db, utcnow
    from portal.institutions.models import Agency, AgencyKind, University
    from portal.internships.applications.models import Application, ApplicationState
    from portal.internships.models import (
        IntakeMode,
        InternshipPeriod,
        InternshipPosition,
        MentorCapacity,
        PositionMentor,
        PositionState,
    )
    from portal.util import clock

    today = clock.today()
    day = timedelta(days=1)
    db.session.add_all(
        Agency(id=k, name=f"Dinas Bench {k}", short_name=f"DB{k}", kind=AgencyKind.DINAS)
        for k in range(1, OPDS + 1)
    )
    db.session.add(University(id=1, name="Universitas Bench", short_name="UB"))
    period = InternshipPeriod(
        name="Magang Bench 2027",
        starts_on=today + 40 * day,
        ends_on=today + 200 * day,
        intake_mode=IntakeMode.MATCHING,
        preferences_close_on=today - day,
    )
    db.session.add(period)
    db.session.flush()
    admin_id = 99_999
    users = [{"id": admin_id, "email": "admin@bench.example", "full_name": "Admin Bench"}]
    roles = [{"user_id": admin_id, "role": Role.ADMIN}]
    for student in range(1, students + 1):
        users.append(
            {
                "id": student,
                "email": f"s{student}@bench.example",
                "full_name": f"Mahasiswa Bench {student}",
                "university_id": 1,
                "nim": f"NIM{student:06d}",
                "study_programme": "S1 Bench",
            }
        )
        roles.append({"user_id": student, "role": Role.STUDENT})
    for mentor, opd in cohort.mentor_opd.items():
        users.append(
            {
                "id": mentor,
                "email": f"m{mentor}@bench.example",
                "full_name": f"Mentor Bench {mentor}",
                "agency_id": opd,
            }
        )
        roles += [{"user_id": mentor, "role": Role.MENTOR}, {"user_id": mentor, "role": Role.ASN}]
    for row in users:
        row.setdefault("status", AccountStatus.ACTIVE)
    db.session.execute(sa.insert(User), users)
    db.session.execute(sa.insert(UserRole), roles)
    db.session.execute(
        sa.insert(MentorCapacity),
        [{"user_id": m, "mentee_limit": r, "active_mentees": 0} for m, r in cohort.room.items()],
    )
    db.session.execute(
        sa.insert(InternshipPosition),
        [
            {
                "id": p,
                "agency_id": cohort.opd[p],
                "period_id": period.id,
                "title": f"Posisi Bench {p}",
                "quota": cohort.seats[p],
                "starts_on": today + 40 * day,
                "ends_on": today + 160 * day,
                "application_deadline": today + 30 * day,
                "state": PositionState.PUBLISHED,
            }
            for p in cohort.seats
        ],
    )
    db.session.execute(
        sa.insert(PositionMentor),
        [{"position_id": p, "mentor_id": m} for p, ms in cohort.mentors.items() for m in ms],
    )
    now = utcnow()
    db.session.execute(
        sa.insert(Application),
        [
            {
                "student_id": s,
                "position_id": p,
                "period_id": period.id,
                "university_id": 1,
                "agency_id": cohort.opd[p],
                "rank": rank,
                "motivation": "Bench.",
                "state": ApplicationState.ENDORSED,
                "endorsed_at": now,
                "gpa": cohort.gpa[s],
                "opd_score": score,
                "opd_unacceptable": unacceptable,
            }
            for s, p, rank, score, unacceptable in cohort.rows
        ],
    )
    db.session.commit()
    return period.id, admin_id


def database_phase(cohort: Cohort, students: int, seed: int) -> tuple[float, dict] | None:
    from portal import create_app
    from portal.auth.models import User
    from portal.db import db
    from portal.internships.matching import services
    from portal.internships.models import InternshipPeriod

    if not hasattr(services, "preview_match"):
        print("database: services.preview_match is not there yet: phase 2 skipped")
        return None
    with tempfile.TemporaryDirectory(prefix="sinergi-bench-") as tmp:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "bench-only",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench-matching.sqlite3'}",
                "UPLOAD_FOLDER": str(Path(tmp) / "uploads"),
                "MAIL_BACKEND": "log",
            }
        )
        with app.app_context():
            db.create_all()
            start = time.perf_counter()
            period_id, admin_id = seed_database(cohort, students)
            print(
                f"database: seeded {len(cohort.rows)} applications in "
                f"{time.perf_counter() - start:.1f} s (not timed)"
            )
            best, figures = float("inf"), {}
            for _ in range(3):
                db.session.expire_all()
                period = db.session.get(InternshipPeriod, period_id)
                admin = db.session.get(User, admin_id)
                start = time.perf_counter()
                run = services.preview_match(period, actor=admin, seed=seed)
                db.session.commit()
                best = min(best, time.perf_counter() - start)
                figures = run.figures
            db.session.remove()
            db.engine.dispose()
    return best, figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=3000)
    parser.add_argument("--positions", type=int, default=600)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--no-database", dest="database", action="store_false")
    args = parser.parse_args()
    cohort = generate(args.students, args.positions, args.seed)
    print(
        f"{args.students} students × {args.positions} positions ({OPDS} OPDs) × {PREFERENCES} "
        f"preferences; {sum(cohort.seats.values())} seats in quotas, {len(cohort.room)} mentors "
        f"with room for {sum(cohort.room.values())}; "
        f"{sum(r[4] for r in cohort.rows)} applications not acceptable"
    )
    wishes = Counter(row[1] for row in cohort.rows)
    popular = sorted(((wishes[p], p) for p in cohort.seats), reverse=True)
    print(
        f"popularity: the top 1% of positions get "
        f"{sum(n for n, _ in popular[: len(popular) // 100]) / len(cohort.rows):.0%} of the "
        f"wishes, {sum(1 for n, _ in popular if n == 0)} positions get none"
    )
    ok = True
    elapsed, (instance, result, mentors) = best_of(3, lambda: place(cohort, args.seed))
    ok &= verdict(
        "algorithm (instance + mentors' room + match + mentor places), best of 3", elapsed
    )
    print(
        f"  {result.proposals} proposals; {len(mentors)} mentor places given; "
        f"capacity for the round {sum(instance.capacity.values())} seats"
    )
    print(figures_line("deferred acceptance", instance, result.match, args.seed))
    rush = algorithm.first_come_first_served(instance, args.seed)
    print(figures_line("first come, first served", instance, rush, args.seed))
    if args.database:
        measured = database_phase(cohort, args.students, args.seed)
        if measured is not None:
            elapsed, figures = measured
            ok &= verdict("database (preview_match on SQLite), best of 3", elapsed)
            print(
                f"  the preview: placed {figures.get('placed')}, at their first choice "
                f"{figures.get('first')}, unplaced {figures.get('unplaced')}, "
                f"{figures.get('proposals')} proposals"
            )
            if figures.get("placed") != len(result.match):
                print(
                    f"  the preview placed {figures.get('placed')}, the algorithm alone "
                    f"{len(result.match)}: they should agree"
                )
                ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
