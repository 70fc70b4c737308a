"""Riwayat penghargaan for SIASN (DOMAIN.md §2.5): the nominations awarded by an SK, the second
sheet of the SIASN export (``trainings/ledger/siasn.py`` writes the workbook)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import force_locale
from sqlalchemy.orm import joinedload

from portal.competency.models import AsnProfile
from portal.db import db
from portal.trainings.ledger.siasn import identity, siasn_date
from portal.trainings.recognition.models import AwardNomination, NominationState


def award_year(nomination: AwardNomination) -> int:
    """The year of the award: that of its SK, else the nomination's."""
    return nomination.decision_date.year if nomination.decision_date else nomination.year


def award_rows(year: int | None = None, *, agency_id: int | None = None) -> list[tuple]:
    """One row per nomination *awarded* by an SK (optionally of one year, that of the SK, and
    one OPD), in ``AWARD_COLUMNS`` order, by NIP then SK date. ``hargaNama`` is the award's
    Indonesian name, with the nomination's category when it has one. One query."""
    stmt = (
        sa.select(AwardNomination)
        .join(AsnProfile, AsnProfile.id == AwardNomination.asn_id)
        .where(AwardNomination.state == NominationState.AWARDED)
        .options(joinedload(AwardNomination.asn))
        .order_by(AsnProfile.nip, AwardNomination.decision_date, AwardNomination.id)
    )
    if agency_id is not None:
        stmt = stmt.where(AsnProfile.agency_id == agency_id)
    nominations = [
        n for n in db.session.scalars(stmt).unique() if year is None or award_year(n) == year
    ]
    with force_locale("id"):  # SIASN is Indonesian whatever the reader's language
        return [
            (
                *identity(n.asn),
                " – ".join(filter(None, (str(n.award.title), (n.category or "").strip()))),
                award_year(n),
                n.decision_number or "",
                siasn_date(n.decision_date),
                "",  # path: the SK is uploaded to SIASN's own store
            )
            for n in nominations
        ]
