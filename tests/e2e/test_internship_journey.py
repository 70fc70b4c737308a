"""An internship (magang) from application to certificate in a real browser (issue "Internships
(magang) end to end").

1. A verified student finds the position in the public list and applies with a motivation
   letter and a PDF CV.
2. Her university's staff endorse it from the university's queue.
3. The OPD's admin opens it from the OPD's queue and makes an offer.
4. The student accepts the offer from her applications: the placement is created.
5. The university names its staff user the DPL (the placement's settings).
6. The student logs two past days: one sent straight to the mentor, one saved as a draft and
   submitted from the placement page.
7. The mentor approves the first day and returns the second with a comment; the student reads
   the comment.
8. The mentor logs a guidance session (with a private note and an agreed action); the student
   confirms it and does not see the private note.
9. The DPL enters the academic score; the mentor scores the rubric and completes the placement
   in the same form: the final grade follows and the certificate is issued.
10. The student downloads the certificate (a PDF), and a visitor who is not signed in opens its
    public check page: valid.

Each person has their own browser. The accounts, the OPD and the published position come from
the ``internship_world`` fixture (worlds.py), whose dates put the placement in its course
(started 10 days ago, evaluation open); everything else is done through the pages, starting from
the navigation (the staff's lists are in its "Internship work" menu) or a notification. Expected
texts come from the portal's catalogue (``texts("id")``). Main pages are checked with axe-core;
violations are collected and reported at the end.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.a11y import AxeChecks
from tests.e2e.pages import (
    definition,
    flash,
    heading,
    main,
    navbar,
    open_menu,
    open_notice,
    path_of,
    region,
    sign_in,
)

pytestmark = pytest.mark.e2e

MOTIVATION = (
    "Saya mahasiswi S1 Sistem Informasi yang tertarik pada pengelolaan data kepegawaian.\n"
    "Saya ingin belajar menyusun analisis kebutuhan pelatihan ASN di BKPSDM."
)
#: A small but real PDF (the portal checks the content, not the name).
CV_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
OFFER_NOTE = "Selamat, kami menawarkan tempat magang di Bidang Pengembangan Kompetensi."
PLANNED_SKS = "20"

DAY_1 = {  # sent to the mentor at once; the mentor approves it
    "days_ago": 2,
    "hours": "7.5",
    "activities": "Menginput data kepegawaian riwayat diklat ke format SIASN untuk 30 ASN.",
    "outputs": "Berkas rekap diklat 30 ASN.",
}
DAY_2 = {  # saved as a draft, submitted from the placement page; the mentor returns it
    "days_ago": 1,
    "hours": "6",
    "activities": "Mendokumentasikan rapat koordinasi pengembangan kompetensi dan menyusun notulen.",
    "outputs": "",
}
RETURN_COMMENT = "Tuliskan juga jumlah peserta rapat dan keputusan yang diambil."

SESSION = {
    "days_ago": 1,
    "duration": "60",
    "mode": "on_site",
    "topics": "Review rancangan dashboard JP dan etika pengelolaan data pribadi ASN",
    "competencies": "Integritas, Komunikasi, Pengembangan Aplikasi",
    "shared": "Dashboard sudah rapi; filter per OPD perlu diperbaiki.",
    "private": "Perlu didampingi lebih dekat saat presentasi ke kepala bidang.",
    "action": "Revisi filter per OPD",
    "action_due_in": 3,
    "next_meeting_in": 7,
}
CONFIRM_COMMENT = "Sesuai, terima kasih atas masukannya."

ACADEMIC_SCORE = 80
ACADEMIC_COMMENT = "Laporan dan presentasi di kampus baik."
#: The mentor's scores on the default rubric (criteria titles from the catalogue, weights in %).
SCORES = [
    ("Attendance and discipline", 15, 90),
    ("Attitude and personality", 15, 85),
    ("Teamwork and communication", 15, 80),
    ("Knowledge and technical skills", 20, 88),
    ("Initiative and creativity", 10, 75),
    ("Timely completion of tasks", 10, 80),
    ("Quality of the work", 15, 86),
]
MENTOR_COMMENT = "Rajin, teliti dan cepat belajar."
MENTOR_WEIGHT = 60  # the default split: 60% mentor, 40% academic
CERTIFICATE_NUMBER = re.compile(r"[A-Z]{2,10}-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


# --- helpers --------------------------------------------------------------------------------------


def mentor_total() -> float:
    return round(sum(score * weight for _title, weight, score in SCORES) / 100, 2)


def final_grade() -> float:
    return round((mentor_total() * MENTOR_WEIGHT + ACADEMIC_SCORE * (100 - MENTOR_WEIGHT)) / 100, 2)


def entry_card(page: Page, activities: str):
    """A logbook entry on the placement page (an <article> named by its day)."""
    return main(page).get_by_role("article").filter(has_text=activities)


# --- the journey ----------------------------------------------------------------------------------


def test_internship_from_application_to_certificate(
    live_server, internship_world, new_person, texts, tmp_path
):
    t = texts("id")
    world = internship_world
    check_accessible = AxeChecks()
    title = world.position_title
    student_name = world.student.full_name
    today = world.today  # WIB: the days logged below are days already past in Medan

    # --- 1. The student finds the position and applies -------------------------------------------
    student = new_person()
    sign_in(student, t, world.student)
    navbar(student).get_by_role("link", name=t("Internships"), exact=True).click()
    expect(heading(student)).to_have_text(t("Internship positions"))
    student.get_by_label(t("OPD"), exact=True).select_option(label=world.agency_short_name)
    student.get_by_role("search").get_by_role("button", name=t("Search"), exact=True).click()
    row = main(student).get_by_role("row").filter(has_text=title)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(world.period_name)
    check_accessible(student, "the public list of positions (student)")
    row.get_by_role("link", name=title, exact=True).click()
    expect(heading(student)).to_have_text(title)
    expect(main(student)).to_contain_text(world.mentor.full_name)
    check_accessible(student, "the position page (student)")

    region(student, t("Applying")).get_by_role("link", name=t("Apply"), exact=True).click()
    expect(heading(student)).to_have_text(t("Apply for “%(title)s”", title=title))
    student.get_by_label(t("Motivation letter"), exact=True).fill(MOTIVATION)
    student.get_by_label(t("CV (PDF)"), exact=True).set_input_files(
        {"name": "cv-siti-khadijah-daulay.pdf", "mimeType": "application/pdf", "buffer": CV_PDF}
    )
    expect(student.get_by_label(t("Preference"), exact=True)).to_have_value("1")
    check_accessible(student, "the application form")
    main(student).get_by_role("button", name=t("Send the application"), exact=True).click()

    expect(student).to_have_url(re.compile(r"/internships/applications/\d+$"))
    application_path = path_of(student)
    expect(flash(student)).to_have_text(
        t("Your application has been sent. Your university reviews it first.")
    )
    workflow = region(student, t("Next step"))
    expect(workflow).to_contain_text(
        t("Your university reviews the application and endorses it or not.")
    )
    expect(definition(student, t("CV"))).to_contain_text("cv-siti-khadijah-daulay.pdf")
    expect(region(student, t("Motivation letter"))).to_contain_text(MOTIVATION.splitlines()[0])
    check_accessible(student, "the application page (student, just sent)")

    # --- 2. The university endorses it from its queue --------------------------------------------
    staff = new_person()
    sign_in(staff, t, world.staff)
    open_menu(staff, t, "Internship work", "Students' applications")
    expect(heading(staff)).to_have_text(t("Students' applications"))
    row = main(staff).get_by_role("row").filter(has_text=student_name)
    expect(row).to_contain_text(t("Waiting for the university's endorsement"))
    check_accessible(staff, "the university's queue of applications")
    row.get_by_label(
        t("Choose the application of %(student)s", student=student_name), exact=True
    ).check()
    main(staff).get_by_role("button", name=t("Endorse the chosen applications"), exact=True).click()
    result = main(staff).get_by_role("status")
    expect(result).to_contain_text(
        t.n("%(num)d application endorsed:", "%(num)d applications endorsed:", 1)
    )
    expect(result).to_contain_text(f"{student_name} — {title}")
    row = main(staff).get_by_role("row").filter(has_text=student_name)
    expect(row).to_contain_text(t("Endorsed by the university"))

    # --- 3. The OPD's admin makes an offer --------------------------------------------------------
    opd = new_person()
    sign_in(opd, t, world.opd_admin)
    open_menu(opd, t, "Internship work", "Applications to the OPD")
    expect(heading(opd)).to_have_text(t("Applications to the OPD"))
    row = main(opd).get_by_role("row").filter(has_text=student_name)
    expect(row).to_contain_text(t("Endorsed by the university"))
    check_accessible(opd, "the OPD's queue of applications")
    row.get_by_role("link", name=student_name, exact=True).click()
    expect(opd).to_have_url(re.compile(re.escape(application_path) + r"$"))
    expect(heading(opd)).to_have_text(t("Application of %(student)s", student=student_name))
    workflow = region(opd, t("Next step"))
    expect(workflow.get_by_role("button")).to_have_text(
        [t("Shortlist"), t("Put on the waiting list"), t("Make an offer"), t("Reject")]
    )
    check_accessible(opd, "the application page (OPD admin)")
    workflow.get_by_label(t("Note or reason"), exact=True).fill(OFFER_NOTE)
    workflow.get_by_role("button", name=t("Make an offer"), exact=True).click()
    expect(flash(opd)).to_have_text(
        t("Done: the application is now “%(state)s”.", state=t("Offer made"))
    )
    history = region(opd, t("History"))
    expect(history.get_by_role("listitem").first).to_contain_text(t("Offer made"))
    expect(history.get_by_role("listitem").first).to_contain_text(OFFER_NOTE)

    # --- 4. The student accepts: the placement is created ----------------------------------------
    navbar(student).get_by_role("link", name=t("My applications"), exact=True).click()
    expect(heading(student)).to_have_text(t("My internship applications"))
    row = main(student).get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text(t("Offer made"))
    expect(row).to_contain_text(t("Accept or decline the offer before it expires."))
    row.get_by_role("button", name=t("Accept the offer")).click()
    expect(student).to_have_url(re.compile(r"/internships/placements/\d+$"))
    placement_path = path_of(student)
    expect(flash(student)).to_have_text(
        t("You accepted the offer. Your placement has been created and your other open "
          "applications of this period were withdrawn.")
    )  # fmt: skip
    expect(heading(student)).to_have_text(student_name)
    expect(definition(student, t("Mentor"))).to_have_text(world.mentor.full_name)
    expect(definition(student, t("DPL"))).to_have_text(t("not named yet"))

    # --- 5. The university names its DPL ---------------------------------------------------------
    staff.reload()
    open_notice(
        staff,
        t,
        t("%(student)s accepted the offer for “%(position)s”; the placement starts on %(start)s.",
          student=student_name, position=title, start=world.starts_on.isoformat()),
    )  # fmt: skip
    expect(staff).to_have_url(re.compile(re.escape(placement_path) + r"$"))
    staff.get_by_role("link", name=t("Change the settings"), exact=True).click()
    expect(heading(staff)).to_have_text(t("Placement settings"))
    staff.get_by_label(t("Supervising lecturer (DPL)"), exact=True).select_option(
        label=f"{world.staff.full_name} ({world.staff.email})"
    )
    staff.get_by_label(t("SKS the university plans to recognise"), exact=True).fill(PLANNED_SKS)
    main(staff).get_by_role("button", name=t("Save"), exact=True).click()
    expect(staff).to_have_url(re.compile(re.escape(placement_path) + r"$"))
    expect(flash(staff)).to_have_text(t("The placement's settings were saved."))
    expect(definition(staff, t("DPL"))).to_have_text(world.staff.full_name)
    expect(definition(staff, t("Planned SKS"))).to_have_text(PLANNED_SKS)

    # --- 6. The student logs two days ------------------------------------------------------------
    for day, intent in ((DAY_1, "Save and submit to the mentor"), (DAY_2, "Save as draft")):
        student.goto(placement_path)
        region(student, t("Logbook")).get_by_role("link", name=t("Add an entry")).click()
        expect(heading(student)).to_have_text(t("New logbook entry"))
        worked_on = today - timedelta(days=day["days_ago"])
        student.get_by_label(t("Day"), exact=True).fill(worked_on.isoformat())
        student.get_by_label(t("Hours worked"), exact=True).fill(day["hours"])
        student.get_by_label(t("Activities"), exact=True).fill(day["activities"])
        student.get_by_label(t("Outputs (optional)"), exact=True).fill(day["outputs"])
        if day is DAY_1:
            check_accessible(student, "the new logbook entry form")
        main(student).get_by_role("button", name=t(intent), exact=True).click()
        expect(student).to_have_url(re.compile(re.escape(placement_path) + r"#entry-\d+$"))
        expect(flash(student)).to_have_text(
            t("The entry was sent to your mentor.") if day is DAY_1
            else t("The entry was saved as a draft.")
        )  # fmt: skip

    expect(entry_card(student, DAY_1["activities"])).to_contain_text(t("Waiting for the mentor"))
    draft = entry_card(student, DAY_2["activities"])
    expect(draft).to_contain_text(t("Draft"))
    draft.get_by_role("button", name=t("Submit to the mentor")).click()
    expect(flash(student)).to_have_text(t("The entry was sent to your mentor."))
    expect(entry_card(student, DAY_2["activities"])).to_contain_text(t("Waiting for the mentor"))
    expect(region(student, t("Logbook"))).to_contain_text(
        t.n("%(num)d entry", "%(num)d entries", 2)
    )

    # --- 7. The mentor approves day 1 and returns day 2 ------------------------------------------
    mentor = new_person()
    sign_in(mentor, t, world.mentor)
    open_notice(
        mentor,
        t,
        t("You are the mentor of %(student)s for “%(position)s” from %(start)s to %(end)s.",
          student=student_name, position=title, start=world.starts_on.isoformat(),
          end=world.ends_on.isoformat()),
    )  # fmt: skip
    expect(mentor).to_have_url(re.compile(re.escape(placement_path) + r"$"))
    expect(heading(mentor)).to_have_text(student_name)
    check_accessible(mentor, "the placement page (mentor, entries to review)")

    first = entry_card(mentor, DAY_1["activities"])
    first.get_by_role("button", name=t("Approve")).click()
    expect(flash(mentor)).to_have_text(t("The entry was approved."))
    expect(entry_card(mentor, DAY_1["activities"])).to_contain_text(t("Approved"))

    second = entry_card(mentor, DAY_2["activities"])
    second.get_by_label(t("Comment for the student"), exact=True).fill(RETURN_COMMENT)
    second.get_by_role("button", name=t("Return with a comment")).click()
    expect(flash(mentor)).to_have_text(
        t("The entry was returned to the student with your comment.")
    )
    second = entry_card(mentor, DAY_2["activities"])
    expect(second).to_contain_text(t("Returned for changes"))
    expect(second.get_by_role("button")).to_have_count(0)  # nothing left for the mentor

    student.goto(placement_path)
    returned = entry_card(student, DAY_2["activities"])
    expect(returned).to_contain_text(t("Returned for changes"))
    expect(returned).to_contain_text(t("Mentor's comment:") + " " + RETURN_COMMENT)
    expect(returned.get_by_role("link", name=t("Edit"))).to_be_visible()  # it is open again
    approved = entry_card(student, DAY_1["activities"])
    expect(approved).to_contain_text(t("Approved"))
    expect(approved.get_by_role("link", name=t("Edit"))).to_have_count(0)  # locked

    # --- 8. The mentor logs a guidance session; the student confirms it --------------------------
    mentor.goto(placement_path)
    region(mentor, t("Guidance sessions")).get_by_role("link", name=t("Log a session")).click()
    expect(heading(mentor)).to_have_text(t("Log a guidance session"))
    held_on = today - timedelta(days=SESSION["days_ago"])
    mentor.get_by_label(t("Date of the session"), exact=True).fill(held_on.isoformat())
    mentor.get_by_label(t("Duration (minutes)"), exact=True).fill(SESSION["duration"])
    mentor.get_by_label(t("How it took place"), exact=True).select_option(SESSION["mode"])
    mentor.get_by_label(t("Topics"), exact=True).fill(SESSION["topics"])
    mentor.get_by_label(t("Competencies touched"), exact=True).fill(SESSION["competencies"])
    mentor.get_by_label(t("Notes for the student"), exact=True).fill(SESSION["shared"])
    mentor.get_by_label(t("Private notes"), exact=True).fill(SESSION["private"])
    mentor.get_by_label(t("Next meeting"), exact=True).fill(
        (held_on + timedelta(days=SESSION["next_meeting_in"])).isoformat()
    )
    action_1 = main(mentor).get_by_role("group", name=t("Action %(num)d", num=1), exact=True)
    action_1.get_by_label(t("Action"), exact=True).fill(SESSION["action"])
    action_1.get_by_label(t("Due on"), exact=True).fill(
        (held_on + timedelta(days=SESSION["action_due_in"])).isoformat()
    )
    check_accessible(mentor, "the guidance session form")
    main(mentor).get_by_role("button", name=t("Save the session"), exact=True).click()
    expect(mentor).to_have_url(re.compile(r"/internships/sessions/\d+$"))
    session_path = path_of(mentor)
    expect(flash(mentor)).to_have_text(
        t("The session is logged; the student is asked to confirm it.")
    )
    expect(main(mentor)).to_contain_text(t("Waiting for the student"))
    expect(main(mentor)).to_contain_text(SESSION["private"])  # the mentor's own private note

    student.goto(placement_path)
    sessions = region(student, t("Guidance sessions"))
    expect(sessions).to_contain_text(
        t.n("%(num)d session waits for your confirmation.",
            "%(num)d sessions wait for your confirmation.", 1)
    )  # fmt: skip
    sessions.get_by_role("listitem").filter(has_text=SESSION["topics"]).get_by_role("link").click()
    expect(student).to_have_url(re.compile(re.escape(session_path) + r"$"))
    expect(definition(student, t("Topics"))).to_have_text(SESSION["topics"])
    expect(definition(student, t("Notes for the student"))).to_have_text(SESSION["shared"])
    expect(main(student)).not_to_contain_text(SESSION["private"])
    expect(main(student)).to_contain_text(SESSION["action"])
    answer = region(student, t("Your answer"))
    answer.get_by_label(t("Comment"), exact=True).fill(CONFIRM_COMMENT)
    check_accessible(student, "the guidance session page (student, to confirm)")
    answer.get_by_role("button", name=t("Confirm the session"), exact=True).click()
    expect(flash(student)).to_have_text(
        t("Thank you: the session is now “%(state)s”.", state=t("Confirmed"))
    )
    expect(definition(student, t("Student's comment"))).to_have_text(CONFIRM_COMMENT)
    expect(main(student).get_by_role("button", name=t("Confirm the session"))).to_have_count(0)

    # --- 9. The DPL scores, the mentor evaluates and completes the placement ---------------------
    staff.goto(placement_path)
    evaluation = region(staff, t("Evaluation"))
    evaluation.get_by_role("link", name=t("Enter the academic score"), exact=True).click()
    expect(heading(staff)).to_have_text(t("Academic score"))
    staff.get_by_label(t("Academic score"), exact=True).fill(str(ACADEMIC_SCORE))
    staff.get_by_label(t("Comment"), exact=True).fill(ACADEMIC_COMMENT)
    check_accessible(staff, "the academic score form (DPL)")
    main(staff).get_by_role("button", name=t("Save the academic score"), exact=True).click()
    expect(staff).to_have_url(re.compile(re.escape(placement_path) + r"$"))
    expect(flash(staff)).to_have_text(t("The academic score is saved."))
    expect(definition(staff, t("Academic score (DPL)"))).to_have_text(str(ACADEMIC_SCORE))

    mentor.goto(placement_path)
    region(mentor, t("Evaluation")).get_by_role(
        "link", name=t("Evaluate the intern"), exact=True
    ).click()
    expect(heading(mentor)).to_have_text(t("Mentor's evaluation"))
    scores = main(mentor).get_by_role("group", name=t("Scores"), exact=True)
    for criterion, _weight, score in SCORES:
        scores.get_by_label(t(criterion), exact=True).fill(str(score))
    mentor.get_by_label(t("Comment for the student and the DPL"), exact=True).fill(MENTOR_COMMENT)
    mentor.get_by_label(t("The placement has run its course: complete it now"), exact=True).check()
    check_accessible(mentor, "the mentor's evaluation form")
    main(mentor).get_by_role("button", name=t("Save the evaluation"), exact=True).click()
    expect(mentor).to_have_url(re.compile(re.escape(placement_path) + r"$"))
    expect(flash(mentor)).to_have_text(t("Your evaluation is saved."))
    expect(main(mentor).locator("header")).to_contain_text(t("Completed"))
    evaluation = region(mentor, t("Evaluation"))
    expect(evaluation).to_contain_text(f"{final_grade():.2f}")
    expect(definition(mentor, t("Mentor's evaluation"))).to_have_text(f"{mentor_total():.2f}")
    expect(mentor.get_by_role("link", name=t("Log a session"))).to_have_count(0)

    # --- 10. The student downloads the certificate; a visitor checks it ---------------------------
    student.goto(placement_path)
    expect(main(student).locator("header")).to_contain_text(t("Completed"))
    evaluation = region(student, t("Evaluation"))
    expect(evaluation).to_contain_text(f"{final_grade():.2f}")
    expect(evaluation).to_contain_text(t("Completion certificate"))
    number = CERTIFICATE_NUMBER.search(evaluation.inner_text())
    assert number, f"no certificate number on the placement page: {evaluation.inner_text()!r}"
    check_accessible(student, "the placement page (student, completed and graded)")
    with student.expect_download() as download_info:
        evaluation.get_by_role("link", name=t("Download the certificate (PDF)")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert Path(saved).read_bytes().startswith(b"%PDF-"), "the certificate is not a PDF"

    check_link = evaluation.get_by_role("link", name=t("Public check page"))
    check_path = urlparse(check_link.get_attribute("href")).path
    visitor = new_person()  # not signed in: the address printed on the certificate (its QR code)
    visitor.goto(check_path)
    expect(heading(visitor)).to_have_text(t("Certificate check"))
    expect(main(visitor).get_by_role("status")).to_contain_text(t("Valid"))
    expect(definition(visitor, t("Number"))).to_have_text(number.group(0))
    expect(definition(visitor, t("Holder"))).to_have_text(student_name)
    expect(definition(visitor, t("Certificate"))).to_contain_text(title)
    expect(definition(visitor, t("Status"))).to_have_text(t("Valid"))
    check_accessible(visitor, "the public certificate check page")

    check_accessible.assert_none()
