"""SQLite write concurrency (QUALITY.md G9, pitfall 5): 2 gunicorn workers on a fresh SQLite
file with the demo data, 16 writers and a few readers for 30 seconds, all over HTTP as
signed-in users.

The writers do the portal's real work: students write, change and submit logbook entries;
their mentors approve them or return them with a comment (a returned entry goes back to its
student, who changes and resubmits it); ASN rate course materials, switch their language and
mark their notifications read. Readers open dashboards, placement pages and public pages.

Counts the requests, the 5xx answers and every "database is locked" (in the server log and in
the answers); exits 1 unless both are 0 (and some writes succeeded).

    .venv/bin/python scripts/bench_sqlite_writers.py [--duration 30] [--writers 16]
        [--readers 4] [--workers 2]
"""

from __future__ import annotations

import argparse
import queue
import random
import re
import secrets
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from portal.util import clock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.serving import Browser, Gunicorn, flask_cli, portal_env

LOCKED = "database is locked"
ENTRY_RE = re.compile(r"#entry-(\d+)$")  # where a saved entry sends its student
RATERS = ("asn.dinkes@sinergi.example", "asn.kecamatan@sinergi.example")
READERS = ("admin@sinergi.example", "dosen.usu@sinergi.example", None)  # None: a visitor
READ_PAGES = {None: ("/", "/internships/positions", "/login"),
              "admin@sinergi.example": ("/dashboard", "/admin/users", "/notifications"),
              "dosen.usu@sinergi.example": ("/dashboard", "/internships/university/applications")}  # fmt: skip


@dataclass
class Student:
    email: str
    placement_id: int
    mentor: str
    free_days: list[date]
    editable: queue.Queue = field(default_factory=queue.Queue)  # (entry id, day)


@dataclass
class Plan:
    password: str
    students: list[Student]
    mentors: dict[str, queue.Queue]  # e-mail → submitted entries: (entry id, day, Student)
    raters: list[tuple[str, list[int]]]  # e-mail, materials they may rate


