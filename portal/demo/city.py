"""City-scale reference data (issue 8): a Medan-sized dataset on top of the small demo.

``generate(scale)`` adds, at ``scale=1``, 15,000 ASN in 40 OPD with assessments, 3,000 students
of 15 universities, 600 internship positions, 20,000 applications, 1,500 placements with 150,000
logbook entries and 20,000 guidance sessions, 300 curricula with 3,000 materials and 100,000
ratings, and 400 training batches with attendance and JP ledgers. Every count is multiplied by
``scale`` (the tests run a hundredth); institutions are fixed.

Deterministic: one ``random.Random(2026)`` drives every choice, and every timestamp is counted
from today's date (not the clock), so two runs on the same day write the same rows; only the
secrets differ (session tokens, the one password hash shared by all generated accounts).

Bulk tables are written with SQLAlchemy Core ``insert`` in chunks, ids assigned here, states
as the workflows would have left them (see each feature's ``city`` module). The caller commits.
"""

from __future__ import annotations

import random
import time as clock
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from portal.db import db

SEED = 2026
CHUNK = 5_000

#: Full city size (scale 1).
CITY = {
    "asn": 15_000,
    "students": 3_000,
    "internship_positions": 600,
    "applications": 20_000,
    "placements": 1_500,
    "logbook_entries": 150_000,
    "guidance_sessions": 20_000,
    "curricula": 300,
    "materials": 3_000,
    "ratings": 100_000,
    "training_batches": 400,
}
EMAIL_DOMAIN = "city.sinergi.example"


class City:
    """Shared state of one generation: the random source, ids, dates, counts and progress."""

    def __init__(self, scale: float, echo: Callable[[str], None] | None = None):
        from portal.auth import passwords
        from portal.demo import DEMO_PASSWORD

        self.scale = scale
        self.rng = random.Random(SEED)  # noqa: S311  (deterministic demo data, not security)
        self.today = datetime.now(UTC).date()
        self.password_hash = passwords.hash_password(DEMO_PASSWORD)  # one hash for everybody
        self.echo = echo or (lambda _line: None)
        self.counts: dict[str, int] = {}
        self._next_id: dict[str, int] = {}
        self._started = clock.perf_counter()
        self._step = 0
        # Filled by the features' generators, read by the later ones.
        self.agencies: list = []  # Agency rows (all 40)
        self.universities: list = []  # University rows (all 15)
        self.asn: list[dict] = []  # generated ASN: user_id, asn_id, agency_id, position_id, ...
        self.students: list[dict] = []  # generated students: user_id, university_id
        self.staff: dict[int, list[int]] = {}  # university id -> staff user ids
        self.mentors: dict[int, list[int]] = {}  # agency id -> mentor user ids
        self.opd_admin: dict[int, int] = {}  # agency id -> admin user id
        self.city_admin_id: int | None = None
        self.curricula_published: list[dict] = []

    def n(self, key: str) -> int:
        """The scaled target count of ``key`` (at least 1)."""
        return max(1, round(CITY[key] * self.scale))

    def moment(self, day: date, hour: float = 2.0) -> datetime:
        """A UTC moment on ``day`` (2:00 UTC is 9:00 WIB), to the minute."""
        return datetime.combine(day, time(0), UTC) + timedelta(minutes=round(hour * 60))

    def ids(self, table: sa.Table, how_many: int) -> range:
        """``how_many`` fresh primary keys for ``table``, after its current maximum."""
        name = table.name
        if name not in self._next_id:
            top = db.session.scalar(sa.select(sa.func.max(table.c.id)))
            self._next_id[name] = (top or 0) + 1
        start = self._next_id[name]
        self._next_id[name] = start + how_many
        return range(start, start + how_many)

    def insert(self, model_or_table, rows: list[dict], label: str | None = None) -> int:
        """Insert ``rows`` (dicts with the same keys) in chunks with Core; count them."""
        table = getattr(model_or_table, "__table__", model_or_table)
        fill = {
            c.name: c.default.arg
            for c in table.columns
            if not c.nullable and c.default is not None and c.default.is_scalar
        }
        if fill and rows:
            keys = [k for k in fill if k in rows[0]]
            for row in rows:
                for key in keys:
                    if row[key] is None:
                        row[key] = fill[key]
        for start in range(0, len(rows), CHUNK):
            db.session.execute(sa.insert(table), rows[start : start + CHUNK])
        key = label or table.name
        self.counts[key] = self.counts.get(key, 0) + len(rows)
        return len(rows)

    def progress(self, area: str, total_steps: int, before: dict[str, int]) -> None:
        """Print one finished step with the rows it wrote, per table, and the time so far."""
        self._step += 1
        elapsed = clock.perf_counter() - self._started
        added = {k: n - before.get(k, 0) for k, n in self.counts.items() if n - before.get(k, 0)}
        detail = ", ".join(f"{n:,} {k}" for k, n in added.items())
        self.echo(f"[{self._step}/{total_steps}] {area} done ({elapsed:.1f} s): {detail}")

    def fix_sequences(self) -> None:
        """PostgreSQL: move each serial sequence past the ids assigned here."""
        if db.session.get_bind().dialect.name != "postgresql":
            return
        for name in self._next_id:
            db.session.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                    f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
                )
            )


def stamp(moment: datetime) -> dict:
    return {"created_at": moment, "updated_at": moment}


def shares(total: int, parts: int) -> list[int]:
    """``total`` shared out over ``parts`` as evenly as whole numbers go (the first get one
    more)."""
    return [total // parts + (i < total % parts) for i in range(parts)] if parts else []


STEPS = ("people", "competency", "internships", "curricula", "trainings")


def generate(scale: float = 1.0, echo: Callable[[str], None] | None = None) -> dict[str, int]:
    """Add the city-scale data (after the small demo) to the session; returns the row counts
    written per table. The caller commits."""
    from portal.demo import competency, curricula, internships, people, trainings

    city = City(scale, echo)
    for area, module in zip(
        STEPS, (people, competency, internships, curricula, trainings), strict=True
    ):
        before = dict(city.counts)
        module.generate(city)
        db.session.flush()
        city.progress(area, len(STEPS), before)
    city.fix_sequences()
    return city.counts


def analyze() -> None:
    """Refresh the planner statistics after the bulk load (run after the commit). Without them
    SQLite picks a plan for the demand board's clusters query that takes minutes at city size
    (0.7 s for the whole city admin dashboard with them)."""
    db.session.execute(sa.text("ANALYZE"))


def table_counts() -> dict[str, int]:
    """Rows per table in the whole database (for the summary the command prints)."""
    counts = {}
    for table in db.metadata.sorted_tables:
        counts[table.name] = db.session.scalar(sa.select(sa.func.count()).select_from(table))
    return counts
