"""Numbers drawn from the logbook: the weekly summary and the credit-readiness meter (approved
hours against the hours the planned SKS need). Pure functions over rows that hold ``day``,
``minutes`` and ``state``, so one query feeds both."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from portal.internships.placements.models import EntryState


@dataclass
class Week:
    """One ISO week of the logbook (Monday to Sunday)."""

    year: int
    week: int
    entries: int = 0
    minutes: int = 0
    approved_minutes: int = 0

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def approved_hours(self) -> float:
        return self.approved_minutes / 60


def weekly_summary(rows: Iterable) -> list[Week]:
    """Entries and hours per ISO week, newest week first; ``rows`` hold ``day``, ``minutes``
    and ``state`` (entries the reader may see)."""
    weeks: dict[tuple[int, int], Week] = {}
    for row in rows:
        year, week, _weekday = row.day.isocalendar()
        item = weeks.setdefault((year, week), Week(year, week))
        item.entries += 1
        item.minutes += row.minutes
        if row.state == EntryState.APPROVED:
            item.approved_minutes += row.minutes
    return [weeks[key] for key in sorted(weeks, reverse=True)]


@dataclass
class Readiness:
    """Approved hours against the hours the planned SKS need (the credit-readiness meter)."""

    approved_minutes: int
    pending_minutes: int  # submitted, not reviewed yet
    planned_sks: int | None
    hours_per_sks: int

    @property
    def approved_hours(self) -> float:
        return self.approved_minutes / 60

    @property
    def pending_hours(self) -> float:
        return self.pending_minutes / 60

    @property
    def needed_hours(self) -> int | None:
        return None if self.planned_sks is None else self.planned_sks * self.hours_per_sks

    @property
    def percent(self) -> int | None:
        """Share of the needed hours approved so far, 0–100 (None: no SKS planned yet)."""
        needed = self.needed_hours
        if needed is None:
            return None
        if needed == 0:
            return 100
        return min(100, int(self.approved_minutes * 100 // (needed * 60)))

    @property
    def is_ready(self) -> bool:
        return self.percent == 100


def readiness(rows: Iterable, *, planned_sks: int | None, hours_per_sks: int) -> Readiness:
    """Only approved entries count; submitted ones are shown as waiting."""
    approved = pending = 0
    for row in rows:
        if row.state == EntryState.APPROVED:
            approved += row.minutes
        elif row.state == EntryState.SUBMITTED:
            pending += row.minutes
    return Readiness(approved, pending, planned_sks, hours_per_sks)
