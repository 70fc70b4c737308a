"""Issue 17, point 6: certificates an office accepts. A training certificate (STTPP) carries
the holder's NIP, the training type, the JP credited, the dates and the signing official, under
an official number made by a configured pattern; the public check page takes that number and
shows the NIP masked; a bad pattern stops the start-up with a clear message."""

from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace

import pytest

from portal import ConfigurationError, create_app
from portal.auth.models import Role
from portal.certificates import numbering, services
from portal.certificates.models import Certificate
from portal.certificates.pdf import render
from portal.trainings.batches.certificates import issue_training_certificates, training_type_name
from portal.trainings.ledger.services import credit_training
from portal.trainings.models import RegistrationState
from tests.support.app import make_test_config
from tests.support.factories import Factories
from tests.support.pages import visible_text

NIP = "198609262015051001"
SIGNER = {
    "CERTIFICATE_SIGNER_NAME": "Dr. Hj. Rahmawati Siregar, S.STP, M.Si",
    "CERTIFICATE_SIGNER_NIP": "197503122000032002",
    "CERTIFICATE_SIGNER_POSITION": "Kepala BKPSDM Kota Medan",
}
OFFICIAL = re.compile(r"^(\d{4})/STTPP/BKPSDM/XII/2026$")


@pytest.fixture(scope="module")
def sttpp(app, module_db):
    """Three ASN complete a training (credited to their JP ledgers); their certificates are issued on 8 December 2026
    while the configuration names the signing official (then the official changes)."""
    saved = {key: app.config[key] for key in SIGNER}
    app.config.update(SIGNER)
    make = Factories(module_db.session)
    w = SimpleNamespace()
    with app.test_request_context():
        agency = make.agency()
        supervisor = make.asn_profile(make.user(Role.ASN, agency=agency))
        w.user = make.user(Role.ASN, agency=agency, full_name="Rizky Hasibuan")
        w.asn = make.asn_profile(w.user, supervisor=supervisor, nip=NIP)
        batch = make.trainings.batch(jp=24, title="Pelatihan Analisis Kebijakan Publik")
        registrations = [
            make.trainings.registration(batch, w.asn, state=RegistrationState.COMPLETED)
        ]
        registrations += [
            make.trainings.registration(batch, state=RegistrationState.COMPLETED) for _ in range(2)
        ]
        w.jp = [credit_training(r, actor=None).jp for r in registrations][0]
        certificates = issue_training_certificates(
            batch, registrations, actor=None, issued_on=date(2026, 12, 8)
        )
        w.ids = [c.id for c in certificates]
        w.number = certificates[0].number
        module_db.session.commit()
    app.config.update(dict.fromkeys(SIGNER, ""))  # a later change does not alter them
    yield w
    app.config.update(saved)


def _cert(db, w, index=0) -> Certificate:
    return db.session.get(Certificate, w.ids[index])


def test_the_sttpp_pdf_carries_nip_jp_type_and_the_signing_official(app, db, sttpp):
    certificate = _cert(db, sttpp)
    with app.test_request_context("/?lang=en"):
        pdf = render(certificate)
    for shown in (
        b"Rizky Hasibuan",
        b"NIP 19860926 201505 1 001",  # grouped as on official documents (DOMAIN.md §4.1)
        b"Pelatihan Analisis Kebijakan Publik",
        b"Training type: Pelatihan Teknis",
        f"{sttpp.jp:g} JP".encode(),  # the JP the ledger credited
        b"Dr. Hj. Rahmawati Siregar, S.STP, M.Si",
        b"Kepala BKPSDM Kota Medan",
        b"NIP 19750312 200003 2 002",
        certificate.number.encode(),
    ):
        assert shown in pdf, shown


def test_official_numbers_follow_the_pattern_and_run_on(db, sttpp):
    numbers = [_cert(db, sttpp, i).number for i in range(3)]
    serials = [int(OFFICIAL.match(n).group(1)) for n in numbers]
    assert serials == list(range(serials[0], serials[0] + 3))
    assert {(c.serial_year, c.serial) for c in (_cert(db, sttpp, i) for i in range(3))} == {
        (2026, s) for s in serials
    }
    # another kind keeps its own format (random by default) and does not use up the sequence
    holder = db.session.get(Certificate, sttpp.ids[0])
    other = services.issue_certificate(
        kind="recognition",
        subject=sttpp.user,
        title="Penghargaan",
        source_type="recognition",
        source_id=holder.id,
        issued_on=date(2026, 12, 9),
    )
    assert other.number.startswith("SNG-2026-") and other.serial is None


