"""Universities and city agencies (OPD)."""

from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import TimestampMixin, db, str_enum
from portal.i18n import _l


class AgencyKind(enum.StrEnum):
    DINAS = "dinas"
    BADAN = "badan"
    KECAMATAN = "kecamatan"
    SEKRETARIAT = "sekretariat"
    RSUD = "rsud"
    INSPEKTORAT = "inspektorat"
    SATPOL = "satpol"
    LAINNYA = "lainnya"

    @property
    def title(self):
        return AGENCY_KIND_TITLES[self]


AGENCY_KIND_TITLES = {
    AgencyKind.DINAS: _l("Dinas (agency)"),
    AgencyKind.BADAN: _l("Badan (board)"),
    AgencyKind.KECAMATAN: _l("Kecamatan (district)"),
    AgencyKind.SEKRETARIAT: _l("Sekretariat (secretariat)"),
    AgencyKind.RSUD: _l("RSUD (city hospital)"),
    AgencyKind.INSPEKTORAT: _l("Inspektorat (inspectorate)"),
    AgencyKind.SATPOL: _l("Satpol PP (civil service police)"),
    AgencyKind.LAINNYA: _l("Other"),
}


class University(TimestampMixin, db.Model):
    __tablename__ = "universities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    short_name: Mapped[str] = mapped_column(sa.String(30), unique=True)
    is_active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<University {self.short_name}>"


class Agency(TimestampMixin, db.Model):
    """A city agency (Organisasi Perangkat Daerah, OPD)."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    short_name: Mapped[str] = mapped_column(sa.String(30), unique=True)
    kind: Mapped[AgencyKind] = mapped_column(str_enum(AgencyKind, 20))
    is_active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<Agency {self.short_name}>"
