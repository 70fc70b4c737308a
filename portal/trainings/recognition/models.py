"""Recognition for verified progress (DOMAIN.md §6): configurable rules, the proposals the
portal makes from verified data, a city admin's decision, the opt-in hall of fame, and the
dossiers the portal prepares when it nominates an ASN for a formal state award.

The portal grants only what it controls (a certificate and a badge). A formal award (Anugerah
ASN, Satyalancana Karya Satya …) is decided by the authorised official through an SK; the portal
only prepares and forwards the nomination.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import TimestampMixin, TitledEnum, UTCDateTime, db, str_enum, utcnow
from portal.i18n import _l
from portal.own_record import is_own_record
from portal.trainings.models import is_city_admin

if TYPE_CHECKING:
    from portal.auth.models import User
    from portal.certificates.models import Certificate
    from portal.competency.models import AsnProfile
    from portal.institutions.models import Agency


TITLE_MAX = 200
TEXT_MAX = 4000


class RecognitionKind(TitledEnum):
    JP_TARGET_MET = "jp_target_met", _l("Yearly JP target met (verified records)")
    JPM_GAIN = "jpm_gain", _l("JPM up between the two latest official assessments")
    L3_APPLIES = "l3_applies", _l("The supervisor confirms the ASN applies what was learned (L3)")
    # A mentor's work is performance evidence that can feed rewards, not JP (DOMAIN.md §6, and
    # "an ASN who mentors students is a teacher here, not a learner").
    MENTOR_INTERNS = (
        "mentor_interns",
        _l("Interns guided to the end of their placement, who rated their mentor well"),
    )

    @property
    def threshold_help(self):
        """What the rule's threshold means for this kind."""
        return {
            RecognitionKind.JP_TARGET_MET: _l(
                "Percent of the yearly JP target (100 = the target)."
            ),
            RecognitionKind.JPM_GAIN: _l("JPM points gained, at least (e.g. 10)."),
            RecognitionKind.L3_APPLIES: _l(
                "Lowest average supervisor rating on one L3 form, on the 1–4 scale (3 = applies)."
            ),
            RecognitionKind.MENTOR_INTERNS: _l(
                "Interns whose placement ended completed in the year and who rated their mentor "
                "4 or 5 of 5, at least (e.g. 2)."
            ),
        }[self]

    @property
    def threshold_range(self) -> tuple[float, float]:
        return {
            RecognitionKind.JP_TARGET_MET: (50.0, 500.0),
            RecognitionKind.JPM_GAIN: (1.0, 100.0),
            RecognitionKind.L3_APPLIES: (1.0, 4.0),
            RecognitionKind.MENTOR_INTERNS: (1.0, 50.0),
        }[self]


#: The rules seeded on a fresh portal: (kind, threshold, title, active).
#: Meeting the yearly JP target is not progress to reward but the minimum every PNS must reach
#: ("paling sedikit 20 jam pelajaran dalam 1 tahun", PP 11/2017 Pasal 203 ayat 4; DOMAIN.md §2.1):
#: the portal thanks the ASN for it (an appreciation on their recognition page, no badge, no
#: certificate), and its rule starts inactive; a city that wants to recognise it turns it on.
DEFAULT_RULES = (
    (RecognitionKind.JP_TARGET_MET, 100.0, "Target 20 JP tercapai", False),
    (RecognitionKind.JPM_GAIN, 10.0, "Peningkatan JPM 10 poin", True),
    (RecognitionKind.L3_APPLIES, 3.0, "Menerapkan hasil pelatihan (penilaian atasan)", True),
    (
        RecognitionKind.MENTOR_INTERNS,
        2.0,
        "Mentor magang: peserta selesai dan puas dengan bimbingan",
        True,
    ),
)


