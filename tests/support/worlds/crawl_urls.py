"""The URL filler of the suites that visit every route: the value of every URL argument of a rule,
taken from the crawl world (tests/support/worlds/crawl.py), as "own" (at A) or "other" (at B).

A new URL argument: add its object to the world and one line to ARG_FILLERS here (the internship,
training and personal-data arguments come from ``crawl_internships``, ``crawl_trainings`` and
``crawl_privacy``)."""

from __future__ import annotations

import types
from collections.abc import Callable

from flask import url_for

from portal.auth import passwords
from tests.support.worlds.crawl_internships import INTERNSHIP_FILLERS
from tests.support.worlds.crawl_privacy import PRIVACY_FILLERS
from tests.support.worlds.crawl_trainings import TRAINING_FILLERS

#: what the suites that must not follow a link send as <token>: an expired or forged link
INVALID_TOKEN = "not-a-valid-token"


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
    "import_id": lambda w, endpoint, owner: w.roster_import[owner].id,
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
                "add its object to `world` and one line to ARG_FILLERS in tests/support/worlds/crawl_urls.py"
            )
    return values


def url_for_rule(
    app, rule, world, owner: str = "own", *, real_tokens: bool = False, role=None
) -> str:
    """The URL of ``rule`` (a ``werkzeug.routing.Rule`` of ``app.url_map``) with world values."""
    values = url_args(rule, world, owner, real_tokens=real_tokens, role=role)
    with app.test_request_context():
        return url_for(rule.endpoint, **values)
