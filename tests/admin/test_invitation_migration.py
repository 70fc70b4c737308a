"""Issue 18 (8): the migration that remembers each account's invitation finds the invitations
sent before it (the latest invitation e-mail of an account still waiting for its password);
accounts the roster import made, with no e-mail, stay "not sent yet"."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from portal import create_app
from portal.db import db
from tests.support.app import make_test_config
from tests.support.migrations import MIGRATIONS


def test_invitations_sent_before_are_found_again(migrated_database):
    from portal.auth.models import Role, User
    from portal.notify import OutboxEmail, OutboxStatus
    from tests.support.factories import Factories

    app = create_app(make_test_config(migrated_database))
    with app.app_context():
        make = Factories(db.session)
        invited = make.user(Role.MENTOR, password=None)
        imported = make.user(Role.ASN, password=None)
        accepted = make.user(Role.ASN)
        at = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)

        def mail(user, body, status=OutboxStatus.SENT, created=at):
            row = OutboxEmail(
                recipient=user.email, subject="s", body_text=body, status=status, created_at=created
            )
            db.session.add(row)
            return row

        mail(invited, "Link: https://sinergi.example/invitation/old-token", created=at)
        latest = mail(
            invited,
            "Link: https://sinergi.example/invitation/new-token",
            status=OutboxStatus.FAILED,
            created=datetime(2026, 11, 5, 1, 0, tzinfo=UTC),
        )
        mail(invited, "Your weekly digest")  # not an invitation
        mail(imported, "Your weekly digest")
        mail(accepted, "Link: https://sinergi.example/invitation/x")
        db.session.commit()
        ids = {"invited": invited.id, "imported": imported.id, "accepted": accepted.id}
        latest_id = latest.id
        db.session.close()  # SQLite: the migration writes through a connection of its own

        downgrade(directory=str(MIGRATIONS), revision="c0a1d2e3f4a5")
        db.session.close()
        upgrade(directory=str(MIGRATIONS), revision="d1b2e3f4a5b6")
        rows = {
            uid: (mail_id, when)
            for uid, mail_id, when in db.session.execute(
                sa.select(User.id, User.invitation_email_id, User.invited_at)
            )
        }
        assert rows[ids["invited"]] == (latest_id, datetime(2026, 11, 5, 1, 0, tzinfo=UTC))
        assert rows[ids["imported"]] == (None, None)
        assert rows[ids["accepted"]] == (None, None)
        db.session.remove()
        db.engine.dispose()
