"""One world of objects for the suites that visit every route: the access matrix, the security
suites (tests/test_security_*.py, tests/crawls/test_fuzz_*.py) and the i18n crawl. The
values of the URL arguments come from it through tests/support/worlds/crawl_urls.py.

A new URL argument: add its object to `world` here and one line to ARG_FILLERS there.

The world (``world.<name>``; "A" is the signed-in users' institution, "B" another one):

- ``uni``, ``agency``: university and OPD A; ``other_uni``, ``other_agency``: B.
- ``admin``, ``university``, ``mentor``, ``student``, ``asn``: one user of every role at A
  (also ``users[Role.X]``); ``other_university``, ``other_asn``: users at B.
- ``pending``: pending students ``{"own": at A, "other": at B}``; ``invited`` (no password yet),
  ``inactive_user``, ``inactive_uni``, ``inactive_agency``.
- ``competency`` (with a version), ``retired_competency``, ``position`` (A, its standard holds
  ``competency``), ``other_position`` (B).
- ASN records: ``asn_record`` (the ASN user's) supervises ``report`` (of ``report_user``);
  ``stranger`` is ASN B's. ``asn_profiles = {"own": report, "other": stranger}``.
- ``activity``: plan activities ``{"own": asn_record's, "other": stranger's, "report": report's}``;
  ``assessment``: official assessments with a PDF report ``{"own": report's, "other": stranger's}``.

Every world user has the locale of the ``world_locale`` fixture ("en"; a module overrides that
fixture for another language) and ``world_in(world, locale)`` changes it afterwards.

Curricula (``_curricula``): ``draft``, ``published``, ``module``, ``draft_material``,
``material``, ``version``, ``comment``, ``evidence``, ``co_author``, ``target``, ``flag``,
``notification`` (see there). ``with_frozen_versions(w)`` adds, on request, two frozen versions
of A's proposal that differ in every way the diff page shows (the world itself has none, so the
pages also show their "no version yet" messages).

"own" and "other" follow ``portal.access``: "own" objects are those the role at A may reach
through its institution or its reports, "other" ones belong to B.
"""

from __future__ import annotations

import types

import pytest
from sqlalchemy.orm import object_session

from portal.auth.models import AccountStatus, Role, User
from tests.support.factories import Factories
from tests.support.worlds.crawl_privacy import add_privacy


@pytest.fixture(scope="module")
def world_locale() -> str:
    """The locale of every world user; override it in a module to read pages in another one."""
    return "en"


@pytest.fixture(scope="module")
def world(module_db, world_locale) -> types.SimpleNamespace:
    """Two institutions of each kind, a user of every role at A, and one object of every kind
    (own and other where access depends on it), so every URL rule can be filled with a real id.

    Built once per module (tests/support/db.py): each test sees it as built, whatever the
    tests before it wrote."""
    w = build_world(Factories(module_db.session), world_locale)
    module_db.session.commit()
    return w


