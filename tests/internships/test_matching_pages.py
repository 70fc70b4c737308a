"""The pages of a matching round (issue 18, part 1) and the stumbling blocks of part 2 on the
internship pages: the intake form, the round page (preview, publish, export), the OPD's ranking
page (a bad score keeps what was typed), the student's preferences with the reason of their
result (no other applicant's identity), the confirmation before an accepted offer withdraws the
other applications (point 10), the logbook that says when it opens (point 9) and "Posisi
magang" (point 7)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from portal.internships import lifecycle
from portal.internships.applications.models import Application, ApplicationState
from portal.internships.matching import services as matching
from portal.internships.models import IntakeMode, InternshipPeriod
from portal.util import clock
from tests.internships.matching_support import app_of, build_round
from tests.support.worlds import module_world

S = ApplicationState
P = "/internships"

round_world = module_world(build_round)


def test_the_city_admin_sets_a_periods_intake_mode(client, login_as, db, make, round_world):
    w = round_world
    period = make.internships.period()
    url = f"{P}/manage/periods/{period.id}/intake"
    w.opd_a.locale = w.city_admin.locale = "en"
    login_as(w.opd_a)
    assert client.get(url).status_code == 200
    assert client.post(url, data={"intake_mode": "matching"}).status_code == 403
    login_as(w.city_admin)
    refused = client.post(url, data={"intake_mode": "matching", "preference_limit": "4"})
    assert refused.status_code == 400
    assert "Give the last day students may rank positions." in refused.get_data(as_text=True)
    assert 'value="4"' in refused.get_data(as_text=True)  # what was typed stays
    day = (clock.today() + timedelta(days=9)).isoformat()
    done = client.post(
        url, data={"intake_mode": "matching", "preference_limit": "4", "preferences_close_on": day}
    )
    assert done.status_code == 302 and done.headers["Location"].endswith(
        f"/manage/matching/{period.id}"
    )
    db.session.expire_all()
    assert period.intake_mode == IntakeMode.MATCHING and period.preference_limit == 4


def test_the_round_page_previews_exports_and_publishes(client, login_as, db, round_world):
    w = round_world
    login_as(w.city_admin)
    page = client.get(f"{P}/manage/matching/{w.period.id}").get_data(as_text=True)
    assert "Students with endorsed preferences: 4" in page
    assert (
        client.post(f"{P}/manage/matching/{w.period.id}/preview", data={"seed": "-3"}).status_code
        == 400
    )
    assert (
        client.post(f"{P}/manage/matching/{w.period.id}/preview", data={"seed": "7"}).status_code
        == 302
    )
    page = client.get(f"{P}/manage/matching/{w.period.id}").get_data(as_text=True)
    for text in ("<code>7</code>", "Mahasiswa Ana Uji", "Pengelola Arsip", "Mahasiswa Dedi Uji"):
        assert text in page, text
    run = (
        w.period
        and db.session.scalars(
            sa.text("SELECT id FROM internship_matching_runs ORDER BY id DESC")
        ).first()
    )
    csv = client.get(f"{P}/manage/matching/runs/{run}.csv")
    assert csv.status_code == 200 and "Mahasiswa Budi Uji" in csv.get_data(as_text=True)
    login_as(w.opd_a)  # an OPD admin reads the round and scores; never runs or publishes
    page = client.get(f"{P}/manage/matching/{w.period.id}").get_data(as_text=True)
    assert "Analis Data Kesehatan" in page and "Publish this match" not in page
    assert client.post(f"{P}/manage/matching/runs/{run}/publish").status_code == 403
    login_as(w.city_admin)
    assert client.post(f"{P}/manage/matching/runs/{run}/publish").status_code == 302
    db.session.expire_all()
    assert db.session.get(InternshipPeriod, w.period.id).matched_at is not None


def test_the_ranking_page_keeps_a_bad_score_and_is_the_opds_own(client, login_as, db, round_world):
    w = round_world
    dedi = app_of(w, "dedi", w.popular)
    url = f"{P}/manage/positions/{w.popular.id}/ranking"
    login_as(w.opd_b)
    assert client.get(url).status_code == 404
    login_as(w.opd_a)
    page = client.get(url).get_data(as_text=True)
    assert (
        "Mahasiswa Dedi Uji" in page and "Mahasiswa Citra Uji" not in page
    )  # not an applicant here
    bad = client.post(url, data={f"score-{dedi.id}": "sangat baik"})
    assert bad.status_code == 400
    html = bad.get_data(as_text=True)
    assert "A score is a number from 0 to 100." in html and 'value="sangat baik"' in html
    assert client.post(url, data={f"score-{dedi.id}": "77,5"}).status_code == 302
    db.session.expire_all()
    assert dedi.opd_score == 77.5
    criteria = client.post(f"{url}/criteria", data={})
    assert criteria.status_code == 400 and "Choose at least one criterion." in criteria.get_data(
        as_text=True
    )


def test_the_student_reads_why_and_never_another_applicant(client, login_as, round_world):
    w = round_world
    matching.publish_match(
        matching.preview_match(w.period, actor=w.city_admin, seed=2), actor=w.city_admin
    )
    login_as(w.students["ana"])
    page = client.get(f"{P}/matching/{w.period.id}").get_data(as_text=True)
    assert (
        "The match placed you at your choice 2. Choice 1 was filled by applicants the OPD ranked higher."
        in page
    )
    for other in ("Budi", "Citra", "Dedi"):
        assert f"Mahasiswa {other} Uji" not in page
    mine = client.get(f"{P}/applications/mine").get_data(as_text=True)
    assert f"/matching/{w.period.id}" in mine
    login_as(w.students["dedi"])
    page = client.get(f"{P}/matching/{w.period.id}").get_data(as_text=True)
    assert "The match gave you no place." in page and "Find positions with seats left" in page
    login_as(w.opd_a)
    assert client.get(f"{P}/matching/{w.period.id}").status_code == 403


def test_reordering_preferences_keeps_a_bad_order_and_saves_a_good_one(
    client, login_as, db, round_world
):
    w = round_world
    w.period.preferences_close_on = clock.today() + timedelta(days=2)
    first, second = app_of(w, "ana", w.popular), app_of(w, "ana", w.roomy)
    login_as(w.students["ana"])
    url = f"{P}/matching/{w.period.id}/order"
    bad = client.post(url, data={f"place-{first.id}": "1", f"place-{second.id}": "1"})
    assert bad.status_code == 400 and "Two preferences have the same place" in bad.get_data(
        as_text=True
    )
    assert (
        client.post(url, data={f"place-{first.id}": "2", f"place-{second.id}": "1"}).status_code
        == 302
    )
    db.session.expire_all()
    assert (first.rank, second.rank) == (2, 1)


# --- part 2 on the internship pages ------------------------------------------------------------


def test_accepting_asks_first_when_it_withdraws_other_applications(client, login_as, db, make):
    imake = make.internships
    offer = imake.application(imake.position(), state=S.OFFERED)
    student = db.session.get(type(offer.student), offer.student_id)
    student.locale = "en"
    other = imake.application(
        imake.position(period=db.session.get(InternshipPeriod, offer.period_id)),
        student=student,
        state=S.ENDORSED,
    )
    login_as(student)
    url = f"{P}/applications/{offer.id}/action"
    asked = client.post(url, data={"action": "accept"})
    assert asked.status_code == 200
    html = asked.get_data(as_text=True)
    assert "Accept and withdraw 1 other application" in html and other.position.title in html
    assert offer.state == S.OFFERED and other.state == S.ENDORSED  # nothing happened yet
    done = client.post(url, data={"action": "accept", "confirmed": "1"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, offer.id).state == S.ACCEPTED
    assert db.session.get(Application, other.id).state == S.WITHDRAWN


def test_a_placement_before_its_start_says_when_the_logbook_opens(client, login_as, db, make):
    imake = make.internships
    position = imake.position(starts_on=clock.today() + timedelta(days=12))
    offer = imake.application(position, state=S.OFFERED)
    placement = lifecycle.accept_offer(offer, actor=offer.student)
    offer.student.locale = "en"
    db.session.flush()
    login_as(offer.student)
    html = client.get(f"{P}/placements/{placement.id}").get_data(as_text=True)
    assert "Your logbook opens on" in html
    assert f"/placements/{placement.id}/logbook/new" not in html  # no "Add an entry"
    refused = client.get(f"{P}/placements/{placement.id}/logbook/new")
    assert refused.status_code == 302


def test_internship_positions_are_posisi_magang_in_indonesian(client, login_as, make):
    position = make.internships.position()
    html = client.get(f"{P}/positions", headers={"Accept-Language": "id"}).get_data(as_text=True)
    assert position.title in html
    assert '<th scope="col">Posisi magang</th>' in html and ">Jabatan<" not in html
    admin = make.internships.opd_admin(position.agency)
    admin.locale = "id"
    login_as(admin)
    html = client.get(f"{P}/manage/positions").get_data(as_text=True)
    assert "Posisi magang baru" in html and "Jabatan baru" not in html
