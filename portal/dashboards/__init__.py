"""The dashboards: the first page after sign-in, one panel per role the user holds.

Each role's panel is a function ``build(user) -> dict`` (its figures, read in a fixed number of
queries whatever the amount of data) and a template ``dashboards/<role>.html`` that receives the
dict as ``panel``. ``main.dashboard`` renders the panels of the signed-in user's roles in the order
of ``PANELS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from portal.auth.models import Role


@dataclass(frozen=True)
class Panel:
    role: Role
    module: str  # portal.dashboards.<module> defines ``build(user) -> dict``
    template: str

    @property
    def build(self) -> Callable:
        return import_module(f"portal.dashboards.{self.module}").build


PANELS = [
    Panel(Role.ADMIN, "admin", "dashboards/admin.html"),
    Panel(Role.UNIVERSITY, "university", "dashboards/university.html"),
    Panel(Role.MENTOR, "mentor", "dashboards/mentor.html"),
    Panel(Role.ASN, "asn", "dashboards/asn.html"),
    Panel(Role.STUDENT, "student", "dashboards/student.html"),
]


def panels_for(user) -> list[tuple[Panel, dict]]:
    """The panels of ``user``'s roles with their figures."""
    return [(p, p.build(user)) for p in PANELS if p.role in user.roles]
