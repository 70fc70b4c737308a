"""The migrations build the schema the models describe, from an empty database (CONVENTIONS §12)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config as AlembicConfig
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from portal import create_app
from portal.db import db
from tests.support.app import make_test_config
from tests.support.migrations import MIGRATIONS


def test_single_head():
    config = AlembicConfig(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"several migration heads: {heads}"


def test_upgrade_matches_models_and_downgrades(empty_database):
    app = create_app(make_test_config(empty_database))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
        with db.engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diffs == [], f"models and migrations disagree: {diffs}"
        downgrade(directory=str(MIGRATIONS), revision="base")
        with db.engine.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade(directory=str(MIGRATIONS))
        db.session.remove()
        db.engine.dispose()


# Data migrations: rows written at head, down to the revision before the migration under test
# (which undoes its data change and drops the later columns, rows kept), up to it again
# (tests/support/migrations.py).


def test_post_training_tests_stop_being_official_levels(migrated_database):
    """Issue 17, point 1: rows recorded before the rule changed are kept, as evidence; the
    official assessments beside them are untouched (and the downgrade restores the old flag)."""
    from datetime import date

    from portal.auth.models import Role
    from portal.competency.models import Assessment, AssessmentMethod
    from tests.support.factories import Factories

    app = create_app(make_test_config(migrated_database))
    with app.app_context():
        make = Factories(db.session)
        asn = make.asn_profile(make.user(Role.ASN))
        for method in (AssessmentMethod.POST_TRAINING_TEST, AssessmentMethod.UJI_KOMPETENSI):
            db.session.add(
                Assessment(
                    asn_id=asn.id,
                    assessed_on=date(2026, 3, 2),
                    method=method,
                    is_official=True,
                    assessor="UPT",
                )
            )
        db.session.commit()
        db.session.close()  # SQLite: the migration writes through a connection of its own
        flags = sa.select(Assessment.method, Assessment.is_official).order_by(Assessment.method)

        downgrade(directory=str(MIGRATIONS), revision="e874b0518948")
        assert {official for _method, official in db.session.execute(flags)} == {True}
        db.session.close()
        upgrade(directory=str(MIGRATIONS), revision="5b1f0c2d7a91")
        assert db.session.execute(flags).all() == [
            (AssessmentMethod.POST_TRAINING_TEST, False),
            (AssessmentMethod.UJI_KOMPETENSI, True),
        ]
        db.session.remove()
        db.engine.dispose()


def test_training_certificate_numbers_reach_the_ledger(migrated_database):
    """Issue 17, point 6: a training credited before this change gets its certificate's number
    in its JP ledger record; a record without a certificate stays empty."""
    from portal.certificates.models import Certificate
    from portal.trainings.batches.certificates import issue_training_certificates
    from portal.trainings.ledger.models import LedgerEntry
    from portal.trainings.ledger.services import credit_training
    from portal.trainings.models import RegistrationState
    from tests.support.factories import Factories

    app = create_app(make_test_config(migrated_database))
    with app.app_context(), app.test_request_context():
        make = Factories(db.session)
        batch = make.trainings.batch(jp=8)
        done, other = (
            make.trainings.registration(batch, state=RegistrationState.COMPLETED) for _ in range(2)
        )
        for registration in (done, other):
            credit_training(registration, actor=None)
        issue_training_certificates(batch, [done], actor=None)
        db.session.commit()
        number = db.session.scalars(sa.select(Certificate.number)).one()
        done_id, other_id = done.id, other.id
        db.session.close()  # SQLite: the migration writes through a connection of its own
        credited = sa.select(LedgerEntry.registration_id, LedgerEntry.certificate_number)

        downgrade(directory=str(MIGRATIONS), revision="5b1f0c2d7a91")
        assert dict(db.session.execute(credited).all()) == {done_id: None, other_id: None}
        db.session.close()
        upgrade(directory=str(MIGRATIONS), revision="9d4e7a1c3b62")
        assert dict(db.session.execute(credited).all()) == {done_id: number, other_id: None}
        db.session.remove()
        db.engine.dispose()
