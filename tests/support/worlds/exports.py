"""The worlds of the export tests (tests/exports/), each built once per module. Every one has a
side A and a side B (a university and an OPD with their people, tests/exports/support_a.py and
support_b.py) whose names carry the side's tag, so that a file of side A can be searched for
anything of side B:

- ``admin_exports_world``: sides A and B, a city admin, an active student at A;
- ``competency_exports_world``: sides A and B, a city admin, a managerial competency;
- ``curricula_exports_world``: sides A and B with a published curriculum and a reported material
  each, a draft of A's, a city admin, a student at A;
- ``internship_exports_world``: the internship sides of ``support_b.internship_world``;
- ``training_exports_world``: the training sides of ``support_b.training_world``.
"""

from __future__ import annotations

from types import SimpleNamespace

from portal.auth.models import Role
from tests.exports.support_a import city_admin, managerial, side
from tests.exports.support_b import internship_world, training_world
from tests.support.worlds import module_world


def build_admin_exports(make) -> SimpleNamespace:
    a, b = side(make, "A"), side(make, "B")
    active = make.user(Role.STUDENT, university=a.university, full_name="Mahasiswa Aktif")
    return SimpleNamespace(a=a, b=b, city=city_admin(make), student=active)


def build_competency_exports(make) -> SimpleNamespace:
    return SimpleNamespace(
        a=side(make, "A"), b=side(make, "B"), city=city_admin(make), managerial=managerial(make)
    )


def build_curricula_exports(make) -> SimpleNamespace:
    a, b = side(make, "A", curricula=True), side(make, "B", curricula=True)
    make.curriculum(a.university, agency=a.agency, author=a.staff, title="Draf A", modules=3)
    active = make.user(Role.STUDENT, university=a.university, locale="en")
    return SimpleNamespace(a=a, b=b, city=city_admin(make), student=active)


def build_internship_exports(make) -> SimpleNamespace:
    return internship_world(make)


def build_training_exports(make) -> SimpleNamespace:
    return training_world(make)


admin_exports_world = module_world(build_admin_exports)
competency_exports_world = module_world(build_competency_exports)
curricula_exports_world = module_world(build_curricula_exports)
internship_exports_world = module_world(build_internship_exports)
training_exports_world = module_world(build_training_exports)
