"""Issue 18 part 2, points 10b, 10d and 10f, through the pages:

- 10b: the evidence chosen before "Show the JP first" is kept (a signed token in the form, the
  file waiting on the server) and saved with the record; a token of someone else, a forged one
  or one whose file is gone keeps nothing; a new file replaces the kept one;
- 10d: the hint that the ASN reads the reason for declining is on the supervisor's decision form
  only, not on the ASN's own registration page;
- 10f: once the ASN checked in to today's session, "My trainings" says so (with the time) and no
  longer offers "Check in now".
"""

from __future__ import annotations

import io
import re
from types import SimpleNamespace

import sqlalchemy as sa

from portal.auth.models import Role
from portal.curricula.models import CurriculumState
from portal.trainings.attendance import services as attendance_services
from portal.trainings.ledger import pending_evidence
from portal.trainings.ledger.models import LedgerEntry
from portal.trainings.models import RegistrationState
from portal.uploads import StoredFile
from tests.support.pages import visible_text
from tests.support.worlds import module_world
from tests.trainings.quiz_support import running_batch

S = RegistrationState
P = "/trainings/ledger"
DECLINE_HINT = "Required to decline; the ASN reads it."


def build_small(make) -> SimpleNamespace:
    """An OPD with ``boss`` and ``me`` (their staff) and ``peer``; ``me`` waits for the boss's
    approval of one training and is enrolled in another running now."""
    tmake = make.trainings
    opd = make.agency()

    def asn(supervisor=None):
        user = make.user(Role.ASN, agency=opd, locale="en")
        return make.asn_profile(user, supervisor=supervisor)

    w = SimpleNamespace(boss=asn())
    w.me, w.peer = asn(w.boss), asn(w.boss)
    curriculum = make.curriculum(state=CurriculumState.PUBLISHED, agency=opd)
    later = tmake.batch(curriculum=curriculum, title="Pelatihan Nanti")
    w.waiting = tmake.registration(later, w.me)
    w.running = running_batch(tmake, curriculum=curriculum, title="Pelatihan Sekarang")
    w.enrolled = tmake.registration(w.running, w.me, state=S.ENROLLED)
    make.session.flush()
    return w


small = module_world(build_small)


def _pdf(name="bukti.pdf"):
    return (io.BytesIO(b"%PDF-1.7\n%bukti\n"), name)


def _form(**changes):
    data = {
        "form": "seminar",
        "scope": "national",
        "title": "Seminar Kota Cerdas",
        "organiser": "Kemendagri",
        "started_on": "2025-03-10",
        "ended_on": "2025-03-11",
        "quantity": "2",
        "intent": "submit",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _kept_token(response) -> str:
    found = re.search(r'name="kept_evidence" type="hidden" value="([^"]*)"', response.text)
    if found is None:
        found = re.search(r'type="hidden" name="kept_evidence" value="([^"]*)"', response.text)
    assert found is not None, "the form carries no kept_evidence field"
    return found.group(1)


def _post(client, **changes):
    return client.post(f"{P}/submit", data=_form(**changes), content_type="multipart/form-data")


def _entries(db, asn):
    return list(db.session.scalars(sa.select(LedgerEntry).where(LedgerEntry.asn_id == asn.id)))


# --- 10b: the evidence survives the preview -----------------------------------------------------


def test_the_file_chosen_before_the_preview_is_saved_with_the_record(client, login_as, db, small):
    login_as(small.me.user)
    preview = _post(client, intent="preview", evidence=_pdf("sertifikat-kota.pdf"))
    assert preview.status_code == 200
    text = visible_text(preview)
    assert "This record would count" in text
    assert "Kept file: sertifikat-kota.pdf." in text
    token = _kept_token(preview)
    assert token
    assert _entries(db, small.me) == []
    saved = _post(client, kept_evidence=token)
    assert saved.status_code == 302
    (entry,) = _entries(db, small.me)
    evidence = db.session.get(StoredFile, entry.evidence_file_id)
    assert evidence.original_name == "sertifikat-kota.pdf"
    assert evidence.uploaded_by_id == small.me.user_id
    kept = pending_evidence.find(token, user_id=small.me.user_id)
    assert kept is None  # the waiting copy is gone once saved


def test_a_form_shown_with_an_error_keeps_the_file_too(client, login_as, db, small):
    login_as(small.me.user)
    refused = _post(client, title="  ", evidence=_pdf("tetap.pdf"))
    assert refused.status_code == 400
    assert "Kept file: tetap.pdf." in visible_text(refused)
    saved = _post(client, kept_evidence=_kept_token(refused))
    assert saved.status_code == 302
    (entry,) = _entries(db, small.me)
    assert db.session.get(StoredFile, entry.evidence_file_id).original_name == "tetap.pdf"


def test_a_new_file_replaces_the_kept_one(client, login_as, db, small):
    login_as(small.me.user)
    first = _kept_token(_post(client, intent="preview", evidence=_pdf("lama.pdf")))
    again = _post(client, intent="preview", kept_evidence=first, evidence=_pdf("baru.pdf"))
    assert "Kept file: baru.pdf." in visible_text(again)
    assert pending_evidence.find(first, user_id=small.me.user_id) is None
    _post(client, kept_evidence=_kept_token(again))
    (entry,) = _entries(db, small.me)
    assert db.session.get(StoredFile, entry.evidence_file_id).original_name == "baru.pdf"


def test_someone_elses_or_a_forged_token_keeps_nothing(client, login_as, db, small):
    login_as(small.peer.user)
    theirs = _kept_token(_post(client, intent="preview", evidence=_pdf("milik-rekan.pdf")))
    login_as(small.me.user)
    for token in (theirs, "palsu", theirs[:-2] + "xx", "x" * 600):
        response = _post(client, kept_evidence=token)
        assert response.status_code == 400
        text = visible_text(response)
        assert "Attach the certificate or other proof." in text
        assert "milik-rekan.pdf" not in text
    assert _entries(db, small.me) == []


def test_a_refused_kind_is_not_kept(client, login_as, small):
    login_as(small.me.user)
    response = _post(client, intent="preview", evidence=(io.BytesIO(b"MZ\x90"), "virus.exe"))
    assert "not accepted here" in visible_text(response)
    assert "Kept file" not in visible_text(response)
    assert _kept_token(response) == ""


# --- 10d: the supervisor's hint on the supervisor's form only ------------------------------------


def test_the_asn_does_not_read_the_supervisors_hint(client, login_as, small):
    url = f"/trainings/registrations/{small.waiting.id}"
    login_as(small.me.user)
    own = visible_text(client.get(url))
    assert "Cancel the registration" in own
    assert DECLINE_HINT not in own
    login_as(small.boss.user)
    theirs = visible_text(client.get(url))
    assert "Decline" in theirs and DECLINE_HINT in theirs


# --- 10f: "My trainings" after checking in -------------------------------------------------------


def test_my_trainings_says_the_asn_checked_in_instead_of_offering_it(client, login_as, db, small):
    login_as(small.me.user)
    before = visible_text(client.get("/trainings/mine"))
    assert "Check in now" in before and "Checked in at" not in before
    session = small.running.sessions[0]
    attendance_services.check_in(session, session.check_in_code, actor=small.me.user)
    db.session.flush()
    after = visible_text(client.get("/trainings/mine"))
    assert "Check in now" not in after
    assert re.search(r"Checked in at \d", after)
