"""City-scale reference data (issue 8) at a fiftieth of city size: counts proportional to the
targets, deterministic (two fresh databases get the same rows), consistent with the workflows,
and the portal's pages render for generated people of every role."""

from __future__ import annotations

import contextvars
from contextlib import ExitStack

import pytest
import sqlalchemy as sa

from portal.auth.models import Role, User, UserRole
from portal.competency.models import AsnProfile
from portal.competency.nip import check_nip
from portal.curricula.feedback.models import MaterialRating
from portal.curricula.models import Curriculum, CurriculumState, Material, Module
from portal.db import db
from portal.demo import load_demo_data
from portal.demo.city import CITY, EMAIL_DOMAIN, generate, table_counts
from portal.institutions.models import Agency
from portal.internships.applications.models import Application, ApplicationState
from portal.internships.models import InternshipPosition, Placement
from portal.internships.placements.models import LogbookEntry
from portal.trainings.ledger.models import LedgerEntry
from portal.trainings.ledger.schedule import batch_jp
from portal.trainings.models import Registration, RegistrationState, TrainingBatch
from tests.support.app import isolated_app

FACTOR = 0.02
TABLES = {
    "asn": "asn_profiles", "students": None, "internship_positions": "internship_positions",
    "applications": "internship_applications", "placements": "internship_placements",
    "logbook_entries": "internship_logbook_entries", "guidance_sessions": "guidance_sessions",
    "curricula": "curricula", "materials": "curriculum_materials", "ratings": "material_ratings",
    "training_batches": "training_batches",
}  # fmt: skip


@pytest.fixture(scope="module")
def worlds(tmp_path_factory):
    """Two fresh databases: the first filled by ``flask demo-data --scale city``, the second by
    the small demo and ``generate``. Yields [(app, counts written by generate or None)]."""
    folder = tmp_path_factory.mktemp("city")
    with ExitStack() as stack:
        one = stack.enter_context(isolated_app(folder, "city_one"))
        args = ["demo-data", "--scale", "city", "--factor", str(FACTOR)]
        with one.app_context():
            result = one.test_cli_runner().invoke(args=args)
        assert result.exit_code == 0, result.output
        assert "Rows per table:" in result.output
        assert "[5/5] trainings done" in result.output
        two = stack.enter_context(isolated_app(folder, "city_two"))
        with two.app_context():
            load_demo_data()
            db.session.commit()
            counts = generate(FACTOR)
            db.session.commit()
        yield [(one, None), (two, counts)]


def scalar(statement):
    return db.session.scalar(statement)


def count(model, *where) -> int:
    return scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_counts_are_proportional_to_the_city(worlds):
    app, counts = worlds[1]
    for key, table in TABLES.items():
        wanted = CITY[key] * FACTOR
        got = counts.get(table, 0) if table else None
        if key == "students":
            with app.app_context():
                got = count(User, User.email.like(f"mhs%@{EMAIL_DOMAIN}"))
        assert 0.8 * wanted <= got <= 1.2 * wanted, (key, got, wanted)
    with app.app_context():  # every one of the 40 OPD has a workforce
        agencies = sa.select(AsnProfile.agency_id).distinct().subquery()
        assert scalar(sa.select(sa.func.count()).select_from(agencies)) == 40
        # Medan's merged agency is one OPD (DOMAIN.md §7), not DP3A and DPPKB apart
        names = set(db.session.scalars(sa.select(Agency.short_name)))
        assert "DP3APMP2KB" in names and not names & {"DP3A", "DPPKB"}


def _sample(app) -> dict:
    with app.app_context():

        def rows(model, *columns):
            return db.session.execute(sa.select(*columns).order_by(model.id.desc()).limit(40)).all()

        return {
            "users": rows(User, User.email, User.full_name, User.agency_id, User.nim),
            "asn": rows(
                AsnProfile,
                AsnProfile.nip,
                AsnProfile.golongan,
                AsnProfile.position_id,
                AsnProfile.supervisor_id,
            ),
            "applications": rows(
                Application,
                Application.student_id,
                Application.position_id,
                Application.state,
                Application.rank,
                Application.created_at,
            ),
            "logbook": rows(
                LogbookEntry,
                LogbookEntry.placement_id,
                LogbookEntry.day,
                LogbookEntry.state,
                LogbookEntry.minutes,
            ),
            "ratings": rows(
                MaterialRating,
                MaterialRating.version_id,
                MaterialRating.user_id,
                MaterialRating.overall,
            ),
            "registrations": rows(
                Registration,
                Registration.batch_id,
                Registration.asn_id,
                Registration.state,
                Registration.attendance_rate,
            ),
        }


