"""The JP a training batch's schedule earns (DOMAIN.md §2.2, §2.4), the amount its completion
credits to the ledger.

A batch credits the JP its sessions earn under the conversion table in force, not its
curriculum's nominal JP:

* the batch's form of development: an e-learning curriculum converts as e-learning (at most
  3 JP a day nationally); otherwise the curriculum's SIASN training type where it is a ledger
  form (a leadership type as structural leadership training), else Pelatihan Teknis;
* "actual JP" forms: per calendar day (WIB), the scheduled contact minutes (overlapping sessions
  counted once) ÷ the minutes of one JP (``JP_MINUTES``, 45 by default: DOMAIN.md §2.2),
  at most the form's daily cap (e-learning, belajar mandiri);
* "1 day = N JP" forms (seminar, workshop, sosialisasi): N JP per day with a session;
  "1 session = N JP" (coaching, mentoring): N per session, at most the monthly cap of sessions;
  "1 time = N JP" (magang, patok banding …): N JP once;
* then the bonus of the rule (international only: portal batches are national), and at most
  the JP the batch offers (its ``jp``, by default the curriculum's) and the curriculum's JP.

Rounding: the JP are whole lesson hours, like the curriculum's and the batch's JP (integer
columns): the sum over the days is floored to a whole JP (a started lesson hour does not count),
so 2 × 3.5 hours (9.33 lesson hours) earn 9 JP. The raw duration is kept with one decimal
(``quantity``, in the rule's unit) next to the converted JP in the ledger (§2.4: record both).

Nothing is stored for this (the sessions are) and no migration rewrites the past: ledger records
credited before the rule are verified history, may be in SIASN (``jumlahJam``) and match the JP
printed on their certificates; only batches completed from now on credit their schedule's JP
(the conversion table's rule too: a later change never rewrites what was recorded).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app, has_app_context

from portal.trainings.ledger.conversion import (
    LEDGER_FORMS,
    ConversionRule,
    Scope,
    Unit,
    default_rule,
    round_jp,
    rule_for,
)
from portal.util import clock

#: DOMAIN.md §2.2: 1 JP = 45 minutes in agency conversion tables (``JP_MINUTES`` overrides it).
MINUTES_PER_JP = 45
DEFAULT_FORM = "pelatihan_teknis"
#: Curriculum training types (training_types.py) that convert as structural leadership training.
STRUCTURAL_TYPES = ("pkn_ii", "pka", "pkp")


def minutes_per_jp() -> int:
    if has_app_context():
        return int(current_app.config.get("JP_MINUTES", MINUTES_PER_JP))
    return MINUTES_PER_JP


@dataclass(frozen=True)
class ScheduleJP:
    """What a schedule earns: the form and rule used, the raw duration and the JP."""

    form: str
    unit: Unit
    quantity: float  # the raw duration in ``unit`` (lesson hours of contact time, days …)
    minutes: int  # scheduled contact minutes
    days: int  # calendar days with a session
    earned: int  # whole JP the schedule earns under the rule, before the caps below
    cap: int | None  # at most this many (the batch's and curriculum's JP)
    nominal: int | None  # the curriculum's JP, for the warning
    jp_minutes: int = MINUTES_PER_JP  # the minutes of one JP used

    @property
    def jp(self) -> int:
        """The JP credited on completion."""
        return self.earned if self.cap is None else min(self.earned, self.cap)

    @property
    def differs(self) -> bool:
        """True when the credit is not the curriculum's JP (the batch page warns)."""
        return self.nominal is not None and self.jp != self.nominal

    @property
    def form_title(self):
        return LEDGER_FORMS.get(self.form, self.form)


def _local_day(moment: datetime) -> date:
    return (moment.astimezone(clock.zone()) if moment.tzinfo else moment).date()


def contact_minutes_by_day(intervals: Iterable[tuple[datetime, datetime]]) -> dict[date, int]:
    """Scheduled minutes per calendar day (WIB), overlapping sessions counted once. A session
    counts on the day it starts."""
    by_day: dict[date, list[tuple[datetime, datetime]]] = defaultdict(list)
    for starts_at, ends_at in intervals:
        if starts_at is not None and ends_at is not None and ends_at > starts_at:
            by_day[_local_day(starts_at)].append((starts_at, ends_at))
    minutes = {}
    for day, spans in by_day.items():
        total, end = 0.0, None
        for starts_at, ends_at in sorted(spans):
            begin = starts_at if end is None else max(starts_at, end)
            if ends_at > begin:
                total += (ends_at - begin).total_seconds() / 60
                end = ends_at
        minutes[day] = round(total)
    return minutes


