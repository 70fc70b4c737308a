"""The feedback loop: learners rate and flag materials; the authors work flags to a close.

Flags follow a small state machine (:data:`portal.curricula.feedback.workflow.FLAG`): open → in
progress → fixed (with a "what we changed" note and a newer material version) or declined (with a
reason). Closing a flag tells the reporter, in the portal and by e-mail. Services never commit.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User
from portal.curricula.feedback.models import FlagKind, FlagState, MaterialFlag, MaterialRating
from portal.curricula.feedback.workflow import CLOSED, FLAG, UNRESOLVED, FlagAction
from portal.curricula.models import Material, MaterialVersion
from portal.curricula.proposals import workflow
from portal.db import db
from portal.errors import DomainError, InvalidTransition
from portal.i18n import _l
from portal.notify import notify, register_messages
from portal.util import links

COMMENT_MAX = 2000
NOTE_MAX = 2000

register_messages(
    curricula__flag_new=_l('A learner reported a problem with the material "%(material)s".'),
    curricula__flag_fixed=_l(
        'The problem you reported with "%(material)s" was fixed. What changed: %(note)s'
    ),
    curricula__flag_declined=_l(
        'The problem you reported with "%(material)s" was declined. The reason: %(note)s'
    ),
)


#: The steps ``user`` may take on ``flag`` now (the page shows exactly these buttons).
allowed_flag_actions = FLAG.allowed


def _current_version(material: Material) -> MaterialVersion:
    version = db.session.scalar(
        sa.select(MaterialVersion).where(
            MaterialVersion.material_id == material.id,
            MaterialVersion.number == material.version_count,
        )
    )
    if version is None:  # a material always has a version; guard against a broken row
        raise DomainError(_l("This material has no content yet."))
    return version


def _require_learner(curriculum, actor) -> None:
    if not workflow.can_give_feedback(curriculum, actor):
        raise DomainError(
            _l("Only signed-in ASN and students give feedback, and only on published curricula.")
        )


def _score(value) -> int:
    try:
        score = int(value)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise DomainError(_l("Every score goes from 1 to 5."))
    return score


def rate_material(
    material: Material,
    *,
    actor,
    overall,
    relevance,
    clarity,
    difficulty,
    comment=None,
    show_name=False,
) -> MaterialRating:
    """Rate the material's current version; a second rating of the same version by the same
    learner updates the first (one per learner and version, backed by a unique constraint).

    The rating is always ``actor``'s own. Refused to anyone but signed-in ASN and students, and on
    curricula that are not published. ``material.module.curriculum.authors`` must be loaded.
    """
    _require_learner(material.module.curriculum, actor)
    values = {
        "overall": _score(overall),
        "relevance": _score(relevance),
        "clarity": _score(clarity),
        "difficulty": _score(difficulty),
        "comment": (comment or "").strip()[:COMMENT_MAX] or None,
        "show_name": bool(show_name),
    }
    version = _current_version(material)
    where = (MaterialRating.version_id == version.id, MaterialRating.user_id == actor.id)
    rating = db.session.scalar(sa.select(MaterialRating).where(*where))
    if rating is None:
        try:
            with db.session.begin_nested():
                rating = MaterialRating(
                    version_id=version.id, material_id=material.id, user_id=actor.id, **values
                )
                db.session.add(rating)
        except IntegrityError:  # the same learner's other request got there first
            rating = db.session.scalars(sa.select(MaterialRating).where(*where)).one()
            for key, value in values.items():
                setattr(rating, key, value)
    else:
        for key, value in values.items():
            setattr(rating, key, value)
    db.session.flush()
    return rating


def flag_material(material: Material, *, actor, kind, description) -> MaterialFlag:
    """Report a problem with the material's current version; the authors are told in the portal.

    Refused to anyone but signed-in ASN and students on published curricula, without a
    description, and when the same learner already has an unresolved report of the same kind on
    the same version. ``material.module.curriculum.authors`` must be loaded.
    """
    curriculum = material.module.curriculum
    _require_learner(curriculum, actor)
    try:
        kind = FlagKind(kind)
    except ValueError:
        raise DomainError(_l("Choose what kind of problem it is.")) from None
    description = (description or "").strip()
    if not description or len(description) > COMMENT_MAX:
        raise DomainError(_l("Describe the problem (at most %(max)d characters).", max=COMMENT_MAX))
    version = _current_version(material)
    duplicate = db.session.scalar(
        sa.select(MaterialFlag.id).where(
            MaterialFlag.version_id == version.id,
            MaterialFlag.reporter_id == actor.id,
            MaterialFlag.kind == kind,
            MaterialFlag.state.in_(UNRESOLVED),
        )
    )
    if duplicate is not None:
        raise DomainError(
            _l("You already reported this kind of problem on this version; the authors are on it.")
        )
    flag = MaterialFlag(
        material_id=material.id,
        version_id=version.id,
        reporter_id=actor.id,
        kind=kind,
        description=description,
        state=FlagState.OPEN,
    )
    db.session.add(flag)
    db.session.flush()
    author_ids = {a.user_id for a in curriculum.authors} - {actor.id}
    if author_ids:
        link = links.path("curricula.material", material_id=material.id)
        for author in db.session.scalars(sa.select(User).where(User.id.in_(author_ids))):
            notify(author, "curricula.flag_new", link=link, material=material.title)
    return flag


def handle_flag(
    flag: MaterialFlag, *, actor, action, note=None, version_id: int | None = None
) -> MaterialFlag:
    """Move a flag one step: start, fix or decline.

    Only the authors and the agency-side admins handle flags. Fixing needs a "what we changed"
    note and a version of the material newer than the one flagged (``version_id``; default the
    current version): upload the corrected version first. Declining needs a reason. Closing tells
    the reporter in the portal and by e-mail. ``flag.material.module.curriculum.authors`` and
    ``flag.version`` must be loaded.
    """
    material = flag.material
    try:
        action = FlagAction(action)
    except ValueError:
        raise InvalidTransition(_l("Choose what to do with this report.")) from None
    FLAG.check(flag, action, actor)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise DomainError(_l("At most %(max)d characters.", max=NOTE_MAX))
    if action == FlagAction.FIX:
        if not note:
            raise DomainError(_l("Say what you changed to fix the problem."))
        flag.fixed_version_id = _fixed_version(flag, material, version_id).id
    elif action == FlagAction.DECLINE and not note:
        raise DomainError(_l("Give the reason for declining this report."))
    target = FLAG.apply(flag, action, actor, note=note or None)
    db.session.flush()
    if target in CLOSED and flag.reporter_id is not None:
        reporter = db.session.get(User, flag.reporter_id)
        key = "curricula.flag_fixed" if target == FlagState.FIXED else "curricula.flag_declined"
        notify(
            reporter,
            key,
            link=links.path("curricula.material", material_id=material.id),
            email_template="notice",
            material=material.title,
            note=note,
        )
    return flag


def _fixed_version(flag: MaterialFlag, material: Material, version_id) -> MaterialVersion:
    flagged_number = flag.version.number
    if material.version_count <= flagged_number:
        raise DomainError(
            _l(
                "There is no newer version of this material yet: upload the corrected version "
                "first, then mark the report as fixed."
            )
        )
    if version_id is None:
        number_filter = MaterialVersion.number == material.version_count
    else:
        number_filter = MaterialVersion.id == version_id
    version = db.session.scalar(
        sa.select(MaterialVersion).where(MaterialVersion.material_id == material.id, number_filter)
    )
    if version is None or version.number <= flagged_number:
        raise DomainError(
            _l(
                "Choose a version newer than the one reported (version %(number)d).",
                number=flagged_number,
            )
        )
    return version
