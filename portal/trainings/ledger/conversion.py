"""JP conversion (DOMAIN.md §2.4): how much development counts, as an admin-editable table.

The conversion is agency policy, so each (form, scope) has one ``ConversionRule`` row that a
city admin may change (``update_rule``). Until a row exists the built-in default below applies,
so a fresh installation converts correctly before anyone seeds the table (``seed_rules``).
A ledger entry keeps the raw quantity and unit next to the converted JP, so a later change of
the table never rewrites what was already recorded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal import audit
from portal.competency.plans.models import DEVELOPMENT_FORMS
from portal.db import TimestampMixin, TitledEnum, db, str_enum
from portal.errors import DomainError, FieldError
from portal.i18n import _l


class Scope(TitledEnum):
    NATIONAL = "national", _l("National")
    INTERNATIONAL = "international", _l("International")


class Unit(TitledEnum):
    JP_ACTUAL = "jp_actual", _l("lesson hours (JP)")  # quantity is lesson hours (1 JP = 45 minutes)
    PER_DAY = "per_day", _l("days")
    PER_SESSION = "per_session", _l("sessions")
    # one secondment, exchange, work placement, benchmarking visit
    PER_TIME = "per_time", _l("times")
    PER_SEMESTER = "per_semester", _l("semesters")


#: Every form the ledger accepts: the plan's forms (§2.3) plus the other rows of §2.4.
LEDGER_FORMS = {
    **DEVELOPMENT_FORMS,
    "tugas_belajar": _l("Tugas belajar (study assignment)"),
    "izin_belajar": _l("Izin belajar (study permit)"),
    "pelatihan_kepemimpinan": _l("Pelatihan struktural kepemimpinan (PKN II, PKA, PKP)"),
    "penataran": _l("Penataran (upgrading course)"),
    "sosialisasi": _l("Sosialisasi (socialisation)"),
    "pelatihan_jarak_jauh": _l("Pelatihan jarak jauh (distance training)"),
    "outbound": _l("Pembelajaran alam terbuka (outbound)"),
    "pertukaran": _l("Pertukaran PNS dengan pegawai swasta/BUMN/BUMD (exchange)"),
}

_N, _I = Scope.NATIONAL, Scope.INTERNATIONAL
_ACTUAL = (Unit.JP_ACTUAL, 1.0)

#: The default table, (form, scope) -> (unit, jp_per_unit, cap_per_day, cap_per_month, bonus %).
#: Read from DOMAIN.md §2.4. Where the table gives one international figure for coaching and
#: mentoring ("4 JP") the monthly cap of two sessions is kept; structural leadership training has
#: no international row (it is a national programme), so it is refused there.
DEFAULT_RULES: dict[tuple[str, Scope], tuple[Unit, float, float | None, int | None, int]] = {}


def _rule(forms, national, international=None):
    for form in forms:
        DEFAULT_RULES[(form, _N)] = national
        if international is not None:
            DEFAULT_RULES[(form, _I)] = international


_rule(
    ["tugas_belajar", "izin_belajar"],
    (Unit.PER_SEMESTER, 20.0, None, None, 0),
    (Unit.PER_SEMESTER, 20.0, None, None, 0),
)
_rule(["pelatihan_kepemimpinan"], (*_ACTUAL, None, None, 0))
_rule(
    [
        "pelatihan_manajerial",
        "pelatihan_teknis",
        "pelatihan_fungsional",
        "pelatihan_sosial_kultural",
        "kursus",
        "penataran",
        "bimtek",
        "pelatihan_jarak_jauh",
        "outbound",
    ],
    (*_ACTUAL, None, None, 0),
    (*_ACTUAL, None, None, 20),
)
_rule(
    ["seminar", "sosialisasi"],
    (Unit.PER_DAY, 4.0, None, None, 0),
    (Unit.PER_DAY, 6.0, None, None, 0),
)
_rule(["workshop"], (Unit.PER_DAY, 5.0, None, None, 0), (Unit.PER_DAY, 7.0, None, None, 0))
_rule(
    ["coaching", "mentoring"],
    (Unit.PER_SESSION, 2.0, None, 2, 0),
    (Unit.PER_SESSION, 4.0, None, 2, 0),
)
_rule(["e_learning"], (*_ACTUAL, 3.0, None, 0), (*_ACTUAL, 4.0, None, 0))
_rule(
    ["detasering", "pertukaran", "magang"],
    (Unit.PER_TIME, 20.0, None, None, 0),
    (Unit.PER_TIME, 24.0, None, None, 0),
)
_rule(["patok_banding"], (Unit.PER_TIME, 10.0, None, None, 0), (Unit.PER_TIME, 20.0, None, None, 0))
_rule(["belajar_mandiri", "komunitas_belajar"], (*_ACTUAL, 2.0, None, 0), (*_ACTUAL, 2.0, None, 20))


class ConversionRule(TimestampMixin, db.Model):
    """How one form of development, nationally or internationally, converts to JP."""

    __tablename__ = "jp_conversion_rules"
    __table_args__ = (
        sa.UniqueConstraint("form", "scope"),
        sa.CheckConstraint("jp_per_unit >= 0", name="jp_per_unit_positive"),
        sa.CheckConstraint("cap_per_day IS NULL OR cap_per_day > 0", name="cap_per_day_positive"),
        sa.CheckConstraint(
            "cap_per_month IS NULL OR cap_per_month > 0", name="cap_per_month_positive"
        ),
        sa.CheckConstraint("bonus_percent BETWEEN 0 AND 100", name="bonus_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    form: Mapped[str] = mapped_column(sa.String(40))
    scope: Mapped[Scope] = mapped_column(str_enum(Scope, 20))
    unit: Mapped[Unit] = mapped_column(str_enum(Unit, 20))
    jp_per_unit: Mapped[float] = mapped_column(sa.Numeric(6, 1, asdecimal=False))
    # JP at most per calendar day of the activity (e-learning, self-study).
    cap_per_day: Mapped[float | None] = mapped_column(sa.Numeric(6, 1, asdecimal=False))
    # Sessions counted at most per calendar month (coaching, mentoring).
    cap_per_month: Mapped[int | None] = mapped_column()
    bonus_percent: Mapped[int] = mapped_column(default=0)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    @property
    def form_title(self):
        return LEDGER_FORMS.get(self.form, self.form)


@dataclass(frozen=True)
class UnitContext:
    """What a cap needs besides the quantity: the calendar days and months the activity spans."""

    days: int = 1
    months: int = 1

    @classmethod
    def between(cls, started_on: date, ended_on: date) -> UnitContext:
        days = (ended_on - started_on).days + 1
        months = (ended_on.year - started_on.year) * 12 + ended_on.month - started_on.month + 1
        return cls(days=max(days, 1), months=max(months, 1))


def default_rule(form: str, scope: Scope) -> ConversionRule | None:
    """The seeded rule of ``form`` and ``scope`` (not stored), or None when it has none."""
    values = DEFAULT_RULES.get((form, scope))
    if values is None:
        return None
    unit, per_unit, cap_day, cap_month, bonus = values
    return ConversionRule(
        form=form,
        scope=scope,
        unit=unit,
        jp_per_unit=per_unit,
        cap_per_day=cap_day,
        cap_per_month=cap_month,
        bonus_percent=bonus,
    )


def rule_for(form: str, scope: Scope) -> ConversionRule:
    """The rule in force: the admins' row, else the built-in default; refuses unknown pairs."""
    rule = db.session.scalars(
        sa.select(ConversionRule).where(ConversionRule.form == form, ConversionRule.scope == scope)
    ).first() or default_rule(form, scope)
    if rule is None:
        raise DomainError(
            _l(
                "“%(form)s” has no %(scope)s conversion rule.",
                form=LEDGER_FORMS.get(form, form),
                scope=Scope(scope).title,
            )
        )
    return rule


