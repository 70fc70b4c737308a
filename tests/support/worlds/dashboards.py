"""The world of the admin dashboard tests (tests/dashboards/test_admin_dashboard.py): two OPD,
"Dinas Alfa" and "Dinas Beta", each with the known figures of
``tests.dashboards.admin_support.opd_world`` around one competency. Built once per module:
``admin_dashboard_world``."""

from __future__ import annotations

from types import SimpleNamespace

from tests.dashboards.admin_support import opd_world
from tests.support.worlds import module_world


def build_admin_dashboard(make) -> SimpleNamespace:
    """``competency`` (required at level 3 by both OPD's position); ``alfa`` (L1 answers of 3,
    L3 ratings of 2) and ``beta`` (L1 of 1, L3 of 4), each as ``opd_world`` builds it."""
    competency = make.competency(name="Analisis Data Kebijakan")
    alfa = opd_world(make, name="Dinas Alfa", short="DALFA", competency=competency, l1=3, l3=2)
    beta = opd_world(make, name="Dinas Beta", short="DBETA", competency=competency, l1=1, l3=4)
    return SimpleNamespace(competency=competency, alfa=alfa, beta=beta)


admin_dashboard_world = module_world(build_admin_dashboard)
