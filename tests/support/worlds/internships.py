"""The worlds of the internship tests (tests/internships/), each built once per module:

- ``application_workflow_world`` (test_workflow.py): a published position with two seats and its
  mentor, and one user of every party an application knows (``people``);
- ``running_placement_world`` (test_logbook.py, test_final_report.py, test_placement_page.py,
  test_placement_list.py, test_placement_settings.py):
  ``placement_world`` of tests/internships/placement_support.py, a placement running since 30
  days with its student, mentor and DPL, and the people who must not act on it.
"""

from __future__ import annotations

from types import SimpleNamespace

from tests.internships.placement_support import placement_world
from tests.support.worlds import module_world


def build_application_workflow(make) -> SimpleNamespace:
    """``position`` (quota 2) of an OPD with its ``mentor``; ``people``: the student and another
    student of the same university, staff of that university and of another, the OPD's admin and
    another OPD's, a city admin and the mentor."""
    imake = make.internships
    university, elsewhere = make.university(), make.university()
    agency, other_agency = make.agency(), make.agency()
    mentor = imake.mentor(agency)
    position = imake.position(agency, quota=2, mentors=[mentor])
    people = {
        "student": imake.student(university),
        "other_student": imake.student(university),
        "university": imake.university_staff(university),
        "other_university": imake.university_staff(elsewhere),
        "opd": imake.opd_admin(agency),
        "other_opd": imake.opd_admin(other_agency),
        "city_admin": imake.city_admin(),
        "mentor": mentor,
    }
    return SimpleNamespace(position=position, mentor=mentor, people=people)


def build_running_placement(make) -> SimpleNamespace:
    """``placement_world`` as the placement, logbook and final-report tests use it: supervised
    by a DPL, 20 SKS planned."""
    return placement_world(make, make.internships)


application_workflow_world = module_world(build_application_workflow)
running_placement_world = module_world(build_running_placement)
