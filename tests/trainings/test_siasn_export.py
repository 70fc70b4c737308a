"""Issue 17, point 4: the SIASN export is complete (DOMAIN.md §2.5). Read back from the XLSX:
SIASN's columns in SIASN's order, the BKN codes of the curriculum's training type (not
"Pelatihan teknis" for everything), ``nipLama`` where known, the certificate number of a portal
training, ``latihanStrukturalNama`` for leadership training, and the awards decided by SK on a
second sheet. The training type is set on the curriculum form."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from flask import current_app
from openpyxl import load_workbook

from portal.auth.models import Role
from portal.curricula.models import Curriculum, CurriculumState
from portal.curricula.training_types import (
    BY_KEY,
    CURRICULUM_CHOICES,
    training_type,
)
from portal.trainings.batches.certificates import issue_training_certificates
from portal.trainings.ledger import conversion
from portal.trainings.ledger import services as ledger_services
from portal.trainings.models import RegistrationState
from portal.trainings.recognition.models import AwardKind, AwardNomination, NominationState
from tests.support.pages import field_error, select_options
from tests.support.worlds import module_world
from tests.trainings.ledger_support import verified

P = "/trainings/ledger/siasn.xlsx?year=2025"

#: DOMAIN.md §2.5, written out here so that the test reads the rule, not the code.
KURSUS = [
    "id", "idPns", "nipBaru", "nipLama", "jenisDiklatId", "jenisKursusId", "jenisKursusNama",
    "jenisKursusSertifikat", "namaKursus", "institusiPenyelenggara", "jumlahJam", "noSertipikat",
    "tahunKursus", "tanggalKursus", "tanggalSelesaiKursus", "path", "latihanStrukturalNama",
]  # fmt: skip
PENGHARGAAN = [
    "id",
    "idPns",
    "nipBaru",
    "nipLama",
    "hargaNama",
    "tahun",
    "skNomor",
    "skDate",
    "path",
]


def _portal_training(make, curriculum, asn, *, certificate: bool):
    """``asn`` completed a March 2025 batch of ``curriculum``: credited, maybe certified. Its
    two 9-hour sessions earn the 24 JP of the curriculum (a batch credits its schedule's JP)."""
    batch = make.trainings.batch(
        curriculum=curriculum,
        start=datetime(2025, 3, 10, 2, tzinfo=UTC),
        sessions=2,
        hours=9,
        jp=24,
    )
    registration = make.trainings.registration(batch, asn, state=RegistrationState.COMPLETED)
    entry = ledger_services.credit_training(registration, actor=None)
    if certificate:
        with current_app.test_request_context():
            (issued,) = issue_training_certificates(batch, [registration], actor=None)
        entry.certificate_number = issued.number  # as the completion does (completion.py)
    return entry


def _nomination(asn, state, **kw):
    return AwardNomination(
        asn_id=asn.id,
        agency_id=asn.agency_id,
        award=AwardKind.SATYALANCANA_10,
        year=2025,
        justification="Sepuluh tahun pengabdian tanpa hukuman disiplin.",
        state=state,
        **kw,
    )


def build(make) -> SimpleNamespace:
    opd, other = make.agency(), make.agency()
    senior = make.asn_profile(make.user(Role.ASN, agency=opd))
    senior.nip_lama = "010203040"
    young = make.asn_profile(make.user(Role.ASN, agency=opd))
    far = make.asn_profile(make.user(Role.ASN, agency=other))
    published = CurriculumState.PUBLISHED
    functional = make.curriculum(
        agency=opd,
        state=published,
        training_type="pelatihan_fungsional",
        title="Arsiparis",
        modules=12,
    )
    pkp = make.curriculum(agency=opd, state=published, training_type="pkp", title="PKP 2025")
    technical = make.curriculum(agency=other, state=published, title="Teknis Lama")
    entries = SimpleNamespace(
        functional=_portal_training(make, functional, senior, certificate=True),
        pkp=_portal_training(make, pkp, young, certificate=False),
        technical=_portal_training(make, technical, far, certificate=False),
    )
    make.session.add_all(
        [
            _nomination(
                senior,
                NominationState.AWARDED,
                decision_number="800/1234/BKPSDM/2025",
                decision_date=date(2025, 8, 17),
            ),
            _nomination(young, NominationState.SUBMITTED),
            _nomination(
                far,
                NominationState.AWARDED,
                decision_number="800/99/BKPSDM/2024",
                decision_date=date(2024, 8, 17),
            ),
        ]
    )
    make.session.flush()
    author = functional.authors[0].user
    return SimpleNamespace(
        opd=opd,
        senior=senior,
        young=young,
        far=far,
        entries=entries,
        functional=functional,
        author=author,
        city_admin=make.user(Role.ADMIN),
        opd_admin=make.user(Role.ADMIN, admin_agency=opd),
    )


siasn_world = module_world(build)


def _sheets(client, login_as, user) -> dict[str, list[dict]]:
    """The download as ``user``: sheet name → rows as {header: value} (header row checked)."""
    login_as(user)
    response = client.get(P)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    out = {}
    for sheet in book.worksheets:
        header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        out[sheet.title] = [dict(zip(header, row, strict=True)) for row in rows]
        out[sheet.title + ":header"] = header
    return out


def _row(rows, nip):
    (row,) = [r for r in rows if r["nipBaru"] == nip]
    return row


def test_the_sheets_have_siasn_columns_in_siasn_order(client, login_as, siasn_world):
    sheets = _sheets(client, login_as, siasn_world.city_admin)
    assert [k for k in sheets if not k.endswith(":header")] == [
        "riwayat_kursus",
        "riwayat_penghargaan",
    ]
    assert sheets["riwayat_kursus:header"] == KURSUS
    assert sheets["riwayat_penghargaan:header"] == PENGHARGAAN


def test_a_training_takes_the_codes_of_its_curriculum_type(client, login_as, siasn_world):
    rows = _sheets(client, login_as, siasn_world.city_admin)["riwayat_kursus"]
    functional = _row(rows, siasn_world.senior.nip)
    assert (
        functional["jenisDiklatId"],
        functional["jenisKursusId"],
        functional["jenisKursusNama"],
        functional["latihanStrukturalNama"],
    ) == ("2", "2", "Pelatihan Fungsional", None)
    assert functional["namaKursus"] == "Arsiparis" and functional["jumlahJam"] == 24
    assert (functional["tanggalKursus"], functional["tanggalSelesaiKursus"]) == (
        "10-03-2025",
        "11-03-2025",
    )
    # A curriculum nobody typed stays Pelatihan Teknis.
    assert _row(rows, siasn_world.far.nip)["jenisKursusNama"] == "Pelatihan Teknis"


def test_nip_lama_and_the_certificate_number_are_exported(client, login_as, siasn_world):
    rows = _sheets(client, login_as, siasn_world.city_admin)["riwayat_kursus"]
    senior = _row(rows, siasn_world.senior.nip)
    assert senior["nipLama"] == "010203040"
    assert senior["noSertipikat"] == siasn_world.entries.functional.certificate_number
    assert senior["noSertipikat"] and senior["jenisKursusSertifikat"] == "Sertifikat"
    young = _row(rows, siasn_world.young.nip)
    assert (young["nipLama"], young["noSertipikat"]) == (None, None)  # unknown: empty cells


def test_leadership_training_carries_its_structural_name(client, login_as, siasn_world):
    row = _row(
        _sheets(client, login_as, siasn_world.city_admin)["riwayat_kursus"],
        siasn_world.young.nip,
    )
    assert (
        row["latihanStrukturalNama"],
        row["jenisDiklatId"],
        row["jenisKursusId"],
        row["jenisKursusNama"],
        row["jenisKursusSertifikat"],
    ) == ("PKP", "1", None, "Pelatihan Kepemimpinan Pengawas", "STTPP")


def test_the_award_sheet_holds_the_awards_decided_that_year(client, login_as, siasn_world):
    awards = _sheets(client, login_as, siasn_world.city_admin)["riwayat_penghargaan"]
    # The submitted nomination is not an award; the 2024 SK belongs to the 2024 export.
    assert awards == [
        {
            "id": None,
            "idPns": None,
            "nipBaru": siasn_world.senior.nip,
            "nipLama": "010203040",
            "hargaNama": "Satyalancana Karya Satya, 10 tahun",
            "tahun": 2025,
            "skNomor": "800/1234/BKPSDM/2025",
            "skDate": "17-08-2025",
            "path": None,
        }
    ]


def test_an_opd_admin_exports_only_their_opd(client, login_as, siasn_world, db):
    verified(siasn_world.far, 1)  # an external record of the other OPD, 2025
    db.session.flush()
    sheets = _sheets(client, login_as, siasn_world.opd_admin)
    assert {r["nipBaru"] for r in sheets["riwayat_kursus"]} == {
        siasn_world.senior.nip,
        siasn_world.young.nip,
    }
    assert [r["nipBaru"] for r in sheets["riwayat_penghargaan"]] == [siasn_world.senior.nip]


def test_an_external_record_takes_the_codes_of_its_form(client, login_as, siasn_world, db):
    verified(siasn_world.young, 2, title="Lokakarya SPBE")  # a workshop
    db.session.flush()
    rows = _sheets(client, login_as, siasn_world.city_admin)["riwayat_kursus"]
    (row,) = [r for r in rows if r["namaKursus"] == "Lokakarya SPBE"]
    assert (row["jenisDiklatId"], row["jenisKursusNama"]) == ("4", "Workshop/Lokakarya")


# --- the code table and the curriculum form -----------------------------------------------------


def test_every_ledger_form_has_a_code_and_unknown_keys_read_as_technical():
    assert set(conversion.LEDGER_FORMS) <= set(BY_KEY)
    assert {t.structural for t in BY_KEY.values() if t.structural} == {"PKN", "PKA", "PKP"}
    assert all(key in BY_KEY for key, _label in CURRICULUM_CHOICES)
    assert training_type("no_such_type").name == training_type(None).name == "Pelatihan Teknis"


def _edit(client, cur, **data):
    fields = {"title": cur.title, "audience": "asn", "mode": "blended"}
    return client.post(f"/curricula/proposals/{cur.id}/edit", data=fields | data)


@pytest.fixture
def draft(siasn_world, db):
    cur = siasn_world.functional
    cur.state = CurriculumState.DRAFT
    db.session.flush()
    return cur


def test_the_proposal_form_sets_the_training_type(client, login_as, siasn_world, draft, db):
    login_as(siasn_world.author)
    form = client.get(f"/curricula/proposals/{draft.id}/edit")
    options = select_options(form, "training_type")
    assert "pkp" in options and "pelatihan_fungsional" in options
    assert _edit(client, draft, training_type="pkp").status_code == 302
    db.session.expire_all()
    assert db.session.get(Curriculum, draft.id).training_type == "pkp"
    # A request without the field keeps the type.
    assert _edit(client, draft).status_code == 302
    db.session.expire_all()
    assert db.session.get(Curriculum, draft.id).training_type == "pkp"


def test_an_unknown_training_type_is_refused_beside_its_field(
    client, login_as, siasn_world, draft, db
):
    login_as(siasn_world.author)
    response = _edit(client, draft, training_type="coaching", title="Judul Baru")
    assert response.status_code == 400
    assert field_error(response, "training_type")
    assert 'value="Judul Baru"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Curriculum, draft.id).training_type == "pelatihan_fungsional"