def round_jp(jp: float) -> float:
    """One decimal, rounding half up (so 38.45 JP is 38.5, not banker's 38.4)."""
    return math.floor(jp * 10 + 0.5 + 1e-9) / 10


def apply_rule(rule: ConversionRule, quantity: float, context: UnitContext) -> tuple[float, object]:
    """Convert ``quantity`` (in ``rule.unit``) with caps and bonus; returns (jp, explanation)."""
    if quantity <= 0:
        raise DomainError(_l("The duration must be more than zero."))
    counted = float(quantity)
    steps = [_l("%(quantity)s %(unit)s", quantity=_fmt(quantity), unit=rule.unit.title)]
    if rule.unit == Unit.PER_SESSION and rule.cap_per_month:
        counted = min(counted, rule.cap_per_month * context.months)
        if counted < quantity:
            steps.append(
                _l(
                    "at most %(cap)s a month over %(months)s month(s): %(counted)s counted",
                    cap=rule.cap_per_month,
                    months=context.months,
                    counted=_fmt(counted),
                )
            )
    per_unit = 1.0 if rule.unit == Unit.JP_ACTUAL else float(rule.jp_per_unit)
    jp = counted * per_unit
    if rule.unit != Unit.JP_ACTUAL:
        steps.append(_l("× %(per_unit)s JP = %(jp)s JP", per_unit=_fmt(per_unit), jp=_fmt(jp)))
    if rule.cap_per_day and jp > float(rule.cap_per_day) * context.days:
        jp = float(rule.cap_per_day) * context.days
        steps.append(
            _l(
                "at most %(cap)s JP a day over %(days)s day(s): %(jp)s JP",
                cap=_fmt(float(rule.cap_per_day)),
                days=context.days,
                jp=_fmt(jp),
            )
        )
    if rule.bonus_percent:
        jp = round_jp(jp * (100 + rule.bonus_percent) / 100)
        steps.append(
            _l("+%(bonus)s%% international: %(jp)s JP", bonus=rule.bonus_percent, jp=_fmt(jp))
        )
    jp = round_jp(jp)
    explanation = Explanation(steps)
    return jp, explanation


