"""Batch pages: the list (drafts only for the people who run them, search and filters) and the
batch page (drafts and cancelled batches hidden from others, what each party may do), each with
a fixed number of queries (QUALITY.md G3, P4). (Scheduling and running a batch:
test_views_batch_management.py.)"""

from __future__ import annotations

import pytest

from portal.trainings.models import BatchState
from portal.trainings.models import RegistrationState as S
from tests.trainings.view_support import body, scene, text


def batch_ids(html: str, batches) -> set[int]:
    return {b.id for b in batches if f'/trainings/batches/{b.id}"' in html}


# --- the list ------------------------------------------------------------------------------------


def test_the_list_shows_drafts_only_to_the_people_who_run_them(db, make, client, login_as):
    s = scene(db, make, make.trainings)
    draft = make.trainings.batch(
        curriculum=s.curriculum, state=BatchState.DRAFT, title="Draf Pelatihan"
    )
    cancelled = make.trainings.batch(curriculum=s.curriculum, state=BatchState.CANCELLED)
    led = make.trainings.batch(
        curriculum=s.curriculum, state=BatchState.DRAFT, facilitators=[s.facilitator]
    )
    every = [s.batch, draft, cancelled, led]
    seen = {}
    for party in ("asn", "other_admin", "opd_admin", "city_admin", "facilitator"):
        login_as(getattr(s, party))
        seen[party] = batch_ids(body(client.get("/trainings/batches")), every)
    assert seen["asn"] == seen["other_admin"] == {s.batch.id}
    assert seen["opd_admin"] == seen["city_admin"] == {b.id for b in every}
    assert seen["facilitator"] == {s.batch.id, led.id}


def test_the_list_searches_and_filters(db, make, client, login_as):
    s = scene(db, make, make.trainings)
    closed = make.trainings.batch(
        curriculum=s.curriculum, state=BatchState.CLOSED, title="Analisis Data"
    )
    targeted = make.trainings.batch(
        curriculum=s.curriculum, target_agencies=[s.other_agency], title="Khusus OPD lain"
    )
    every = [s.batch, closed, targeted]
    login_as(s.city_admin)
    assert batch_ids(body(client.get("/trainings/batches?q=analisis")), every) == {closed.id}
    assert batch_ids(body(client.get("/trainings/batches?state=closed")), every) == {closed.id}
    mine = batch_ids(body(client.get(f"/trainings/batches?opd={s.agency.id}")), every)
    assert mine == {s.batch.id, closed.id}
    odd = client.get("/trainings/batches?q=%00%25&state=nope&opd=-3&page=99999")
    assert odd.status_code == 200
    login_as(s.asn)
    page = text(body(client.get("/trainings/batches")))
    assert "Open to you" in page and "For other OPD or positions" in page


def _populate(tmake, s, n):
    for _ in range(n):
        batch = tmake.batch(
            curriculum=s.curriculum, sessions=2, target_agencies=[s.agency], target_positions=[]
        )
        tmake.registration(batch, state=S.ENROLLED)


def _count_page(client, count_queries, url):
    client.get(url)
    with count_queries() as n:
        assert client.get(url).status_code == 200
    return n()


def test_the_list_has_a_fixed_number_of_queries(db, make, client, login_as, count_queries):
    s = scene(db, make, make.trainings)
    login_as(s.asn)
    _populate(make.trainings, s, 2)
    small = _count_page(client, count_queries, "/trainings/batches")
    _populate(make.trainings, s, 12)
    assert _count_page(client, count_queries, "/trainings/batches") == small


# --- the batch page ------------------------------------------------------------------------------


@pytest.mark.parametrize(("party", "draft", "cancelled"), [
    ("asn", 404, 200), ("other_asn", 404, 404), ("other_admin", 404, 404),
    ("opd_admin", 200, 200), ("city_admin", 200, 200), ("facilitator", 200, 200),
])  # fmt: skip
def test_drafts_and_cancelled_batches_are_hidden_from_others(
    db, make, client, login_as, party, draft, cancelled
):
    s = scene(db, make, make.trainings)
    hidden = make.trainings.batch(
        curriculum=s.curriculum, state=BatchState.DRAFT, facilitators=[s.facilitator]
    )
    gone = make.trainings.batch(
        curriculum=s.curriculum, state=BatchState.CANCELLED, facilitators=[s.facilitator]
    )
    make.trainings.registration(gone, s.asn_record, state=S.CANCELLED)
    login_as(getattr(s, party))
    assert client.get(f"/trainings/batches/{hidden.id}").status_code == draft
    assert client.get(f"/trainings/batches/{gone.id}").status_code == cancelled
    assert client.get(f"/trainings/batches/{s.batch.id}").status_code == 200
    assert client.get("/trainings/batches/999999").status_code == 404


def test_the_page_shows_each_party_what_it_may_do(db, make, client, login_as):
    s = scene(db, make, make.trainings, capacity=1)
    make.trainings.registration(s.batch, s.other_record, state=S.ENROLLED)
    waiting = make.trainings.registration(
        s.batch, make.trainings.asn(agency=s.agency), state=S.WAITLISTED, waitlist_position=3
    )
    waiting.has_clash = True
    db.session.flush()
    login_as(s.asn)
    page = body(client.get(f"/trainings/batches/{s.batch.id}"))
    assert '/register"' in page and "Participants" not in page and '/step"' not in page
    assert "Aula BKPSDM" in page and "0 of 1 seats left" in text(page)
    login_as(s.opd_admin)
    page = text(body(client.get(f"/trainings/batches/{s.batch.id}")))
    assert "Participants" in page and "number 1" in page and "Schedule clash" in page
    assert "Close registration" in page and "Nominate an ASN" in page
    assert "Attendance sheet" in page and "Check-in code" in page
    login_as(s.facilitator)
    page = text(body(client.get(f"/trainings/batches/{s.batch.id}")))
    assert "Participants" in page and "Attendance sheet" in page
    assert "Close registration" not in page and "Nominate an ASN" not in page


def test_the_roster_has_a_fixed_number_of_queries(db, make, client, login_as, count_queries):
    s = scene(db, make, make.trainings, capacity=50)
    login_as(s.opd_admin)
    for _ in range(2):
        make.trainings.registration(s.batch, state=S.ENROLLED)
    small = _count_page(client, count_queries, f"/trainings/batches/{s.batch.id}")
    for _ in range(15):
        make.trainings.registration(s.batch, state=S.REQUESTED)
    assert _count_page(client, count_queries, f"/trainings/batches/{s.batch.id}") == small
