"""Co-designed curricula in a real browser (issue "Co-designed curricula, course materials, and
the feedback loop").

1. A university lecturer drafts a proposal (fields, partner OPD, two modules, a target
   competency, the OPD admin as co-author, a Markdown material) and submits it.
2. The admin of the partner OPD starts the review, comments on module 1 and requests changes.
3. The lecturer reads the comment, answers it, changes module 1 and resubmits; the differences
   page shows version 1 against version 2 with module 1 changed.
4. The reviewer starts the review again; approving is refused while the thread is open, so he
   resolves it and approves for the agency; the lecturer approves for the university; a city
   admin publishes.
5. A visitor finds the curriculum in the public catalogue: modules, JP and outcomes, but no
   material to open.
6. An ASN opens the material, rates it and reports a typo.
7. The lecturer uploads a corrected version and marks the report fixed, linked to it.
8. The ASN sees the unread count in the navigation and the "fixed" note among her notifications.

Each person has their own browser. The accounts and the competency come from the
``curricula_world`` fixture (worlds.py); everything else is made through the pages. Expected
texts come from the portal's catalogue (``texts("id")``). Main pages are checked with axe-core.

The test below reads as the story's table of contents: each numbered step is a function, in
curricula_proposal_steps.py (1–4) and curricula_material_steps.py (5–8); the story's data and the
proposal page's helpers are in curricula_story.py.
"""

from __future__ import annotations

import pytest

from tests.e2e.a11y import AxeChecks
from tests.e2e.curricula_material_steps import (
    learner_is_told,
    learner_rates_the_material_and_reports_the_typo,
    lecturer_uploads_the_correction_and_closes_the_report,
    visitor_finds_it_in_the_catalogue,
)
from tests.e2e.curricula_proposal_steps import (
    both_sides_approve_and_an_admin_publishes,
    lecturer_drafts_the_proposal,
    lecturer_revises_and_resubmits,
    reviewer_asks_for_changes,
)
from tests.e2e.curricula_story import MODULE_1, MODULE_1_REVISED, MODULE_2

pytestmark = pytest.mark.e2e


def test_curriculum_from_draft_to_catalogue_and_a_fixed_typo(
    live_server, curricula_world, new_person, texts
):
    t = texts("id")
    world = curricula_world
    check_accessible = AxeChecks()
    competency_option = t(
        "%(name)s (%(code)s)", name=world.competency_name, code=world.competency_code
    )
    total_v1 = int(MODULE_1["jp"]) + int(MODULE_2["jp"])
    total_v2 = int(MODULE_1_REVISED["jp"]) + int(MODULE_2["jp"])

    # --- 1. The lecturer drafts the proposal ---------------------------------------------------
    lecturer = new_person()
    proposal_path, material_path = lecturer_drafts_the_proposal(
        lecturer, t, world, check_accessible, competency_option, total_v1
    )

    # --- 2. The reviewer of the partner OPD asks for changes on module 1 ------------------------
    reviewer = new_person()
    reviewer_asks_for_changes(reviewer, t, world, check_accessible, proposal_path)

    # --- 3. The lecturer revises module 1 and resubmits -----------------------------------------
    lecturer_revises_and_resubmits(lecturer, t, check_accessible, proposal_path, total_v1, total_v2)

    # --- 4. Both sides approve, a city admin publishes ------------------------------------------
    admin = new_person()
    both_sides_approve_and_an_admin_publishes(
        lecturer, reviewer, admin, t, world, check_accessible, proposal_path
    )

    # --- 5. A visitor finds it in the public catalogue ------------------------------------------
    visitor = new_person()
    visitor_finds_it_in_the_catalogue(visitor, t, world, check_accessible, material_path, total_v2)

    # --- 6. An ASN rates the material and reports the typo --------------------------------------
    learner = new_person()
    learner_rates_the_material_and_reports_the_typo(
        learner, t, world, check_accessible, material_path
    )

    # --- 7. The lecturer uploads the corrected text and closes the report -----------------------
    lecturer_uploads_the_correction_and_closes_the_report(
        lecturer, t, check_accessible, material_path
    )

    # --- 8. The ASN is told ----------------------------------------------------------------------
    learner_is_told(learner, t, check_accessible, material_path)

    check_accessible.assert_none()