def test_the_pattern_is_configurable_and_the_sequence_restarts_each_year(
    app, db, sttpp, monkeypatch
):
    monkeypatch.setitem(
        app.config, "CERTIFICATE_NUMBER_INTERNSHIP", "{seq:03d}/MAGANG/{month:02d}.{year}"
    )
    made = [
        services.issue_certificate(
            kind="internship",
            subject=sttpp.user,
            title="Magang",
            source_type="internship_placement",
            source_id=900 + i,
            issued_on=day,
        ).number
        for i, day in enumerate([date(2026, 3, 2), date(2026, 4, 1), date(2027, 1, 5)])
    ]
    assert made == ["001/MAGANG/03.2026", "002/MAGANG/04.2026", "001/MAGANG/01.2027"]
    monkeypatch.setitem(app.config, "CERTIFICATE_NUMBER_INTERNSHIP", "MG-{code}-{year}")
    coded = services.issue_certificate(
        kind="internship",
        subject=sttpp.user,
        title="Magang",
        source_type="internship_placement",
        source_id=999,
        issued_on=date(2026, 5, 1),
    )
    assert re.match(r"^MG-[0-9A-Z]{4}-2026$", coded.number) and coded.serial is None


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("{seq:04d}/STTPP/{roman_month}", "needs {year}"),
        ("STTPP/{year}", "needs {seq} or {code}"),
        ("{seq:04d}/{unit}/{year}", "Unknown placeholder {unit}"),
        ("{seq:04d}/sttpp/{year}", "capital letters"),
        ("{seq:04d} STTPP {year}", "capital letters"),
        ("{seq:04d/{year}", "brace"),
        ("{seq:q}/{year}", "format is wrong"),
        ("{seq!r}/{year}", "Unknown placeholder"),
        ("{seq:04d}/" + "X" * 40 + "/{year}", "longer than 40"),
        ("/{seq}/{year}", "start with a letter or digit"),
    ],
)
def test_a_bad_pattern_is_refused_clearly(app, pattern, message):
    with app.test_request_context("/?lang=en"), pytest.raises(numbering.PatternError) as caught:
        numbering.check_pattern(pattern)
    with app.test_request_context("/?lang=en"):
        assert message in str(caught.value.args[0])


def test_a_bad_pattern_or_signer_nip_stops_the_start_up(tmp_path):
    uri = "sqlite:///" + str(tmp_path / "x.sqlite3")
    with pytest.raises(ConfigurationError, match="CERTIFICATE_NUMBER_TRAINING.*needs {year}"):
        create_app(make_test_config(uri, CERTIFICATE_NUMBER_TRAINING="{seq}/STTPP"))
    with pytest.raises(ConfigurationError, match="CERTIFICATE_SIGNER_NIP.*18 digits"):
        create_app(make_test_config(uri, CERTIFICATE_SIGNER_NIP="1975"))


def test_the_check_form_takes_an_official_number(client, db, sttpp):
    typed = " " + sttpp.number.lower() + " "
    r = client.get("/certificates/verify", query_string={"number": typed})
    assert r.status_code == 302
    assert r.headers["Location"].endswith(f"/certificates/verify/{sttpp.number}")
    page = client.get(r.headers["Location"] + "?lang=en")
    assert page.status_code == 200 and page.headers["X-Robots-Tag"].startswith("noindex")
    text = visible_text(page)
    for shown in (
        "Rizky Hasibuan",
        "•••••••• •••••• • 001",
        "Pelatihan Analisis Kebijakan Publik",
        "Pelatihan Teknis",
        f"JP credited {sttpp.jp:g}",
        "Dr. Hj. Rahmawati Siregar, S.STP, M.Si, Kepala BKPSDM Kota Medan",
        "Valid",
    ):
        assert shown in text, shown
    for hidden in (NIP, "19860926", "197503122000032002"):
        assert hidden not in page.get_data(as_text=True), hidden
    help_text = visible_text(client.get("/certificates/verify?lang=en"))
    assert "for example 0012/STTPP/BKPSDM/XII/2026, SNG-2026-7KQ4-M9XD" in help_text


def test_look_ups_of_running_numbers_are_rate_limited(app, client, db, sttpp, monkeypatch):
    monkeypatch.setitem(app.config, "CERTIFICATE_VERIFY_LIMIT", "3 per minute")
    for _ in range(3):  # a running number can be walked by counting up: every look-up counts
        assert client.get(f"/certificates/verify/{sttpp.number}").status_code == 200
    assert client.get(f"/certificates/verify/{sttpp.number}").status_code == 429


def test_training_type_prefers_the_curriculums_own_as_siasn_names_it():
    assert training_type_name(SimpleNamespace(training_type="pelatihan_manajerial")) == (
        "Pelatihan Manajerial"
    )
    assert training_type_name(SimpleNamespace(training_type=None), "seminar") == (
        "Seminar/Konferensi/Sarasehan"
    )
    # a leadership type reads as its name, like the others (not the key, not a method)
    assert training_type_name(SimpleNamespace(training_type="pkp")) == (
        "Pelatihan Kepemimpinan Pengawas"
    )


def test_the_holder_downloads_it_under_a_file_name_without_slashes(client, login_as, db, sttpp):
    login_as(sttpp.user)
    response = client.get(f"/certificates/{sttpp.ids[0]}.pdf")
    assert response.status_code == 200
    expected = sttpp.number.replace("/", "-")
    assert (
        response.headers["Content-Disposition"]
        == f'attachment; filename="sertifikat-{expected}.pdf"'
    )
