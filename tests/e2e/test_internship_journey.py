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

The test below reads as the story's table of contents: each numbered step is a function, in
internship_application_steps.py (1–4) and internship_placement_steps.py (5–10); the story's data
and helpers are in internship_story.py.
"""

from __future__ import annotations

import pytest

from tests.e2e.a11y import AxeChecks
from tests.e2e.internship_application_steps import (
    opd_makes_an_offer,
    student_accepts_the_offer,
    student_applies,
    university_endorses,
)
from tests.e2e.internship_placement_steps import (
    dpl_and_mentor_score_and_complete_the_placement,
    mentor_approves_one_day_and_returns_the_other,
    mentor_logs_a_session_and_the_student_confirms_it,
    student_downloads_the_certificate_and_a_visitor_checks_it,
    student_logs_two_days,
    university_names_the_dpl,
)

pytestmark = pytest.mark.e2e


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
    application_path = student_applies(student, t, world, check_accessible, title)

    # --- 2. The university endorses it from its queue --------------------------------------------
    staff = new_person()
    university_endorses(staff, t, world, check_accessible, title, student_name)

    # --- 3. The OPD's admin makes an offer --------------------------------------------------------
    opd = new_person()
    opd_makes_an_offer(opd, t, world, check_accessible, student_name, application_path)

    # --- 4. The student accepts: the placement is created ----------------------------------------
    placement_path = student_accepts_the_offer(student, t, world, title, student_name)

    # --- 5. The university names its DPL ---------------------------------------------------------
    university_names_the_dpl(staff, t, world, title, student_name, placement_path)

    # --- 6. The student logs two days ------------------------------------------------------------
    student_logs_two_days(student, t, check_accessible, placement_path, today)

    # --- 7. The mentor approves day 1 and returns day 2 ------------------------------------------
    mentor = new_person()
    mentor_approves_one_day_and_returns_the_other(
        mentor, student, t, world, check_accessible, title, student_name, placement_path
    )

    # --- 8. The mentor logs a guidance session; the student confirms it --------------------------
    mentor_logs_a_session_and_the_student_confirms_it(
        mentor, student, t, check_accessible, placement_path, today
    )

    # --- 9. The DPL scores, the mentor evaluates and completes the placement ---------------------
    dpl_and_mentor_score_and_complete_the_placement(
        staff, mentor, t, check_accessible, placement_path
    )

    # --- 10. The student downloads the certificate; a visitor checks it ---------------------------
    visitor = new_person()  # not signed in: the address printed on the certificate (its QR code)
    student_downloads_the_certificate_and_a_visitor_checks_it(
        student, visitor, t, check_accessible, title, student_name, placement_path, tmp_path
    )

    check_accessible.assert_none()
