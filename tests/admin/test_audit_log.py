"""The audit log: newest first, filters by action, actor and day (in Medan time), today's own
actions, and an OPD admin who sees only the events of their OPD."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.audit import AuditEvent
from portal.auth.models import Role
from tests.admin.support import en
from tests.support.pages import text, visible_text

pytestmark = pytest.mark.usefixtures("english")  # pages in English (tests/conftest.py)


@pytest.fixture
def trail(db, make, opd):
    """Audit events at known times (UTC) by known actors."""
    dosen = en(make, Role.UNIVERSITY, email="dosen.usu@kampus.example.com")
    asn = en(make, Role.ASN, agency=opd, email="andi.wijaya@diskominfo.example.com")
    rows = [
        # 2025-03-10 20:00 UTC is 2025-03-11 03:00 in Medan (WIB, UTC+7)
        AuditEvent(
            at=datetime(2025, 3, 10, 20, 0, tzinfo=UTC),
            actor_id=dosen.id,
            action="account.verify",
            target_type="user",
            target_label="event-verify",
        ),
        AuditEvent(
            at=datetime(2025, 3, 12, 2, 0, tzinfo=UTC),
            actor_id=asn.id,
            action="login.success",
            target_type="user",
            target_id=asn.id,
            target_label="event-login-asn",
        ),
        AuditEvent(
            at=datetime(2025, 3, 12, 3, 0, tzinfo=UTC),
            actor_id=None,
            action="login.failure",
            target_label="event-login-unknown",
        ),
        AuditEvent(
            at=datetime(2025, 3, 14, 9, 0, tzinfo=UTC),
            actor_id=dosen.id,
            action="account.reject",
            target_type="user",
            target_label="event-reject",
            detail='{"reason": "NIM tidak terdaftar"}',
        ),
    ]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def labels(response) -> list[str]:
    return re.findall(r"event-[a-z-]+", response.get_data(as_text=True))


def test_audit_log_lists_events_newest_first(client, admin, trail):
    r = client.get("/admin/audit")

    assert r.status_code == 200
    assert labels(r) == ["event-reject", "event-login-unknown", "event-login-asn", "event-verify"]
    page = text(r)
    assert "dosen.usu@kampus.example.com" in page
    assert "Reason: NIM tidak terdaftar" in visible_text(r)
    assert "Account rejected" in page


def test_audit_log_filters_by_action(client, admin, trail):
    assert labels(client.get("/admin/audit?action=account.verify")) == ["event-verify"]
    assert labels(client.get("/admin/audit?action=login.failure")) == ["event-login-unknown"]
    # an unknown action is ignored rather than an error
    assert client.get("/admin/audit?action=drop.table").status_code == 200


def test_audit_log_filters_by_actor_email(client, admin, trail):
    assert labels(client.get("/admin/audit?actor=dosen.usu")) == ["event-reject", "event-verify"]
    assert labels(client.get("/admin/audit?actor=DISKOMINFO")) == ["event-login-asn"]
    assert labels(client.get("/admin/audit?actor=nobody")) == []


def test_audit_log_filters_by_day_in_medan_time(client, admin, trail):
    assert labels(client.get("/admin/audit?since=2025-03-11&until=2025-03-11")) == ["event-verify"]
    assert labels(client.get("/admin/audit?since=2025-03-10&until=2025-03-10")) == []
    assert labels(client.get("/admin/audit?since=2025-03-12")) == [
        "event-reject",
        "event-login-unknown",
        "event-login-asn",
    ]
    assert labels(client.get("/admin/audit?until=2025-03-12&actor=dosen")) == ["event-verify"]
    # a malformed date is ignored
    assert len(labels(client.get("/admin/audit?since=12/03/2025"))) == 4


def test_audit_log_shows_todays_actions_of_the_portal(client, admin, db, make):
    uni = make.university(name="Universitas Medan Area", short_name="UMA")
    client.post(f"/admin/universities/{uni.id}/deactivate")
    today = datetime.now(ZoneInfo("Asia/Jakarta")).date()

    r = client.get(
        f"/admin/audit?action=institution.deactivate&since={today}&until={today}"
        f"&actor={admin.email}"
    )

    page = visible_text(r)  # not the HTML: a random CSRF token may contain "UMA"
    assert "Institution deactivated" in page and "UMA" in page
    tomorrow = today + timedelta(days=1)
    assert "UMA" not in visible_text(
        client.get(f"/admin/audit?action=institution.deactivate&since={tomorrow}")
    )


def test_opd_admin_sees_only_events_of_their_opd(client, opd_admin, trail):
    assert labels(client.get("/admin/audit")) == ["event-login-asn"]
