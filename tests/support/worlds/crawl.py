"""One world of objects and one URL filler for the suites that visit every route: the access
matrix, the security suites (tests/test_security_*.py, tests/crawls/test_fuzz.py) and the i18n crawl.

A new URL argument: add its object to `world` and one line to ARG_FILLERS.

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
from collections.abc import Callable

import pytest
from flask import url_for
from sqlalchemy.orm import object_session

from portal.auth import passwords
from portal.auth.models import AccountStatus, Role, User
from tests.support.factories import Factories
from tests.support.worlds.crawl_internships import INTERNSHIP_FILLERS
from tests.support.worlds.crawl_privacy import PRIVACY_FILLERS, add_privacy
from tests.support.worlds.crawl_trainings import TRAINING_FILLERS

#: what the suites that must not follow a link send as <token>: an expired or forged link
INVALID_TOKEN = "not-a-valid-token"


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


# --- URL arguments --------------------------------------------------------------------------------


def _token(w, endpoint: str, owner: str) -> str:
    """A link that works: a password reset for the ASN user, or the invited user's invitation."""
    if endpoint == "auth.reset_password":
        return passwords.make_token(w.asn, "reset")
    return passwords.make_token(w.invited, "invite")


def _user_id(w, endpoint: str, owner: str) -> int:
    """Verifications: a pending student; the admin's account pages: an ASN user (at A or B)."""
    if endpoint.startswith("auth."):
        return w.pending[owner].id
    return (w.asn if owner == "own" else w.other_asn).id


def _acting(w) -> str:
    """The role whose request is being built ("admin" when none is given)."""
    role = getattr(w, "role", None)
    return role.value if role is not None else "admin"


#: Endpoints that show a published curriculum (the others work on an editable proposal).
_ON_PUBLISHED = {"curricula.show"}


def _curriculum_id(w, endpoint: str, owner: str) -> int:
    """Public pages: a published curriculum; the proposal workspace: an editable proposal."""
    if endpoint in _ON_PUBLISHED:
        return w.published[owner].id
    return w.draft[owner].id


def _material_id(w, endpoint: str, owner: str) -> int:
    """Editing a material: one of the editable proposal; reading, rating, flagging and revising:
    one of a published curriculum (its learners are the student and the ASN)."""
    if endpoint in ("curricula.delete_material", "curricula.revise_material"):
        return w.draft_material[owner].id
    return w.material[owner].id


def _comment_id(w, endpoint: str, owner: str) -> int:
    """The acting co-author's own comment on A's proposal (the university user's by default)."""
    if owner == "other":
        return w.comment["other"].id
    return w.comment.get(_acting(w), w.comment["own"]).id


def _flag_id(w, endpoint: str, owner: str) -> int:
    """A learner's own report (the student's or the ASN's); handlers get one on their curriculum."""
    if owner == "other":
        return w.flag["other"].id
    if _acting(w) == "asn":
        return (w.flag["authored"] if endpoint == "curricula.handle_flag" else w.flag["asn"]).id
    return w.flag["student"].id


def _notification_id(w, endpoint: str, owner: str) -> int:
    """The acting user's own notification, or a notification of a user at B."""
    if owner == "other":
        return w.notification["other"].id
    return w.notification[_acting(w)].id


#: Endpoints that send a file rather than a page (the crawls that read pages pass them by).
FILE_DOWNLOADS = {
    "competency.assessment_report",
    "curricula.download_version",
    "curricula.export_feedback",
    "certificates.download",
    "internships.application_cv",
    "internships.entry_attachment",
    "internships.report_file",
    "internships.export_opd_queue",
    "internships.export_placements",
    "internships.export_sessions",
    "internships.export_university_queue",
    "trainings.entry_evidence",
    "trainings.l1_results_export",
    "trainings.quiz_results_export",
    "trainings.siasn_export",
}


#: URL argument -> (world, endpoint, owner) -> its value
ARG_FILLERS: dict[str, Callable[[types.SimpleNamespace, str, str], object]] = {
    "filename": lambda w, endpoint, owner: (
        "css/bootstrap.min.css" if endpoint == "bootstrap.static" else "css/portal.css"
    ),
    "token": _token,  # real tokens; url_args(real_tokens=False) sends INVALID_TOKEN instead
    "fmt": lambda w, endpoint, owner: "csv",
    "obj_id": lambda w, endpoint, owner: (w.uni if "universit" in endpoint else w.agency).id,
    "user_id": _user_id,
    "asn_id": lambda w, endpoint, owner: w.asn_profiles[owner].id,
    "assessment_id": lambda w, endpoint, owner: w.assessment[owner].id,
    "activity_id": lambda w, endpoint, owner: w.activity[owner].id,
    "competency_id": lambda w, endpoint, owner: w.competency.id,
    "curriculum_id": _curriculum_id,
    "module_id": lambda w, endpoint, owner: w.module[owner].id,
    "target_id": lambda w, endpoint, owner: w.target[owner].id,
    "evidence_id": lambda w, endpoint, owner: w.evidence[owner].id,
    "author_id": lambda w, endpoint, owner: w.co_author[owner].id,
    "comment_id": _comment_id,
    "material_id": _material_id,
    "version_id": lambda w, endpoint, owner: w.version[owner].id,
    "flag_id": _flag_id,
    "notification_id": _notification_id,
}
ARG_FILLERS.update(INTERNSHIP_FILLERS)
# Last: its session_id and entry_id hand the internship pages on to INTERNSHIP_FILLERS.
ARG_FILLERS.update(TRAINING_FILLERS)
ARG_FILLERS.update(PRIVACY_FILLERS)


def url_args(rule, world, owner: str = "own", *, real_tokens: bool = False, role=None) -> dict:
    """The values of ``rule``'s arguments, taken from ``world`` (``owner``: "own" or "other").

    ``real_tokens``: a <token> is a working reset or invitation link (else an invalid one).
    ``role``: the role making the request, for objects owned by one person (a notification)."""
    world.role = role
    values = {}
    for arg in sorted(rule.arguments):
        if arg == "token" and not real_tokens:
            values[arg] = INVALID_TOKEN
        elif arg in ARG_FILLERS:
            values[arg] = ARG_FILLERS[arg](world, rule.endpoint, owner)
        else:
            raise AssertionError(
                f"no world value for <{arg}> of {rule.rule} ({rule.endpoint}): "
                "add its object to `world` and one line to ARG_FILLERS in tests/support/worlds/crawl.py"
            )
    return values


def url_for_rule(
    app, rule, world, owner: str = "own", *, real_tokens: bool = False, role=None
) -> str:
    """The URL of ``rule`` (a ``werkzeug.routing.Rule`` of ``app.url_map``) with world values."""
    values = url_args(rule, world, owner, real_tokens=real_tokens, role=role)
    with app.test_request_context():
        return url_for(rule.endpoint, **values)
