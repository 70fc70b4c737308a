"""Writing valid roster rows: accounts and ASN records, all or nothing (never commits)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from portal import audit
from portal.auth.models import Role, User
from portal.competency.models import AsnProfile
from portal.competency.roster.models import RosterImport, RosterImportPerson
from portal.competency.roster.reading import RosterRow
from portal.db import db
from portal.errors import DomainError
from portal.i18n import _l

# --- writing ----------------------------------------------------------------------------------------


def _chunks(ids: list[int], size: int = 900):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def apply(rows: list[RosterRow], actor=None, *, progress=None) -> dict[str, int]:
    """Create or update the account (role ASN, the row's OPD, no password, no invitation sent)
    and the ASN record of every row, flush, and record one ``asn.import`` event and the import
    with its people (``RosterImport``; its id is returned as ``import_id``). Never commits.

    Refuses (``DomainError``) an empty roster or one with any row in error: nothing is written.
    """
    if not rows:
        raise DomainError(_l("The file has no rows to import."))
    if any(row.errors for row in rows):
        raise DomainError(
            _l("Some rows have errors: nothing was imported. Fix them and upload again.")
        )
    try:
        counts, user_ids = _write(rows, progress)
    except sa.exc.IntegrityError:  # somebody saved the same NIP or e-mail meanwhile
        raise DomainError(
            _l("The data changed while the roster was imported: nothing was imported. Try again.")
        ) from None
    audit.record(actor, "asn.import", **counts)
    done = RosterImport(actor_id=getattr(actor, "id", None), **counts)
    db.session.add(done)
    db.session.flush()
    if user_ids:  # the import's people: what happened to their invitations, invite them together
        db.session.execute(
            sa.insert(RosterImportPerson),
            [{"import_id": done.id, "user_id": uid} for uid in sorted(user_ids)],
        )
    return {**counts, "import_id": done.id}


def _write(rows: list[RosterRow], progress) -> dict[str, int]:
    profile_ids = [r.profile_id for r in rows if r.profile_id]
    user_ids = [r.user_id for r in rows if r.user_id and not r.profile_id]
    profiles, users = {}, {}
    for chunk in _chunks(profile_ids):
        for p in db.session.scalars(
            sa.select(AsnProfile)
            .where(AsnProfile.id.in_(chunk))
            .options(joinedload(AsnProfile.user).selectinload(User.role_rows))
        ).unique():
            profiles[p.id] = p
    for chunk in _chunks(user_ids):
        for u in db.session.scalars(
            sa.select(User).where(User.id.in_(chunk)).options(selectinload(User.role_rows))
        ):
            users[u.id] = u
    people = {}
    for row in rows:
        if row.profile_id:
            user = profiles[row.profile_id].user
        elif row.user_id:
            user = users[row.user_id]
            if Role.ASN not in user.roles:
                user.set_roles(user.roles | {Role.ASN})
                user.rotate_session_token()  # a role change ends the sessions (QUALITY.md G7)
        else:
            user = User(email=row.email, full_name=row.full_name, password_hash=None)
            user.set_roles([Role.ASN])
            db.session.add(user)
        user.full_name, user.agency_id = row.full_name, row.agency_id
        people[row.number] = user
    db.session.flush()
    created, by_row = 0, {}
    for row in rows:
        profile = profiles.get(row.profile_id) if row.profile_id else None
        if profile is None:
            profile = AsnProfile(user_id=people[row.number].id, nip=row.nip)
            db.session.add(profile)
            created += 1
        profile.status, profile.golongan = row.status, row.golongan
        profile.agency_id, profile.position_id = row.agency_id, row.position_id
        by_row[row.number] = profile
        if progress:
            progress(1)
    db.session.flush()
    bosses = {r.supervisor_nip for r in rows if r.supervisor_nip}
    boss_ids = {}
    for chunk in _chunks(sorted(bosses)):
        boss_ids.update(
            (nip, id_)
            for nip, id_ in db.session.execute(
                sa.select(AsnProfile.nip, AsnProfile.id).where(AsnProfile.nip.in_(chunk))
            )
        )
    for row in rows:
        profile = by_row[row.number]
        profile.supervisor_id = boss_ids[row.supervisor_nip] if row.supervisor_nip else None
    db.session.flush()
    counts = {"rows": len(rows), "created": created, "updated": len(rows) - created}
    return counts, {user.id for user in people.values()}
