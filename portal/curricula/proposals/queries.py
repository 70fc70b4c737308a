"""Reads for the proposal pages: scoped to what the user may see, with explicit eager loading so
each page runs a fixed number of queries whatever the number of modules, materials or comments.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, lazyload, selectinload

from portal.auth.models import AccountStatus, Role, User, UserRole
from portal.competency.models import Competency, CompetencyVersion
from portal.curricula.models import (
    Curriculum,
    CurriculumAuthor,
    CurriculumEvidence,
    CurriculumState,
    CurriculumTarget,
    Material,
    MaterialVersion,
    Module,
)
from portal.curricula.proposals import people_services, workflow
from portal.curricula.proposals.models import CurriculumEvent, CurriculumVersion, ReviewComment
from portal.db import db
from portal.i18n import _l
from portal.institutions.models import Agency
from portal.listing import contains


def _co_authored(user):
    return sa.exists().where(
        CurriculumAuthor.curriculum_id == Curriculum.id, CurriculumAuthor.user_id == user.id
    )


def scope(stmt, user):
    """Proposals ``user`` may list: university staff those of their university, admins all (an
    OPD admin those of its OPD), and everyone the ones they co-author."""
    mine = _co_authored(user)
    if user.is_admin:
        if user.is_city_admin:
            return stmt
        return stmt.where(sa.or_(Curriculum.agency_id == user.admin_agency_id, mine))
    if Role.UNIVERSITY in user.roles and user.university_id is not None:
        return stmt.where(sa.or_(Curriculum.university_id == user.university_id, mine))
    return stmt.where(mine)


#: The most rows an export holds (the list is filtered first; a bigger one is cut there).
EXPORT_LIMIT = 50_000


def export_rows(stmt) -> list:
    """The rows of a list's statement for its CSV/XLSX export: no pagination, at most
    :data:`EXPORT_LIMIT`, with the eager loading the statement declares."""
    return list(db.session.scalars(stmt.limit(EXPORT_LIMIT)))


def proposals_stmt(user, *, q: str = "", state: str = ""):
    """The proposals ``user`` may see, newest change first, searchable by title."""
    stmt = (
        sa.select(Curriculum)
        .options(
            joinedload(Curriculum.university),
            joinedload(Curriculum.agency),
            selectinload(Curriculum.modules),
        )
        .order_by(Curriculum.updated_at.desc(), Curriculum.id.desc())
    )
    stmt = scope(stmt, user)
    if q:
        stmt = stmt.where(contains(Curriculum.title, q))
    if state in {s.value for s in CurriculumState}:
        stmt = stmt.where(Curriculum.state == state)
    return stmt


def proposals_for(user, *, page: int = 1, per_page: int = 20, **filters):
    """A page of :func:`proposals_stmt`."""
    return db.paginate(
        proposals_stmt(user, **filters), page=page, per_page=per_page, error_out=False
    )


def _proposal_options():
    return (
        joinedload(Curriculum.university),
        joinedload(Curriculum.agency),
        joinedload(Curriculum.authors)
        .joinedload(CurriculumAuthor.user)
        .options(lazyload(User.role_rows)),
        # The module's curriculum is the one loaded here: a lazy load reads the identity map.
        selectinload(Curriculum.modules).options(
            lazyload(Module.curriculum),
            selectinload(Module.materials)
            .joinedload(Material.current_version)
            .joinedload(MaterialVersion.file),
        ),
        selectinload(Curriculum.targets)
        .joinedload(CurriculumTarget.competency)
        .joinedload(Competency.current_version),
        selectinload(Curriculum.evidence).options(
            joinedload(CurriculumEvidence.agency),
            joinedload(CurriculumEvidence.competency).joinedload(Competency.current_version),
        ),
    )


def curriculum(curriculum_id: int) -> Curriculum | None:
    """One proposal with everything its pages and services touch: authors and their accounts,
    modules with materials (and their current version), targets with the competency's current
    wording, and the cited evidence."""
    return (
        db.session.scalars(
            sa.select(Curriculum)
            .where(Curriculum.id == curriculum_id)
            .options(*_proposal_options())
        )
        .unique()
        .one_or_none()
    )


def curriculum_of(model, obj_id: int) -> int | None:
    """The proposal a module, target, evidence row, author or comment belongs to."""
    return db.session.scalar(sa.select(model.curriculum_id).where(model.id == obj_id))


@dataclass
class Thread:
    root: ReviewComment
    replies: list[ReviewComment] = field(default_factory=list)


@dataclass
class ProposalPage:
    curriculum: Curriculum
    events: list[CurriculumEvent]
    threads: dict[int | None, list[Thread]]  # by module id; None: on the whole proposal
    answered: set[int]  # ids of comments that have a reply
    open_count: int

    def threads_for(self, module_id: int | None) -> list[Thread]:
        return self.threads.get(module_id, [])


def comment_threads(curriculum_id: int, module_ids) -> tuple[dict, set[int], int]:
    """Review comments grouped into threads per module (None: the proposal), oldest first."""
    rows = db.session.scalars(
        sa.select(ReviewComment)
        .where(ReviewComment.curriculum_id == curriculum_id)
        .options(joinedload(ReviewComment.author).options(lazyload(User.role_rows)))
        .order_by(ReviewComment.created_at, ReviewComment.id)
    ).all()
    roots = {c.id: Thread(c) for c in rows if c.parent_id is None}
    answered = set()
    for comment in rows:
        if comment.parent_id is not None and comment.parent_id in roots:
            roots[comment.parent_id].replies.append(comment)
            answered.add(comment.parent_id)
    threads = defaultdict(list)
    for thread in roots.values():
        module_id = thread.root.module_id if thread.root.module_id in module_ids else None
        threads[module_id].append(thread)
    open_count = sum(1 for t in roots.values() if not t.root.is_resolved)
    return dict(threads), answered, open_count


def proposal(curriculum_id: int) -> ProposalPage | None:
    """The proposal workspace: the proposal, its history and its review threads."""
    cur = curriculum(curriculum_id)
    if cur is None:
        return None
    events = db.session.scalars(
        sa.select(CurriculumEvent)
        .where(CurriculumEvent.curriculum_id == cur.id)
        .options(joinedload(CurriculumEvent.actor).options(lazyload(User.role_rows)))
        .order_by(CurriculumEvent.at, CurriculumEvent.id)
    ).all()
    threads, answered, open_count = comment_threads(cur.id, {m.id for m in cur.modules})
    return ProposalPage(cur, list(events), threads, answered, open_count)


def comment(comment_id: int) -> ReviewComment | None:
    return db.session.get(ReviewComment, comment_id)


def target_competencies(exclude=()) -> list[tuple[int, str, str]]:
    """(id, name, code) of the competencies in use, by name, for the target form."""
    rows = db.session.execute(
        sa.select(Competency.id, CompetencyVersion.name, Competency.code)
        .join(CompetencyVersion, CompetencyVersion.id == Competency.current_version_id)
        .where(Competency.is_retired.is_(False))
        .order_by(CompetencyVersion.name, Competency.code)
    ).all()
    return [(r.id, r.name, r.code) for r in rows if r.id not in set(exclude)]


def active_agencies(include_id: int | None = None) -> list[Agency]:
    wanted = Agency.is_active.is_(True)
    if include_id:
        wanted = sa.or_(wanted, Agency.id == include_id)
    return list(db.session.scalars(sa.select(Agency).where(wanted).order_by(Agency.name)))


def versions(curriculum_id: int) -> list[CurriculumVersion]:
    return list(
        db.session.scalars(
            sa.select(CurriculumVersion)
            .where(CurriculumVersion.curriculum_id == curriculum_id)
            .options(joinedload(CurriculumVersion.frozen_by).options(lazyload(User.role_rows)))
            .order_by(CurriculumVersion.number)
        )
    )


def version(curriculum_id: int, number: int) -> CurriculumVersion | None:
    return db.session.scalar(
        sa.select(CurriculumVersion).where(
            CurriculumVersion.curriculum_id == curriculum_id, CurriculumVersion.number == number
        )
    )


AUTHOR_KIND_TITLES = {
    "university": _l("university staff"),
    "either": _l("admin of the partner OPD"),
    "admin": _l("ASN of the partner OPD"),
}


def author_candidates(cur: Curriculum, actor) -> list[tuple[User, object]]:
    """The people ``actor`` may add as co-authors now, each with what they are."""
    if not workflow.can_manage_authors(cur, actor):
        return []
    wanted = []
    if people_services.may_name(cur, actor, "university"):
        wanted.append(
            sa.and_(UserRole.role == Role.UNIVERSITY, User.university_id == cur.university_id)
        )
    if cur.agency_id is not None:
        if people_services.may_name(cur, actor, "either"):
            wanted.append(
                sa.and_(UserRole.role == Role.ADMIN, User.admin_agency_id == cur.agency_id)
            )
        if people_services.may_name(cur, actor, "admin"):
            wanted.append(sa.and_(UserRole.role == Role.ASN, User.agency_id == cur.agency_id))
    if not wanted:
        return []
    taken = {a.user_id for a in cur.authors}
    people = (
        db.session.scalars(
            sa.select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(
                sa.or_(*wanted), User.is_active_flag.is_(True), User.status == AccountStatus.ACTIVE
            )
            .options(selectinload(User.role_rows))
            .order_by(User.full_name, User.id)
        )
        .unique()
        .all()
    )
    result = []
    for person in people:
        eligible = people_services.author_role(cur, person)
        if (
            person.id not in taken
            and eligible
            and people_services.may_name(cur, actor, eligible[1])
        ):
            result.append((person, AUTHOR_KIND_TITLES[eligible[1]]))
    return result
