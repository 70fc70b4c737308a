"""Applying and the later steps through the views: the student applies with a letter and a PDF
(mass assignment, a disguised HTML file, the reasons for a refusal, students only), then the
workflow (endorse, shortlist, offer, accept), the reasons for blocked steps, a full quota or
mentors, and the student's list with its next steps and buttons. (Seeing an application, its
escaping and query counts: test_application_pages.py.)"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.auth.models import Role
from portal.internships.applications.models import Application, ApplicationEvent
from portal.internships.models import InternshipPosition, MentorCapacity, Placement
from portal.uploads import StoredFile
from portal.util import clock
from tests.internships.pages_support import HTML_AS_PDF, S, fresh, get, pdf, state_of
from tests.support.worlds import internship_pages

site = internship_pages.site  # built once for the module (tests/support/worlds/internship_pages.py)

P = "/internships"
LETTER = "Saya ingin belajar pelayanan publik digital di Diskominfo."


def _apply(client, position, **extra):
    data = {"motivation": LETTER, "cv": pdf(), "rank": "1", **extra}
    return client.post(
        f"{P}/positions/{position.id}/apply", data=data, content_type="multipart/form-data"
    )


def _files(app) -> int:
    return sum(1 for p in Path(app.config["UPLOAD_FOLDER"]).rglob("*") if p.is_file())


def _count(db, model, *where):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


# --- applying --------------------------------------------------------------------------------


def test_a_verified_student_applies_with_a_letter_and_a_pdf(client, login_as, db, outbox, site):
    login_as(site.student)
    html = client.get(f"{P}/positions/{site.position.id}/apply").get_data(as_text=True)
    assert "Motivation letter" in html and 'enctype="multipart/form-data"' in html
    response = _apply(client, site.position)
    assert response.status_code == 302
    made = db.session.scalars(sa.select(Application)).one()
    assert response.headers["Location"].endswith(f"/applications/{made.id}")
    assert (made.student_id, made.state, made.rank, made.motivation) == (
        site.student.id,
        S.SUBMITTED,
        1,
        LETTER,
    )
    assert db.session.get(StoredFile, made.cv_file_id).mimetype == "application/pdf"
    assert [m.recipient for m in outbox()] == [site.university.email]


def test_posting_privileged_fields_when_applying_changes_nothing(client, login_as, db, site):
    login_as(site.student)
    response = _apply(
        client,
        site.position,
        state="offered",
        quota="99",
        seats_taken="2",
        student_id=str(site.far_student.id),
        university_id=str(site.other_uni.id),
        agency_id=str(site.other_agency.id),
        position_id=str(site.other_position.id),
        endorsed_at="2020-01-01",
        offer_expires_at="2099-01-01",
    )
    assert response.status_code == 302
    made = db.session.scalars(sa.select(Application)).one()
    assert (
        made.student_id,
        made.university_id,
        made.agency_id,
        made.position_id,
        made.state,
        made.endorsed_at,
        made.offer_expires_at,
    ) == (site.student.id, site.uni.id, site.agency.id, site.position.id, S.SUBMITTED, None, None)
    position = fresh(db, InternshipPosition, site.position.id)
    assert (position.quota, position.seats_taken) == (3, 0)


def test_an_html_file_named_pdf_is_refused_and_the_letter_kept(client, login_as, db, app, site):
    login_as(site.student)
    files_before = _files(app)
    response = _apply(client, site.position, cv=pdf("cv.pdf", HTML_AS_PDF))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "not a PDF file" in html and LETTER in html
    for name, body in (("cv.html", b"<html></html>"), ("cv.pdf", b"")):
        response = _apply(client, site.position, cv=pdf(name, body))
        assert response.status_code == 400 and LETTER in response.get_data(as_text=True)
    missing = client.post(
        f"{P}/positions/{site.position.id}/apply", data={"motivation": LETTER, "rank": "1"}
    )
    assert missing.status_code == 400 and "Attach your CV" in missing.get_data(as_text=True)
    assert _count(db, Application) == 0 and _count(db, StoredFile) == 0
    assert _files(app) == files_before


def test_applying_is_refused_with_clear_reasons(client, login_as, db, make, site):
    login_as(site.student)
    first = make.internships.application(
        make.internships.position(period=site.period), student=site.student, rank=1
    )
    response = _apply(client, site.position, rank="1")
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "Preference 1 is already given" in html
    assert LETTER in html  # kept
    for rank in (2, 3):
        make.internships.application(
            make.internships.position(period=site.period), student=site.student, rank=rank
        )
    response = _apply(client, site.position, rank="1")
    assert response.status_code == 409
    assert "already have 3 open applications" in response.get_data(as_text=True)
    first.state, first.rank = S.WITHDRAWN, None
    late = make.internships.position(
        site.agency, period=site.period, application_deadline=clock.today() - timedelta(days=1)
    )
    db.session.flush()
    response = _apply(client, late, rank="1")
    assert response.status_code == 409 and "deadline" in response.get_data(as_text=True)
    html = client.get(f"{P}/positions/{late.id}/apply").get_data(as_text=True)
    assert "deadline for this position has passed" in html and "Send the application" not in html
    assert _count(db, StoredFile) == 3  # only the factories' CVs: refused uploads were discarded
    unverified = make.user(Role.STUDENT, locale="en")
    unverified.university_id = None
    db.session.flush()
    login_as(unverified)
    response = _apply(client, site.position)
    assert response.status_code == 409 and "verified can apply" in response.get_data(as_text=True)
    assert get(client, f"{P}/positions/{site.draft.id}/apply").status_code == 404


@pytest.mark.parametrize("who", ["university", "opd", "mentor", "city_admin"])
def test_only_students_apply_and_have_a_list(client, login_as, site, who):
    login_as(getattr(site, who))
    assert get(client, f"{P}/positions/{site.position.id}/apply").status_code == 403
    assert _apply(client, site.position).status_code == 403
    assert get(client, f"{P}/applications/mine").status_code == 403


# --- the workflow through the views ----------------------------------------------------------


def _act(client, application, action, note="", back=None, **extra):
    data = {"action": action, "note": note, **({"back": back} if back else {}), **extra}
    return client.post(f"{P}/applications/{application.id}/action", data=data)


def test_apply_endorse_shortlist_offer_accept(client, login_as, db, make, site):
    other = make.internships.application(
        site.other_position, student=site.student, state=S.ENDORSED
    )
    login_as(site.student)
    assert _apply(client, site.position, rank="2").status_code == 302
    application = db.session.scalars(
        sa.select(Application).where(Application.position_id == site.position.id)
    ).one()
    login_as(site.university)
    assert _act(client, application, "endorse", "Didukung prodi.").status_code == 302
    login_as(site.opd)
    assert _act(client, application, "shortlist").status_code == 302
    assert _act(client, application, "offer", "Mulai Senin.").status_code == 302
    assert state_of(db, application.id) == S.OFFERED
    login_as(site.student)
    html = client.get(f"{P}/applications/mine").get_data(as_text=True)
    assert "Offer expires" in html and 'value="accept"' in html
    asked = _act(client, application, "accept")  # the other open application: asked first
    assert asked.status_code == 200 and state_of(db, application.id) == S.OFFERED
    response = _act(client, application, "accept", confirmed="1")
    assert response.status_code == 302
    placement = db.session.scalars(sa.select(Placement)).one()
    assert (placement.application_id, placement.mentor_id) == (application.id, site.mentor.id)
    assert state_of(db, application.id) == S.ACCEPTED
    assert state_of(db, other.id) == S.WITHDRAWN
    assert fresh(db, InternshipPosition, site.position.id).seats_taken == 1
    notes = db.session.scalars(
        sa.select(ApplicationEvent.note).where(ApplicationEvent.application_id == application.id)
    ).all()
    assert "Didukung prodi." in notes and "Mulai Senin." in notes
    html = client.get(f"{P}/applications/{application.id}").get_data(as_text=True)
    assert "Offer accepted" in html and "Withdrawn" not in html


def test_blocked_steps_say_why(client, login_as, db, make, site):
    application = make.internships.application(
        site.position, student=site.student, state=S.SUBMITTED
    )
    login_as(site.university)
    response = _act(client, application, "offer")
    assert response.status_code == 409
    assert "“Make an offer” is not possible" in response.get_data(as_text=True)
    response = _act(client, application, "decline")
    assert response.status_code == 409 and "Give a reason" in response.get_data(as_text=True)
    for bad in ("expire", "nonsense", ""):
        assert _act(client, application, bad).status_code == 400
    assert _act(client, application, "endorse", "x" * 2001).status_code == 400
    response = _act(
        client,
        application,
        "endorse",
        state="accepted",
        student_id="1",
        endorsed_at="2000-01-01",
        decision_reason="x",
    )  # extra fields: ignored
    assert response.status_code == 302 and state_of(db, application.id) == S.ENDORSED
    made = fresh(db, Application, application.id)
    assert made.student_id == site.student.id and made.decision_reason is None
    made.state, made.endorsed_at = S.SUBMITTED, None
    db.session.flush()
    login_as(site.student)
    response = _act(client, application, "endorse")
    assert response.status_code == 409
    assert "Only staff of the student" in response.get_data(as_text=True)
    assert state_of(db, application.id) == S.SUBMITTED


@pytest.mark.parametrize("full", ["quota", "mentors"])
def test_a_full_quota_or_full_mentors_is_a_clear_409(client, login_as, db, make, site, full):
    application = make.internships.application(site.position, student=site.student, state=S.OFFERED)
    if full == "quota":
        site.position.seats_taken = site.position.quota
    else:
        db.session.get(MentorCapacity, site.mentor.id).active_mentees = 10
    db.session.flush()
    login_as(site.student)
    response = _act(client, application, "accept")
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert ("quota of this position is full" if full == "quota" else "cannot take another") in html
    assert state_of(db, application.id) == S.OFFERED and _count(db, Placement) == 0


def test_the_student_list_shows_state_next_step_and_buttons(client, login_as, db, make, site):
    offered = make.internships.application(site.position, student=site.student, state=S.OFFERED)
    submitted = make.internships.application(site.other_position, student=site.student)
    make.internships.application(site.other_position, student=site.other_student)
    login_as(site.student)
    html = client.get(f"{P}/applications/mine").get_data(as_text=True)
    assert site.position.title in html and "Accept or decline the offer" in html
    assert "Your university reviews the application" in html
    assert html.count('value="withdraw"') == 1 and html.count('value="accept"') == 1
    assert 'name="back" value="mine"' in html
    response = _act(client, submitted, "withdraw", back="mine")
    assert response.headers["Location"].endswith("/internships/applications/mine")
    assert state_of(db, submitted.id) == S.WITHDRAWN and state_of(db, offered.id) == S.OFFERED