def convert(
    form: str, scope: Scope | str, quantity: float, unit_context: UnitContext | None = None
) -> tuple[float, object]:
    """JP for ``quantity`` of ``form`` under the rule in force, and a one-line explanation.

    ``quantity`` is in the rule's unit (lesson hours, days, sessions, times, semesters).
    Refuses unknown forms, a scope without a rule and a quantity of zero or less.
    """
    if form not in LEDGER_FORMS:
        raise DomainError(_l("Choose a form of development from the list."))
    return apply_rule(rule_for(form, Scope(scope)), quantity, unit_context or UnitContext())


class Explanation:
    """How a conversion was worked out, as steps rendered in the reader's language."""

    def __init__(self, steps):
        self.steps = steps

    def __str__(self) -> str:
        return "; ".join(str(step) for step in self.steps)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def rule_table() -> list[ConversionRule]:
    """Every rule in force, in the order of ``LEDGER_FORMS`` (national first): the admins' rows
    and, where none is stored yet, the built-in default (not in the session, ``id`` None).
    One query."""
    stored = {(r.form, r.scope): r for r in db.session.scalars(sa.select(ConversionRule))}
    order = {form: n for n, form in enumerate(LEDGER_FORMS)}
    keys = sorted(
        set(DEFAULT_RULES) | set(stored),
        key=lambda k: (order.get(k[0], len(order)), k[0], k[1] != Scope.NATIONAL),
    )
    return [stored.get(key) or default_rule(*key) for key in keys]


def seed_rules() -> int:
    """Insert the default rows that are missing (never overwrites an admin's change)."""
    existing = set(db.session.execute(sa.select(ConversionRule.form, ConversionRule.scope)))
    added = 0
    for form, scope in DEFAULT_RULES:
        if (form, scope) not in existing:
            db.session.add(default_rule(form, scope))
            added += 1
    db.session.flush()
    return added


def update_rule(
    rule: ConversionRule,
    *,
    actor,
    unit: Unit,
    jp_per_unit: float,
    cap_per_day: float | None = None,
    cap_per_month: int | None = None,
    bonus_percent: int = 0,
) -> ConversionRule:
    """Change one rule (BKPSDM policy: city admins only); audited with the old and new values.

    Refuses other users, negative values and a bonus outside 0–100 %. Entries already recorded
    keep their JP.
    """
    if not getattr(actor, "is_city_admin", False):
        raise DomainError(_l("Only a city administrator can change the JP conversion table."))
    if (
        jp_per_unit < 0
        or (cap_per_day is not None and cap_per_day <= 0)
        or (cap_per_month is not None and cap_per_month <= 0)
    ):
        raise FieldError("jp_per_unit", _l("JP values and caps must be positive."))
    if not 0 <= bonus_percent <= 100:
        raise FieldError("jp_per_unit", _l("The bonus must be between 0 and 100 percent."))
    before = _values(rule)
    if rule.id is None:  # a default row that is now being stored
        db.session.add(rule)
    rule.unit, rule.jp_per_unit, rule.cap_per_day = Unit(unit), jp_per_unit, cap_per_day
    rule.cap_per_month, rule.bonus_percent = cap_per_month, bonus_percent
    rule.updated_by_id = actor.id
    db.session.flush()
    audit.record(
        actor,
        "ledger.rule",
        rule,
        target_label=f"{rule.form}/{rule.scope}",
        before=before,
        after=_values(rule),
    )
    return rule


def _values(rule: ConversionRule) -> dict:
    return {
        "unit": str(rule.unit),
        "jp_per_unit": rule.jp_per_unit,
        "cap_per_day": rule.cap_per_day,
        "cap_per_month": rule.cap_per_month,
        "bonus_percent": rule.bonus_percent,
    }
