"""Steps 5–10 of the internship journey (test_internship_journey.py), the placement: the DPL
named, two logbook days approved or returned, a guidance session confirmed, the scores and the
completion, and the certificate downloaded and checked. Each step is one person's part (or two
people's), each in their own browser."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import expect

from portal.util.dates import lazy_day
from tests.e2e.internship_story import (
    ACADEMIC_COMMENT,
    ACADEMIC_SCORE,
    CERTIFICATE_NUMBER,
    CONFIRM_COMMENT,
    DAY_1,
    DAY_2,
    MENTOR_COMMENT,
    PLANNED_SKS,
    RETURN_COMMENT,
    SCORES,
    SESSION,
    entry_card,
    final_grade,
    mentor_total,
)
from tests.e2e.pages import definition, flash, heading, main, open_notice, path_of, region, sign_in


def university_names_the_dpl(staff, t, world, title, student_name, placement_path):
    """5. The university names its DPL."""
    staff.reload()
    open_notice(
        staff,
        t,
        t(
            "%(student)s accepted the offer for “%(position)s”; the placement starts on %(start)s.",
            student=student_name,
            position=title,
            start=lazy_day(world.starts_on),  # day first, in t's language (issue 18)
        ),
    )
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


def student_logs_two_days(student, t, check_accessible, placement_path, today):
    """6. The student logs two days."""
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
            t("The entry was sent to your mentor.")
            if day is DAY_1
            else t("The entry was saved as a draft.")
        )

    expect(entry_card(student, DAY_1["activities"])).to_contain_text(t("Waiting for the mentor"))
    draft = entry_card(student, DAY_2["activities"])
    expect(draft).to_contain_text(t("Draft"))
    draft.get_by_role("button", name=t("Submit to the mentor")).click()
    expect(flash(student)).to_have_text(t("The entry was sent to your mentor."))
    expect(entry_card(student, DAY_2["activities"])).to_contain_text(t("Waiting for the mentor"))
    expect(region(student, t("Logbook"))).to_contain_text(
        t.n("%(num)d entry", "%(num)d entries", 2)
    )


def mentor_approves_one_day_and_returns_the_other(
    mentor, student, t, world, check_accessible, title, student_name, placement_path
):
    """7. The mentor approves day 1 and returns day 2."""
    sign_in(mentor, t, world.mentor)
    open_notice(
        mentor,
        t,
        t(
            "You are the mentor of %(student)s for “%(position)s” from %(start)s to %(end)s.",
            student=student_name,
            position=title,
            start=lazy_day(world.starts_on),
            end=lazy_day(world.ends_on),
        ),
    )
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


def mentor_logs_a_session_and_the_student_confirms_it(
    mentor, student, t, check_accessible, placement_path, today
):
    """8. The mentor logs a guidance session; the student confirms it."""
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
        t.n(
            "%(num)d session waits for your confirmation.",
            "%(num)d sessions wait for your confirmation.",
            1,
        )
    )
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


def dpl_and_mentor_score_and_complete_the_placement(
    staff, mentor, t, check_accessible, placement_path
):
    """9. The DPL scores, the mentor evaluates and completes the placement."""
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


def student_downloads_the_certificate_and_a_visitor_checks_it(
    student, visitor, t, check_accessible, title, student_name, placement_path, tmp_path
):
    """10. The student downloads the certificate; a visitor checks it."""
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
    visitor.goto(check_path)
    expect(heading(visitor)).to_have_text(t("Certificate check"))
    expect(main(visitor).get_by_role("status")).to_contain_text(t("Valid"))
    expect(definition(visitor, t("Number"))).to_have_text(number.group(0))
    expect(definition(visitor, t("Holder"))).to_have_text(student_name)
    expect(definition(visitor, t("Certificate"))).to_contain_text(title)
    expect(definition(visitor, t("Status"))).to_have_text(t("Valid"))
    check_accessible(visitor, "the public certificate check page")