def build_world(make, locale: str) -> types.SimpleNamespace:
    """The world of ``world`` (see the module's docstring), built with the factories ``make``."""
    w = types.SimpleNamespace()
    w.uni = make.university(name="Universitas Sumatera Utara", short_name="USU")
    w.agency = make.agency(name="Dinas Komunikasi dan Informatika", short_name="Diskominfo")
    w.other_uni, w.other_agency = make.university(), make.agency()

    w.admin = make.user(Role.ADMIN)
    w.university = make.user(Role.UNIVERSITY, university=w.uni)
    w.mentor = make.user(Role.MENTOR, agency=w.agency)
    w.student = make.user(Role.STUDENT, university=w.uni)
    w.asn = make.user(Role.ASN, agency=w.agency, email="budi.asn@example.com")
    w.users = {role: getattr(w, role.value) for role in Role}
    w.other_university = make.user(Role.UNIVERSITY, university=w.other_uni)
    w.other_asn = make.user(Role.ASN, agency=w.other_agency)

    w.pending = {
        "own": make.user(Role.STUDENT, university=w.uni, status=AccountStatus.PENDING),
        "other": make.user(Role.STUDENT, university=w.other_uni, status=AccountStatus.PENDING),
    }
    w.invited = make.user(Role.MENTOR, agency=w.agency, password=None)
    w.roster_import = {"own": make.roster_import(w.admin, [w.invited]), "other": None}
    w.roster_import["other"] = make.roster_import(None, [w.other_asn])
    w.inactive_user = make.user(Role.ASN, agency=w.agency, is_active_flag=False)
    w.inactive_uni = make.university(is_active=False)
    w.inactive_agency = make.agency(is_active=False)

    # Competency records: the ASN user supervises a report ("own"); ASN B elsewhere is "other".
    w.competency = make.competency(agency=w.agency)
    w.retired_competency = make.competency(agency=w.agency, is_retired=True)
    w.position = make.position(agency=w.agency, competencies=[w.competency])
    w.other_position = make.position(agency=w.other_agency)
    w.asn_record = make.asn_profile(w.asn, position=w.position)
    w.report_user = make.user(Role.ASN, agency=w.agency)
    w.report = make.asn_profile(w.report_user, position=w.position, supervisor=w.asn_record)
    w.stranger = make.asn_profile(w.other_asn, position=w.other_position)
    w.asn_profiles = {"own": w.report, "other": w.stranger}
    w.activity = {
        "own": make.plan_activity(w.asn_record, w.competency),
        "other": make.plan_activity(w.stranger, w.competency),
        "report": make.plan_activity(w.report, w.competency),
    }
    w.assessment = {
        "own": make.assessment_with_report(w.report, w.competency),
        "other": make.assessment_with_report(w.stranger, w.competency),
    }
    _curricula(make, w)
    from tests.support.worlds.crawl_internships import add_internships

    add_internships(make, w)
    from tests.support.worlds.crawl_trainings import add_trainings

    add_trainings(make, w)
    add_privacy(make, w)
    return world_in(w, locale)


def _curricula(make, w) -> None:
    """Proposals and published curricula of A and B, with everything hanging off them.

    ``draft[owner]``: an editable proposal (A's authored by the university user, with the ASN and
    the admin as agency co-authors); ``published[owner]``: a published curriculum whose learners
    are the student and the ASN (A's authored by the university user and the admin)."""
    from portal.curricula.models import (
        AuthorSide,
        CurriculumAuthor,
        CurriculumEvidence,
        CurriculumState,
    )
    from portal.curricula.proposals.models import ReviewComment
    from portal.notify import Notification

    session = object_session(w.admin)
    w.draft = {
        "own": make.curriculum(
            w.uni,
            agency=w.agency,
            author=w.university,
            agency_author=w.asn,
            competency=w.competency,
            modules=2,
        ),
        "other": make.curriculum(
            w.other_uni,
            agency=w.other_agency,
            author=w.other_university,
            agency_author=w.other_asn,
            modules=2,
        ),
    }
    w.published = {
        "own": make.curriculum(
            w.uni,
            agency=w.agency,
            author=w.university,
            state=CurriculumState.PUBLISHED,
            competency=w.competency,
        ),
        "other": make.curriculum(
            w.other_uni,
            agency=w.other_agency,
            author=w.other_university,
            state=CurriculumState.PUBLISHED,
        ),
    }
    for cur in (w.draft["own"], w.published["own"]):
        session.add(
            CurriculumAuthor(curriculum_id=cur.id, user_id=w.admin.id, side=AuthorSide.AGENCY)
        )
    session.flush()
    w.module, w.draft_material, w.material, w.version, w.comment = {}, {}, {}, {}, {}
    w.evidence, w.co_author = {}, {}
    for owner in ("own", "other"):
        draft, published = w.draft[owner], w.published[owner]
        session.refresh(draft)
        session.refresh(published)
        lead = draft.authors[0].user
        w.module[owner] = draft.modules[0]
        w.draft_material[owner] = make.material(draft.modules[0], author=lead)
        w.material[owner] = make.material(published.modules[0], kind="file", author=lead)
        w.version[owner] = w.material[owner].current_version
        w.comment[owner] = ReviewComment(
            curriculum_id=draft.id, author_id=lead.id, body="Mohon perjelas tujuan modul 1."
        )
        w.evidence[owner] = CurriculumEvidence(
            curriculum_id=draft.id,
            agency_id=draft.agency_id,
            competency_id=draft.targets[0].competency_id,
            total=12,
            assessed=10,
            below=6,
            mean_gap=1.2,
        )
        session.add_all([w.comment[owner], w.evidence[owner]])
        w.co_author[owner] = next(a for a in draft.authors if a.side == AuthorSide.AGENCY)
    for role in ("asn", "admin"):  # the co-authors' own comments (only an author edits one)
        w.comment[role] = ReviewComment(
            curriculum_id=w.draft["own"].id, author_id=getattr(w, role).id, body="Setuju."
        )
        session.add(w.comment[role])
    w.target = {owner: w.draft[owner].targets[0] for owner in ("own", "other")}
    # Problem reports on published materials: the learner's own, and one from B.
    w.flag = {
        "student": make.flag(w.material["own"], w.student),
        "asn": make.flag(w.material["own"], w.asn),
        "other": make.flag(w.material["other"], w.other_asn),
        # on the proposal the ASN co-authors: the ASN user handles it (written directly here)
        "authored": make.flag(w.draft_material["own"], w.student),
    }
    w.notification = {
        role: Notification(
            user_id=user.id,
            category="curricula",
            message_key="curricula.flag_fixed",
            params={"material": "Materi", "note": "Diperbaiki"},
            link="/dashboard",
        )
        for role, user in [
            *((r.value, u) for r, u in w.users.items()),
            ("other", w.other_university),
        ]
    }
    session.add_all(w.notification.values())
    session.flush()


