"""Universities and city agencies (OPD)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import TimestampMixin, TitledEnum, db, str_enum
from portal.i18n import _l


class AgencyKind(TitledEnum):
    DINAS = "dinas", _l("Dinas (agency)")
    BADAN = "badan", _l("Badan (board)")
    KECAMATAN = "kecamatan", _l("Kecamatan (district)")
    SEKRETARIAT = "sekretariat", _l("Sekretariat (secretariat)")
    RSUD = "rsud", _l("RSUD (city hospital)")
    INSPEKTORAT = "inspektorat", _l("Inspektorat (inspectorate)")
    SATPOL = "satpol", _l("Satpol PP (civil service police)")
    LAINNYA = "lainnya", _l("Other")


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
