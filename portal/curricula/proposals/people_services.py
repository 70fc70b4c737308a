"""Co-authors and cited evidence of a proposal: who may be named by whom, and demand-board
clusters cited with their figures. Services flush, never commit."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from portal import audit
from portal.auth.models import Role, User
from portal.competency.board import queries as board
from portal.curricula.models import (
    AuthorSide,
    Curriculum,
    CurriculumAuthor,
    CurriculumEvidence,
)
from portal.curricula.proposals import workflow
from portal.curricula.proposals.services import (
    check_can_edit,
    check_can_manage_authors,
    remove_part,
)
from portal.db import db
from portal.errors import DomainError
from portal.i18n import _l

#: ``update_proposal(agency_id=KEEP)`` leaves the partner agency as it is.


def visible_clusters(actor, *, agency_id: int | None = None) -> list[board.Cluster]:
    """The demand-board groups ``actor`` can see, as the board shows them: admins every group
    (an OPD admin: its OPD only), university staff the k-anonymous groups, others none."""
    if actor.is_admin:
        if not actor.is_city_admin:
            if agency_id not in (None, actor.admin_agency_id):
                return []
            agency_id = actor.admin_agency_id
        rows, _hidden = board.clusters(anonymous=False, agency_id=agency_id)
        return rows
    if Role.UNIVERSITY in actor.roles:
        rows, _hidden = board.clusters(anonymous=True, agency_id=agency_id)
        return rows
    return []


def kind_key(cluster) -> str:
    """A cluster's position kind as stored with the evidence ("" when kinds were merged)."""
    kind = getattr(cluster, "kind", None)
    return str(kind) if kind else ""


def cite_evidence(
    curriculum: Curriculum, *, actor, agency_id: int, competency_id: int, kind: str | None
) -> CurriculumEvidence:
    """Cite a demand-board group the actor can see, copying its figures as they are now."""
    check_can_edit(curriculum, actor)
    kind = kind or ""
    cluster = next(
        (
            c
            for c in visible_clusters(actor, agency_id=agency_id)
            if c.agency_id == agency_id and c.competency_id == competency_id and kind_key(c) == kind
        ),
        None,
    )
    if cluster is None:
        raise DomainError(
            _l(
                "This group is not on the demand board you can see (groups too small to show "
                "cannot be cited)."
            )
        )
    if any(
        (e.agency_id, e.competency_id, e.kind or "") == (agency_id, competency_id, kind)
        for e in curriculum.evidence
    ):
        raise DomainError(_l("This group is already cited as evidence."))
    evidence = CurriculumEvidence(
        agency_id=cluster.agency_id,
        competency_id=cluster.competency_id,
        kind=kind or None,
        total=cluster.total,
        assessed=cluster.assessed,
        below=cluster.below,
        mean_gap=cluster.mean_gap,
        cited_by_id=actor.id,
    )
    curriculum.evidence.append(evidence)
    db.session.flush()
    audit.record(actor, "curriculum.evidence", curriculum, cited=[agency_id, competency_id, kind])
    return evidence


def remove_evidence(evidence: CurriculumEvidence, curriculum: Curriculum, *, actor) -> None:
    remove_part(
        curriculum,
        curriculum.evidence,
        evidence,
        actor=actor,
        missing=_l("This evidence is not part of the proposal."),
        action="curriculum.evidence",
        removed=[evidence.agency_id, evidence.competency_id, evidence.kind],
    )


# --- co-authors -----------------------------------------------------------------------------------


def author_role(curriculum: Curriculum, candidate: User) -> tuple[AuthorSide, str] | None:
    """Which side ``candidate`` could co-author on, and who may name them:
    ``"university"`` (a university author), ``"either"`` (a university author or an admin) or
    ``"admin"`` (an admin of the city or of the partner OPD). None: not eligible."""
    roles = candidate.roles
    if Role.UNIVERSITY in roles and candidate.university_id == curriculum.university_id:
        return AuthorSide.UNIVERSITY, "university"
    if curriculum.agency_id is None:
        return None
    if Role.ADMIN in roles and candidate.admin_agency_id == curriculum.agency_id:
        return AuthorSide.AGENCY, "either"
    if Role.ASN in roles and candidate.agency_id == curriculum.agency_id:
        return AuthorSide.AGENCY, "admin"
    return None


def may_name(curriculum: Curriculum, actor, who: str) -> bool:
    sides = workflow.sides_of(curriculum, actor)
    if who == "university":
        return workflow.UNIVERSITY in sides
    if who == "either":
        return bool(sides & {workflow.UNIVERSITY, workflow.ADMIN})
    return workflow.ADMIN in sides


def add_author(curriculum: Curriculum, *, actor, user_id: int) -> CurriculumAuthor:
    """Name a co-author: staff of the proposing university (by a university author), an admin of
    the partner OPD (by a university author or an admin), an ASN of the partner OPD (by an
    admin of the city or of that OPD)."""
    check_can_manage_authors(curriculum, actor)
    candidate = (
        db.session.scalars(
            sa.select(User).where(User.id == user_id).options(selectinload(User.role_rows))
        ).first()
        if user_id
        else None
    )
    if candidate is None or not candidate.is_active:
        raise DomainError(_l("Choose an active account as co-author."))
    if any(a.user_id == candidate.id for a in curriculum.authors):
        raise DomainError(_l("%(name)s is already a co-author.", name=candidate.full_name))
    eligible = author_role(curriculum, candidate)
    if eligible is None:
        raise DomainError(
            _l(
                "Co-authors are staff of the proposing university, or an admin or ASN of the "
                "partner agency."
            )
        )
    side, who = eligible
    if not may_name(curriculum, actor, who):
        raise DomainError(
            _l("Only an admin of the city or of the partner OPD can name an ASN as co-author.")
            if who == "admin"
            else _l("Only a university author can name university staff as co-authors.")
        )
    author = CurriculumAuthor(user_id=candidate.id, side=side, is_lead=False, added_by_id=actor.id)
    curriculum.authors.append(author)
    db.session.flush()
    audit.record(actor, "curriculum.authors", curriculum, added=candidate.id, side=str(side))
    return author


def remove_author(author: CurriculumAuthor, curriculum: Curriculum, *, actor) -> None:
    """Remove a co-author (never the lead). University authors remove anyone else; an admin
    removes agency-side co-authors only."""
    check_can_manage_authors(curriculum, actor)
    if author not in curriculum.authors:
        raise DomainError(_l("This person is not a co-author of the proposal."))
    if author.is_lead:
        raise DomainError(_l("The lead author cannot be removed."))
    sides = workflow.sides_of(curriculum, actor)
    if workflow.UNIVERSITY not in sides and author.side != AuthorSide.AGENCY:
        raise DomainError(_l("Only a university author can remove university co-authors."))
    user_id = author.user_id
    curriculum.authors.remove(author)
    db.session.flush()
    audit.record(actor, "curriculum.authors", curriculum, removed=user_id)
