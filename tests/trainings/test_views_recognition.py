"""Recognition pages: rules, the proposals queue, the ASN's page and consent, the hall of fame,
award nominations, the badges on the profile, scoping and query counts."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.auth.models import Role
from portal.certificates.models import Certificate
from portal.trainings.recognition import nomination_services
from portal.trainings.recognition import services as recognition_services
from portal.trainings.recognition.models import (
    AwardNomination,
    NominationState,
    ProposalState,
    RecognitionKind,
    RecognitionProposal,
    RecognitionRule,
)
from tests.trainings import recognition_support
from tests.trainings.ledger_support import verified
from tests.trainings.recognition_support import YEAR

rworld = recognition_support.rworld

QUEUE = "/trainings/recognition/proposals"
FAME = "/trainings/recognition/hall-of-fame"


pytestmark = pytest.mark.usefixtures("english_only")  # they read the English texts


def _proposals(rworld):
    return {p.asn_id: p for p in recognition_services.propose(YEAR)}


def test_only_city_admins_reach_rules_and_queue(client, login_as, db, rworld):
    rule_id = db.session.scalar(sa.select(sa.func.min(RecognitionRule.id)))
    for url in ("/trainings/recognition/rules", QUEUE):
        login_as(rworld.opd_admin)
        assert client.get(url).status_code == 403
        login_as(rworld.city_admin)
        assert client.get(url).status_code == 200
    login_as(rworld.opd_admin)
    assert client.post(f"/trainings/recognition/rules/{rule_id}/edit").status_code == 403


def test_city_admin_edits_a_rule_and_bad_input_is_kept(client, login_as, db, rworld):
    rule = db.session.scalar(
        sa.select(RecognitionRule).where(RecognitionRule.kind == RecognitionKind.JPM_GAIN)
    )
    login_as(rworld.city_admin)
    url = f"/trainings/recognition/rules/{rule.id}/edit"
    bad = client.post(url, data={"title": "JPM naik banyak", "threshold": "500", "is_active": "y"})
    assert bad.status_code == 400
    html = bad.get_data(as_text=True)
    assert "The threshold runs from 1.0 to 100.0." in html and "JPM naik banyak" in html
    ok = client.post(url, data={"title": "JPM naik 15 poin", "threshold": "15"})
    assert ok.status_code == 302
    db.session.expire_all()
    assert (rule.title, rule.threshold, rule.is_active) == ("JPM naik 15 poin", 15.0, False)


def test_queue_shows_evidence_and_approval_issues_certificate(client, login_as, db, rworld):
    proposals = _proposals(rworld)
    login_as(rworld.city_admin)
    html = client.get(QUEUE).get_data(as_text=True)
    assert "20.0 verified JP of a target of 20" in html
    assert "JPM 66.7% → 100.0% (+33.3 points)" in html
    assert "Average supervisor rating 3.0 of 4 after “Pelatihan Pelayanan Publik”" in html
    jp = proposals[rworld.jp.id]
    response = client.post(f"/trainings/recognition/proposals/{jp.id}/approve")
    assert response.status_code == 302
    db.session.expire_all()
    assert jp.state == ProposalState.APPROVED
    certificate = db.session.get(Certificate, jp.certificate_id)
    assert certificate.source_type == "recognition"
    # the ASN sees the badge, the certificate and a link to its PDF
    login_as(rworld.jp.user)
    mine = client.get("/trainings/recognition/mine").get_data(as_text=True)
    assert "Target 20 JP tercapai" in mine and certificate.number in mine
    pdf = client.get(f"/certificates/{certificate.id}.pdf")
    assert pdf.status_code == 200 and b"recognised for verified progress" in pdf.data
    profile = client.get("/competency/").get_data(as_text=True)
    assert "Target 20 JP tercapai · 2025" in profile


def test_rejection_needs_a_reason(client, login_as, db, rworld):
    proposal = _proposals(rworld)[rworld.jpm.id]
    login_as(rworld.city_admin)
    url = f"/trainings/recognition/proposals/{proposal.id}/reject"
    refused = client.post(url, data={"reason": "   "})
    assert refused.status_code == 400
    assert "This field is required." in refused.get_data(as_text=True)
    assert client.post(url, data={"reason": "Penilaian ulang diperlukan"}).status_code == 302
    db.session.expire_all()
    assert (proposal.state, proposal.reason) == (
        ProposalState.REJECTED,
        "Penilaian ulang diperlukan",
    )
    # deciding again is refused with a message, not an error page
    again = client.post(f"/trainings/recognition/proposals/{proposal.id}/approve")
    assert again.status_code == 302
    assert client.post("/trainings/recognition/proposals/999999/approve").status_code == 404


def test_city_admin_looks_for_new_proposals(client, login_as, db, rworld):
    login_as(rworld.city_admin)
    assert (
        client.post("/trainings/recognition/proposals/find", data={"year": "99"}).status_code == 400
    )
    response = client.post("/trainings/recognition/proposals/find", data={"year": str(YEAR)})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(RecognitionProposal.id))) == 3


def test_consent_and_withdrawal_in_the_hall_of_fame(client, login_as, make, db, rworld):
    for proposal in _proposals(rworld).values():
        recognition_services.approve(proposal, actor=rworld.city_admin)
    name = rworld.jp.user.full_name
    student = make.user(Role.STUDENT)
    login_as(student)
    assert name not in client.get(FAME).get_data(as_text=True)
    login_as(rworld.jp.user)
    assert (
        client.post("/trainings/recognition/mine/consent", data={"action": "give"}).status_code
        == 302
    )
    login_as(student)
    assert name in client.get(FAME).get_data(as_text=True)
    assert name in client.get(f"{FAME}?opd={rworld.opd.id}").get_data(as_text=True)
    assert name not in client.get(f"{FAME}?opd={rworld.other.id}").get_data(as_text=True)
    login_as(rworld.jp.user)
    client.post("/trainings/recognition/mine/consent", data={"action": "withdraw"})
    login_as(student)
    assert name not in client.get(FAME).get_data(as_text=True)


def test_asn_without_record_gets_a_message(client, login_as, make):
    login_as(make.user(Role.ASN))
    response = client.get("/trainings/recognition/mine")
    assert response.status_code == 200 and "not linked" in response.get_data(as_text=True)
    assert (
        client.post("/trainings/recognition/mine/consent", data={"action": "give"}).status_code
        == 404
    )


def _dossier_data(**extra):
    return {
        "award": "anugerah_asn",
        "category": "PNS Inspiratif",
        "year": str(YEAR),
        "justification": "Target JP tercapai dan JPM naik.",
        **extra,
    }


def test_opd_admin_prepares_and_submits_a_nomination(client, login_as, db, rworld):
    login_as(rworld.other_admin)
    refused = client.post(
        "/trainings/recognition/nominations/new", data=_dossier_data(nip=rworld.jp.nip)
    )
    assert refused.status_code == 400
    assert "No ASN of your OPD has this NIP." in refused.get_data(as_text=True)
    login_as(rworld.opd_admin)
    response = client.post(
        "/trainings/recognition/nominations/new",
        data=_dossier_data(nip=rworld.jp.nip, lhkasn_filed="y"),
    )
    assert response.status_code == 302
    nomination = db.session.scalar(sa.select(AwardNomination))
    page = client.get(f"/trainings/recognition/nominations/{nomination.id}").get_data(as_text=True)
    assert "It is not an award" in page and "PNS Inspiratif" in page
    submit = f"/trainings/recognition/nominations/{nomination.id}/submit"
    blocked = client.post(submit, data={"submitted_to": "Wali Kota Medan"})
    assert blocked.status_code == 409 and "eligibility checklist" in blocked.get_data(as_text=True)
    edit = f"/trainings/recognition/nominations/{nomination.id}/edit"
    checks = {"no_disciplinary_sentence": "y", "lhkasn_filed": "y", "no_legal_proceedings": "y"}
    assert client.post(edit, data=_dossier_data(**checks)).status_code == 302
    assert client.post(submit, data={"submitted_to": "Wali Kota Medan"}).status_code == 302
    db.session.expire_all()
    assert nomination.state == NominationState.SUBMITTED
    assert nomination.submitted_to == "Wali Kota Medan"
    # another OPD's admin does not see it at all
    login_as(rworld.other_admin)
    assert client.get(f"/trainings/recognition/nominations/{nomination.id}").status_code == 404
    assert rworld.jp.user.full_name not in client.get(
        "/trainings/recognition/nominations"
    ).get_data(as_text=True)


def _grow(make, opd, position, n: int) -> None:
    """``n`` more ASN with 20 verified JP, approved and in the hall of fame."""
    admin = make.user(Role.ADMIN)
    for _ in range(n):
        asn = make.asn_profile(make.user(Role.ASN, agency=opd), position=position)
        verified(asn, 4)
    for proposal in recognition_services.propose(YEAR):
        if proposal.asn_id % 2:
            recognition_services.approve(proposal, actor=admin)
            asn = proposal.asn
            recognition_services.give_consent(asn, actor=asn.user)


def test_queue_and_hall_of_fame_use_a_fixed_number_of_queries(
    client, login_as, make, db, rworld, count_queries
):
    def counts():
        result = []
        for url in (f"{QUEUE}?state=", f"{QUEUE}?year={YEAR}", FAME):
            db.session.expire_all()
            with count_queries() as n:
                assert client.get(url).status_code == 200
            result.append(n())
        return result

    login_as(rworld.city_admin)
    _grow(make, rworld.opd, rworld.position, 2)
    small = counts()
    _grow(make, make.agency(), rworld.position, 12)
    assert counts() == small
    assert max(small) <= 8


def test_odd_input_never_gives_a_server_error(client, login_as, make, db, rworld):
    proposal = _proposals(rworld)[rworld.jp.id]
    rule_id = db.session.scalar(sa.select(sa.func.min(RecognitionRule.id)))
    odd = [
        {},
        {"reason": "\x00" * 3, "year": "1e309", "threshold": "nan", "title": "a\x00b"},
        {
            "year": "9" * 40,
            "threshold": "9" * 40,
            "nip": "\x00",
            "award": "granted",
            "justification": "x" * 5000,
            "submitted_to": "y" * 500,
        },
    ]
    login_as(rworld.city_admin)
    nomination = nomination_services.save_nomination(
        None,
        asn=rworld.jp,
        award="other",
        category=None,
        year=YEAR,
        justification="Baik.",
        checks={},
        actor=rworld.city_admin,
    )
    urls = [
        f"/trainings/recognition/rules/{rule_id}/edit",
        f"/trainings/recognition/proposals/{proposal.id}/reject",
        f"/trainings/recognition/proposals/{proposal.id}/approve",
        "/trainings/recognition/proposals/find",
        "/trainings/recognition/nominations/new",
        f"/trainings/recognition/nominations/{nomination.id}/edit",
        f"/trainings/recognition/nominations/{nomination.id}/submit",
    ]
    for url in urls:
        for data in odd:
            assert client.post(url, data=data).status_code < 500, (url, data)
    for query in ("?state=\x00&year=99999999999&opd=-1&page=999999&q=%25", "?opd=abc"):
        assert client.get(QUEUE + query).status_code == 200
        assert client.get(FAME + query).status_code == 200
        assert client.get("/trainings/recognition/nominations" + query).status_code == 200
    login_as(rworld.jp.user)
    for data in odd + [{"action": "destroy"}]:
        assert client.post("/trainings/recognition/mine/consent", data=data).status_code == 302
    # no odd reason rejected it; the one-click approve needs only the CSRF token
    db.session.expire_all()
    assert (proposal.state, proposal.reason) == (ProposalState.APPROVED, None)
