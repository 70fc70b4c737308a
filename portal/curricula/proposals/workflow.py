"""The proposal workflow (CONVENTIONS.md §6) and the predicates every view and template asks.

draft → submitted → in review → changes requested → resubmitted → in review … → approved by the
agency side → approved by the university side → published → archived. Each step is taken by one
side: the university authors, or the agency side (an agency co-author, or an admin of the city or of
the partner OPD). Submitting and resubmitting freeze an immutable version.

:data:`PROPOSAL` is the table on the one engine (``portal/workflow.py``); :data:`THREAD` the small
one of review threads (open ⇄ resolved).
"""

from __future__ import annotations

import enum

import sqlalchemy as sa

from portal import audit
from portal.auth.models import Role
from portal.curricula.models import AuthorSide, Curriculum, CurriculumState
from portal.curricula.proposals.models import CurriculumEvent, ReviewComment, ThreadState
from portal.db import TitledEnum, db
from portal.i18n import _l
from portal.workflow import Workflow, step

S = CurriculumState


class CurriculumAction(TitledEnum):
    SUBMIT = "submit", _l("Submit")
    START_REVIEW = "start_review", _l("Start the review")
    REQUEST_CHANGES = "request_changes", _l("Request changes")
    RESUBMIT = "resubmit", _l("Resubmit")
    APPROVE_AGENCY = "approve_agency", _l("Approve for the agency")
    APPROVE_UNIVERSITY = "approve_university", _l("Approve for the university")
    PUBLISH = "publish", _l("Publish")
    ARCHIVE = "archive", _l("Archive")

    @property
    def needs_note(self) -> bool:
        return self == CurriculumAction.REQUEST_CHANGES


A = CurriculumAction
UNIVERSITY, AGENCY, ADMIN = "university", "agency", "admin"

#: States in which the authors may change content (modules, targets, outcomes, materials).
EDITABLE = frozenset({S.DRAFT, S.CHANGES_REQUESTED})
#: States in which reviewers comment.
UNDER_REVIEW = frozenset({S.SUBMITTED, S.IN_REVIEW, S.RESUBMITTED, S.AGENCY_APPROVED})
#: States in which learners see the curriculum and its materials.
VISIBLE_TO_LEARNERS = frozenset({S.PUBLISHED})
#: Published or archived: still readable by signed-in users who used it.
RELEASED = frozenset({S.PUBLISHED, S.ARCHIVED})

SIDE_TEXT = {
    UNIVERSITY: _l("Only a university author of this proposal can do this."),
    AGENCY: _l(
        "Only the agency side (an agency co-author or an admin of the partner OPD) can do this."
    ),
    ADMIN: _l("Only an admin of the city or of the partner OPD can do this."),
}


def is_agency_admin(curriculum: Curriculum, user) -> bool:
    """A city-wide admin, or the admin of the curriculum's partner OPD."""
    if user is None or not getattr(user, "is_authenticated", False) or Role.ADMIN not in user.roles:
        return False
    return user.admin_agency_id is None or (
        curriculum.agency_id is not None and user.admin_agency_id == curriculum.agency_id
    )


def sides_of(curriculum: Curriculum, user) -> frozenset[str]:
    """The sides ``user`` acts for on this proposal (needs ``authors`` loaded)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    sides = set()
    authored = curriculum.author_side(user)
    if authored == AuthorSide.UNIVERSITY:
        sides.add(UNIVERSITY)
    elif authored == AuthorSide.AGENCY:
        sides.add(AGENCY)
    if is_agency_admin(curriculum, user):
        sides.update({AGENCY, ADMIN})
    return frozenset(sides)


def is_author(curriculum: Curriculum, user) -> bool:
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and curriculum.author_side(user) is not None
    )


def can_view_proposal(curriculum: Curriculum, user) -> bool:
    """Authors, staff of the proposing university, and the agency-side admins see a proposal in
    any state; nobody else sees one that is not published (other universities' drafts stay
    private)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if is_author(curriculum, user) or is_agency_admin(curriculum, user):
        return True
    return Role.UNIVERSITY in user.roles and user.university_id == curriculum.university_id


def can_edit(curriculum: Curriculum, user) -> bool:
    """Authors of either side change content while the proposal is a draft or sent back."""
    return curriculum.state in EDITABLE and is_author(curriculum, user)


