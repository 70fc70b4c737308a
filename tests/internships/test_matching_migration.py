"""The matching-round migration (c0a1d2e3f4a5) keeps every existing period and application as
it was: going down drops the new columns and the runs, coming up makes each period rolling
with five preferences and leaves the applications' matching columns empty."""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from portal import create_app
from portal.db import db as _db
from portal.internships.applications.models import ApplicationState
from tests.support.app import make_test_config
from tests.support.migrations import MIGRATIONS


def test_existing_periods_become_rolling_and_applications_stay(migrated_database):
    from tests.support.factories import Factories

    app = create_app(make_test_config(migrated_database))
    with app.app_context():
        imake = Factories(_db.session).internships
        application = imake.application(state=ApplicationState.ENDORSED)
        ids = (application.id, application.period_id)
        _db.session.commit()
        _db.session.close()  # SQLite: the migration writes through a connection of its own

        downgrade(directory=str(MIGRATIONS), revision="b9d7e6a0d287")
        columns = {c["name"] for c in sa.inspect(_db.engine).get_columns("internship_periods")}
        assert "intake_mode" not in columns
        assert not sa.inspect(_db.engine).has_table("internship_matching_runs")
        _db.session.close()
        upgrade(directory=str(MIGRATIONS), revision="c0a1d2e3f4a5")
        period = _db.session.execute(
            sa.text(
                "SELECT intake_mode, preference_limit, preferences_close_on, matched_at "
                "FROM internship_periods WHERE id = :id"
            ),
            {"id": ids[1]},
        ).one()
        assert tuple(period) == ("rolling", 5, None, None)
        row = _db.session.execute(
            sa.text(
                "SELECT state, opd_score, opd_unacceptable, match_outcome "
                "FROM internship_applications WHERE id = :id"
            ),
            {"id": ids[0]},
        ).one()
        assert (row[0], row[1], bool(row[2]), row[3]) == ("endorsed", None, False, None)
        _db.session.remove()
        _db.engine.dispose()
