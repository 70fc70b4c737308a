"""``flask demo-data`` (issue 17, point 3): technical standards follow the jabatan (no Pranata
Komputer scored on a health competency; the one at Dinkes on informatics), JF levels follow the
jenjang, positions fit the kind of OPD and the people of DOMAIN.md §10 hold theirs, golongan fit
the position (no pelaksana at IV, no administrator below III/d, PPPK golongan by jenjang) and the
NIP's gender digit fits the person. The demo is loaded once per session (tests/support/demo.py)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import aliased

from portal.auth.models import User
from portal.competency.fields import TechnicalField
from portal.competency.models import (
    AsnProfile,
    AsnStatus,
    Assessment,
    AssessmentResult,
    Competency,
    Position,
    PositionKind,
    StandardItem,
)
from portal.demo.competency import jabatan
from portal.institutions.models import Agency


@pytest.fixture(scope="module")
def app(demo_app):
    """The demo, loaded once per session (tests/support/demo.py)."""
    return demo_app


def _position(db, short_name, name) -> Position:
    return db.session.scalars(
        sa.select(Position)
        .join(Agency, Agency.id == Position.agency_id)
        .where(Agency.short_name == short_name, Position.name == name)
    ).one()


def _standard(db, position) -> dict[str, int]:
    return dict(
        db.session.execute(
            sa.select(Competency.code, StandardItem.required_level)
            .join(Competency, Competency.id == StandardItem.competency_id)
            .where(StandardItem.position_id == position.id)
        ).all()
    )


def test_no_pranata_komputer_is_scored_on_a_health_competency(db):
    scored = db.session.scalars(
        sa.select(Competency.field)
        .join(AssessmentResult, AssessmentResult.competency_id == Competency.id)
        .join(Assessment, Assessment.id == AssessmentResult.assessment_id)
        .join(AsnProfile, AsnProfile.id == Assessment.asn_id)
        .join(Position, Position.id == AsnProfile.position_id)
        .where(Position.name == "Pranata Komputer", Competency.field.is_not(None))
        .distinct()
    ).all()

    assert scored == [TechnicalField.INFORMATIKA]


def test_the_pranata_komputer_of_dinkes_has_informatics_standards_at_its_jenjang(db):
    position = _position(db, "Dinkes", "Pranata Komputer")

    assert (position.jenjang, position.pembina) == ("Terampil", "Badan Pusat Statistik (BPS)")
    levels = _standard(db, position)
    assert {c: n for c, n in levels.items() if c.startswith("T.")} == {"T.KOM.01": 2, "T.KOM.02": 2}
    assert levels["M.01"] == 1  # Terampil: managerial level 1 (the jenjang table's default)


def test_jf_levels_follow_the_jenjang(db):
    madya = _standard(db, _position(db, "Setda", "Analis Kebijakan"))
    pertama = _standard(db, _position(db, "BKPSDM", "Analis Kebijakan"))

    assert (madya["M.01"], madya["T.KEB.01"]) == (4, 4)
    assert (pertama["M.01"], pertama["T.KEB.01"]) == (2, 2)


def test_positions_fit_the_kind_of_opd_and_domain_people_keep_theirs(db):
    def names(short):
        return set(
            db.session.scalars(
                sa.select(Position.name)
                .join(Agency, Agency.id == Position.agency_id)
                .where(Agency.short_name == short)
            )
        )

    assert {"Camat", "Sekretaris Camat", "Kepala Seksi Pemerintahan"} <= names("Kec. Medan Baru")
    assert "Direktur" in names("RSUD Pirngadi") and "Kepala" not in names("RSUD Pirngadi")
    assert {"Sekretaris Daerah", "Asisten", "Kepala Bagian"} <= names("Setda")
    assert {"Kepala", "Sekretaris", "Kepala Bidang"} <= names("Dinkes")
    held = dict(
        db.session.execute(
            sa.select(User.email, Position.name)
            .join(AsnProfile, AsnProfile.user_id == User.id)
            .join(Position, Position.id == AsnProfile.position_id)
            .where(User.email.like("%@sinergi.example"))
        ).all()
    )
    assert held["asn.kecamatan@sinergi.example"] == "Camat"
    assert held["asn.dinkes@sinergi.example"] == "Pranata Komputer"
    assert held["mentor.bappeda@sinergi.example"] == "Perencana"


def test_golongan_fit_the_position_and_the_nip_the_person(db):
    rows = db.session.execute(
        sa.select(
            AsnProfile.status,
            AsnProfile.golongan,
            AsnProfile.nip,
            Position.kind,
            Position.jenjang,
            User.full_name,
            User.email,
        )
        .join(Position, Position.id == AsnProfile.position_id)
        .join(User, User.id == AsnProfile.user_id)
    ).all()
    assert len(rows) > 250
    for status, golongan, nip, kind, jenjang, full_name, email in rows:
        if status == AsnStatus.PPPK:
            assert golongan == jabatan.golongan(None, kind, jenjang, pppk=True), email
            continue
        if kind == PositionKind.PELAKSANA:
            assert not golongan.startswith("IV"), email
        if kind == PositionKind.ADMINISTRATOR:
            assert golongan in ("III/d", "IV/a", "IV/b", "IV/c"), email
        if email.startswith("asn") and email.endswith("@demo.sinergi.example"):
            assert golongan in jabatan.pns_range(kind, jenjang), email
            assert nip[14] == jabatan.gender_digit(full_name), email


def test_staff_are_supervised_by_the_head_of_their_unit(db):
    """Demo data: the generated staff of an OPD report to its Kepala Subbagian/Kasi, these to a
    Kepala Bidang, these to the Sekretaris: not everyone to the Sekretaris."""
    profile = aliased(AsnProfile)
    head = aliased(AsnProfile)
    head_position = aliased(Position)
    rows = db.session.execute(
        sa.select(Position.kind, head_position.kind, profile.agency_id, head.agency_id)
        .select_from(profile)
        .join(User, User.id == profile.user_id)
        .join(Position, Position.id == profile.position_id)
        .join(head, head.id == profile.supervisor_id)
        .join(head_position, head_position.id == head.position_id)
        .where(User.email.like("asn%@demo.sinergi.example"))
    ).all()
    assert rows and all(agency == head_agency for *_, agency, head_agency in rows)
    staff = {k for k in PositionKind if k in (PositionKind.FUNGSIONAL, PositionKind.PELAKSANA)}
    heads_of_staff = {head_kind for kind, head_kind, *_ in rows if kind in staff}
    assert heads_of_staff == {PositionKind.PENGAWAS}
    heads_of_seksi = {head_kind for kind, head_kind, *_ in rows if kind == PositionKind.PENGAWAS}
    assert heads_of_seksi <= {PositionKind.ADMINISTRATOR, PositionKind.JPT_PRATAMA}
