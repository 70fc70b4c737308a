"""The ASN's JP ledger pages: the yearly ledger and who may read it, submitting a record from
elsewhere (with its refusals), a record's page and evidence, and the verifier's decision
(state × action × party through the views)."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from portal.auth.models import Role
from portal.notify import Notification
from portal.trainings.ledger.models import EntryState, LedgerEntry
from portal.uploads import StoredFile
from portal.util import clock
from tests.support.worlds import trainings
from tests.trainings.ledger_support import submit, verified

ledger_world = trainings.ledger_world  # built once for the module

P = "/trainings/ledger"


def _count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# --- the yearly ledger -------------------------------------------------------------------------


def test_my_ledger_shows_progress_quarters_and_entries(client, login_as, ledger_world):
    w = ledger_world
    verified(w.me, 2, ended_on=date(2025, 2, 10))  # 10 JP in Q1
    submit(
        w.me,
        form="seminar",
        quantity=1,
        title="Seminar Data Terbuka",
        started_on=date(2025, 7, 1),
        ended_on=date(2025, 7, 1),
    )
    login_as(w.me.user)
    html = client.get(f"{P}?year=2025").get_data(as_text=True)
    assert 'role="progressbar"' in html and 'aria-valuenow="50"' in html
    assert 'aria-valuemin="0"' in html and 'aria-valuemax="100"' in html
    assert "10 of 20 JP verified" in html and "4 JP waiting for verification" in html
    # Q1 (5 JP expected) met with 10; Q2 (10 expected) met; Q3 (15) and Q4 (20) behind.
    assert html.count(">On track<") == 2 and html.count(">Behind<") == 2
    assert "Seminar Data Terbuka" in html and "1 days" in html
    assert "Waiting for verification" in html and f"{P}/submit" in html


def test_my_ledger_out_of_range_year_is_this_year(client, login_as, ledger_world):
    login_as(ledger_world.me.user)
    for year in ("1", "abc", "99999999999"):
        response = client.get(f"{P}?year={year}")
        assert response.status_code == 200
        assert f"JP in {clock.today().year}" in response.get_data(as_text=True)


def test_an_asn_without_a_record_is_told_so(client, login_as, make):
    login_as(make.user(Role.ASN, locale="en"))
    for url in (P, f"{P}/submit"):
        response = client.get(url)
        assert response.status_code == 200 and "not linked to an ASN record" in response.text


@pytest.mark.parametrize(
    ("who", "status"),
    [("boss", 200), ("opd_admin", 200), ("city_admin", 200), ("other_admin", 404),
     ("peer", 404)],
)  # fmt: skip
def test_asn_ledger_is_for_the_supervisor_and_the_admins(
    client, login_as, ledger_world, who, status
):
    w = ledger_world
    verified(w.me, 1, title="Workshop Rahasia")
    login_as(getattr(w, who) if who.endswith("admin") else getattr(w, who).user)
    response = client.get(f"{P}/asn/{w.me.id}?year=2025")
    assert response.status_code == status
    assert ("Workshop Rahasia" in response.text) == (status == 200)


def test_a_supervisor_finds_the_ledgers_of_their_reports(client, login_as, ledger_world, db):
    w = ledger_world
    verified(w.me, 4)  # 20 JP: the target
    db.session.flush()
    login_as(w.boss.user)
    html = client.get(f"{P}?year=2025").get_data(as_text=True)
    assert f"{P}/asn/{w.me.id}?year=2025" in html and "Target reached" in html
    login_as(w.me.user)
    assert "ASN you supervise" not in client.get(f"{P}?year=2025").get_data(as_text=True)


def test_the_asn_reading_their_own_ledger_by_id_goes_to_my_ledger(client, login_as, ledger_world):
    login_as(ledger_world.me.user)
    response = client.get(f"{P}/asn/{ledger_world.me.id}?year=2025")
    assert response.status_code == 302 and response.location.endswith(f"{P}?year=2025")


def test_ledger_query_count_does_not_grow_with_entries(
    client, login_as, ledger_world, db, count_queries
):
    login_as(ledger_world.me.user)
    counts, made = [], 0
    for total in (3, 30):
        for _ in range(total - made):
            verified(ledger_world.me, 1)
        db.session.flush()
        made = total
        with count_queries() as n:
            assert client.get(f"{P}?year=2025").status_code == 200
        counts.append(n())
    assert counts[0] == counts[1]


# --- submitting ---------------------------------------------------------------------------------


def _form(**changes) -> dict:
    data = {
        "form": "seminar",
        "scope": "international",
        "title": "Seminar Smart City ASEAN",
        "organiser": "Kemendagri",
        "started_on": "2025-03-10",
        "ended_on": "2025-03-11",
        "quantity": "2",
        "certificate_number": "SRT/9/2025",
        "intent": "submit",
        "evidence": (io.BytesIO(b"%PDF-1.7\n%uji\n"), "sertifikat.pdf"),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_form_lists_forms_with_their_unit(client, login_as, ledger_world):
    login_as(ledger_world.me.user)
    html = client.get(f"{P}/submit").get_data(as_text=True)
    assert "Seminar / konferensi — days" in html
    assert "Coaching — sessions" in html and "Mentoring — sessions" in html
    assert "Detasering (secondment) — times" in html


def test_submitting_a_record_stores_it_for_verification(client, login_as, ledger_world, db):
    login_as(ledger_world.me.user)
    response = client.post(f"{P}/submit", data=_form(), content_type="multipart/form-data")
    entry = _only_entry(db)
    assert response.status_code == 302
    assert response.location.endswith(f"{P}/entries/{entry.id}")
    assert (entry.state, entry.jp, entry.quantity, entry.scope) == (
        EntryState.SUBMITTED,
        12,
        2,
        "international",
    )
    assert entry.evidence_file_id is not None and entry.certificate_number == "SRT/9/2025"
    page = client.get(response.location).get_data(as_text=True)
    assert "sent for verification (12 JP once verified)" in page


def _only_entry(db) -> LedgerEntry:
    return db.session.scalars(sa.select(LedgerEntry)).one()


def test_preview_shows_the_jp_and_saves_nothing(client, login_as, ledger_world, db):
    login_as(ledger_world.me.user)
    response = client.post(
        f"{P}/submit",
        data=_form(intent="preview", evidence=None),
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "This record would count 12 JP." in response.text
    assert "Seminar Smart City ASEAN" in response.text  # the form keeps what was typed
    assert _count(db, LedgerEntry) == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"evidence": None}, "Attach the certificate or other proof."),
        ({"evidence": (io.BytesIO(b"MZ\x90\x00"), "virus.exe")}, "not accepted here"),
        ({"evidence": (io.BytesIO(b"<html>hi</html>"), "palsu.pdf")}, "is not a PDF file"),
        ({"evidence": (io.BytesIO(b""), "kosong.pdf")}, "The file is empty."),
        ({"ended_on": "2025-03-01"}, "cannot be before the first day"),
        ({"ended_on": (clock.today() + timedelta(days=3)).isoformat()}, "once it has ended"),
        ({"form": "pelatihan_kepemimpinan"}, "has no International conversion rule"),
        ({"form": "nonton"}, "Not a valid choice"),
        ({"quantity": "0"}, "Between 0.1 and 1000"),
        ({"quantity": "inf"}, "Not a valid decimal value"),
        ({"quantity": "1e400"}, "far too large"),
        ({"quantity": "1.25"}, "at most one decimal"),
        ({"form": "tugas_belajar", "quantity": "1000"}, "more JP than one record can hold"),
        ({"title": "  "}, "This field is required."),
    ],
)
def test_submission_refusals_keep_the_input(client, login_as, ledger_world, db, changes, message):
    login_as(ledger_world.me.user)
    response = client.post(f"{P}/submit", data=_form(**changes), content_type="multipart/form-data")
    assert response.status_code == 400
    assert message in response.text
    assert 'value="Kemendagri"' in response.text
    assert _count(db, LedgerEntry) == 0 and _count(db, StoredFile) == 0


def test_only_asn_submit(client, login_as, ledger_world):
    login_as(ledger_world.opd_admin)
    assert client.get(f"{P}/submit").status_code == 403


# --- a record's page and its evidence -----------------------------------------------------------

READERS = [
    ("me", 200, 200),
    ("boss", 200, 404),
    ("opd_admin", 200, 200),
    ("city_admin", 200, 200),
    ("other_admin", 404, 404),
    ("peer", 404, 404),
]


def _login(login_as, w, who):
    user = getattr(w, who)
    return login_as(user if who.endswith("admin") else user.user)


@pytest.mark.parametrize(("who", "page", "evidence"), READERS)
def test_who_reads_a_record_and_its_evidence(client, login_as, ledger_world, who, page, evidence):
    entry = submit(ledger_world.me, title="Seminar Pribadi")
    _login(login_as, ledger_world, who)
    response = client.get(f"{P}/entries/{entry.id}")
    assert response.status_code == page
    if page == 200:
        assert "Seminar Pribadi" in response.text
        assert (f"{P}/entries/{entry.id}/evidence" in response.text) == (evidence == 200)
    download = client.get(f"{P}/entries/{entry.id}/evidence")
    assert download.status_code == evidence
    if evidence == 200:
        assert download.headers["Content-Disposition"].startswith("attachment")
        assert download.headers["X-Content-Type-Options"] == "nosniff"
        assert download.data.startswith(b"%PDF")
    download.close()


def test_a_missing_record_is_404(client, login_as, ledger_world):
    login_as(ledger_world.city_admin)
    assert client.get(f"{P}/entries/999999").status_code == 404
    assert client.post(f"{P}/entries/999999/verify").status_code == 404


# --- verify / reject: state × action × party ----------------------------------------------------

PARTIES = {"me": 403, "peer": 403, "other_admin": 404, "opd_admin": None, "city_admin": None}
STATES = [EntryState.SUBMITTED, EntryState.VERIFIED, EntryState.REJECTED]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ["verify", "reject"])
@pytest.mark.parametrize("who", list(PARTIES))
def test_decision_triples(client, login_as, ledger_world, db, state, action, who):
    w = ledger_world
    entry = submit(w.me)
    entry.state = state
    db.session.flush()
    _login(login_as, w, who)
    response = client.post(f"{P}/entries/{entry.id}/{action}", data={"reason": "Tanggal salah"})
    db.session.expire_all()
    after = db.session.get(LedgerEntry, entry.id).state
    expected = PARTIES[who]
    if expected is not None:
        assert response.status_code == expected and after == state
    elif state == EntryState.SUBMITTED:
        assert response.status_code == 302
        assert after == (EntryState.VERIFIED if action == "verify" else EntryState.REJECTED)
        notice = db.session.scalars(
            sa.select(Notification).where(Notification.user_id == w.me.user_id)
        ).one()
        assert notice.link == f"{P}/entries/{entry.id}"
    else:
        assert response.status_code == 409 and after == state
        assert "is not possible while the record is" in response.text


def test_reject_needs_a_reason_and_keeps_the_page(client, login_as, ledger_world, db):
    entry = submit(ledger_world.me)
    login_as(ledger_world.opd_admin)
    response = client.post(f"{P}/entries/{entry.id}/reject", data={"reason": "   "})
    assert response.status_code == 400 and "Say why the record is rejected." in response.text
    db.session.expire_all()
    assert db.session.get(LedgerEntry, entry.id).state == EntryState.SUBMITTED


def test_the_rejection_reason_is_shown_to_the_asn(client, login_as, ledger_world):
    w = ledger_world
    entry = submit(w.me)
    login_as(w.city_admin)
    client.post(f"{P}/entries/{entry.id}/reject", data={"reason": "Sertifikat tidak terbaca"})
    login_as(w.me.user)
    html = client.get(f"{P}/entries/{entry.id}").get_data(as_text=True)
    assert "Sertifikat tidak terbaca" in html and "Rejected" in html
    # no decision forms for the ASN (the footer's public certificate check is no decision)
    assert re.search(r"entries/\d+/(verify|reject)\"", html) is None


def test_verify_without_csrf_is_refused(client, login_as, ledger_world, db):
    entry = submit(ledger_world.me)
    login_as(ledger_world.opd_admin)
    response = client.post(f"{P}/entries/{entry.id}/verify", data={}, csrf=False)
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(LedgerEntry, entry.id).state == EntryState.SUBMITTED
