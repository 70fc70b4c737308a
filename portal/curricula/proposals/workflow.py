"""The proposal workflow (CONVENTIONS.md §6) and the predicates every view and template asks.

draft → submitted → in review → changes requested → resubmitted → in review … → approved by the
agency side → approved by the university side → published → archived. Each step is taken by one
side: the university authors, or the agency side (an agency co-author, or an admin of the city or of
the partner OPD). Submitting and resubmitting freeze an immutable version.
"""

from __future__ import annotations

import enum

from portal.auth.models import Role
from portal.curricula.models import AuthorSide, Curriculum, CurriculumState
from portal.i18n import _l

S = CurriculumState


class CurriculumAction(enum.StrEnum):
    SUBMIT = "submit"
    START_REVIEW = "start_review"
    REQUEST_CHANGES = "request_changes"
    RESUBMIT = "resubmit"
    APPROVE_AGENCY = "approve_agency"
    APPROVE_UNIVERSITY = "approve_university"
    PUBLISH = "publish"
    ARCHIVE = "archive"

    @property
    def title(self):
        return {
            CurriculumAction.SUBMIT: _l("Submit"),
            CurriculumAction.START_REVIEW: _l("Start the review"),
            CurriculumAction.REQUEST_CHANGES: _l("Request changes"),
            CurriculumAction.RESUBMIT: _l("Resubmit"),
            CurriculumAction.APPROVE_AGENCY: _l("Approve for the agency"),
            CurriculumAction.APPROVE_UNIVERSITY: _l("Approve for the university"),
            CurriculumAction.PUBLISH: _l("Publish"),
            CurriculumAction.ARCHIVE: _l("Archive"),
        }[self]

    @property
    def needs_note(self) -> bool:
        return self == CurriculumAction.REQUEST_CHANGES


A = CurriculumAction
UNIVERSITY, AGENCY, ADMIN = "university", "agency", "admin"

#: (state, action) -> (next state, the side that may take the step)
TRANSITIONS: dict[tuple[CurriculumState, CurriculumAction], tuple[CurriculumState, str]] = {
    (S.DRAFT, A.SUBMIT): (S.SUBMITTED, UNIVERSITY),
    (S.SUBMITTED, A.START_REVIEW): (S.IN_REVIEW, AGENCY),
    (S.RESUBMITTED, A.START_REVIEW): (S.IN_REVIEW, AGENCY),
    (S.IN_REVIEW, A.REQUEST_CHANGES): (S.CHANGES_REQUESTED, AGENCY),
    (S.CHANGES_REQUESTED, A.RESUBMIT): (S.RESUBMITTED, UNIVERSITY),
    (S.IN_REVIEW, A.APPROVE_AGENCY): (S.AGENCY_APPROVED, AGENCY),
    (S.AGENCY_APPROVED, A.APPROVE_UNIVERSITY): (S.APPROVED, UNIVERSITY),
    (S.APPROVED, A.PUBLISH): (S.PUBLISHED, ADMIN),
    (S.PUBLISHED, A.ARCHIVE): (S.ARCHIVED, ADMIN),
}

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


def allowed_actions(curriculum: Curriculum, user) -> list[CurriculumAction]:
    """The steps ``user`` may take now; templates show exactly these buttons."""
    sides = sides_of(curriculum, user)
    return [
        action
        for (state, action), (_next, side) in TRANSITIONS.items()
        if state == curriculum.state and side in sides
    ]
