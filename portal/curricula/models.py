"""Co-designed curricula: the proposal, its co-authors, target competencies, cited evidence, modules
and their course materials (the tables every sub-package reads). The review and version history
of a proposal live in :mod:`portal.curricula.proposals.models`, the feedback loop in
:mod:`portal.curricula.feedback.models`.

The workflow itself (states, actions, who may do what) lives in :mod:`portal.curricula.proposals.workflow`;
this module holds the tables, their invariants and the predicates views and templates ask.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import TimestampMixin, TitledEnum, UTCDateTime, db, str_enum, utcnow
from portal.i18n import _l

if TYPE_CHECKING:
    from portal.auth.models import User
    from portal.competency.models import Competency
    from portal.institutions.models import Agency, University
    from portal.uploads import StoredFile


class Audience(TitledEnum):
    ASN = "asn", _l("ASN")
    STUDENTS = "students", _l("Students")
    BOTH = "both", _l("ASN and students")


class DeliveryMode(TitledEnum):
    KLASIKAL = "klasikal", _l("Klasikal (classroom)")
    BLENDED = "blended", _l("Blended")
    E_LEARNING = "e_learning", _l("E-learning")


class CurriculumState(TitledEnum):
    DRAFT = "draft", _l("Draft")
    SUBMITTED = "submitted", _l("Submitted")
    IN_REVIEW = "in_review", _l("In review")
    CHANGES_REQUESTED = "changes_requested", _l("Changes requested")
    RESUBMITTED = "resubmitted", _l("Resubmitted")
    AGENCY_APPROVED = "agency_approved", _l("Approved by the agency side")
    APPROVED = "approved", _l("Approved by both sides")  # both sides have signed off
    PUBLISHED = "published", _l("Published")
    ARCHIVED = "archived", _l("Archived")


class AuthorSide(TitledEnum):
    UNIVERSITY = "university", _l("University")
    AGENCY = "agency", _l("Agency (OPD)")


#: Teaching methods a module can use (the choices of the module form).
MODULE_METHODS = {
    "ceramah": _l("Ceramah (lecture)"),
    "diskusi": _l("Diskusi (discussion)"),
    "studi_kasus": _l("Studi kasus (case study)"),
    "praktik": _l("Praktik (hands-on practice)"),
    "simulasi": _l("Simulasi (simulation)"),
    "proyek": _l("Proyek (project)"),
    "e_learning": _l("E-learning (self-paced)"),
    "kunjungan": _l("Kunjungan lapangan (field visit)"),
}


class Curriculum(TimestampMixin, db.Model):
    """A proposal by one university, co-designed with one partner agency (OPD)."""

    __tablename__ = "curricula"

    id: Mapped[int] = mapped_column(primary_key=True)
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("universities.id"), index=True)
    agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    audience: Mapped[Audience] = mapped_column(str_enum(Audience), index=True)
    mode: Mapped[DeliveryMode] = mapped_column(str_enum(DeliveryMode), index=True)
    learning_outcomes: Mapped[str] = mapped_column(sa.Text, default="")  # one outcome a line
    # The SIASN training type (a key of portal.curricula.training_types): the codes a
    # training of this curriculum is exported with (jenisDiklatId, jenisKursusNama …).
    training_type: Mapped[str] = mapped_column(
        sa.String(40), default="pelatihan_teknis", server_default="pelatihan_teknis"
    )
    state: Mapped[CurriculumState] = mapped_column(
        str_enum(CurriculumState), default=CurriculumState.DRAFT, index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    version_count: Mapped[int] = mapped_column(default=0)  # frozen versions so far
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    university: Mapped[University] = relationship("University")
    agency: Mapped[Agency | None] = relationship("Agency")
    modules: Mapped[list[Module]] = relationship(
        back_populates="curriculum", cascade="all, delete-orphan", order_by="Module.position"
    )
    targets: Mapped[list[CurriculumTarget]] = relationship(
        cascade="all, delete-orphan", order_by="CurriculumTarget.id"
    )
    authors: Mapped[list[CurriculumAuthor]] = relationship(
        back_populates="curriculum", cascade="all, delete-orphan", order_by="CurriculumAuthor.id"
    )
    evidence: Mapped[list[CurriculumEvidence]] = relationship(
        cascade="all, delete-orphan", order_by="CurriculumEvidence.id"
    )

    @property
    def total_jp(self) -> int:
        return sum(m.jp for m in self.modules)

    @property
    def outcomes(self) -> list[str]:
        return [
            line.strip() for line in (self.learning_outcomes or "").splitlines() if line.strip()
        ]

    @property
    def training_type_title(self):
        """The SIASN training type as the form names it."""
        from portal.curricula.training_types import training_type

        return training_type(self.training_type).label

    @property
    def is_published(self) -> bool:
        return self.state == CurriculumState.PUBLISHED

    def author_side(self, user) -> AuthorSide | None:
        """The side ``user`` co-authors on, or None when not an author (needs ``authors`` loaded)."""
        for author in self.authors:
            if author.user_id == user.id:
                return author.side
        return None

    @property
    def audit_label(self) -> str:
        """How the audit log names it (``portal.audit``)."""
        return self.title


class CurriculumAuthor(db.Model):
    """A co-author: university staff of the proposing university, or an agency person."""

    __tablename__ = "curriculum_authors"
    __table_args__ = (sa.UniqueConstraint("curriculum_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    curriculum_id: Mapped[int] = mapped_column(
        sa.ForeignKey("curricula.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    side: Mapped[AuthorSide] = mapped_column(str_enum(AuthorSide, 12))
    is_lead: Mapped[bool] = mapped_column(default=False)
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    curriculum: Mapped[Curriculum] = relationship(back_populates="authors")
    user: Mapped[User] = relationship("User", foreign_keys=[user_id])


class CurriculumTarget(db.Model):
    """A competency the curriculum raises, and the level it aims at (1–5)."""

    __tablename__ = "curriculum_targets"
    __table_args__ = (
        sa.UniqueConstraint("curriculum_id", "competency_id"),
        sa.CheckConstraint("target_level BETWEEN 1 AND 5", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    curriculum_id: Mapped[int] = mapped_column(
        sa.ForeignKey("curricula.id", ondelete="CASCADE"), index=True
    )
    competency_id: Mapped[int] = mapped_column(sa.ForeignKey("competencies.id"), index=True)
    target_level: Mapped[int] = mapped_column()

    competency: Mapped[Competency] = relationship("Competency")


class CurriculumEvidence(db.Model):
    """A demand-board cluster cited as evidence, with the figures as they were when cited."""

    __tablename__ = "curriculum_evidence"
    __table_args__ = (sa.UniqueConstraint("curriculum_id", "agency_id", "competency_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    curriculum_id: Mapped[int] = mapped_column(
        sa.ForeignKey("curricula.id", ondelete="CASCADE"), index=True
    )
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"))
    competency_id: Mapped[int] = mapped_column(sa.ForeignKey("competencies.id"))
    kind: Mapped[str | None] = mapped_column(sa.String(30))  # position kind; None = merged
    total: Mapped[int] = mapped_column()
    assessed: Mapped[int] = mapped_column()
    below: Mapped[int] = mapped_column()
    mean_gap: Mapped[float] = mapped_column(sa.Float)
    cited_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    cited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    agency: Mapped[Agency] = relationship("Agency")
    competency: Mapped[Competency] = relationship("Competency")

    @property
    def share_below(self) -> float:
        return round(self.below / self.assessed * 100, 1) if self.assessed else 0.0


class Module(db.Model):
    __tablename__ = "curriculum_modules"
    # Frozen versions match modules by id: SQLite must never hand a deleted module's id to a new one.
    __table_args__ = (
        sa.CheckConstraint("jp BETWEEN 1 AND 200", name="jp_range"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    curriculum_id: Mapped[int] = mapped_column(
        sa.ForeignKey("curricula.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column()  # 1, 2, … the order shown
    title: Mapped[str] = mapped_column(sa.String(200))
    objectives: Mapped[str] = mapped_column(sa.Text, default="")
    jp: Mapped[int] = mapped_column()
    method: Mapped[str] = mapped_column(sa.String(30))

    curriculum: Mapped[Curriculum] = relationship(back_populates="modules")
    materials: Mapped[list[Material]] = relationship(
        back_populates="module", cascade="all, delete-orphan", order_by="Material.position"
    )

    @property
    def method_title(self):
        return MODULE_METHODS.get(self.method, self.method)


class MaterialKind(TitledEnum):
    FILE = "file", _l("File")
    LINK = "link", _l("External link")
    TEXT = "text", _l("Text")


class Material(TimestampMixin, db.Model):
    """A course material of a module; its content lives in immutable versions."""

    __tablename__ = "curriculum_materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(
        sa.ForeignKey("curriculum_modules.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[MaterialKind] = mapped_column(str_enum(MaterialKind, 10))
    version_count: Mapped[int] = mapped_column(default=0)

    module: Mapped[Module] = relationship(back_populates="materials")
    #: The newest version (number == version_count); eager-load it with selectinload.
    current_version: Mapped[MaterialVersion | None] = relationship(
        primaryjoin="and_(MaterialVersion.material_id == Material.id, "
        "MaterialVersion.number == Material.version_count)",
        viewonly=True,
        uselist=False,
    )

    @property
    def audit_label(self) -> str:
        """How the audit log names it (``portal.audit``)."""
        return self.title


class MaterialVersion(db.Model):
    """One immutable state of a material: a stored file, a link or Markdown text."""

    __tablename__ = "material_versions"
    __table_args__ = (sa.UniqueConstraint("material_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(
        sa.ForeignKey("curriculum_materials.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column()
    file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id"))
    url: Mapped[str | None] = mapped_column(sa.String(500))
    body: Mapped[str | None] = mapped_column(sa.Text)  # Markdown, rendered sanitised
    change_note: Mapped[str | None] = mapped_column(sa.String(500))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    file: Mapped[StoredFile | None] = relationship("StoredFile")
    material: Mapped[Material] = relationship(foreign_keys=[material_id])


__all__ = [
    "Audience",
    "AuthorSide",
    "Curriculum",
    "CurriculumAuthor",
    "CurriculumEvidence",
    "CurriculumState",
    "CurriculumTarget",
    "DeliveryMode",
    "Material",
    "MaterialKind",
    "MaterialVersion",
    "Module",
    "MODULE_METHODS",
]
