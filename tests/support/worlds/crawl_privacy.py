"""The personal-data part of the route-walking world (tests/support/worlds/crawl.py): one open correction or
deletion request by each role's user ("own") and one by a university user at B ("other")."""

from __future__ import annotations

import types
from collections.abc import Callable
from datetime import timedelta

from portal.auth.models import Role
from portal.db import utcnow
from portal.privacy.models import DataRequest, RequestKind, RequestState


def add_privacy(make, w: types.SimpleNamespace) -> None:
    now = utcnow()
    people = [
        *((role.value, user) for role, user in w.users.items()),
        ("other", w.other_university),
    ]
    w.data_request = {
        key: DataRequest(
            user_id=user.id,
            kind=RequestKind.CORRECTION,
            state=RequestState.OPEN,
            details="NIM saya salah ketik.",
            explanation="Seharusnya 2101234.",
            created_at=now,
            updated_at=now,
            due_at=now + timedelta(hours=72),
        )
        for key, user in people
    }
    make.session.add_all(w.data_request.values())
    # An approved deletion of a student of its own, for the erasure step (issue 17 point 7).
    leaver = make.user(Role.STUDENT, full_name="Mahasiswa Keluar")
    w.approved_deletion = DataRequest(
        user_id=leaver.id,
        kind=RequestKind.DELETION,
        state=RequestState.APPROVED,
        details="Hapus akun saya.",
        created_at=now,
        updated_at=now,
        due_at=now + timedelta(hours=72),
        handled_by_id=w.users[Role.ADMIN].id,
        handled_at=now,
        response="Disetujui.",
    )
    make.session.add(w.approved_deletion)
    make.session.flush()


def _data_request_id(w, endpoint: str, owner: str) -> int:
    """The acting user's own request, or the request of a user at B."""
    if owner == "other":
        return w.data_request["other"].id
    role = getattr(w, "role", None)
    return w.data_request[role.value if role is not None else "admin"].id


PRIVACY_FILLERS: dict[str, Callable] = {"data_request_id": _data_request_id}
