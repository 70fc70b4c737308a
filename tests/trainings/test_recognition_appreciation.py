"""Issue 17, point 8: meeting the yearly JP target is the minimum every PNS must reach (PP 11/2017
Pasal 203 ayat 4), so by default it is an appreciation on the ASN's own page, not a recognition
proposal with a badge; a city may still turn its rule on. The migration turns off the seeded rule
nobody edited and leaves an edited one as its admin set it."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from portal import create_app
from portal.auth.models import Role
from portal.db import db as _db
from portal.trainings.recognition import services as recognition_services
from portal.trainings.recognition.models import (
    RecognitionKind,
    RecognitionProposal,
    RecognitionRule,
)
from portal.util import clock
from tests.support.app import make_test_config
from tests.support.migrations import MIGRATIONS
from tests.support.pages import visible_text
from tests.support.worlds import module_world
from tests.trainings.ledger_support import verified

LAST_YEAR = clock.today().year - 1


def build(make) -> SimpleNamespace:
    """The default rules as seeded; ``met``: 20 JP verified last year; ``short``: 15 JP."""
    agency = make.agency()
    w = SimpleNamespace(rules=recognition_services.seed_rules())

    def asn():
        return make.asn_profile(make.user(Role.ASN, agency=agency, locale="en"))

    w.met, w.short = asn(), asn()
    verified(w.met, 4, ended_on=date(LAST_YEAR, 3, 11))  # 4 workshop days: 20 JP
    verified(w.short, 3, ended_on=date(LAST_YEAR, 3, 11))  # 15 JP
    return w


world = module_world(build)


def test_the_jp_rule_is_seeded_off_and_the_progress_rules_on(world):
    active = {rule.kind: rule.is_active for rule in world.rules}
    assert active.pop(RecognitionKind.JP_TARGET_MET) is False
    assert set(active.values()) == {True}


def test_meeting_the_target_is_not_proposed_by_default(db, world):
    recognition_services.propose(LAST_YEAR)
    kinds = db.session.scalars(
        sa.select(RecognitionRule.kind)
        .join(RecognitionProposal, RecognitionProposal.rule_id == RecognitionRule.id)
        .where(RecognitionProposal.asn_id.in_([world.met.id, world.short.id]))
    ).all()
    assert kinds == []


def test_a_city_that_turns_the_rule_on_gets_its_proposals(db, world):
    rule = next(r for r in world.rules if r.kind == RecognitionKind.JP_TARGET_MET)
    rule.is_active = True  # rolled back after the test
    created = recognition_services.propose(LAST_YEAR)
    assert {p.asn_id for p in created if p.rule_id == rule.id} == {world.met.id}


def test_the_asn_who_met_the_target_is_thanked_on_their_page(client, login_as, world):
    login_as(world.met.user)
    text = visible_text(client.get("/trainings/recognition/mine"))
    assert f"in {LAST_YEAR} you reached your yearly target with 20 of 20 JP verified" in text
    assert "not recognised with a badge" in text
    login_as(world.short.user)
    text = visible_text(client.get("/trainings/recognition/mine"))
    assert "you reached your yearly target" not in text


def test_the_migration_turns_off_the_rule_nobody_edited(migrated_database):
    """Built at head, down to the revision before, up again (tests/test_migrations.py)."""
    from tests.support.factories import Factories

    app = create_app(make_test_config(migrated_database))
    with app.app_context():
        editor = Factories(_db.session).user(Role.ADMIN)
        for edited_by in (None, editor.id):
            _db.session.add(
                RecognitionRule(
                    kind=RecognitionKind.JP_TARGET_MET,
                    threshold=100,
                    title="Target 20 JP",
                    is_active=True,
                    updated_by_id=edited_by,
                )
            )
        _db.session.commit()
        _db.session.close()  # SQLite: the migration writes through a connection of its own
        active = sa.select(RecognitionRule.updated_by_id.is_(None), RecognitionRule.is_active)

        downgrade(directory=str(MIGRATIONS), revision="a8c6d5f9c176")
        assert sorted(_db.session.execute(active).all()) == [(False, True), (True, True)]
        _db.session.close()
        upgrade(directory=str(MIGRATIONS), revision="b9d7e6a0d287")
        assert sorted(_db.session.execute(active).all()) == [(False, True), (True, False)]
        _db.session.remove()
        _db.engine.dispose()
