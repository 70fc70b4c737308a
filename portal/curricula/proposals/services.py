"""Authoring a proposal: its fields, modules, target competencies, cited evidence and co-authors.

Every write checks the workflow predicates (``can_edit`` / ``can_manage_authors``), refuses with a
translated reason (:class:`DomainError` / :class:`InvalidTransition`), records an audit event and
flushes; the view commits. Views pass each field as an explicit keyword (QUALITY.md G4): nothing
here reads a form, so the state, the university or the authors cannot be set from a request.
"""

from __future__ import annotations

from portal import audit
from portal.auth.models import Role
from portal.competency.models import Competency
from portal.curricula.models import (
    MODULE_METHODS,
    Audience,
    AuthorSide,
    Curriculum,
    CurriculumAuthor,
    CurriculumState,
    CurriculumTarget,
    DeliveryMode,
    Module,
)
from portal.curricula.proposals import workflow
from portal.curricula.training_types import DEFAULT_TYPE, is_curriculum_type
from portal.db import db
from portal.errors import DomainError, InvalidTransition
from portal.i18n import _l
from portal.institutions.models import Agency

#: ``update_proposal(agency_id=KEEP)`` leaves the partner agency as it is.
KEEP = object()


# --- guards ---------------------------------------------------------------------------------------


def check_can_edit(curriculum: Curriculum, actor) -> None:
    """Refuse unless ``actor`` may change the content now, saying why."""
    if workflow.can_edit(curriculum, actor):
        return
    if not workflow.is_author(curriculum, actor):
        raise DomainError(_l("Only the co-authors of this proposal can change it."))
    raise InvalidTransition(
        _l(
            "The proposal cannot be changed while it is “%(state)s”; it can be changed as a draft "
            "or when changes are requested.",
            state=curriculum.state.title,
        )
    )


def check_can_manage_authors(curriculum: Curriculum, actor) -> None:
    if workflow.can_manage_authors(curriculum, actor):
        return
    if curriculum.state in workflow.RELEASED:
        raise InvalidTransition(
            _l("The co-authors of a published or archived curriculum cannot be changed.")
        )
    raise DomainError(
        _l(
            "Only a university author of this proposal, or an admin of the city or of the "
            "partner OPD, can change its co-authors."
        )
    )


def remove_part(curriculum: Curriculum, parts: list, part, *, actor, missing, action, **details):
    """Take ``part`` out of one of the proposal's lists (``parts``: its targets, its cited
    evidence) while ``actor`` may edit it, refusing with ``missing`` when it is not in that list;
    flushes and records ``action`` with ``details``."""
    check_can_edit(curriculum, actor)
    if part not in parts:
        raise DomainError(missing)
    parts.remove(part)
    db.session.flush()
    audit.record(actor, action, curriculum, **details)


def _clean_fields(*, title, summary, audience, mode, learning_outcomes, training_type=KEEP) -> dict:
    title = (title or "").strip()
    if not title:
        raise DomainError(_l("Give the proposal a title."))
    if len(title) > 200:
        raise DomainError(_l("The title can have at most 200 characters."))
    try:
        audience, mode = Audience(audience), DeliveryMode(mode)
    except ValueError:
        raise DomainError(_l("Choose an audience and a delivery mode from the list.")) from None
    fields = {
        "title": title,
        "summary": (summary or "").strip(),
        "audience": audience,
        "mode": mode,
        "learning_outcomes": (learning_outcomes or "").strip(),
    }
    if training_type is not KEEP:  # the SIASN code table (DOMAIN.md §2.5)
        if not is_curriculum_type(training_type):
            raise DomainError(_l("Choose a training type from the list."))
        fields["training_type"] = training_type
    return fields


def _partner(agency_id: int | None) -> Agency | None:
    if agency_id is None:
        return None
    agency = db.session.get(Agency, agency_id)
    if agency is None or not agency.is_active:
        raise DomainError(_l("Choose an active agency (OPD) as partner."))
    return agency


# --- the proposal ---------------------------------------------------------------------------------


def create_proposal(
    *,
    actor,
    title,
    summary,
    audience,
    mode,
    learning_outcomes,
    agency_id=None,
    training_type=DEFAULT_TYPE,
) -> Curriculum:
    """A new draft of the actor's university; the actor becomes its lead university author.

    Refuses anyone who is not university staff with a university."""
    if Role.UNIVERSITY not in actor.roles or actor.university_id is None:
        raise DomainError(_l("Only university staff can propose a curriculum."))
    fields = _clean_fields(
        title=title,
        summary=summary,
        audience=audience,
        mode=mode,
        learning_outcomes=learning_outcomes,
        training_type=training_type,
    )
    agency = _partner(agency_id)
    curriculum = Curriculum(
        university_id=actor.university_id,
        agency_id=agency.id if agency else None,
        state=CurriculumState.DRAFT,
        created_by_id=actor.id,
        version_count=0,
        **fields,
    )
    curriculum.authors.append(
        CurriculumAuthor(
            user_id=actor.id, side=AuthorSide.UNIVERSITY, is_lead=True, added_by_id=actor.id
        )
    )
    db.session.add(curriculum)
    db.session.flush()
    audit.record(actor, "curriculum.create", curriculum)
    return curriculum


