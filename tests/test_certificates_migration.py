"""Issue 17, point 6, migration a8c6d5f9c176: certificates issued before it get what the paper
now carries where it is known (a training's NIP, JP and type; an internship's final grade);
their numbers stay; the downgrade drops the copies."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from portal import create_app
from portal.db import db, utcnow
from tests.support.app import make_test_config
from tests.support.migrations import MIGRATIONS

BEFORE, MINE = "f7b5c4e8b065", "a8c6d5f9c176"
COPIES = sa.text(
    "SELECT number, holder_nip, jp, training_type, final_grade, signer_name FROM certificates "
    "ORDER BY source_type, source_id"
)


def _old_certificate(number, kind, subject_id, source_type, source_id):
    """A certificate row as the code before this change wrote it (its columns only)."""
    now = utcnow()
    db.session.execute(
        sa.text(
            "INSERT INTO certificates (number, kind, subject_id, holder_name, title, issued_on, "
            "source_type, source_id, is_valid, created_at, updated_at) VALUES (:number, :kind, "
            ":subject_id, 'Holder', 'Title', :issued_on, :source_type, :source_id, :valid, "
            ":now, :now)"
        ),
        {
            "number": number,
            "kind": kind,
            "subject_id": subject_id,
            "issued_on": date(2026, 6, 30),
            "source_type": source_type,
            "source_id": source_id,
            "valid": True,
            "now": now,
        },
    )


def test_old_certificates_get_their_details(migrated_database):
    from portal.internships.evaluation.models import FinalGrade
    from portal.trainings.ledger.services import credit_training
    from portal.trainings.models import RegistrationState
    from tests.internships.guidance_support import GuidanceFactories, local_today
    from tests.support.factories import Factories

    app = create_app(make_test_config(migrated_database))
    with app.app_context(), app.test_request_context():
        # Rows written at head (the models describe head), certificates without their details;
        # then down to the revision before and up to this one.
        make = Factories(db.session)
        batch = make.trainings.batch(jp=16)
        credited, uncredited = (
            make.trainings.registration(batch, state=RegistrationState.COMPLETED) for _ in range(2)
        )
        jp = credit_training(credited, actor=None).jp
        placement = GuidanceFactories(make, make.internships).placement(
            ends_on=local_today() + timedelta(days=5)
        )
        db.session.add(
            FinalGrade(
                placement_id=placement.id,
                mentor_total=90.0,
                academic_score=80.0,
                mentor_weight=60,
                grade=86.0,
                computed_at=utcnow(),
            )
        )
        _old_certificate("SNG-2026-AAAA-0001", "internship", placement.student_id,
                         "internship_placement", placement.id)  # fmt: skip
        _old_certificate("SNG-2026-AAAA-0002", "training", credited.user_id,
                         "training_registration", credited.id)  # fmt: skip
        _old_certificate("SNG-2026-AAAA-0003", "training", uncredited.user_id,
                         "training_registration", uncredited.id)  # fmt: skip
        nips = [credited.asn.nip, uncredited.asn.nip]
        db.session.commit()
        db.session.close()  # SQLite: the migration writes through a connection of its own
        downgrade(directory=str(MIGRATIONS), revision=BEFORE)
        db.session.close()
        upgrade(directory=str(MIGRATIONS), revision=MINE)
        assert db.session.execute(COPIES).all() == [
            ("SNG-2026-AAAA-0001", None, None, None, 86.0, None),
            ("SNG-2026-AAAA-0002", nips[0], jp, "pelatihan_teknis", None, None),  # the ledger's
            # not credited to the ledger: the batch's JP, the curriculum's type
            ("SNG-2026-AAAA-0003", nips[1], 16, "pelatihan_teknis", None, None),
        ]
        db.session.close()
        downgrade(directory=str(MIGRATIONS), revision=BEFORE)
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("certificates")}
        assert "holder_nip" not in columns and "final_grade" not in columns
        numbers = db.session.scalars(sa.text("SELECT number FROM certificates ORDER BY number"))
        assert list(numbers) == ["SNG-2026-AAAA-0001", "SNG-2026-AAAA-0002", "SNG-2026-AAAA-0003"]
        db.session.remove()
        db.engine.dispose()
