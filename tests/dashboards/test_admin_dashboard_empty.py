"""The admin dashboard of an empty portal: every panel says there is no data yet. A module of its
own, so that no world built for the other dashboard tests (test_admin_dashboard.py) is there."""

from __future__ import annotations

import pytest

from portal.auth.models import Role
from tests.dashboards.admin_support import badge_after, dashboard


@pytest.mark.parametrize("city", [True, False])
def test_empty_portal_says_no_data_yet(client, login_as, make, city):
    opd = make.agency(name="Dinas Kosong")
    admin = make.user(Role.ADMIN, admin_agency=None if city else opd, locale="en")
    html = dashboard(client, login_as, admin)
    assert "No data yet: no ASN with an active account." in html
    assert "No data yet: no officially assessed ASN is below their standard." in html
    assert "No data yet: no internship applications." in html
    assert "No data yet: no L1 or L3 answers in the last 12 months." in html
    assert "No material has a low rating or an open problem report." in html
    assert 'role="img"' not in html
    assert badge_after(html, "External JP records to verify") == "0"
