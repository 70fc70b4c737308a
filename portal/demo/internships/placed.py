"""What every record of the internship demo needs: the placement with its people, the hours of
a working day, and moments counted from a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from portal.internships.guidance.models import (
    SessionMode,
)
from portal.internships.models import Placement, PlacementStatus
from portal.internships.placements.models import (
    EntryState,
)

ES = EntryState
MINUTES = (450, 450, 450, 480, 420, 390)  # a civil servant's day is 7.5 hours
MODES = (SessionMode.ON_SITE, SessionMode.ON_SITE, SessionMode.ONLINE, SessionMode.PHONE)
ATTACHMENTS = 2  # at most, per placement


def at(day: date, hours: float) -> datetime:
    """``hours`` after midnight UTC of ``day`` (07:00 WIB is 0.0)."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(hours=hours)


@dataclass
class Placed:
    """One placement and the people and texts every record of it needs."""

    placement: Placement
    spec: dict
    position: object
    student: object
    mentor: object
    dpl: object
    last_day: date  # the last day worked so far
    here: str | None  # the placement page
    params: dict  # what notices about it say

    @property
    def active(self) -> bool:
        return self.placement.status == PlacementStatus.ACTIVE
