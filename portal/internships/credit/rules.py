"""What a placement earns under its university's credit scheme: pure functions over the scheme,
the placement's dates, its approved logbook minutes and its final grade (no query here).

- Semester scheme (Permendikbud 3/2020: 1 semester ≈ 20 SKS outside the programme): a placement
  whose period spans at least ``min_weeks`` working weeks earns the scheme's ``sks``, whatever
  the hours (20 SKS × 45 h = 900 h cannot be logged in one semester of office hours).
- Hours scheme (Permendikbudristek 53/2023: 1 SKS = 45 hours of learning, the university's own
  figure here): every ``hours_per_sks`` approved hours earn 1 SKS, up to the scheme's ``sks``.
- The courses are recognised in the order the university listed them while the SKS last; each
  gets the letter of the final score on the university's scale (DOMAIN.md §5.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.internships.credit.models import CreditKind, CreditScheme
from portal.internships.models import Placement, PlacementStatus


def working_weeks(starts_on: date, last_day: date) -> int:
    """Whole working weeks from ``starts_on`` to ``last_day``: a week counts once its five
    working days are in, so Monday of week 1 to Friday of week 16 is 16 weeks."""
    if last_day < starts_on:
        return 0
    return ((last_day - starts_on).days + 1 + 2) // 7


def last_day(placement: Placement) -> date:
    """The placement's end: the planned end, or the day it was ended early."""
    if placement.status == PlacementStatus.TERMINATED and placement.ended_at is not None:
        return min(placement.ends_on, placement.ended_at.date())
    return placement.ends_on


def letter_for(score: float, bands) -> tuple[str, float | None] | None:
    """The letter (and grade points) of ``score`` on a scale of bands sorted from the highest
    lower bound down; None when the scale is empty or no band reaches down to the score."""
    for band in bands:
        if score >= band.min_score:
            return band.letter, band.points
    return None


@dataclass
class ConvertedCourse:
    code: str
    name: str
    sks: int
    recognised: bool
    letter: str | None
    points: float | None


@dataclass
class Credit:
    """The credit card of a placement page under its university's scheme."""

    scheme: CreditScheme
    placement: Placement
    today: date
    approved_minutes: int
    final_score: float | None

    @property
    def is_semester(self) -> bool:
        return self.scheme.kind == CreditKind.SEMESTER

    @property
    def is_final(self) -> bool:
        """Completed or ended early: what it earned no longer changes with time."""
        return self.placement.status != PlacementStatus.ACTIVE

    @property
    def weeks_planned(self) -> int:
        """The working weeks of the placement's period (to its early end when it was ended)."""
        return working_weeks(self.placement.starts_on, last_day(self.placement))

    @property
    def weeks_so_far(self) -> int:
        end = last_day(self.placement)
        return working_weeks(self.placement.starts_on, min(end, self.today))

    @property
    def approved_hours(self) -> float:
        return self.approved_minutes / 60

    @property
    def sks(self) -> int:
        """The SKS recognised (for an active placement: what it earns if it runs its course,
        under a semester scheme; what the approved hours earn so far, under an hours scheme)."""
        if self.is_semester:
            return self.scheme.sks if self.weeks_planned >= (self.scheme.min_weeks or 0) else 0
        per_sks = self.scheme.hours_per_sks or 1
        return min(self.scheme.sks, self.approved_minutes // (per_sks * 60))

    @property
    def needed_hours(self) -> int | None:
        """Hours scheme: the hours the scheme's most SKS need."""
        if self.is_semester:
            return None
        return self.scheme.sks * (self.scheme.hours_per_sks or 0)

    @property
    def percent(self) -> int:
        """Progress towards the scheme's full SKS, 0–100: weeks served against the weeks needed
        (semester), approved hours against the hours needed (hours)."""
        if self.is_semester:
            need = self.scheme.min_weeks or 1
            return min(100, self.weeks_so_far * 100 // need)
        need = (self.needed_hours or 1) * 60
        return min(100, self.approved_minutes * 100 // need)

    @property
    def letter(self) -> tuple[str, float | None] | None:
        if self.final_score is None:
            return None
        return letter_for(self.final_score, self.scheme.bands)

    @property
    def courses(self) -> list[ConvertedCourse]:
        """Each course of the scheme: recognised while the SKS earned last (in the listed
        order), with the letter of the final score once the placement has one."""
        left = self.sks
        letter = self.letter
        rows = []
        for course in self.scheme.courses:
            fits = course.sks <= left
            if fits:
                left -= course.sks
            graded = fits and letter is not None
            rows.append(
                ConvertedCourse(
                    course.code,
                    course.name,
                    course.sks,
                    fits,
                    letter[0] if graded else None,
                    letter[1] if graded else None,
                )
            )
        return rows

    @property
    def pks_covers_start(self) -> bool:
        return self.scheme.pks_valid_on(self.placement.starts_on)
