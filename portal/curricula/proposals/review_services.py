"""The proposal workflow and its review comments.

:func:`transition` takes a step of :data:`portal.curricula.proposals.workflow.PROPOSAL` (the engine
says why a step is refused and writes the history), freezes a version at each (re)submission and
tells the other side. Comments are threaded (replies hang off the thread root), resolved or
reopened (:data:`~portal.curricula.proposals.workflow.THREAD`), and cannot be edited once answered.
Nothing here commits.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for

from portal.auth.models import Role, User, UserRole
from portal.curricula.models import AuthorSide, Curriculum, CurriculumState
from portal.curricula.proposals import versions, workflow
from portal.curricula.proposals.models import ReviewComment
from portal.curricula.proposals.workflow import CurriculumAction, ThreadAction
from portal.db import db, utcnow
from portal.errors import DomainError, InvalidTransition
from portal.i18n import _l
from portal.notify import register_messages, tell

register_messages(
    curricula__proposal_submitted=_l(
        "The curriculum proposal “%(title)s” was submitted for your review."
    ),
    curricula__proposal_resubmitted=_l(
        "The curriculum proposal “%(title)s” was revised and resubmitted for your review."
    ),
    curricula__proposal_changes_requested=_l(
        "The agency side asked for changes to “%(title)s”: %(note)s"
    ),
    curricula__proposal_agency_approved=_l(
        "The agency side approved “%(title)s”; the university side can now approve it."
    ),
    curricula__proposal_published=_l("“%(title)s” is now published in the curriculum catalogue."),
)

MAX_COMMENT = 5000
MAX_NOTE = 2000


def parse_action(value) -> CurriculumAction:
    try:
        return CurriculumAction(value)
    except ValueError:
        raise InvalidTransition(_l("This step does not exist.")) from None


def check_transition(curriculum: Curriculum, action: CurriculumAction, actor, note=None):
    """The next state of ``action``, or :class:`InvalidTransition` saying why it is refused:
    the table (:data:`workflow.PROPOSAL`) and its guards, then the note a request for changes
    needs."""
    next_state = workflow.check(curriculum, action, actor)
    if action.needs_note and not (note or "").strip():
        raise InvalidTransition(
            _l("Say what should change: a note is required to request changes.")
        )
    return next_state


def transition(curriculum: Curriculum, action, *, actor, note: str | None = None):
    """Take one workflow step: check it, write the history (who, when, from, to, note) and move
    the state, freeze a version on (re)submission, set ``published_at`` on publication and
    notify the other side. Returns the new state."""
    action = parse_action(action)
    note = (note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE:
        raise DomainError(_l("The note can have at most %(max)d characters.", max=MAX_NOTE))
    check_transition(curriculum, action, actor, note)
    next_state = workflow.PROPOSAL.apply(curriculum, action, actor, note=note)
    if action in (CurriculumAction.SUBMIT, CurriculumAction.RESUBMIT):
        versions.freeze(curriculum, actor)
    if next_state == CurriculumState.PUBLISHED:
        curriculum.published_at = utcnow()
    db.session.flush()
    _notify(curriculum, action, actor, note)
    return next_state


def agency_admins(curriculum: Curriculum) -> list[User]:
    """Active admins of the partner OPD."""
    if curriculum.agency_id is None:
        return []
    return list(
        db.session.scalars(
            sa.select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(
                UserRole.role == Role.ADMIN,
                User.admin_agency_id == curriculum.agency_id,
                User.is_active_flag.is_(True),
            )
            .order_by(User.id)
        )
    )


def _recipients(curriculum: Curriculum, action: CurriculumAction) -> list[User]:
    def side(which):
        return [a.user for a in curriculum.authors if a.side == which]

    if action in (CurriculumAction.SUBMIT, CurriculumAction.RESUBMIT):
        return side(AuthorSide.AGENCY) or agency_admins(curriculum)
    if action in (CurriculumAction.REQUEST_CHANGES, CurriculumAction.APPROVE_AGENCY):
        return side(AuthorSide.UNIVERSITY)
    if action == CurriculumAction.PUBLISH:
        return [a.user for a in curriculum.authors]
    return []


_KEYS = {
    CurriculumAction.SUBMIT: "curricula.proposal_submitted",
    CurriculumAction.RESUBMIT: "curricula.proposal_resubmitted",
    CurriculumAction.REQUEST_CHANGES: "curricula.proposal_changes_requested",
    CurriculumAction.APPROVE_AGENCY: "curricula.proposal_agency_approved",
    CurriculumAction.PUBLISH: "curricula.proposal_published",
}


def _notify(curriculum: Curriculum, action: CurriculumAction, actor, note) -> None:
    key = _KEYS.get(action)
    if key is None:
        return
    link = url_for("curricula.proposal", curriculum_id=curriculum.id)
    params = {"title": curriculum.title}
    if action == CurriculumAction.REQUEST_CHANGES:
        params["note"] = note or ""
    tell(
        _recipients(curriculum, action),
        key,
        link=link,
        leave_out={actor.id},
        active_only=True,
        **params,
    )


# --- review comments ------------------------------------------------------------------------------


def check_can_comment(curriculum: Curriculum, actor) -> None:
    """Refuse, saying why, unless ``actor`` may take part in the review now."""
    if workflow.can_comment(curriculum, actor):
        return
    if curriculum.state in workflow.RELEASED:
        raise InvalidTransition(workflow.REVIEW_CLOSED)
    raise DomainError(workflow.REVIEWERS_ONLY)


def _clean_body(body) -> str:
    body = (body or "").strip()
    if not body:
        raise DomainError(_l("Write a comment first."))
    if len(body) > MAX_COMMENT:
        raise DomainError(_l("A comment can have at most %(max)d characters.", max=MAX_COMMENT))
    return body


def add_comment(
    curriculum: Curriculum,
    *,
    actor,
    body,
    module_id: int | None = None,
    parent: ReviewComment | None = None,
) -> ReviewComment:
    """Comment on the proposal or one of its modules; a reply joins its thread's root (and
    takes the root's module)."""
    check_can_comment(curriculum, actor)
    body = _clean_body(body)
    if parent is not None:
        if parent.curriculum_id != curriculum.id:
            raise DomainError(_l("This comment belongs to another proposal."))
        root_id = parent.parent_id or parent.id
        if parent.parent_id is not None:
            parent = db.session.get(ReviewComment, root_id)
        module_id = parent.module_id
    else:
        root_id = None
        if module_id is not None and module_id not in {m.id for m in curriculum.modules}:
            raise DomainError(_l("This module is not part of the proposal."))
    comment = ReviewComment(
        curriculum_id=curriculum.id,
        module_id=module_id,
        parent_id=root_id,
        author_id=actor.id,
        body=body,
        created_at=utcnow(),
    )
    db.session.add(comment)
    db.session.flush()
    return comment