def update_proposal(
    curriculum: Curriculum,
    *,
    actor,
    title,
    summary,
    audience,
    mode,
    learning_outcomes,
    agency_id=KEEP,
    training_type=KEEP,
) -> None:
    """Change the proposal's fields. The partner agency changes only in a draft, only by a
    university author, and only while no agency co-author is named (they belong to the OPD)."""
    check_can_edit(curriculum, actor)
    fields = _clean_fields(
        title=title,
        summary=summary,
        audience=audience,
        mode=mode,
        learning_outcomes=learning_outcomes,
        training_type=training_type,
    )
    changed = [name for name, value in fields.items() if getattr(curriculum, name) != value]
    if agency_id is not KEEP and agency_id != curriculum.agency_id:
        _change_partner(curriculum, actor, agency_id)
        changed.append("agency_id")
    for name, value in fields.items():
        setattr(curriculum, name, value)
    db.session.flush()
    if changed:
        audit.record(actor, "curriculum.update", curriculum, fields=changed)


def _change_partner(curriculum: Curriculum, actor, agency_id: int | None) -> None:
    if curriculum.state != CurriculumState.DRAFT:
        raise InvalidTransition(
            _l("The partner agency can only be changed while the proposal is a draft.")
        )
    if workflow.UNIVERSITY not in workflow.sides_of(curriculum, actor):
        raise DomainError(_l("Only a university author can choose the partner agency."))
    if any(a.side == AuthorSide.AGENCY for a in curriculum.authors):
        raise DomainError(
            _l(
                "Remove the agency co-authors before changing the partner agency: they belong to "
                "the current partner."
            )
        )
    agency = _partner(agency_id)
    curriculum.agency_id = agency.id if agency else None


# --- modules --------------------------------------------------------------------------------------


def _clean_module(*, title, objectives, jp, method) -> dict:
    title = (title or "").strip()
    if not title:
        raise DomainError(_l("Give the module a title."))
    if len(title) > 200:
        raise DomainError(_l("The title can have at most 200 characters."))
    if not isinstance(jp, int) or not 1 <= jp <= 200:
        raise DomainError(_l("A module has between 1 and 200 JP."))
    if method not in MODULE_METHODS:
        raise DomainError(_l("Choose a method from the list."))
    return {"title": title, "objectives": (objectives or "").strip(), "jp": jp, "method": method}


def _renumber(curriculum: Curriculum) -> None:
    for position, module in enumerate(sorted(curriculum.modules, key=lambda m: m.position), 1):
        module.position = position


def add_module(curriculum: Curriculum, *, actor, title, objectives, jp, method) -> Module:
    """Append a module at the end (positions stay 1..n)."""
    check_can_edit(curriculum, actor)
    fields = _clean_module(title=title, objectives=objectives, jp=jp, method=method)
    module = Module(position=len(curriculum.modules) + 1, **fields)
    curriculum.modules.append(module)
    db.session.flush()
    audit.record(actor, "curriculum.update", curriculum, module_added=module.id)
    return module


def update_module(module: Module, *, actor, title, objectives, jp, method) -> None:
    curriculum = module.curriculum
    check_can_edit(curriculum, actor)
    fields = _clean_module(title=title, objectives=objectives, jp=jp, method=method)
    changed = [name for name, value in fields.items() if getattr(module, name) != value]
    for name, value in fields.items():
        setattr(module, name, value)
    db.session.flush()
    if changed:
        audit.record(
            actor,
            "curriculum.update",
            curriculum,
            module_changed=module.id,
            fields=changed,
        )


def delete_module(module: Module, *, actor) -> None:
    """Remove a module with its materials; the others close up (1..n)."""
    curriculum = module.curriculum
    check_can_edit(curriculum, actor)
    module_id, title = module.id, module.title
    curriculum.modules.remove(module)
    _renumber(curriculum)
    db.session.flush()
    audit.record(
        actor,
        "curriculum.update",
        curriculum,
        module_removed=module_id,
        module_title=title[:200],
    )


def move_module(module: Module, *, actor, direction: str) -> None:
    """Swap a module with its neighbour above (``up``) or below (``down``)."""
    curriculum = module.curriculum
    check_can_edit(curriculum, actor)
    if direction not in ("up", "down"):
        raise DomainError(_l("Move a module up or down."))
    ordered = sorted(curriculum.modules, key=lambda m: m.position)
    index = ordered.index(module)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        raise DomainError(
            _l("This module is already the first.")
            if direction == "up"
            else _l("This module is already the last.")
        )
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered, 1):
        item.position = position
    db.session.flush()
    audit.record(
        actor,
        "curriculum.update",
        curriculum,
        module_moved=module.id,
        direction=direction,
    )


# --- target competencies --------------------------------------------------------------------------


def add_target(curriculum: Curriculum, *, actor, competency_id: int, target_level: int):
    """Aim the curriculum at a competency (not retired) and a level 1–5, once per competency."""
    check_can_edit(curriculum, actor)
    competency = db.session.get(Competency, competency_id) if competency_id else None
    if competency is None or competency.is_retired:
        raise DomainError(_l("Choose a competency of the dictionary that is still in use."))
    if not isinstance(target_level, int) or not 1 <= target_level <= 5:
        raise DomainError(_l("The target level is between 1 and 5."))
    if any(t.competency_id == competency.id for t in curriculum.targets):
        raise DomainError(
            _l("This competency is already a target; remove it first to change its level.")
        )
    target = CurriculumTarget(competency_id=competency.id, target_level=target_level)
    curriculum.targets.append(target)
    db.session.flush()
    audit.record(
        actor,
        "curriculum.update",
        curriculum,
        target_added=competency.id,
        level=target_level,
    )
    return target


def remove_target(target: CurriculumTarget, curriculum: Curriculum, *, actor) -> None:
    remove_part(
        curriculum,
        curriculum.targets,
        target,
        actor=actor,
        missing=_l("This target is not part of the proposal."),
        action="curriculum.update",
        target_removed=target.competency_id,
    )


# --- evidence from the demand board ---------------------------------------------------------------
