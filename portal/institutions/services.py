"""Writes about universities and agencies (OPD)."""

from __future__ import annotations

import sqlalchemy as sa

from portal import audit
from portal.db import db
from portal.errors import DomainError
from portal.i18n import _l


def _check_unique(model, obj_id, *, name: str, short_name: str) -> None:
    clash = db.session.scalars(
        sa.select(model).where(
            sa.or_(
                sa.func.lower(model.name) == name.lower(),
                sa.func.lower(model.short_name) == short_name.lower(),
            ),
            model.id != (obj_id or 0),
        )
    ).first()
    if clash is not None:
        raise DomainError(
            _l(
                "Another institution already uses this name or short name: %(name)s",
                name=clash.name,
            )
        )


def save_institution(model, obj, *, actor, **fields):
    """Create (``obj`` None) or update a university or agency; names stay unique."""
    _check_unique(
        model, getattr(obj, "id", None), name=fields["name"], short_name=fields["short_name"]
    )
    created = obj is None
    if created:
        obj = model(**fields)
        db.session.add(obj)
    else:
        for key, value in fields.items():
            setattr(obj, key, value)
    db.session.flush()
    audit.record(actor, "institution.create" if created else "institution.update", obj)
    return obj


def set_institution_active(obj, *, actor, active: bool) -> None:
    """Deactivate (hidden from registration and new accounts; history kept) or reactivate."""
    if obj.is_active == active:
        return
    obj.is_active = active
    audit.record(actor, "institution.reactivate" if active else "institution.deactivate", obj)
