"""One world of objects and one URL filler for the suites that visit every route: the access
matrix, the security suites (tests/test_security_*.py, tests/test_fuzz.py) and the i18n crawl.

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

#: what the suites that must not follow a link send as <token>: an expired or forged link
INVALID_TOKEN = "not-a-valid-token"


@pytest.fixture
def world_locale() -> str:
    """The locale of every world user; override it in a module to read pages in another one."""
    return "en"


@pytest.fixture
def world(make, world_locale) -> types.SimpleNamespace:
    """Two institutions of each kind, a user of every role at A, and one object of every kind
    (own and other where access depends on it), so every URL rule can be filled with a real id."""
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
    return world_in(w, world_locale)


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
    "position_id": lambda w, endpoint, owner: w.position.id,
}


def url_args(rule, world, owner: str = "own", *, real_tokens: bool = False) -> dict:
    """The values of ``rule``'s arguments, taken from ``world`` (``owner``: "own" or "other").

    ``real_tokens``: a <token> is a working reset or invitation link (else an invalid one)."""
    values = {}
    for arg in sorted(rule.arguments):
        if arg == "token" and not real_tokens:
            values[arg] = INVALID_TOKEN
        elif arg in ARG_FILLERS:
            values[arg] = ARG_FILLERS[arg](world, rule.endpoint, owner)
        else:
            raise AssertionError(
                f"no world value for <{arg}> of {rule.rule} ({rule.endpoint}): "
                "add its object to `world` and one line to ARG_FILLERS in tests/world.py"
            )
    return values


def url_for_rule(app, rule, world, owner: str = "own", *, real_tokens: bool = False) -> str:
    """The URL of ``rule`` (a ``werkzeug.routing.Rule`` of ``app.url_map``) with world values."""
    values = url_args(rule, world, owner, real_tokens=real_tokens)
    with app.test_request_context():
        return url_for(rule.endpoint, **values)
