"""The JP conversion table (DOMAIN.md §2.4) and its editing by admins."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from portal.audit import AuditEvent
from portal.auth.models import Role
from portal.errors import DomainError
from portal.trainings.ledger.conversion import (
    DEFAULT_RULES,
    ConversionRule,
    Scope,
    Unit,
    UnitContext,
    convert,
    rule_for,
    seed_rules,
    update_rule,
)
from tests.support.worlds import trainings as trainings_worlds
from tests.trainings.ledger_support import submit

jp_ledger_world = trainings_worlds.jp_ledger_world  # built once for the module


@pytest.mark.parametrize(
    ("form", "scope", "quantity", "context", "jp"),
    [
        ("seminar", "national", 2, UnitContext(days=2), 8),
        ("seminar", "international", 2, UnitContext(days=2), 12),
        ("workshop", "national", 3, UnitContext(days=3), 15),
        ("workshop", "international", 1, UnitContext(), 7),
        ("sosialisasi", "national", 1, UnitContext(), 4),
        # coaching: 2 JP a session, at most 2 sessions a month
        ("coaching", "national", 3, UnitContext(months=1), 4),
        ("coaching", "national", 3, UnitContext(months=2), 6),
        ("mentoring", "international", 2, UnitContext(months=1), 8),
        # e-learning: actual JP, at most 3 JP a day (4 internationally)
        ("e_learning", "national", 20, UnitContext(days=5), 15),
        ("e_learning", "national", 10, UnitContext(days=5), 10),
        ("e_learning", "international", 30, UnitContext(days=5), 20),
        ("magang", "national", 1, UnitContext(), 20),
        ("magang", "international", 1, UnitContext(), 24),
        ("detasering", "national", 2, UnitContext(), 40),
        ("patok_banding", "international", 1, UnitContext(), 20),
        ("tugas_belajar", "national", 2, UnitContext(), 40),
        # actual JP, +20% abroad
        ("pelatihan_teknis", "national", 32, UnitContext(days=4), 32),
        ("pelatihan_teknis", "international", 10, UnitContext(), 12),
        ("pelatihan_teknis", "international", 32, UnitContext(), 38.4),
        ("pelatihan_kepemimpinan", "national", 120, UnitContext(days=30), 120),
        # self-study: at most 2 JP a day, +20% abroad
        ("belajar_mandiri", "national", 10, UnitContext(days=2), 4),
        ("belajar_mandiri", "international", 10, UnitContext(days=2), 4.8),
    ],
)
def test_default_table(db, form, scope, quantity, context, jp):
    assert convert(form, scope, quantity, context)[0] == jp


def test_explanation_says_how(app, db):
    with app.test_request_context("/?lang=en"):
        jp, how = convert("coaching", "national", 3, UnitContext(months=1))
        assert str(how) == "3 sessions; at most 2 a month over 1 month(s): 2 counted; × 2 JP = 4 JP"
        assert "+20% international: 12 JP" in str(convert("kursus", "international", 10)[1])


def test_refusals(db):
    with pytest.raises(DomainError, match="has no"):
        convert("pelatihan_kepemimpinan", "international", 10)
    with pytest.raises(DomainError, match="form of development"):
        convert("menonton_tv", "national", 1)
    with pytest.raises(DomainError, match="more than zero"):
        convert("seminar", "national", 0)


def test_unit_context_counts_calendar_days_and_months():
    ctx = UnitContext.between(date(2025, 1, 30), date(2025, 3, 2))
    assert (ctx.days, ctx.months) == (32, 3)
    assert UnitContext.between(date(2025, 5, 5), date(2025, 5, 5)) == UnitContext(1, 1)


def test_seeding_is_complete_and_idempotent(db):
    assert seed_rules() == len(DEFAULT_RULES)
    assert seed_rules() == 0
    assert db.session.scalar(sa.select(sa.func.count(ConversionRule.id))) == len(DEFAULT_RULES)


def test_city_admin_edits_a_rule_with_audit_and_old_records_keep_their_jp(db, jp_ledger_world):
    seed_rules()
    before = submit(jp_ledger_world.me)  # a 2-day national seminar: 8 JP
    rule = rule_for("seminar", Scope.NATIONAL)
    update_rule(rule, actor=jp_ledger_world.city_admin, unit=Unit.PER_DAY, jp_per_unit=3)
    assert convert("seminar", "national", 2)[0] == 6
    assert before.jp == 8
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "ledger.rule")
    ).one()
    assert event.detail_dict["before"]["jp_per_unit"] == 4
    assert event.detail_dict["after"]["jp_per_unit"] == 3


def test_editing_a_default_rule_stores_it(db, jp_ledger_world):
    rule = rule_for("workshop", Scope.NATIONAL)
    assert rule.id is None  # not seeded: the built-in default
    update_rule(rule, actor=jp_ledger_world.city_admin, unit=Unit.PER_DAY, jp_per_unit=6)
    assert rule.id is not None and convert("workshop", "national", 1)[0] == 6


def test_only_a_city_admin_edits_and_values_are_checked(db, jp_ledger_world, make):
    rule = rule_for("seminar", Scope.NATIONAL)
    for actor in (jp_ledger_world.opd_admin, jp_ledger_world.me.user, make.user(Role.UNIVERSITY)):
        with pytest.raises(DomainError, match="city administrator"):
            update_rule(rule, actor=actor, unit=Unit.PER_DAY, jp_per_unit=10)
    with pytest.raises(DomainError, match="positive"):
        update_rule(rule, actor=jp_ledger_world.city_admin, unit=Unit.PER_DAY, jp_per_unit=-1)
    with pytest.raises(DomainError, match="bonus"):
        update_rule(
            rule,
            actor=jp_ledger_world.city_admin,
            unit=Unit.PER_DAY,
            jp_per_unit=4,
            bonus_percent=150,
        )
    assert convert("seminar", "national", 1)[0] == 4
