"""The application page: who sees an application and downloads its CV (and who may not act on
it), what the page shows each party (letter, CV, history, buttons), payloads rendered escaped on
every application page, and a fixed number of queries whatever the history. (Applying and the
workflow steps: test_application_steps.py.)"""

from __future__ import annotations

import pytest

from portal.internships.applications.models import ApplicationEvent
from tests.internships.pages_support import BUDGET, PAYLOADS, S, get
from tests.support.worlds import internship_pages

site = internship_pages.site  # built once for the module (tests/support/worlds/internship_pages.py)

P = "/internships"


# --- seeing an application -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "submitted", "endorsed"),
    [("student", 200, 200), ("other_student", 404, 404), ("university", 200, 200),
     ("other_university", 404, 404), ("opd", 404, 200), ("other_opd", 404, 404),
     ("city_admin", 404, 200), ("mentor", 403, 403)],
)  # fmt: skip
def test_who_sees_an_application_and_its_cv(client, login_as, make, site, who, submitted, endorsed):
    login_as(getattr(site, who))
    for state, status in ((S.SUBMITTED, submitted), (S.ENDORSED, endorsed)):
        application = make.internships.application(
            make.internships.position(site.agency), student=site.student, state=state
        )
        base = f"{P}/applications/{application.id}"
        assert get(client, base).status_code == status, (state, who)
        cv = get(client, f"{base}/cv")
        assert cv.status_code == status, (state, who)
        if status == 200:
            assert cv.headers["Content-Disposition"].startswith("attachment")
            assert cv.headers["X-Content-Type-Options"] == "nosniff"
            assert cv.mimetype == "application/pdf"
        if status != 200:  # nor act on it (the steps of those who see it: test_queues.py)
            assert client.post(f"{base}/action", data={"action": "withdraw"}).status_code == status
    assert get(client, f"{P}/applications/999999").status_code in (403, 404)


def test_the_page_shows_letter_cv_history_and_buttons(client, login_as, db, make, site):
    application = make.internships.application(
        site.position, student=site.student, state=S.ENDORSED
    )
    db.session.add(
        ApplicationEvent(
            application_id=application.id,
            action="endorse",
            from_state=S.SUBMITTED,
            to_state=S.ENDORSED,
            actor_id=site.university.id,
            note="Nilai baik.",
        )
    )
    db.session.flush()
    login_as(site.opd)
    html = client.get(f"{P}/applications/{application.id}").get_data(as_text=True)
    for text in (
        "Saya ingin belajar",
        f"/applications/{application.id}/cv",
        "Nilai baik.",
        site.university.full_name,
        'value="shortlist"',
        'value="offer"',
        'value="reject"',
        "Note or reason",
    ):
        assert text in html, text
    assert 'value="withdraw"' not in html and "Preference" not in html  # the OPD: no rank
    login_as(site.student)
    html = client.get(f"{P}/applications/{application.id}").get_data(as_text=True)
    assert 'value="withdraw"' in html and 'value="offer"' not in html and "Preference" in html


# --- escaping and query counts ------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_in_the_letter_renders_escaped(client, login_as, db, make, site, payload):
    application = make.internships.application(
        site.position, student=site.student, state=S.ENDORSED
    )
    application.motivation = f"Halo {payload}"
    site.student.full_name = f"Dinda {payload}"
    db.session.flush()
    for who in ("student", "university", "opd"):
        login_as(getattr(site, who))
        for url in (
            f"{P}/applications/{application.id}",
            f"{P}/applications/mine",
            f"{P}/university/applications",
            f"{P}/opd/applications",
        ):
            response = client.get(url)
            html = response.get_data(as_text=True)
            if response.status_code == 200:
                assert "<script>alert" not in html and "<img src=x" not in html, (who, url)


def _history(db, application, actor, n):
    for i in range(n):
        db.session.add(
            ApplicationEvent(
                application_id=application.id,
                action="shortlist",
                from_state=S.ENDORSED,
                to_state=S.SHORTLISTED,
                actor_id=actor.id,
                note=f"Catatan {i}",
            )
        )


@pytest.mark.parametrize("who", ["student", "university", "opd"])
def test_the_application_pages_run_a_fixed_number_of_queries(
    client, login_as, db, make, site, count_queries, who
):
    login_as(getattr(site, who))
    counts = []
    for n in (1, 9):
        application = make.internships.application(
            make.internships.position(site.agency, period=make.internships.period()),
            student=site.student,
            state=S.ACCEPTED,
        )
        actors = [make.internships.university_staff(site.uni) for _ in range(n)]
        for actor in actors:
            _history(db, application, actor, 1)
        for _ in range(n):
            make.internships.application(
                make.internships.position(site.agency, period=make.internships.period()),
                student=site.student,
                state=S.OFFERED,
            )
        db.session.flush()
        db.session.expire_all()
        urls = [f"{P}/applications/{application.id}"]
        if who == "student":
            urls.append(f"{P}/applications/mine")
        row = []
        for url in urls:
            with count_queries() as q:
                assert client.get(url).status_code == 200
            row.append(q())
        counts.append(row)
    assert counts[0] == counts[1], counts
    assert max(counts[0]) <= BUDGET, counts
