"""Registration pages: registering and nominating, the workflow triples through the views
(state × action × party, QUALITY.md G5), who sees a registration (others 404), mass
assignment (G4), the supervisor's queue and the ASN's trainings (fixed query counts, P4)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.notify import Notification
from portal.trainings.models import BatchState, Registration, RegistrationEvent
from portal.trainings.models import RegistrationState as S
from tests.trainings.view_support import PARTIES, body, count, fresh, scene, text


def notices(db, user) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Notification.message_key).where(Notification.user_id == user.id)
        )
    )


# --- registering and nominating ------------------------------------------------------------------


def test_an_asn_registers_and_the_supervisor_is_asked(db, make, client, login_as):
    s = scene(db, make, make.trainings)
    login_as(s.asn)
    page = client.get(f"/trainings/batches/{s.batch.id}")
    assert "Register" in body(page)
    r = client.post(
        f"/trainings/batches/{s.batch.id}/register",
        data={"state": "enrolled", "user_id": s.other_asn.id, "asn_id": 1, "batch_id": 999},
    )
    assert r.status_code == 302
    reg = db.session.scalar(sa.select(Registration).where(Registration.batch_id == s.batch.id))
    assert (reg.user_id, reg.state, reg.nominated_by_id) == (s.asn.id, S.REQUESTED, None)
    assert r.headers["Location"].endswith(f"/trainings/registrations/{reg.id}")
    assert "trainings.requested" in notices(db, s.supervisor)
    again = client.post(f"/trainings/batches/{s.batch.id}/register")
    assert again.status_code == 409
    assert "already registered" in body(again)
    mine = client.get(f"/trainings/batches/{s.batch.id}")
    assert f"/trainings/registrations/{reg.id}" in body(mine)


def test_registration_refused_for_other_opd_or_closed_batch(db, make, client, login_as):
    s = scene(db, make, make.trainings)
    targeted = make.trainings.batch(curriculum=s.curriculum, target_agencies=[s.other_agency])
    closed = make.trainings.batch(curriculum=s.curriculum, state=BatchState.CLOSED)
    draft = make.trainings.batch(curriculum=s.curriculum, state=BatchState.DRAFT)
    login_as(s.asn)
    r = client.post(f"/trainings/batches/{targeted.id}/register")
    assert r.status_code == 409 and "for other OPD" in body(r)
    r = client.post(f"/trainings/batches/{closed.id}/register")
    assert r.status_code == 409 and "not open" in body(r)
    assert client.post(f"/trainings/batches/{draft.id}/register").status_code == 404
    assert count(db, Registration) == 0
    login_as(s.opd_admin)
    assert client.post(f"/trainings/batches/{s.batch.id}/register").status_code == 403


def test_an_opd_admin_finds_and_nominates_their_asn_only(db, make, client, login_as):
    s = scene(db, make, make.trainings)
    stranger = make.trainings.asn(agency=s.other_agency)
    login_as(s.opd_admin)
    found = client.get(f"/trainings/batches/{s.batch.id}?nominee={s.asn_record.nip}")
    assert s.asn.full_name in body(found)
    hidden = client.get(f"/trainings/batches/{s.batch.id}?nominee={stranger.nip}")
    assert "No ASN you may nominate matches." in text(body(hidden))
    assert (
        client.post(
            f"/trainings/batches/{s.batch.id}/nominate", data={"asn_id": stranger.id}
        ).status_code
        == 404
    )
    r = client.post(
        f"/trainings/batches/{s.batch.id}/nominate",
        data={"asn_id": s.asn_record.id, "state": "enrolled"},
    )
    assert r.status_code == 302
    reg = db.session.scalar(sa.select(Registration))
    assert (reg.asn_id, reg.state, reg.nominated_by_id) == (
        s.asn_record.id,
        S.REQUESTED,
        s.opd_admin.id,
    )
    assert "trainings.nominated" in notices(db, s.asn)
    bad = client.post(f"/trainings/batches/{s.batch.id}/nominate", data={"asn_id": "x"})
    assert bad.status_code == 400
    login_as(s.city_admin)
    r = client.post(f"/trainings/batches/{s.batch.id}/nominate", data={"asn_id": stranger.id})
    assert r.status_code == 302 and count(db, Registration) == 2
    login_as(s.supervisor)
    assert (
        client.post(
            f"/trainings/batches/{s.batch.id}/nominate", data={"asn_id": s.other_record.id}
        ).status_code
        == 403
    )


# --- the workflow triples ------------------------------------------------------------------------

ACTIVE = (S.REQUESTED, S.ENROLLED, S.WAITLISTED)
#: party -> action -> states where it succeeds; "hidden": 404 whatever; "role": 403 whatever
ALLOWED = {
    "asn": {"cancel": ACTIVE},
    "supervisor": {"approve": (S.REQUESTED,), "decline": (S.REQUESTED,)},
    "opd_admin": {"cancel": ACTIVE},
    "city_admin": {"cancel": ACTIVE},
}
HIDDEN = {"other_asn", "other_admin"}
NEXT = {"approve": S.ENROLLED, "decline": S.DECLINED, "cancel": S.CANCELLED}


@pytest.mark.parametrize("party", PARTIES)
@pytest.mark.parametrize("action", ["approve", "decline", "cancel"])
@pytest.mark.parametrize("state", [S.REQUESTED, S.ENROLLED, S.WAITLISTED, S.DECLINED,
                                   S.CANCELLED, S.COMPLETED])  # fmt: skip
def test_registration_workflow_triples(db, make, client, login_as, state, action, party):
    s = scene(db, make, make.trainings)
    reg = make.trainings.registration(
        s.batch, s.asn_record, state=state, waitlist_position=1 if state == S.WAITLISTED else None
    )
    login_as(getattr(s, party))
    r = client.post(
        f"/trainings/registrations/{reg.id}/action",
        data={"action": action, "note": "Jadwal bentrok dengan tugas kantor"},
    )
    after = fresh(db, reg).state
    if party in HIDDEN:
        assert r.status_code == 404
    elif party == "facilitator":
        assert r.status_code == 403
    elif state in ALLOWED.get(party, {}).get(action, ()):
        assert r.status_code == 302, body(r)
        assert after == NEXT[action]
        assert count(db, RegistrationEvent, RegistrationEvent.registration_id == reg.id) == 1
        return
    else:
        assert r.status_code == 409, body(r)
    assert after == state


def test_approving_a_full_batch_waitlists_and_the_page_shows_the_number(db, make, client, login_as):
    s = scene(db, make, make.trainings, capacity=1)
    make.trainings.registration(s.batch, s.other_record, state=S.ENROLLED)
    reg = make.trainings.registration(s.batch, s.asn_record)
    login_as(s.supervisor)
    r = client.post(f"/trainings/registrations/{reg.id}/action", data={"action": "approve"})
    assert r.status_code == 302 and fresh(db, reg).state == S.WAITLISTED
    page = client.get(f"/trainings/registrations/{reg.id}")
    assert "Number 1 on the waiting list" in text(body(page))


def test_declining_needs_a_reason_and_keeps_the_form(db, make, client, login_as):
    s = scene(db, make, make.trainings)
    reg = make.trainings.registration(s.batch, s.asn_record)
    login_as(s.supervisor)
    r = client.post(
        f"/trainings/registrations/{reg.id}/action", data={"action": "decline", "note": "  "}
    )
    assert r.status_code == 400 and "Give a reason for declining." in body(r)
    assert fresh(db, reg).state == S.REQUESTED
    bogus = client.post(f"/trainings/registrations/{reg.id}/action", data={"action": "promote"})
    assert bogus.status_code == 400 and fresh(db, reg).state == S.REQUESTED


def test_extra_fields_on_an_action_are_ignored(db, make, client, login_as):
    s = scene(db, make, make.trainings)
    reg = make.trainings.registration(s.batch, s.asn_record)
    login_as(s.supervisor)
    client.post(
        f"/trainings/registrations/{reg.id}/action",
        data={
            "action": "approve",
            "state": "completed",
            "user_id": s.supervisor.id,
            "has_clash": "y",
            "attendance_rate": "1",
            "waitlist_position": "7",
        },
    )
    after = fresh(db, reg)
    assert (
        after.state,
        after.user_id,
        after.has_clash,
        after.attendance_rate,
        after.waitlist_position,
    ) == (S.ENROLLED, s.asn.id, False, None, None)


# --- who sees a registration ---------------------------------------------------------------------


@pytest.mark.parametrize(("party", "status", "buttons"), [
    ("asn", 200, ["Cancel the registration"]),
    ("supervisor", 200, ["Approve", "Decline"]),
    ("opd_admin", 200, ["Cancel the registration"]),
    ("city_admin", 200, ["Cancel the registration"]),
    ("facilitator", 200, []),
    ("other_asn", 404, None),
    ("other_admin", 404, None),
])  # fmt: skip
def test_registration_page_scoping_and_exact_buttons(
    db, make, client, login_as, party, status, buttons
):
    s = scene(db, make, make.trainings)
    reg = make.trainings.registration(s.batch, s.asn_record)
    login_as(getattr(s, party))
    r = client.get(f"/trainings/registrations/{reg.id}")
    assert r.status_code == status
    if buttons is None:
        return
    shown = [
        value
        for value in ("approve", "decline", "cancel")
        if f'name="action" value="{value}"' in body(r)
    ]
    assert len(shown) == len(buttons)
    for title in buttons:
        assert title in body(r)


def test_the_history_shows_every_step(db, make, client, login_as):
    s = scene(db, make, make.trainings)
    login_as(s.asn)
    client.post(f"/trainings/batches/{s.batch.id}/register")
    reg = db.session.scalar(sa.select(Registration))
    login_as(s.supervisor)
    client.post(
        f"/trainings/registrations/{reg.id}/action",
        data={"action": "decline", "note": "Beban kerja bulan ini tinggi"},
    )
    login_as(s.asn)
    page = text(body(client.get(f"/trainings/registrations/{reg.id}")))
    assert "Registered by the ASN" in page and "Declined by the supervisor" in page
    assert "Beban kerja bulan ini tinggi" in page


# --- the supervisor's queue and the ASN's trainings ----------------------------------------------


def test_the_approval_queue_lists_direct_reports_only(db, make, client, login_as):
    s = scene(db, make, make.trainings)
    mine = make.trainings.registration(s.batch, s.asn_record)
    mine.has_clash = True
    other = make.trainings.registration(s.batch, s.other_record)
    db.session.flush()
    login_as(s.supervisor)
    page = body(client.get("/trainings/approvals"))
    assert f'/trainings/registrations/{mine.id}"' in page
    assert f'/trainings/registrations/{other.id}"' not in page
    assert "Schedule clash" in page
    r = client.post(
        f"/trainings/registrations/{mine.id}/action",
        data={"action": "approve", "back": "approvals"},
    )
    assert r.headers["Location"].endswith("/trainings/approvals")
    r = client.post(
        f"/trainings/registrations/{mine.id}/action",
        data={"action": "decline", "note": "Terlambat", "back": "https://evil.example"},
    )
    assert r.status_code == 409 and "Location" not in r.headers
    assert fresh(db, mine).state == S.ENROLLED


def _reports(make, tmake, s, n):
    for _ in range(n):
        report = tmake.asn(supervisor=s.supervisor_record, agency=s.agency)
        batch = tmake.batch(curriculum=s.curriculum, sessions=2)
        tmake.registration(batch, report)


def _count_page(client, count_queries, url):
    client.get(url)  # warm caches (translations, templates)
    with count_queries() as n:
        assert client.get(url).status_code == 200
    return n()


def test_the_approval_queue_has_a_fixed_number_of_queries(
    db, make, client, login_as, count_queries
):
    s = scene(db, make, make.trainings)
    login_as(s.supervisor)
    _reports(make, make.trainings, s, 2)
    small = _count_page(client, count_queries, "/trainings/approvals")
    _reports(make, make.trainings, s, 8)
    assert _count_page(client, count_queries, "/trainings/approvals") == small


def _history(tmake, s, n):
    for i in range(n):
        batch = tmake.batch(curriculum=s.curriculum, sessions=2)
        tmake.registration(batch, s.asn_record, state=S.ENROLLED if i % 2 else S.COMPLETED)


def test_my_trainings_lists_upcoming_and_past_in_fixed_queries(
    db, make, client, login_as, count_queries
):
    s = scene(db, make, make.trainings)
    login_as(s.asn)
    _history(make.trainings, s, 2)
    small = _count_page(client, count_queries, "/trainings/mine")
    _history(make.trainings, s, 10)
    assert _count_page(client, count_queries, "/trainings/mine") == small
    page = text(body(client.get("/trainings/mine")))
    assert "Current and upcoming" in page and "Past and closed" in page


def test_my_trainings_is_for_asn_only(db, make, client, login_as):
    s = scene(db, make, make.trainings)
    login_as(s.facilitator)
    assert client.get("/trainings/mine").status_code == 403
    assert client.get("/trainings/approvals").status_code == 403