def test_the_workforce_mix_and_units_are_medans(worlds):
    """Issue 17, demo data: PNS, PPPK and part-time PPPK close to Medan's 2025 mix (42/20/38 %);
    a part-time PPPK is pelaksana, never structural; staff are supervised within their OPD by
    the head of their unit, not all by the OPD's Sekretaris."""
    from collections import Counter

    from portal.competency.models import AsnStatus, Position, PositionKind
    from portal.demo.city import EMAIL_DOMAIN as DOMAIN

    app, _counts = worlds[0]
    with app.app_context():
        rows = db.session.execute(
            sa.select(
                AsnProfile.id,
                AsnProfile.status,
                Position.kind,
                AsnProfile.agency_id,
                AsnProfile.supervisor_id,
            )
            .join(Position, Position.id == AsnProfile.position_id)
            .join(User, User.id == AsnProfile.user_id)
            .where(User.email.like(f"%@{DOMAIN}"))
        ).all()
    shares = Counter(status for _id, status, *_ in rows)
    total = sum(shares.values())
    for status, share in (
        (AsnStatus.PNS, 0.42),
        (AsnStatus.PPPK, 0.20),
        (AsnStatus.PPPK_PARUH_WAKTU, 0.38),
    ):
        assert abs(shares[status] / total - share) < 0.06, (status, shares)
    part_time = {kind for _id, status, kind, *_ in rows if status == AsnStatus.PPPK_PARUH_WAKTU}
    assert part_time == {PositionKind.PELAKSANA}
    agency_of = {asn_id: agency for asn_id, _s, _k, agency, _sup in rows}
    supervised = [(agency, sup) for _id, _s, _k, agency, sup in rows if sup is not None]
    assert all(agency_of.get(sup) == agency for agency, sup in supervised)  # within the OPD
    tops = {asn_id for asn_id, _s, _k, _a, sup in rows if sup is None}  # each OPD's second post
    by_unit = sum(1 for _agency, sup in supervised if sup not in tops)
    assert by_unit / len(supervised) >= 0.3, (by_unit, len(supervised))


def test_two_runs_write_the_same_rows(worlds):
    (one, _none), (two, _counts) = worlds
    with one.app_context():
        counts_one = table_counts()
    with two.app_context():
        counts_two = table_counts()
    assert counts_one == counts_two
    first, second = _sample(one), _sample(two)
    assert all(first[key] for key in first)
    assert first == second


def test_records_follow_the_workflows(worlds):
    app, _counts = worlds[0]
    with app.app_context():
        nips = db.session.scalars(
            sa.select(AsnProfile.nip).order_by(AsnProfile.id.desc()).limit(200)
        ).all()
        assert all(check_nip(nip).ok for nip in nips)
        # Placements only for accepted applications, one per student and period.
        assert count(Placement) == count(
            Placement,
            Placement.application_id.in_(
                sa.select(Application.id).where(Application.state == ApplicationState.ACCEPTED)
            ),
        )
        # Logbook days inside their placement.
        outside = (
            sa.select(sa.func.count())
            .select_from(LogbookEntry)
            .join(Placement, Placement.id == LogbookEntry.placement_id)
            .where(
                sa.or_(LogbookEntry.day < Placement.starts_on, LogbookEntry.day > Placement.ends_on)
            )
        )
        assert scalar(outside) == 0
        # Seats taken = placements, within the quota.
        positions = db.session.scalars(sa.select(InternshipPosition)).all()
        for position in positions:
            assert position.seats_taken == count(Placement, Placement.position_id == position.id)
            assert position.seats_taken <= position.quota
        # Ratings only on published curricula's current material versions, never by an author.
        unpublished = (
            sa.select(sa.func.count())
            .select_from(MaterialRating)
            .join(Material, Material.id == MaterialRating.material_id)
            .join(Module, Module.id == Material.module_id)
            .join(Curriculum, Curriculum.id == Module.curriculum_id)
            .where(Curriculum.state != CurriculumState.PUBLISHED)
        )
        assert scalar(unpublished) == 0
        # Ledger credits for completed registrations only; seats = approved registrations.
        credited = sa.select(LedgerEntry.registration_id).where(
            LedgerEntry.registration_id.is_not(None)
        )
        assert (
            count(
                Registration,
                Registration.id.in_(credited),
                Registration.state != RegistrationState.COMPLETED,
            )
            == 0
        )
        assert count(Registration, Registration.state == RegistrationState.COMPLETED) == count(
            LedgerEntry, LedgerEntry.registration_id.is_not(None)
        )
        taken = (
            RegistrationState.ENROLLED,
            RegistrationState.COMPLETED,
            RegistrationState.NOT_COMPLETED,
        )
        for batch in db.session.scalars(sa.select(TrainingBatch)):
            assert batch.seats_taken == count(
                Registration, Registration.batch_id == batch.id, Registration.state.in_(taken)
            )
        # No batch credits more than its schedule earns (issue 17 point 2): the sessions add up
        # to the curriculum's JP and the credits are what they earn.
        earned = {b.id: batch_jp(b) for b in db.session.scalars(sa.select(TrainingBatch))}
        assert all(not e.differs and e.jp >= 1 for e in earned.values())
        credits = db.session.execute(
            sa.select(LedgerEntry.jp, Registration.batch_id).join(
                Registration, Registration.id == LedgerEntry.registration_id
            )
        ).all()
        assert credits and all(jp == earned[batch_id].jp for jp, batch_id in credits)


