"""The world of the test (quiz) service tests (tests/trainings/test_quiz_*.py), built once per
module: ``quiz_setup``, a dict as the tests read it:

- ``batch``: a batch running now (both tests open), run by ``facilitator``;
- ``target``: the id of the curriculum's target competency, ``other``: another competency's id;
- ``reg`` and ``reg2``: the enrolled registrations of ``me`` and ``me2`` (their ASN's users).

The tests write their question sets and attempts themselves (rolled back after each test).
"""

from __future__ import annotations

from tests.support.worlds import module_world
from tests.trainings.quiz_support import enrolled, running_batch, target_of


def build_quiz_setup(make) -> dict:
    """A running batch (both tests open) with its facilitator, a target competency and another
    one, two enrolled ASN."""
    tmake = make.trainings
    facilitator = tmake.facilitator()
    batch = running_batch(tmake, facilitators=[facilitator])
    target = target_of(batch)
    other = make.competency().id
    reg, me = enrolled(make, tmake, batch)  # ``enrolled`` reads the user through ``.session``
    reg2, me2 = enrolled(make, tmake, batch)
    return {
        "batch": batch,
        "target": target,
        "other": other,
        "reg": reg,
        "me": me,
        "reg2": reg2,
        "me2": me2,
        "facilitator": facilitator,
    }


quiz_setup = module_world(build_quiz_setup)