def has_replies(comment: ReviewComment) -> bool:
    return bool(
        db.session.scalar(sa.select(sa.exists().where(ReviewComment.parent_id == comment.id)))
    )


def edit_comment(comment: ReviewComment, curriculum: Curriculum, *, actor, body) -> None:
    """Change one's own comment, until someone answers it."""
    if comment.author_id != actor.id:
        raise DomainError(_l("Only the author of a comment can edit it."))
    check_can_comment(curriculum, actor)
    if has_replies(comment):
        raise DomainError(_l("This comment has been answered, so it can no longer be edited."))
    comment.body = _clean_body(body)
    comment.edited_at = utcnow()
    db.session.flush()


def _settle(comment: ReviewComment, action: ThreadAction, actor) -> None:
    """Resolve or reopen a thread (:data:`workflow.THREAD`); a reply is settled with its thread."""
    if comment.parent_id is not None:
        raise DomainError(_l("Resolve or reopen the whole thread, from its first comment."))
    workflow.THREAD.apply(comment, action, actor)
    db.session.flush()


def resolve_comment(comment: ReviewComment, curriculum: Curriculum, *, actor) -> None:
    """Resolve an open thread; refused on a reply, a resolved thread, to anybody outside the
    review of ``curriculum`` and once it is published or archived."""
    _settle(comment, ThreadAction.RESOLVE, actor)


def reopen_comment(comment: ReviewComment, curriculum: Curriculum, *, actor) -> None:
    """Reopen a resolved thread; refused as :func:`resolve_comment` is."""
    _settle(comment, ThreadAction.REOPEN, actor)
