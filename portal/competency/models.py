"""Competencies (versioned, levels 1–5), positions with their standards, ASN records, assessments.

Rules: Permen PANRB 38/2017 (DOMAIN.md §1), NIP and ranks (§4).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.competency.fields import TechnicalField
from portal.db import TimestampMixin, TitledEnum, UTCDateTime, db, str_enum, utcnow
from portal.i18n import _l

if TYPE_CHECKING:
    from portal.auth.models import User


LEVELS = (1, 2, 3, 4, 5)


class CompetencyType(TitledEnum):
    MANAGERIAL = "manajerial", _l("Managerial (manajerial)")
    SOCIO_CULTURAL = "sosial_kultural", _l("Socio-cultural (sosial kultural)")
    TECHNICAL = "teknis", _l("Technical (teknis)")


class PositionKind(TitledEnum):
    JPT_PRATAMA = "jpt_pratama", _l("JPT Pratama (senior executive)")
    ADMINISTRATOR = "administrator", _l("Administrator")
    PENGAWAS = "pengawas", _l("Pengawas (supervisor)")
    FUNGSIONAL = "fungsional", _l("Fungsional (functional)")
    PELAKSANA = "pelaksana", _l("Pelaksana (staff)")


#: Rule of thumb for managerial and socio-cultural standards (DOMAIN.md §1.5).
MANAGERIAL_RULE_OF_THUMB = {
    PositionKind.JPT_PRATAMA: 4,
    PositionKind.ADMINISTRATOR: 3,
    PositionKind.PENGAWAS: 2,
    PositionKind.FUNGSIONAL: 2,
    PositionKind.PELAKSANA: 1,
}

JF_JENJANG = (
    "Ahli Pertama",
    "Ahli Muda",
    "Ahli Madya",
    "Ahli Utama",
    "Pemula",
    "Terampil",
    "Mahir",
    "Penyelia",
)

#: Default required levels of a jabatan fungsional by jenjang: jenjang → (managerial and
#: socio-cultural level, technical level). Permen PANRB 38/2017 sets the standard per position and
#: leaves the JF levels to each JF's regulation, which overrides these (DOMAIN.md §1.5: "for
#: jabatan fungsional the levels vary by competency and by JF jenjang"). The defaults follow the
#: usual progression (Ahli Pertama 2 … Ahli Utama 5; keterampilan: the DJPb table shows JF
#: Terampil at 1–2) and are TO BE CONFIRMED WITH BKPSDM (DOMAIN.md §11); admins edit them in
#: ``JenjangLevel``.
JENJANG_DEFAULT_LEVELS: dict[str, tuple[int, int]] = {
    "Ahli Pertama": (2, 2),
    "Ahli Muda": (3, 3),
    "Ahli Madya": (4, 4),
    "Ahli Utama": (5, 5),
    "Pemula": (1, 1),
    "Terampil": (1, 2),
    "Mahir": (2, 2),
    "Penyelia": (3, 3),
}


class JenjangLevel(TimestampMixin, db.Model):
    """The configured required levels of a JF jenjang (overrides ``JENJANG_DEFAULT_LEVELS``)."""

    __tablename__ = "jf_jenjang_levels"
    __table_args__ = (
        sa.CheckConstraint("managerial_level BETWEEN 1 AND 5", name="managerial_range"),
        sa.CheckConstraint("technical_level BETWEEN 1 AND 5", name="technical_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    jenjang: Mapped[str] = mapped_column(sa.String(30), unique=True)
    managerial_level: Mapped[int] = mapped_column()
    technical_level: Mapped[int] = mapped_column()


class AsnStatus(TitledEnum):
    PNS = "pns", _l("PNS (civil servant)")
    CPNS = "cpns", _l("CPNS (civil servant on probation)")
    PPPK = "pppk", _l("PPPK (contract civil servant)")
    PPPK_PARUH_WAKTU = "pppk_paruh_waktu", _l("PPPK paruh waktu (part-time contract)")

    @property
    def is_pppk(self) -> bool:
        return self in (AsnStatus.PPPK, AsnStatus.PPPK_PARUH_WAKTU)


#: PNS golongan/ruang with pangkat (DOMAIN.md §4.2); PPPK golongan I–XVII.
PNS_GOLONGAN = {
    "I/a": "Juru Muda",
    "I/b": "Juru Muda Tingkat I",
    "I/c": "Juru",
    "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda",
    "II/b": "Pengatur Muda Tingkat I",
    "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda",
    "III/b": "Penata Muda Tingkat I",
    "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina",
    "IV/b": "Pembina Tingkat I",
    "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya",
    "IV/e": "Pembina Utama",
}
PPPK_GOLONGAN = (
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
)


class AssessmentMethod(TitledEnum):
    ASSESSMENT_CENTER = "assessment_center", _l("Assessment center")
    UJI_KOMPETENSI = "uji_kompetensi", _l("Uji kompetensi (competency test)")
    POST_TRAINING_TEST = "post_training_test", _l("Post-training test")
    SUPERVISOR_RATING = "supervisor_rating", _l("Supervisor rating")
    SELF_ASSESSMENT = "self_assessment", _l("Self-assessment")

    @property
    def is_official(self) -> bool:
        """Only official methods set the current level; portal estimates are kept apart."""
        return self in OFFICIAL_METHODS


#: The methods that give an official level (the one the JPM, the gaps and the demand board use):
#: a competency assessment by authorised assessors, assessment centre or uji kompetensi
#: (Peraturan BKN 26/2019 on penilaian kompetensi; DOMAIN.md §1.6–1.7). A post-training test is
#: Kirkpatrick L2 evidence of learning (DOMAIN.md §3), shown beside the gap and never counted;
#: self-assessments and supervisor ratings are estimates.
OFFICIAL_METHODS = frozenset({AssessmentMethod.ASSESSMENT_CENTER, AssessmentMethod.UJI_KOMPETENSI})


class Competency(TimestampMixin, db.Model):
    """A competency of the dictionary (kamus); its wording lives in versions."""

    __tablename__ = "competencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    type: Mapped[CompetencyType] = mapped_column(str_enum(CompetencyType), index=True)
    # Technical competencies form one city-wide dictionary tagged by field (bidang/urusan); any
    # position may use any of them. ``agency_id`` only names the OPD that maintains one (its
    # admin may edit it); it plays no part in standards.
    field: Mapped[TechnicalField | None] = mapped_column(str_enum(TechnicalField), index=True)
    agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    is_retired: Mapped[bool] = mapped_column(default=False)
    current_version_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("competency_versions.id", use_alter=True)
    )

    current_version: Mapped[CompetencyVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )


class CompetencyVersion(db.Model):
    """One immutable wording of a competency: name, definition and the five level descriptors.

    Editing makes a new version; assessments keep pointing at the version they used.
    """

    __tablename__ = "competency_versions"
    __table_args__ = (sa.UniqueConstraint("competency_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competency_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competencies.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(sa.String(120))
    definition: Mapped[str] = mapped_column(sa.Text)
    source: Mapped[str | None] = mapped_column(sa.String(200))
    to_be_confirmed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    levels: Mapped[list[CompetencyLevel]] = relationship(
        cascade="all, delete-orphan", order_by="CompetencyLevel.level"
    )


class CompetencyLevel(db.Model):
    __tablename__ = "competency_levels"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "level"),
        sa.CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competency_versions.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[int] = mapped_column()
    description: Mapped[str] = mapped_column(sa.Text)
    indicators: Mapped[str] = mapped_column(sa.Text, default="")  # one behavioural indicator a line

    @property
    def indicator_list(self) -> list[str]:
        return [line for line in self.indicators.splitlines() if line.strip()]


class Position(TimestampMixin, db.Model):
    """A position (jabatan) in one OPD; its standard is a list of required levels. Its technical
    competencies follow the jabatan (``field``), not the OPD."""

    __tablename__ = "positions"
    __table_args__ = (sa.UniqueConstraint("agency_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(150))
    kind: Mapped[PositionKind] = mapped_column(str_enum(PositionKind), index=True)
    jenjang: Mapped[str | None] = mapped_column(sa.String(30))
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    # The field of the jabatan (its technical standard is drawn from it) and, for a jabatan
    # fungsional, its instansi pembina: the same jabatan has them in every OPD.
    field: Mapped[TechnicalField | None] = mapped_column(str_enum(TechnicalField))
    pembina: Mapped[str | None] = mapped_column(sa.String(120))
    is_active: Mapped[bool] = mapped_column(default=True)

    standard: Mapped[list[StandardItem]] = relationship(
        cascade="all, delete-orphan", order_by="StandardItem.competency_id"
    )


class StandardItem(db.Model):
    __tablename__ = "standard_items"
    __table_args__ = (
        sa.UniqueConstraint("position_id", "competency_id"),
        sa.CheckConstraint("required_level BETWEEN 1 AND 5", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(
        sa.ForeignKey("positions.id", ondelete="CASCADE"), index=True
    )
    competency_id: Mapped[int] = mapped_column(sa.ForeignKey("competencies.id"), index=True)
    required_level: Mapped[int] = mapped_column()

    competency: Mapped[Competency] = relationship()


class AsnProfile(TimestampMixin, db.Model):
    """The civil-servant record linked to a user account."""

    __tablename__ = "asn_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    nip: Mapped[str] = mapped_column(sa.String(18), unique=True)
    # The 9-digit NIP of before Perka BKN 22/2007, where known (SIASN ``nipLama``, DOMAIN §4.1).
    nip_lama: Mapped[str | None] = mapped_column(sa.String(9))
    status: Mapped[AsnStatus] = mapped_column(str_enum(AsnStatus))
    golongan: Mapped[str | None] = mapped_column(sa.String(10))
    position_id: Mapped[int | None] = mapped_column(sa.ForeignKey("positions.id"), index=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    supervisor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("asn_profiles.id", ondelete="SET NULL"), index=True
    )

    user: Mapped[User] = relationship("User")
    position: Mapped[Position | None] = relationship()
    supervisor: Mapped[AsnProfile | None] = relationship(remote_side=[id])

    @property
    def pangkat(self) -> str | None:
        return PNS_GOLONGAN.get(self.golongan or "")


class Assessment(TimestampMixin, db.Model):
    """One assessment of one ASN: a level per competency (pointing at the version used)."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    asn_id: Mapped[int] = mapped_column(
        sa.ForeignKey("asn_profiles.id", ondelete="CASCADE"), index=True
    )
    assessed_on: Mapped[date] = mapped_column(sa.Date)
    method: Mapped[AssessmentMethod] = mapped_column(str_enum(AssessmentMethod))
    is_official: Mapped[bool] = mapped_column(index=True)
    assessor: Mapped[str] = mapped_column(sa.String(200))
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(sa.Text)
    report_file_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("stored_files.id", ondelete="SET NULL")
    )

    results: Mapped[list[AssessmentResult]] = relationship(cascade="all, delete-orphan")

    @property
    def standing(self):
        """What the levels count as: official, evidence of learning (a post-training test,
        DOMAIN.md §3 Kirkpatrick L2) or a portal estimate (self, supervisor)."""
        if self.is_official:
            return _l("yes")
        if self.method == AssessmentMethod.POST_TRAINING_TEST:
            return _l("no (evidence of learning)")
        return _l("no (estimate)")


class AssessmentResult(db.Model):
    __tablename__ = "assessment_results"
    __table_args__ = (
        sa.UniqueConstraint("assessment_id", "competency_id"),
        sa.CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    competency_id: Mapped[int] = mapped_column(sa.ForeignKey("competencies.id"), index=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("competency_versions.id"))
    level: Mapped[int] = mapped_column()
