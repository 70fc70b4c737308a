"""Gap and JPM (Job Person Match) arithmetic, DOMAIN.md §1.6. Pure functions, no database."""

from __future__ import annotations

from dataclasses import dataclass

from portal.db import TitledEnum
from portal.i18n import _l


class JpmCategory(TitledEnum):
    MEETS = "memenuhi", _l("Memenuhi syarat (meets the standard)")
    STILL_MEETS = "masih_memenuhi", _l("Masih memenuhi syarat (still meets the standard)")
    BELOW = "kurang", _l("Kurang memenuhi syarat (below the standard)")


@dataclass
class GapRow:
    competency_id: int
    code: str
    name: str
    type_title: object
    required: int
    current: int | None = None  # the latest official level
    self_level: int | None = None  # the latest self-assessment (an estimate)
    supervisor_level: int | None = None  # the latest supervisor rating (an estimate)
    post_test_level: int | None = None  # the latest post-training test (L2 evidence, not official)

    @property
    def gap(self) -> int | None:
        """Required − current: positive is a development need; None until officially assessed."""
        return None if self.current is None else self.required - self.current


def jpm(rows: list[GapRow], *, cap_at_required: bool) -> float | None:
    """Σ current ÷ Σ required × 100 over the assessed competencies of the standard (or None).

    With ``cap_at_required`` a level above the standard counts as the standard, so surplus in
    one competency does not hide a gap in another.
    """
    assessed = [r for r in rows if r.current is not None]
    required = sum(r.required for r in assessed)
    if not required:
        return None
    current = sum(min(r.current, r.required) if cap_at_required else r.current for r in assessed)
    return round(current / required * 100, 1)


def category(value: float | None, thresholds: tuple[float, float]) -> JpmCategory | None:
    """Default thresholds (80, 68): ≥80 meets, 68–<80 still meets, <68 below (DOMAIN §1.6)."""
    if value is None:
        return None
    meets, still = thresholds
    if value >= meets:
        return JpmCategory.MEETS
    if value >= still:
        return JpmCategory.STILL_MEETS
    return JpmCategory.BELOW