def can_manage_authors(curriculum: Curriculum, user) -> bool:
    """University authors add or remove co-authors (agency admins name ASN co-authors)."""
    if curriculum.state in RELEASED:
        return False
    return bool(sides_of(curriculum, user) & {UNIVERSITY, ADMIN})


def can_comment(curriculum: Curriculum, user) -> bool:
    """Authors and the agency side discuss a proposal until it is published."""
    if curriculum.state in RELEASED:
        return False
    return is_author(curriculum, user) or is_agency_admin(curriculum, user)


def can_revise_material(curriculum: Curriculum, user) -> bool:
    """Authors upload new versions of existing materials in any state but archived: fixing a
    published material is how the feedback loop closes."""
    return curriculum.state != S.ARCHIVED and is_author(curriculum, user)


def can_download(curriculum: Curriculum, user) -> bool:
    """Drafts: authors and reviewers. Published (or archived): any signed-in user.
    Anonymous visitors never download; they see metadata only."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if curriculum.state in RELEASED:
        return True
    return can_view_proposal(curriculum, user)


def can_give_feedback(curriculum: Curriculum, user) -> bool:
    """Signed-in ASN and students rate and flag materials of published curricula; authors do
    not rate their own work."""
    return (
        curriculum.state in VISIBLE_TO_LEARNERS
        and user is not None
        and getattr(user, "is_authenticated", False)
        and bool(user.roles & {Role.ASN, Role.STUDENT})
        and not is_author(curriculum, user)
    )


def can_handle_feedback(curriculum: Curriculum, user) -> bool:
    """Authors of either side and the agency-side admins read feedback and work on flags."""
    return is_author(curriculum, user) or is_agency_admin(curriculum, user)


# --- what a (re)submission and the agency's approval need -----------------------------------------


class _Listing:
    """Lazy ", "-joined texts, formatted in the language of the page that shows them."""

    def __init__(self, items):
        self.items = items

    def __str__(self) -> str:
        return ", ".join(str(item) for item in self.items)


def missing_for_submission(curriculum: Curriculum) -> list:
    """What a proposal still lacks before it can be (re)submitted (empty: complete)."""
    missing = []
    if curriculum.agency_id is None:
        missing.append(_l("a partner agency"))
    if not curriculum.modules:
        missing.append(_l("at least one module"))
    if not curriculum.targets:
        missing.append(_l("at least one target competency"))
    if not curriculum.outcomes:
        missing.append(_l("at least one learning outcome"))
    return missing


def open_comment_count(curriculum: Curriculum) -> int:
    """Review threads not yet resolved (replies count with their thread)."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(ReviewComment)
        .where(
            ReviewComment.curriculum_id == curriculum.id,
            ReviewComment.parent_id.is_(None),
            ReviewComment.is_resolved.is_(False),
        )
    )


# The two guards below answer when the step is taken, not when the page lists the buttons
# (``listing=True``): the button stays, the page says what is missing, and pressing it says why.


def _complete(curriculum: Curriculum, _action, _user, *, listing=False, **_context):
    """A proposal is (re)submitted only with a partner agency, modules, targets and outcomes."""
    missing = [] if listing else missing_for_submission(curriculum)
    if missing:
        return _l(
            "The proposal cannot be submitted yet. It still needs: %(missing)s.",
            missing=_Listing(missing),
        )
    return None


def _no_open_comments(curriculum: Curriculum, _action, _user, *, listing=False, **_context):
    """The agency side approves only once every review thread is resolved."""
    count = 0 if listing else open_comment_count(curriculum)
    if count:
        return _l(
            "The proposal cannot be approved while review comments are open "
            "(%(count)d open). Resolve them first.",
            count=count,
        )
    return None


def _record(  # noqa: PLR0917 (the engine's ``record`` signature)
    curriculum: Curriculum, action, from_state, to_state, actor, note, at
) -> None:
    """The history row (who, when, from, to, note) and the audit entry of one step."""
    db.session.add(
        CurriculumEvent(
            curriculum_id=curriculum.id,
            action=action.value,
            from_state=from_state,
            to_state=to_state,
            actor_id=actor.id,
            at=at,
            note=note,
        )
    )
    audit.record(
        actor,
        "curriculum.transition",
        curriculum,
        step=action.value,
        from_state=from_state.value,
        to_state=to_state.value,
    )


