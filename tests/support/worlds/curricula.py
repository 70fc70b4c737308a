"""The world of the proposal workflow tests (tests/curricula/test_workflow.py): a university, a
partner OPD and one user of every party a proposal knows, plus ``proposal(state)``, which writes
a fresh proposal of theirs in ``state`` (inside the test that calls it). Built once per module:
``proposal_workflow_world``."""

from __future__ import annotations

import types

from portal.auth.models import Role
from portal.curricula.models import AuthorSide, CurriculumAuthor
from tests.support.worlds import module_world


def build_proposal_workflow(make) -> types.SimpleNamespace:
    """``users``: the parties by name (the lead and a co-author at the university, a colleague
    who is no author, an ASN co-author at the OPD, the OPD's admin, a city admin, another OPD's
    admin, staff of another university, a student), all reading English; ``proposal(state)``:
    the id of a new proposal of theirs in ``state``."""
    uni, opd = make.university(), make.agency()
    users = {
        "lead": make.user(Role.UNIVERSITY, university=uni),
        "university_co_author": make.user(Role.UNIVERSITY, university=uni),
        "colleague_not_author": make.user(Role.UNIVERSITY, university=uni),
        "agency_co_author_asn": make.user(Role.ASN, agency=opd),
        "partner_opd_admin": make.user(Role.ADMIN, admin_agency=opd),
        "city_admin": make.user(Role.ADMIN),
        "other_opd_admin": make.user(Role.ADMIN, admin_agency=make.agency()),
        "other_university": make.user(Role.UNIVERSITY, university=make.university()),
        "student": make.user(Role.STUDENT, university=uni),
    }
    for user in users.values():
        user.locale = "en"
    make.session.flush()
    competency = make.competency(agency=opd)

    def proposal(state) -> int:
        cur = make.curriculum(
            uni,
            agency=opd,
            state=state,
            author=users["lead"],
            agency_author=users["agency_co_author_asn"],
            competency=competency,
        )
        make.session.add(
            CurriculumAuthor(
                curriculum_id=cur.id,
                side=AuthorSide.UNIVERSITY,
                user_id=users["university_co_author"].id,
            )
        )
        make.session.flush()
        return cur.id

    return types.SimpleNamespace(users=users, proposal=proposal)


proposal_workflow_world = module_world(build_proposal_workflow)
