"""Frozen versions of a proposal: the snapshot taken at each submission, and the differences
between two of them.

A :class:`CurriculumVersion` never changes once written: an ORM guard refuses any update or
delete of an existing row (flush events and ORM ``UPDATE``/``DELETE`` statements alike).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.curricula.models import MODULE_METHODS, Audience, Curriculum, DeliveryMode, MaterialKind
from portal.curricula.proposals.models import CurriculumVersion
from portal.db import db, utcnow
from portal.errors import DomainError
from portal.i18n import _l

SNAPSHOT_FORMAT = 1


class FrozenVersion(DomainError):
    default_message = _l("A frozen version of a proposal cannot be changed or removed.")


# --- freezing ------------------------------------------------------------------------------------


def snapshot(curriculum: Curriculum) -> dict:
    """The proposal as plain JSON: fields, partner agency, targets, modules and their materials.

    Needs ``agency``, ``targets`` (with competency and its current version) and ``modules`` (with
    materials) loaded when called during a request.
    """
    modules = []
    for module in curriculum.modules:
        modules.append(
            {
                "id": module.id,
                "position": module.position,
                "title": module.title,
                "objectives": module.objectives or "",
                "jp": module.jp,
                "method": module.method,
                "materials": [
                    {"id": m.id, "title": m.title, "kind": str(m.kind), "version": m.version_count}
                    for m in module.materials
                ],
            }
        )
    targets = []
    for target in curriculum.targets:
        version = target.competency.current_version if target.competency else None
        targets.append(
            {
                "competency_id": target.competency_id,
                "competency": version.name if version else str(target.competency_id),
                "level": target.target_level,
            }
        )
    return {
        "format": SNAPSHOT_FORMAT,
        "title": curriculum.title,
        "summary": curriculum.summary or "",
        "audience": str(curriculum.audience),
        "mode": str(curriculum.mode),
        "learning_outcomes": curriculum.outcomes,
        "agency": curriculum.agency.name if curriculum.agency else None,
        "targets": targets,
        "modules": modules,
        "total_jp": curriculum.total_jp,
    }


def freeze(curriculum: Curriculum, actor) -> CurriculumVersion:
    """Write the next immutable version (number = version_count + 1) of ``curriculum``."""
    number = (curriculum.version_count or 0) + 1
    version = CurriculumVersion(
        curriculum_id=curriculum.id,
        number=number,
        snapshot=snapshot(curriculum),
        frozen_at=utcnow(),
        frozen_by_id=getattr(actor, "id", None),
    )
    curriculum.version_count = number
    db.session.add(version)
    db.session.flush()
    return version


# --- immutability ---------------------------------------------------------------------------------


@event.listens_for(CurriculumVersion, "before_update")
def _refuse_update(_mapper, _connection, target):
    state = sa.inspect(target)
    if any(state.attrs[attr.key].history.has_changes() for attr in state.mapper.column_attrs):
        raise FrozenVersion()


@event.listens_for(CurriculumVersion, "before_delete")
def _refuse_delete(_mapper, _connection, _target):
    raise FrozenVersion()


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_change(orm_state):
    """``update(CurriculumVersion)`` / ``delete(CurriculumVersion)`` skip the flush events."""
    if not (orm_state.is_update or orm_state.is_delete):
        return
    mapper = orm_state.bind_mapper
    if mapper is not None and mapper.class_ is CurriculumVersion:
        raise FrozenVersion()


# --- differences ----------------------------------------------------------------------------------

FIELD_TITLES = {
    "title": _l("Title"),
    "summary": _l("Summary"),
    "audience": _l("Audience"),
    "mode": _l("Delivery mode"),
    "learning_outcomes": _l("Learning outcomes"),
    "agency": _l("Partner agency (OPD)"),
}
MODULE_FIELD_TITLES = {
    "position": _l("Position"),
    "title": _l("Module title"),
    "objectives": _l("Objectives"),
    "jp": _l("JP"),
    "method": _l("Method"),
    "materials": _l("Materials"),
}


@dataclass
class Change:
    name: str
    title: object
    old: object
    new: object


@dataclass
class ModuleChange:
    id: int
    title: str
    changes: list[Change]


@dataclass
class TargetChange:
    competency: str
    old: int
    new: int


@dataclass
class Diff:
    fields: list[Change] = field(default_factory=list)
    targets_added: list[dict] = field(default_factory=list)
    targets_removed: list[dict] = field(default_factory=list)
    targets_changed: list[TargetChange] = field(default_factory=list)
    modules_added: list[dict] = field(default_factory=list)
    modules_removed: list[dict] = field(default_factory=list)
    modules_changed: list[ModuleChange] = field(default_factory=list)
    total_jp_old: int = 0
    total_jp_new: int = 0

    @property
    def is_empty(self) -> bool:
        return not (
            self.fields
            or self.targets_added
            or self.targets_removed
            or self.targets_changed
            or self.modules_added
            or self.modules_removed
            or self.modules_changed
        )


def _shown(name: str, value):
    """A snapshot value as the diff page shows it (enum values become their titles)."""
    if value is None:
        return ""
    if name == "audience" and value in {a.value for a in Audience}:
        return Audience(value).title
    if name == "mode" and value in {m.value for m in DeliveryMode}:
        return DeliveryMode(value).title
    if name == "method":
        return MODULE_METHODS.get(value, value)
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return value


def _material_line(material: dict) -> str:
    kind = material.get("kind")
    kind_title = MaterialKind(kind).title if kind in {k.value for k in MaterialKind} else kind
    return f"{material.get('title', '')} ({kind_title}, v{material.get('version', 0)})"


def _module_changes(old: dict, new: dict) -> list[Change]:
    changes = []
    for name in ("position", "title", "objectives", "jp", "method"):
        if old.get(name) != new.get(name):
            changes.append(
                Change(
                    name,
                    MODULE_FIELD_TITLES[name],
                    _shown(name, old.get(name)),
                    _shown(name, new.get(name)),
                )
            )
    old_materials = [_material_line(m) for m in old.get("materials", [])]
    new_materials = [_material_line(m) for m in new.get("materials", [])]
    if old_materials != new_materials:
        changes.append(
            Change(
                "materials",
                MODULE_FIELD_TITLES["materials"],
                "\n".join(old_materials),
                "\n".join(new_materials),
            )
        )
    return changes


def diff(a: dict, b: dict) -> Diff:
    """What changed from snapshot ``a`` (older) to ``b``: top-level fields (old/new), targets
    added/removed/changed, modules added/removed/changed (matched by module id, with the fields
    that differ) and the total JP."""
    result = Diff(total_jp_old=a.get("total_jp", 0), total_jp_new=b.get("total_jp", 0))
    for name, title in FIELD_TITLES.items():
        if a.get(name) != b.get(name):
            result.fields.append(
                Change(name, title, _shown(name, a.get(name)), _shown(name, b.get(name)))
            )

    old_targets = {t["competency_id"]: t for t in a.get("targets", [])}
    new_targets = {t["competency_id"]: t for t in b.get("targets", [])}
    result.targets_added = [t for cid, t in new_targets.items() if cid not in old_targets]
    result.targets_removed = [t for cid, t in old_targets.items() if cid not in new_targets]
    result.targets_changed = [
        TargetChange(
            new_targets[cid]["competency"], old_targets[cid]["level"], new_targets[cid]["level"]
        )
        for cid in new_targets
        if cid in old_targets and old_targets[cid]["level"] != new_targets[cid]["level"]
    ]

    old_modules = {m["id"]: m for m in a.get("modules", [])}
    new_modules = {m["id"]: m for m in b.get("modules", [])}
    result.modules_added = [m for mid, m in new_modules.items() if mid not in old_modules]
    result.modules_removed = [m for mid, m in old_modules.items() if mid not in new_modules]
    for mid, module in new_modules.items():
        if mid in old_modules:
            changes = _module_changes(old_modules[mid], module)
            if changes:
                result.modules_changed.append(ModuleChange(mid, module["title"], changes))
    return result
