"""Small factories for tests: real rows through the real models, no mocks."""

from __future__ import annotations

import itertools
from functools import cache

from portal.auth import passwords
from portal.auth.models import AccountStatus, Role, User
from portal.institutions.models import Agency, AgencyKind, University

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


@cache
def _hash_for(password: str) -> str:
    return passwords.hash_password(password)


class Factories:
    def __init__(self, session):
        self.session = session

    def university(self, **kw) -> University:
        n = next(_seq)
        obj = University(
            name=kw.pop("name", f"Universitas Uji {n}"),
            short_name=kw.pop("short_name", f"UU{n}"),
            **kw,
        )
        self.session.add(obj)
        self.session.flush()
        return obj

    def agency(self, **kw) -> Agency:
        n = next(_seq)
        obj = Agency(
            name=kw.pop("name", f"Dinas Uji {n}"),
            short_name=kw.pop("short_name", f"DU{n}"),
            kind=kw.pop("kind", AgencyKind.DINAS),
            **kw,
        )
        self.session.add(obj)
        self.session.flush()
        return obj

    def user(
        self,
        *roles: Role,
        password: str = PASSWORD,
        university=None,
        agency=None,
        admin_agency=None,
        status=AccountStatus.ACTIVE,
        **kw,
    ) -> User:
        roles = roles or (Role.ASN,)
        n = next(_seq)
        if university is None and ({Role.STUDENT, Role.UNIVERSITY} & set(roles)):
            university = self.university()
        if agency is None and ({Role.ASN, Role.MENTOR} & set(roles)):
            agency = self.agency()
        user = User(
            email=kw.pop("email", f"user{n}@example.com"),
            full_name=kw.pop("full_name", f"Pengguna Uji {n}"),
            password_hash=_hash_for(password) if password else None,
            status=status,
            university_id=university.id if university else None,
            agency_id=agency.id if agency else None,
            admin_agency_id=admin_agency.id if admin_agency else None,
            **kw,
        )
        if Role.STUDENT in roles:
            user.nim = user.nim or f"NIM{n:06d}"
            user.study_programme = user.study_programme or "S1 Teknologi Informasi"
        user.set_roles(roles)
        self.session.add(user)
        self.session.flush()
        return user