def schedule_jp(
    intervals: Iterable[tuple[datetime, datetime]],
    *,
    form: str,
    cap: int | None = None,
    nominal: int | None = None,
    rule: ConversionRule | None = None,
) -> ScheduleJP:
    """The JP the sessions (``(starts_at, ends_at)`` pairs) earn as ``form`` (national), at
    most ``cap``. ``rule`` saves the look-up when it is known (the rule in force otherwise)."""
    intervals = list(intervals)
    form = form if form in LEDGER_FORMS else DEFAULT_FORM
    rule = rule or rule_for(form, Scope.NATIONAL)
    per_day = contact_minutes_by_day(intervals)
    minutes, days, jp_minutes = sum(per_day.values()), len(per_day), minutes_per_jp()
    per_unit = float(rule.jp_per_unit or 0)
    if rule.unit == Unit.PER_DAY:
        quantity, jp = float(days), days * per_unit
    elif rule.unit == Unit.PER_SESSION:
        sessions_by_month: dict[tuple[int, int], int] = defaultdict(int)
        for starts_at, ends_at in intervals:
            if starts_at is not None and ends_at is not None and ends_at > starts_at:
                day = _local_day(starts_at)
                sessions_by_month[(day.year, day.month)] += 1
        quantity = float(sum(sessions_by_month.values()))
        month_cap = rule.cap_per_month
        counted = sum(min(n, month_cap) if month_cap else n for n in sessions_by_month.values())
        jp = counted * per_unit
    elif rule.unit in (Unit.PER_TIME, Unit.PER_SEMESTER):
        quantity, jp = (1.0, per_unit) if days else (0.0, 0.0)
    else:  # Unit.JP_ACTUAL: contact time, at most the daily cap (e-learning 3 JP a day)
        quantity = round_jp(minutes / jp_minutes)
        day_cap = float(rule.cap_per_day) if rule.cap_per_day else None
        jp = sum(
            min(m / jp_minutes, day_cap) if day_cap else m / jp_minutes for m in per_day.values()
        )
    if rule.bonus_percent:
        jp = jp * (100 + rule.bonus_percent) / 100
    earned = math.floor(jp + 1e-9)  # whole lesson hours (see the module's docstring)
    return ScheduleJP(
        form=form,
        unit=rule.unit,
        quantity=quantity,
        minutes=minutes,
        days=days,
        earned=earned,
        cap=cap,
        nominal=nominal,
        jp_minutes=jp_minutes,
    )


def curriculum_form(mode, training_type: str | None) -> str:
    """The ledger form a batch of a curriculum converts as: e-learning for an e-learning
    curriculum (its daily cap applies), else the curriculum's SIASN type where it is a ledger
    form (PKN II, PKA, PKP as structural leadership training), else Pelatihan Teknis."""
    if str(getattr(mode, "value", mode) or "") == "e_learning":
        return "e_learning"
    if training_type in LEDGER_FORMS:
        return training_type
    if training_type in STRUCTURAL_TYPES:
        return "pelatihan_kepemimpinan"
    return DEFAULT_FORM


def batch_form(batch) -> str:
    curriculum = getattr(batch, "curriculum", None)
    return getattr(batch, "form", None) or curriculum_form(
        getattr(curriculum, "mode", None), getattr(curriculum, "training_type", None)
    )


def batch_jp(batch) -> ScheduleJP:
    """What ``batch``'s sessions earn, at most the batch's JP and its curriculum's JP.

    Needs ``sessions``, and ``curriculum.modules`` unless the page's query already read the
    curriculum's JP and the rule (``batch.schedule_inputs``: {"form", "rule", "nominal"}, set by
    ``batches.queries.batch_for_page`` so the page spends no query on them)."""
    curriculum = getattr(batch, "curriculum", None)
    form = batch_form(batch)
    inputs = getattr(batch, "schedule_inputs", None) or {}
    rule = None
    if inputs.get("form") == form:
        nominal = inputs["nominal"]
        rule = inputs["rule"] or default_rule(form, Scope.NATIONAL)
    else:
        nominal = curriculum.total_jp if curriculum is not None else None
    caps = [c for c in (getattr(batch, "jp", None), nominal) if c]
    return schedule_jp(
        ((s.starts_at, s.ends_at) for s in getattr(batch, "sessions", None) or ()),
        form=form,
        cap=min(caps) if caps else None,
        nominal=nominal,
        rule=rule,
    )


def days_for(jp: int, form: str, *, day_jp: int = 8) -> list[int]:
    """Minutes of contact time per day for a schedule that earns exactly ``jp`` as ``form``
    (demo data): days of ``day_jp`` JP (at most the form's daily cap), the rest on the last."""
    rule = rule_for(form if form in LEDGER_FORMS else DEFAULT_FORM, Scope.NATIONAL)
    jp_minutes = minutes_per_jp()
    if rule.unit == Unit.PER_DAY and rule.jp_per_unit:
        per = max(1, int(rule.jp_per_unit))
        return [per * jp_minutes] * max(1, math.ceil(jp / per))
    if rule.unit == Unit.JP_ACTUAL and rule.cap_per_day:
        day_jp = max(1, min(day_jp, int(rule.cap_per_day)))
    full, rest = divmod(max(jp, 1), day_jp)
    return [day_jp * jp_minutes] * full + ([rest * jp_minutes] if rest else [])