def with_frozen_versions(w) -> list:
    """Give ``w.draft["own"]`` two frozen versions (as two submissions would) and return them:
    version 2 is the proposal as it is plus a target added since; version 1 differs in its
    summary and delivery mode, a target level, a target removed since, the first module (JP,
    method, no material yet), a module removed since, and lacks the second module."""
    import copy

    from portal.curricula.proposals import versions
    from portal.curricula.proposals.models import CurriculumVersion
    from portal.db import utcnow

    draft = w.draft["own"]
    session = object_session(draft)
    session.refresh(draft)
    current = versions.snapshot(draft)
    old = copy.deepcopy(current)
    current["targets"].append(
        {
            "competency_id": w.target["other"].competency_id,
            "level": 2,
            "competency": "Kompetensi yang ditambahkan",
        }
    )
    old.update(summary="Ringkasan versi pertama.", mode="klasikal")
    old["targets"][0]["level"] = 2
    old["targets"].append(
        {
            "competency_id": w.retired_competency.id,
            "level": 1,
            "competency": "Kompetensi yang dihapus",
        }
    )
    first = old["modules"][0]
    first.update(jp=first["jp"] + 2, method="diskusi", materials=[])
    old["modules"] = [
        first,
        {
            "id": -1,
            "position": 2,
            "title": "Modul lama",
            "objectives": "",
            "jp": 4,
            "method": "ceramah",
            "materials": [],
        },
    ]
    old["total_jp"] = sum(m["jp"] for m in old["modules"])
    frozen = [
        CurriculumVersion(
            curriculum_id=draft.id,
            number=number,
            snapshot=snap,
            frozen_at=utcnow(),
            frozen_by_id=w.university.id,
        )
        for number, snap in ((1, old), (2, current))
    ]
    session.add_all(frozen)
    draft.version_count = 2
    session.flush()
    return frozen


def world_users(w) -> list[User]:
    """Every user of the world (attributes and the values of its dicts), each once."""
    found: dict[int, User] = {}
    for value in vars(w).values():
        for item in value.values() if isinstance(value, dict) else (value,):
            if isinstance(item, User):
                found[id(item)] = item
    return list(found.values())


def world_in(w, locale: str):
    """The world with every user's locale set to ``locale`` (so pages come in that language)."""
    users = world_users(w)
    for user in users:
        user.locale = locale
    object_session(users[0]).flush()
    return w