def _someone(role: Role, pattern: str) -> User:
    return db.session.scalars(
        sa.select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == role, User.email.like(pattern))
        .order_by(User.id.desc())
    ).first()


@pytest.mark.parametrize(
    ("role", "pattern"),
    [(Role.ASN, "asn%"), (Role.STUDENT, "mhs%"), (Role.MENTOR, "asn%"), (Role.UNIVERSITY, "dpl%"),
     (Role.ADMIN, "admin%")],
)  # fmt: skip
def test_pages_render_for_generated_people(worlds, role, pattern):
    app, _counts = worlds[0]
    with app.app_context():
        user = _someone(role, f"{pattern}@{EMAIL_DOMAIN}")
        assert user is not None
        user_id = user.id
    assert _get_as(app, user_id, "/dashboard") == 200


def _get_as(app, user_id: int, url: str) -> int:
    with app.app_context():
        token = db.session.get(User, user_id).get_id()
    client = app.test_client()
    with contextvars.Context().run(client.session_transaction) as session:
        session["_user_id"] = token
        session["_fresh"] = True
    return client.get(url).status_code


def test_detail_pages_render_for_generated_records(worlds):
    app, _counts = worlds[0]
    with app.app_context():
        placement = db.session.scalars(sa.select(Placement).order_by(Placement.id.desc())).first()
        registration = db.session.scalars(
            sa.select(Registration)
            .where(Registration.state == RegistrationState.COMPLETED)
            .order_by(Registration.id.desc())
        ).first()
        rating = db.session.scalars(
            sa.select(MaterialRating).order_by(MaterialRating.id.desc())
        ).first()
        curriculum_id = scalar(
            sa.select(Module.curriculum_id)
            .join(Material, Material.module_id == Module.id)
            .where(Material.id == rating.material_id)
        )
        visits = [
            (placement.student_id, f"/internships/placements/{placement.id}"),
            (placement.student_id, f"/internships/applications/{placement.application_id}"),
            (placement.mentor_id, f"/internships/placements/{placement.id}"),
            (placement.supervisor_id, f"/internships/placements/{placement.id}"),
            (registration.user_id, "/trainings/ledger"),
            (registration.user_id, "/trainings/mine"),
            (registration.user_id, f"/trainings/batches/{registration.batch_id}"),
            (rating.user_id, f"/curricula/materials/{rating.material_id}"),
            (rating.user_id, f"/curricula/{curriculum_id}"),
        ]
    for user_id, url in visits:
        assert _get_as(app, user_id, url) == 200, url


def test_new_rows_still_get_fresh_ids_after_the_bulk_load(worlds):
    """Ids were assigned in Python; PostgreSQL's sequences were moved past them."""
    from datetime import date

    from portal.internships.models import InternshipPeriod

    app, _counts = worlds[0]
    with app.app_context():
        user = User(email="new.after.city@example.org", full_name="Baru", password_hash=None)
        period = InternshipPeriod(
            name="Setelah data kota", starts_on=date(2030, 1, 6), ends_on=date(2030, 3, 29)
        )
        db.session.add_all([user, period])
        db.session.flush()
        assert user.id > scalar(sa.select(sa.func.max(User.id)).where(User.id != user.id))
        db.session.rollback()


def test_the_command_still_refuses_a_database_with_data(worlds):
    app, _counts = worlds[0]
    runner = app.test_cli_runner()
    with app.app_context():
        refused = runner.invoke(args=["demo-data", "--scale", "city"])
        skipped = runner.invoke(args=["demo-data", "--scale", "city", "--if-empty"])
    assert refused.exit_code != 0
    assert "not empty" in refused.output
    assert skipped.exit_code == 0
    assert "not loaded" in skipped.output