class Stats:
    """Answers counted by (action, HTTP status), shared by the threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.calls: Counter = Counter()  # (action, status)
        self.locked_answers = 0

    def record(self, action: str, reply) -> None:
        with self.lock:
            self.calls[(action, reply.status)] += 1
            if LOCKED in reply.text:
                self.locked_answers += 1


@dataclass
class Load:
    plan: Plan
    stats: Stats = field(default_factory=Stats)
    stop: threading.Event = field(default_factory=threading.Event)


# --- the data ------------------------------------------------------------------------------------


def plan_from(settings: dict) -> Plan:
    """Who writes what, read from the fresh database before the load starts."""
    import sqlalchemy as sa

    from portal import create_app
    from portal.auth.models import User
    from portal.curricula.models import Curriculum, CurriculumAuthor, CurriculumState, Material
    from portal.curricula.models import Module as CurriculumModule
    from portal.db import db
    from portal.demo import DEMO_PASSWORD
    from portal.internships.models import Placement, PlacementStatus
    from portal.internships.placements.models import EntryState, LogbookEntry

    app = create_app(settings)
    with app.app_context():
        today = clock.today()
        users = {u.id: u.email for u in db.session.scalars(sa.select(User))}
        students, mentors = [], {}
        placements = db.session.scalars(sa.select(Placement).where(
            Placement.status == PlacementStatus.ACTIVE).order_by(Placement.id))  # fmt: skip
        for p in placements:
            entries = db.session.scalars(
                sa.select(LogbookEntry).where(LogbookEntry.placement_id == p.id)).all()  # fmt: skip
            taken = {e.day for e in entries}
            last = min(today, p.ends_on)
            days = [p.starts_on + timedelta(n) for n in range((last - p.starts_on).days + 1)]
            student = Student(users[p.student_id], p.id, users[p.mentor_id],
                              [d for d in days if d not in taken])  # fmt: skip
            waiting = mentors.setdefault(student.mentor, queue.Queue())
            for e in entries:
                if e.state in (EntryState.DRAFT, EntryState.RETURNED):
                    student.editable.put((e.id, e.day))
                elif e.state == EntryState.SUBMITTED:
                    waiting.put((e.id, e.day, student))
            students.append(student)
        published = db.session.execute(
            sa.select(Material.id, Curriculum.id).select_from(Material)
            .join(CurriculumModule, Material.module_id == CurriculumModule.id)
            .join(Curriculum, CurriculumModule.curriculum_id == Curriculum.id)
            .where(Curriculum.state == CurriculumState.PUBLISHED, Material.version_count > 0)
        ).all()  # fmt: skip
        authors = set(db.session.execute(sa.select(CurriculumAuthor.curriculum_id,
                                                   CurriculumAuthor.user_id)))  # fmt: skip
        by_email = {email: uid for uid, email in users.items()}
        raters = [(email, [m for m, c in published if (c, by_email[email]) not in authors])
                  for email in RATERS]  # fmt: skip
        db.engine.dispose()
    return Plan(DEMO_PASSWORD, students, mentors, raters)


# --- the users --------------------------------------------------------------------------------


def _entry_form(token: str, day: date, n: int, *, submit: bool) -> dict:
    return {"csrf_token": token, "day": day.isoformat(), "hours": str(4 + n % 8 * 0.5),
            "activities": f"Menyusun laporan dan rapat koordinasi (versi {n})",
            "outputs": "Draf laporan mingguan", "intent": "submit" if submit else "save"}  # fmt: skip


def student_loop(b: Browser, token: str, s: Student, load: Load) -> None:
    stats, stop = load.stats, load.stop
    n = 0
    while not stop.is_set():
        n += 1
        try:
            entry = s.editable.get_nowait()
        except queue.Empty:
            entry = None
        if entry is None and s.free_days:
            day = s.free_days.pop()
            reply = b.post(f"/internships/placements/{s.placement_id}/logbook/new",
                           _entry_form(token, day, n, submit=False))  # fmt: skip
            stats.record("student: new logbook entry", reply)
            found = ENTRY_RE.search(reply.location)
            entry = (int(found.group(1)), day) if reply.status == 302 and found else None
        if entry is None:  # every day written and every entry with the mentor
            stats.record("student: mark notifications read",
                         b.post("/notifications/read-all", {"csrf_token": token}))  # fmt: skip
            time.sleep(0.05)
            continue
        submit = n % 3 == 0
        reply = b.post(f"/internships/logbook/{entry[0]}/edit",
                       _entry_form(token, entry[1], n, submit=submit))  # fmt: skip
        stats.record("student: " + ("submit entry" if submit else "save entry"), reply)
        if reply.status == 302 and submit:
            load.plan.mentors[s.mentor].put((*entry, s))
        else:
            s.editable.put(entry)
        if n % 4 == 0:
            stats.record("student: read placement page",
                         b.get(f"/internships/placements/{s.placement_id}"))  # fmt: skip


def mentor_loop(b: Browser, token: str, email: str, load: Load) -> None:
    stats, stop = load.stats, load.stop
    n = 0
    while not stop.is_set():
        try:
            entry_id, day, student = load.plan.mentors[email].get(timeout=0.2)
        except queue.Empty:
            stats.record("mentor: mark notifications read",
                         b.post("/notifications/read-all", {"csrf_token": token}))  # fmt: skip
            stats.record("mentor: read dashboard", b.get("/dashboard"))
            continue
        n += 1
        action = "return" if n % 3 == 0 else "approve"
        comment = "Tolong lengkapi keluarannya." if action == "return" else ""
        reply = b.post(f"/internships/logbook/{entry_id}/action",
                       {"csrf_token": token, "action": action, "comment": comment})  # fmt: skip
        stats.record(f"mentor: {action} entry", reply)
        if reply.status == 302 and action == "return":
            student.editable.put((entry_id, day))


def rater_loop(b: Browser, token: str, materials: list[int], load: Load) -> None:
    stats, stop = load.stats, load.stop
    rnd = random.Random(len(materials))  # noqa: S311  (variety in the load, not security)
    n = 0
    while not stop.is_set():
        n += 1
        scores = {k: str(rnd.randint(1, 5)) for k in ("overall", "relevance", "clarity",
                                                       "difficulty")}  # fmt: skip
        reply = b.post(f"/curricula/materials/{rnd.choice(materials)}/rate",
                       {"csrf_token": token, **scores, "comment": f"Bermanfaat ({n})"})  # fmt: skip
        stats.record("asn: rate material", reply)
        if n % 3 == 0:
            stats.record("asn: switch language", b.post(
                "/language", {"csrf_token": token, "lang": "id", "next": "/dashboard"}))  # fmt: skip
        if n % 5 == 0:
            stats.record("asn: mark notifications read",
                         b.post("/notifications/read-all", {"csrf_token": token}))  # fmt: skip


def reader_loop(b: Browser, pages: tuple[str, ...], load: Load) -> None:
    stats, stop = load.stats, load.stop
    n = 0
    while not stop.is_set():
        page = pages[n % len(pages)]
        n += 1
        stats.record(f"reader: GET {page}", b.get(page))


# --- the run ------------------------------------------------------------------------------------


def _signed_in(base: str, email: str | None, password: str) -> tuple[Browser, str]:
    browser = Browser(base, timeout=120)
    if email is None:
        return browser, ""
    reply = browser.sign_in(email, password)
    if reply.status != 302:
        raise RuntimeError(f"sign-in of {email} gave HTTP {reply.status}")
    return browser, browser.token("/dashboard")


def workers_for(load: Load, base: str, writers: int, readers: int) -> list[threading.Thread]:
    """The threads: students first, then their mentors, then raters (ASN) to make ``writers``;
    ``readers`` more, cycling through a visitor, an admin and a university user."""
    plan = load.plan
    jobs = []
    for s in plan.students:
        jobs.append((s.email, lambda b, t, s=s: student_loop(b, t, s, load)))
    for email in plan.mentors:
        jobs.append((email, lambda b, t, e=email: mentor_loop(b, t, e, load)))
    for n in range(max(writers - len(jobs), 0)):
        email, materials = plan.raters[n % len(plan.raters)]
        jobs.append((email, lambda b, t, m=materials: rater_loop(b, t, m, load)))
    jobs = jobs[:writers]
    for n in range(readers):
        who = READERS[n % len(READERS)]
        jobs.append((who, lambda b, _t, p=READ_PAGES[who]: reader_loop(b, p, load)))
    threads = []
    for who, job in jobs:  # sign in one after the other (argon2 is slow on purpose)
        browser, token = _signed_in(base, who, plan.password)
        threads.append(threading.Thread(target=job, args=(browser, token), daemon=True))
    return threads


def report(stats: Stats, log: Path, elapsed: float) -> int:
    calls = stats.calls
    total = sum(calls.values())
    errors = sum(c for (_a, status), c in calls.items() if status >= 500)
    unanswered = sum(c for (_a, status), c in calls.items() if status == 0)
    writes = sum(c for (a, status), c in calls.items()
                 if status == 302 and not a.startswith("reader"))  # fmt: skip
    locked_log = log.read_text(errors="replace").count(LOCKED)
    print(f"{'action':<52} {'requests':>8}  statuses")
    for action in sorted({a for a, _s in calls}):
        by_status = {s: c for (a, s), c in calls.items() if a == action}
        shown = ", ".join(f"{s}: {c}" for s, c in sorted(by_status.items()))
        print(f"{action:<52} {sum(by_status.values()):>8}  {shown}")
    print(f"\nrequests: {total} in {elapsed:.1f} s ({total / elapsed:.1f}/s); "
          f"successful writes: {writes}")  # fmt: skip
    print(f"5xx: {errors}; no answer (reset or timed out): {unanswered}")
    print(f'"{LOCKED}": {locked_log} in the server log, {stats.locked_answers} in answers')
    ok = not (errors or unanswered or locked_log or stats.locked_answers) and writes > 0
    print("PASS (G9: 0 locked, 0 5xx)" if ok else "FAIL (G9 wants 0 locked and 0 5xx)")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=30, help="seconds of load (30)")
    parser.add_argument("--writers", type=int, default=16, help="writer threads (16)")
    parser.add_argument("--readers", type=int, default=4, help="reader threads (4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sinergi-g9-") as folder:
        tmp = Path(folder)
        settings = {"SECRET_KEY": secrets.token_urlsafe(32),
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'g9.sqlite3'}",
                    "UPLOAD_FOLDER": str(tmp / "uploads")}  # fmt: skip
        env = portal_env(**settings)
        log = tmp / "gunicorn.log"
        print("fresh SQLite database: flask db upgrade, flask demo-data …", flush=True)
        flask_cli("db", "upgrade", env=env, log=tmp / "setup.log")
        flask_cli("demo-data", env=env, log=tmp / "setup.log")
        plan = plan_from(settings)
        free = sum(len(s.free_days) for s in plan.students)
        waiting = sum(q.qsize() for q in plan.mentors.values())
        print(f"{len(plan.students)} students ({free} free logbook days), "
              f"{len(plan.mentors)} mentors ({waiting} entries waiting), "
              f"raters: {', '.join(e for e, _m in plan.raters)}", flush=True)  # fmt: skip
        load = Load(plan)
        with Gunicorn(env, workers=args.workers, log=log) as server:
            threads = workers_for(load, server.base, args.writers, args.readers)
            print(f"{args.workers} gunicorn workers on {server.base}; {args.writers} writers "
                  f"and {args.readers} readers signed in; load for {args.duration:g} s …",
                  flush=True)  # fmt: skip
            started = time.monotonic()
            for t in threads:
                t.start()
            time.sleep(args.duration)
            load.stop.set()
            for t in threads:
                t.join(timeout=130)
            elapsed = time.monotonic() - started
        return report(load.stats, log, elapsed)


if __name__ == "__main__":
    sys.exit(main())
