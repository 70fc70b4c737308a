"""The official's decision on an award nomination (issue 17, point 8): once the dossier is
submitted, an admin records the decision letter (SK: number and date, as SIASN's riwayat
penghargaan holds them) or that the ASN was not awarded. The portal still never grants: it
records what the authorised official decided."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from portal.audit import AuditEvent
from portal.auth.models import Role
from portal.errors import FieldError, InvalidTransition
from portal.own_record import OwnRecord
from portal.trainings.recognition import nomination_services
from portal.trainings.recognition.models import AwardKind, NominationState
from portal.trainings.recognition.services import NotYourOpd
from portal.util import clock
from tests.support.pages import visible_text
from tests.support.worlds import module_world

CHECKS = dict.fromkeys(("no_disciplinary_sentence", "lhkasn_filed", "no_legal_proceedings"), True)
SK = "800/123/BKPSDM/2026"


def build_dossiers(make) -> SimpleNamespace:
    """One OPD with two ASN: ``submitted`` (a dossier forwarded to the Wali Kota) and
    ``prepared`` (one still being prepared); the OPD's admin, an admin who is the nominee
    themself, and another OPD's admin."""
    opd = make.agency()
    w = SimpleNamespace(
        opd_admin=make.user(Role.ADMIN, admin_agency=opd, locale="en"),
        other_admin=make.user(Role.ADMIN, admin_agency=make.agency(), locale="en"),
    )
    nominee_admin = make.user(Role.ASN, Role.ADMIN, agency=opd, admin_agency=opd, locale="en")
    w.nominee_admin = nominee_admin

    def dossier(user, submit: bool):
        asn = make.asn_profile(user)
        nomination = nomination_services.save_nomination(
            None,
            asn=asn,
            award=AwardKind.ANUGERAH_ASN.value,
            category="PNS Inspiratif",
            year=clock.today().year,
            justification="Kinerja dan pengembangan kompetensi yang menonjol.",
            checks=CHECKS,
            actor=w.opd_admin,
        )
        if submit:
            nomination_services.submit_nomination(
                nomination, submitted_to="Wali Kota Medan", actor=w.opd_admin
            )
        return nomination

    w.submitted = dossier(make.user(Role.ASN, agency=opd), True)
    w.prepared = dossier(make.user(Role.ASN, agency=opd), False)
    w.own = dossier(nominee_admin, True)
    return w


dossiers = module_world(build_dossiers)


def _decide(nomination, actor, *, awarded=True, number=SK, on=None):
    return nomination_services.record_decision(
        nomination,
        awarded=awarded,
        decision_number=number,
        decision_date=on or clock.today(),
        actor=actor,
    )


def test_an_award_is_recorded_with_its_decision_letter(db, dossiers):
    w = dossiers
    _decide(w.submitted, w.opd_admin)
    assert (w.submitted.state, w.submitted.decision_number, w.submitted.decision_date) == (
        NominationState.AWARDED,
        SK,
        clock.today(),
    )
    assert w.submitted.decision_recorded_by_id == w.opd_admin.id
    steps = db.session.scalars(
        sa.select(AuditEvent.detail).where(
            AuditEvent.action == "recognition.nominate", AuditEvent.target_id == w.submitted.id
        )
    ).all()
    assert any('"step": "awarded"' in (d or "") for d in steps)
    with pytest.raises(InvalidTransition, match="already recorded"):
        _decide(w.submitted, w.opd_admin, awarded=False)


def test_not_awarded_needs_a_date_but_no_number(db, dossiers):
    nomination = _decide(dossiers.submitted, dossiers.opd_admin, awarded=False, number="  ")
    assert (nomination.state, nomination.decision_number) == (NominationState.NOT_AWARDED, None)


@pytest.mark.parametrize(
    ("number", "days", "field", "message"),
    [
        ("", 0, "decision_number", "number of the decision letter"),
        (SK, 1, "decision_date", "cannot be in the future"),
        (SK, -30, "decision_date", "cannot come before the submission"),
    ],
)
def test_a_decision_that_cannot_be_is_refused_beside_its_field(
    db, dossiers, number, days, field, message
):
    on = clock.today() + timedelta(days=days)
    with pytest.raises(FieldError, match=message) as refused:
        _decide(dossiers.submitted, dossiers.opd_admin, number=number, on=on)
    assert refused.value.field == field
    assert dossiers.submitted.state == NominationState.SUBMITTED


def test_who_may_record_it_and_when(db, dossiers):
    w = dossiers
    with pytest.raises(NotYourOpd):
        _decide(w.submitted, w.other_admin)
    with pytest.raises(InvalidTransition, match="Submit the nomination first"):
        _decide(w.prepared, w.opd_admin)
    with pytest.raises(OwnRecord):
        _decide(w.own, w.nominee_admin)
    assert not w.own.can_record_decision(w.nominee_admin)
    assert w.own.can_record_decision(w.opd_admin)


def test_the_dossier_page_records_it_and_keeps_what_was_typed(db, client, login_as, dossiers):
    w = dossiers
    db.session.commit()
    login_as(w.opd_admin)
    url = f"/trainings/recognition/nominations/{w.submitted.id}"
    assert "Record the decision" in visible_text(client.get(url))
    typed = {"outcome": "awarded", "decision_number": "", "decision_date": "2020-01-01"}
    refused = client.post(f"{url}/decision", data=typed)
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "Give the number of the decision letter (SK)." in html
    assert 'value="2020-01-01"' in html
    done = client.post(
        f"{url}/decision",
        data={"outcome": "awarded", "decision_number": SK, "decision_date": clock.today()},
    )
    assert done.status_code == 302
    page = visible_text(client.get(url))
    assert f"SK {SK}" in page and "Awarded (decision letter recorded)" in page
    assert "Record the decision" not in page
