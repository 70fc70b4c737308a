"""The personal-data part of the small demo (issue 17 point 7): three requests that show the
request kinds and the erasure step to the city admin (admin@sinergi.example, “Requests”):

- an approved deletion by a student still waiting for verification (Kevin Tanoto): the
  erasure step lists what goes and what the law keeps, and carries it out;
- an open restriction of processing by a verified student (Grace Natalia Simbolon);
- an open objection by an ASN (Yusuf Ginting).
"""

from __future__ import annotations

from datetime import timedelta

from portal.db import db, utcnow
from portal.privacy.models import DataRequest, RequestKind, RequestState

ADMIN = "admin@sinergi.example"


def seed(demo) -> dict[str, int]:
    """Add the demo's personal data requests to the session (the caller commits); returns the
    counts written."""
    people = demo.people
    admin = people[ADMIN]
    now = utcnow()
    due = now + timedelta(hours=72)

    def request(email, kind, details, explanation, *, state=RequestState.OPEN, hours_ago=2):
        made = now - timedelta(hours=hours_ago)
        handled = state != RequestState.OPEN
        return DataRequest(
            user_id=people[email].id,
            kind=kind,
            details=details,
            explanation=explanation,
            state=state,
            created_at=made,
            updated_at=now if handled else made,
            due_at=due - timedelta(hours=hours_ago),
            handled_by_id=admin.id if handled else None,
            handled_at=now if handled else None,
            response="Disetujui: akun belum pernah diverifikasi." if handled else None,
        )

    rows = [
        request(
            "kevin.usu@sinergi.example",
            RequestKind.DELETION,
            "Hapus akun dan semua data pendaftaran saya.",
            "Saya batal mengikuti magang di Pemko Medan.",
            state=RequestState.APPROVED,
            hours_ago=20,
        ),
        request(
            "mahasiswa.unimed@sinergi.example",
            RequestKind.RESTRICTION,
            "Data logbook dan lamaran saya.",
            "Tunda pemrosesan sampai koreksi NIM saya selesai (sekitar dua minggu).",
        ),
        request(
            "asn.dinkes@sinergi.example",
            RequestKind.OBJECTION,
            "Rekomendasi pelatihan otomatis di dasbor saya.",
            "Saya keberatan data penilaian saya dipakai untuk rekomendasi tanpa ditinjau atasan.",
            hours_ago=5,
        ),
    ]
    db.session.add_all(rows)
    db.session.flush()
    return {"personal data requests": len(rows)}
