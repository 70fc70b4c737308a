"""Shared set-up for the JP ledger tests: records submitted or verified, evidence files, stand-in
registrations, and ``world``, two OPD with their ASN and admins built for each test (the ledger
pages share theirs per module: ``ledger_world``, tests/support/worlds/trainings.py)."""

from __future__ import annotations

import io
from datetime import date, time, timedelta
from types import SimpleNamespace

from werkzeug.datastructures import FileStorage

from portal.trainings.ledger import services as ledger_services
from portal.trainings.ledger.models import EntryState
from portal.util import clock


def pdf(name: str = "sertifikat.pdf") -> FileStorage:
    return FileStorage(io.BytesIO(b"%PDF-1.7\n%uji\n"), filename=name)


def submit(
    asn,
    *,
    form="seminar",
    scope="national",
    quantity=2,
    started_on=date(2025, 3, 10),
    ended_on=date(2025, 3, 11),
    title="Seminar Nasional Smart City",
    **kw,
):
    """An external record submitted by the ASN themselves."""
    return ledger_services.submit_external(
        asn,
        form=form,
        scope=scope,
        title=title,
        organiser=kw.pop("organiser", "Kemendagri"),
        started_on=started_on,
        ended_on=ended_on,
        quantity=quantity,
        evidence_upload=kw.pop("evidence_upload", pdf()),
        certificate_number=kw.pop("certificate_number", "SRT/001/2025"),
        actor=asn.user,
        **kw,
    )


def verified(asn, jp_days: int = 5, *, ended_on=date(2025, 3, 11), world=None, **kw):
    """A verified workshop record worth ``5 × jp_days`` JP (workshop: 5 JP a day)."""
    entry = submit(
        asn, form="workshop", quantity=jp_days, started_on=ended_on, ended_on=ended_on, **kw
    )
    entry.state = EntryState.VERIFIED
    return entry


def registration(
    reg_id: int,
    asn,
    *,
    jp=16,
    title="Pelatihan Analisis Data",
    days=(date(2025, 5, 5), date(2025, 5, 7)),
):
    """A stand-in for the trainings feature's Registration, per credit_training's contract: its
    sessions (from 08:00 WIB, one a day) add up to ``jp`` lesson hours of 45 minutes."""
    total = jp * 45
    minutes = [total // len(days)] * len(days)
    minutes[-1] += total % len(days)
    sessions = [
        SimpleNamespace(
            starts_at=clock.local_moment(d, time(8)),
            ends_at=clock.local_moment(d, time(8)) + timedelta(minutes=m),
        )
        for d, m in zip(days, minutes, strict=True)
    ]
    batch = SimpleNamespace(jp=jp, title=title, sessions=sessions)
    return SimpleNamespace(id=reg_id, asn_id=asn.id, batch=batch, certificate_number="SNG-1")