class RecognitionRule(TimestampMixin, db.Model):
    """One configurable rule: which verified signal counts and from which threshold."""

    __tablename__ = "recognition_rules"
    __table_args__ = (sa.CheckConstraint("threshold > 0", name="threshold_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[RecognitionKind] = mapped_column(str_enum(RecognitionKind, 20), index=True)
    threshold: Mapped[float] = mapped_column(sa.Numeric(6, 1, asdecimal=False))
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    is_active: Mapped[bool] = mapped_column(default=True)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    def __repr__(self) -> str:
        return f"<RecognitionRule {self.id} {self.kind} {self.threshold}>"


class ProposalState(TitledEnum):
    PROPOSED = "proposed", _l("Proposed, waiting for a decision")
    APPROVED = "approved", _l("Approved")
    REJECTED = "rejected", _l("Rejected")


class RecognitionProposal(TimestampMixin, db.Model):
    """The portal's proposal to recognise one ASN under one rule for one year, with the figures
    found at the time. Approved proposals are the ASN's badges. One per ASN, rule and year."""

    __tablename__ = "recognition_proposals"
    __table_args__ = (
        sa.UniqueConstraint("asn_id", "rule_id", "period", name="uq_recognition_proposals_once"),
        sa.CheckConstraint(
            "state <> 'rejected' OR reason IS NOT NULL", name="rejection_has_reason"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    asn_id: Mapped[int] = mapped_column(
        sa.ForeignKey("asn_profiles.id", ondelete="CASCADE"), index=True
    )
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    rule_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recognition_rules.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[int] = mapped_column(index=True)  # the year
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))  # the rule's title when proposed
    evidence: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    state: Mapped[ProposalState] = mapped_column(
        str_enum(ProposalState, 20), default=ProposalState.PROPOSED, index=True
    )
    reason: Mapped[str | None] = mapped_column(sa.Text)
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    certificate_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("certificates.id", ondelete="SET NULL")
    )

    asn: Mapped[AsnProfile] = relationship("AsnProfile")
    agency: Mapped[Agency] = relationship("Agency")
    rule: Mapped[RecognitionRule] = relationship()
    decided_by: Mapped[User | None] = relationship("User", foreign_keys=[decided_by_id])
    certificate: Mapped[Certificate | None] = relationship("Certificate")

    def __repr__(self) -> str:
        return f"<RecognitionProposal {self.id} {self.state}>"

    def can_decide(self, user) -> bool:
        """A city admin approves or rejects a waiting proposal, never their own (another city
        admin does). Needs ``asn`` loaded."""
        return (
            self.state == ProposalState.PROPOSED
            and is_city_admin(user)
            and not is_own_record(user, self.asn)
        )


class HallOfFameConsent(db.Model):
    """The ASN's consent to appear in the hall of fame. Withdrawing closes the row (it is kept,
    with both moments); giving it again opens a new one. At most one open row per ASN."""

    __tablename__ = "hall_of_fame_consents"
    __table_args__ = (
        sa.Index(
            "uq_hall_of_fame_consents_open",
            "asn_id",
            unique=True,
            sqlite_where=sa.text("withdrawn_at IS NULL"),
            postgresql_where=sa.text("withdrawn_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    asn_id: Mapped[int] = mapped_column(
        sa.ForeignKey("asn_profiles.id", ondelete="CASCADE"), index=True
    )
    given_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AwardKind(TitledEnum):
    ANUGERAH_ASN = "anugerah_asn", _l("Anugerah ASN (KemenPANRB)")
    SATYALANCANA_10 = "satyalancana_10", _l("Satyalancana Karya Satya, 10 years")
    SATYALANCANA_20 = "satyalancana_20", _l("Satyalancana Karya Satya, 20 years")
    SATYALANCANA_30 = "satyalancana_30", _l("Satyalancana Karya Satya, 30 years")
    PEGAWAI_TELADAN = "pegawai_teladan", _l("Pegawai teladan (exemplary employee)")
    OTHER = "other", _l("Another formal award")

    @property
    def service_years(self) -> int | None:
        """Years of service a Satyalancana Karya Satya requires (None for other awards)."""
        return {
            AwardKind.SATYALANCANA_10: 10,
            AwardKind.SATYALANCANA_20: 20,
            AwardKind.SATYALANCANA_30: 30,
        }.get(self)


class NominationState(TitledEnum):
    PREPARED = "prepared", _l("Dossier being prepared")
    # forwarded to the authorised official, who decides
    SUBMITTED = "submitted", _l("Submitted to the authorised official")
    # the official's decision, recorded from the decision letter (SK: its number and date)
    AWARDED = "awarded", _l("Awarded (decision letter recorded)")
    NOT_AWARDED = "not_awarded", _l("Not awarded")


#: The eligibility checklist of a nomination dossier (DOMAIN.md §6): field name → label.
CHECKLIST = {
    "no_disciplinary_sentence": _l("No disciplinary sentence (hukuman disiplin)"),
    "lhkasn_filed": _l("LHKASN filed"),
    "no_legal_proceedings": _l("Not under legal proceedings"),
}


class AwardNomination(TimestampMixin, db.Model):
    """A nomination dossier for a formal award. The portal nominates; it never grants."""

    __tablename__ = "award_nominations"

    id: Mapped[int] = mapped_column(primary_key=True)
    asn_id: Mapped[int] = mapped_column(
        sa.ForeignKey("asn_profiles.id", ondelete="CASCADE"), index=True
    )
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    award: Mapped[AwardKind] = mapped_column(str_enum(AwardKind, 20))
    category: Mapped[str | None] = mapped_column(sa.String(TITLE_MAX))
    year: Mapped[int] = mapped_column()
    justification: Mapped[str] = mapped_column(sa.Text)
    no_disciplinary_sentence: Mapped[bool] = mapped_column(default=False)
    lhkasn_filed: Mapped[bool] = mapped_column(default=False)
    no_legal_proceedings: Mapped[bool] = mapped_column(default=False)
    state: Mapped[NominationState] = mapped_column(
        str_enum(NominationState, 20), default=NominationState.PREPARED, index=True
    )
    submitted_to: Mapped[str | None] = mapped_column(sa.String(TITLE_MAX))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    prepared_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    submitted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    #: the decision letter (SK) of an award: SIASN riwayat penghargaan ``skNomor``, ``skDate``
    decision_number: Mapped[str | None] = mapped_column(sa.String(100))
    decision_date: Mapped[date | None] = mapped_column(sa.Date)
    decision_recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    asn: Mapped[AsnProfile] = relationship("AsnProfile")
    agency: Mapped[Agency] = relationship("Agency")
    prepared_by: Mapped[User | None] = relationship("User", foreign_keys=[prepared_by_id])
    submitted_by: Mapped[User | None] = relationship("User", foreign_keys=[submitted_by_id])

    @property
    def checklist(self) -> list[tuple[str, object, bool]]:
        return [(name, label, bool(getattr(self, name))) for name, label in CHECKLIST.items()]

    @property
    def is_eligible(self) -> bool:
        return all(ok for _name, _label, ok in self.checklist)

    def can_view(self, user) -> bool:
        """A city admin, or an admin of the ASN's OPD."""
        return (
            user is not None
            and getattr(user, "is_admin", False)
            and (user.is_city_admin or user.admin_agency_id == self.agency_id)
        )

    def can_change(self, user) -> bool:
        """Who may view it edits and submits the dossier while it is prepared, except the ASN it
        nominates (another admin does). Needs ``asn`` loaded."""
        return (
            self.state == NominationState.PREPARED
            and self.can_view(user)
            and not is_own_record(user, self.asn)
        )

    def can_record_decision(self, user) -> bool:
        """Once submitted, who may view it records the official's decision, except the ASN it
        nominates. Needs ``asn`` loaded."""
        return (
            self.state == NominationState.SUBMITTED
            and self.can_view(user)
            and not is_own_record(user, self.asn)
        )