#: Each step is taken by one side (an agency-side admin acts for the agency side too).
PROPOSAL = Workflow(
    name="curricula.proposal",
    steps={
        (S.DRAFT, A.SUBMIT): step(S.SUBMITTED, UNIVERSITY, guards=[_complete]),
        (S.SUBMITTED, A.START_REVIEW): step(S.IN_REVIEW, AGENCY),
        (S.RESUBMITTED, A.START_REVIEW): step(S.IN_REVIEW, AGENCY),
        (S.IN_REVIEW, A.REQUEST_CHANGES): step(S.CHANGES_REQUESTED, AGENCY),
        (S.CHANGES_REQUESTED, A.RESUBMIT): step(S.RESUBMITTED, UNIVERSITY, guards=[_complete]),
        (S.IN_REVIEW, A.APPROVE_AGENCY): step(
            S.AGENCY_APPROVED, AGENCY, guards=[_no_open_comments]
        ),
        (S.AGENCY_APPROVED, A.APPROVE_UNIVERSITY): step(S.APPROVED, UNIVERSITY),
        (S.APPROVED, A.PUBLISH): step(S.PUBLISHED, ADMIN),
        (S.PUBLISHED, A.ARCHIVE): step(S.ARCHIVED, ADMIN),
    },
    parties=sides_of,
    not_possible=lambda action, state: _l(
        "“%(action)s” is not possible while the proposal is “%(state)s”.",
        action=action.title,
        state=state.title,
    ),
    party_text={frozenset({side}): text for side, text in SIDE_TEXT.items()},
    record=_record,
)

#: (state, action) -> (next state, the side that takes the step): the table as the demo data
#: walks it.
TRANSITIONS: dict[tuple[CurriculumState, CurriculumAction], tuple[CurriculumState, str]] = {
    key: (found.to, *found.parties) for key, found in PROPOSAL.steps.items()
}

#: The state ``action`` leads to; raises InvalidTransition saying why when it is blocked.
check = PROPOSAL.check


def allowed_actions(curriculum: Curriculum, user) -> list[CurriculumAction]:
    """The steps ``user``'s side may take now; templates show exactly these buttons (a step
    that still lacks something is shown, and says what when taken)."""
    return PROPOSAL.allowed(curriculum, user, listing=True)


# --- review threads: open ⇄ resolved ---------------------------------------------------------------


class ThreadAction(enum.StrEnum):
    RESOLVE = "resolve"
    REOPEN = "reopen"


T = ThreadState
REVIEWER = "reviewer"
REVIEW_CLOSED = _l("The review is closed: the curriculum is published or archived.")
REVIEWERS_ONLY = _l(
    "Only the co-authors and the agency side take part in the review of a proposal."
)


def reviewers_of(comment: ReviewComment, user) -> frozenset[str]:
    """The co-authors and the agency-side admins take part in the review of a proposal."""
    curriculum = db.session.get(Curriculum, comment.curriculum_id)
    if is_author(curriculum, user) or is_agency_admin(curriculum, user):
        return frozenset({REVIEWER})
    return frozenset()


def _review_open(comment: ReviewComment, _action, _user, **_context):
    """Threads are settled only until the curriculum is published or archived."""
    if db.session.get(Curriculum, comment.curriculum_id).state in RELEASED:
        return REVIEW_CLOSED
    return None


def _settled(comment: ReviewComment, _action, _from, to_state, actor, _note, at) -> None:
    """Who resolved the thread and when (reopening clears both)."""
    resolved = to_state == T.RESOLVED
    comment.resolved_by_id = actor.id if resolved else None
    comment.resolved_at = at if resolved else None


#: A thread (a root comment) is resolved or reopened by anybody taking part in the review.
THREAD = Workflow(
    name="curricula.review_thread",
    steps={
        (T.OPEN, ThreadAction.RESOLVE): step(T.RESOLVED, REVIEWER),
        (T.RESOLVED, ThreadAction.REOPEN): step(T.OPEN, REVIEWER),
    },
    parties=reviewers_of,
    not_possible=lambda _action, state: (
        _l("This comment is already resolved.")
        if state == T.RESOLVED
        else _l("This comment is already open.")
    ),
    party_text={frozenset({REVIEWER}): REVIEWERS_ONLY},
    guards=(_review_open,),
    record=_settled,
    state_attr="thread_state",
)
