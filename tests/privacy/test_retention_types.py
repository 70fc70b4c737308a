"""Issue 17 point 7, retention of every record type: logbooks, the applications behind
placements, placements and orphaned uploads each have a period (defaults in
portal/privacy/retention.py, overridden by PRIVACY_RETENTION); the purge ends what is past it
and keeps what is recent, and its dry run lists the counts per type."""

from __future__ import annotations

import io
from datetime import date, timedelta
from types import SimpleNamespace

import sqlalchemy as sa
from flask import current_app
from werkzeug.datastructures import FileStorage

from portal import uploads
from portal.db import utcnow
from portal.internships.applications.models import Application
from portal.internships.models import Placement, PlacementStatus
from portal.internships.placements.models import EntryState, LogbookEntry
from portal.privacy import retention
from portal.uploads import StoredFile
from tests.internships.guidance_support import GuidanceFactories, local_today
from tests.privacy.purge_support import counts, run
from tests.support.worlds import module_world

MONTH = timedelta(days=31)
#: Only the new types, with short periods; every other type is kept.
PERIODS = {
    "logbooks": 24,
    "applications_placed": 24,
    "placements_ended": 24,
    "files_orphaned": 3,
}


def _pdf(owner, text: bytes) -> StoredFile:
    return uploads.store(
        FileStorage(io.BytesIO(b"%PDF-1.7\n" + text), filename="bukti.pdf"),
        allowed=("pdf",),
        actor=owner,
    )


def build_retention(make) -> dict:
    """A placement that ended 30 months ago and one that ended last month, each with a logbook
    entry with an attachment and an end reason; an upload nobody uses from 5 months ago and
    one from today."""
    today = local_today()
    ids = {}
    with current_app.test_request_context():
        g = GuidanceFactories(make, make.internships)
        for name, ended in (("old", today - 30 * MONTH), ("recent", today - MONTH)):
            p = g.placement(
                status=PlacementStatus.COMPLETED, starts_on=ended - 90 * timedelta(days=1),
                ends_on=ended,
            )  # fmt: skip
            p.end_reason = "Selesai lebih awal karena Budi sakit."
            entry = LogbookEntry(
                placement_id=p.id, day=ended - timedelta(days=3), minutes=240,
                activities="Membantu Budi menata arsip.", outputs="Daftar arsip",
                attachment_id=_pdf(p.student, name.encode()).id, state=EntryState.APPROVED,
                mentor_comment="Bagus.",
            )  # fmt: skip
            make.session.add(entry)
            make.session.flush()
            ids[name] = SimpleNamespace(
                placement=p.id, application=p.application_id, entry=entry.id,
                attachment=entry.attachment_id,
                cv=make.session.get(Application, p.application_id).cv_file_id,
            )  # fmt: skip
        old_orphan = _pdf(None, b"orphan old")
        old_orphan.created_at = utcnow() - 5 * MONTH
        ids["old_orphan"] = old_orphan.id
        ids["fresh_orphan"] = _pdf(None, b"orphan fresh").id
        make.session.commit()
    return ids


world = module_world(build_retention)


def test_the_dry_run_lists_every_type_with_its_count(app, db, world, monkeypatch):
    monkeypatch.setitem(app.config, "PRIVACY_RETENTION", PERIODS)
    result = run(app, "purge", "--dry-run")
    found = counts(result.output)
    assert found["logbooks"] == found["applications_placed"] == found["placements_ended"] == "1"
    assert found["files_orphaned"] == "1"
    assert found["view_log"] == found["assessments"] == found["ledger_evidence"] == "kept"
    assert "Dry run" in result.output
    db.session.expire_all()
    assert db.session.get(LogbookEntry, world["old"].entry).activities


def test_the_purge_ends_old_records_and_keeps_recent_ones(app, db, world, monkeypatch):
    monkeypatch.setitem(app.config, "PRIVACY_RETENTION", PERIODS)
    result = run(app, "purge")
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    old, recent = world["old"], world["recent"]

    entry = db.session.get(LogbookEntry, old.entry)
    assert (entry.activities, entry.outputs, entry.mentor_comment) == ("", "", None)
    assert entry.attachment_id is None and entry.minutes == 240  # the hours still add up
    application = db.session.get(Application, old.application)
    assert (application.motivation, application.cv_file_id) == ("", None)
    placement = db.session.get(Placement, old.placement)
    assert placement.end_reason is None and placement.status == PlacementStatus.COMPLETED
    gone = {old.attachment, old.cv, world["old_orphan"]}
    assert not set(db.session.scalars(sa.select(StoredFile.id).where(StoredFile.id.in_(gone))))

    kept = db.session.get(LogbookEntry, recent.entry)
    assert kept.activities and kept.attachment_id == recent.attachment
    assert db.session.get(Application, recent.application).motivation
    assert db.session.get(Placement, recent.placement).end_reason
    assert db.session.get(StoredFile, world["fresh_orphan"]) is not None

    again = counts(run(app, "purge", "--dry-run").output)
    assert again["logbooks"] == again["files_orphaned"] == "0"


def test_the_defaults_come_from_the_one_table(app, db, world):
    assert app.config["PRIVACY_RETENTION"] is None
    for kind in retention.RECORD_TYPES:
        assert retention.period_months(kind.key) == kind.default
    # ASN records and the JP ledger are kept by default (archives law, PP 11/2017).
    assert retention.period_months("assessments") is None
    assert retention.period_months("ledger_evidence") is None
    lines = {line.type.key: line for line in retention.past_retention_counts(date.today())}
    assert lines["logbooks"].count == 1 and lines["files_orphaned"].count == 1
