"""Factories for tests: real rows through the real models, no mocks.

``make`` (the fixture) is a ``Factories`` on the test's session: people, institutions,
competencies and curricula directly (``make.user(Role.ASN)``), the other features in a namespace
each: ``make.internships`` (tests/support/factories/internships.py) and ``make.trainings``
(tests/support/factories/trainings.py)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from functools import cache, cached_property

from portal.auth import passwords
from portal.auth.models import AccountStatus, Role, User
from portal.competency.assessments import services as competency_services
from portal.competency.models import (
    AsnProfile,
    AsnStatus,
    Competency,
    CompetencyType,
    Position,
    PositionKind,
    StandardItem,
)
from portal.competency.plans import services as competency_plan_services
from portal.competency.plans.models import PlanActivity
from portal.institutions.models import Agency, AgencyKind, University
from portal.util import clock

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


@cache
def _hash_for(password: str) -> str:
    return passwords.hash_password(password)


def _unique_nip(n: int) -> str:
    """A valid PNS NIP, unique per ``n`` within a test (each gets its own birth date, between
    1960 and 1992, so the number stays plausible however long the suite runs)."""
    birth = date(1960, 1, 1) + timedelta(days=n % 12000)
    return f"{birth:%Y%m%d}{birth.year + 25}031{901 + n % 99:03d}"


class Factories:
    def __init__(self, session):
        self.session = session

    @cached_property
    def internships(self):
        """Periods, positions, mentors, applications in any state (``make.internships``)."""
        from tests.support.factories.internships import InternshipFactories

        return InternshipFactories(self)

    @cached_property
    def trainings(self):
        """Batches with sessions, ASN with supervisors, registrations (``make.trainings``)."""
        from tests.support.factories.trainings import TrainingFactories

        return TrainingFactories(self)

    def university(self, **kw) -> University:
        n = next(_seq)
        obj = University(
            name=kw.pop("name", f"Universitas Uji {n}"),
            short_name=kw.pop("short_name", f"UU{n}"),
            **kw,
        )
        self.session.add(obj)
        self.session.flush()
        return obj

    def agency(self, **kw) -> Agency:
        n = next(_seq)
        obj = Agency(
            name=kw.pop("name", f"Dinas Uji {n}"),
            short_name=kw.pop("short_name", f"DU{n}"),
            kind=kw.pop("kind", AgencyKind.DINAS),
            **kw,
        )
        self.session.add(obj)
        self.session.flush()
        return obj

    def user(
        self,
        *roles: Role,
        password: str = PASSWORD,
        university=None,
        agency=None,
        admin_agency=None,
        status=AccountStatus.ACTIVE,
        **kw,
    ) -> User:
        roles = roles or (Role.ASN,)
        n = next(_seq)
        if university is None and ({Role.STUDENT, Role.UNIVERSITY} & set(roles)):
            university = self.university()
        if agency is None and ({Role.ASN, Role.MENTOR} & set(roles)):
            agency = self.agency()
        user = User(
            email=kw.pop("email", f"user{n}@example.com"),
            full_name=kw.pop("full_name", f"Pengguna Uji {n}"),
            password_hash=_hash_for(password) if password else None,
            status=status,
            university_id=university.id if university else None,
            agency_id=agency.id if agency else None,
            admin_agency_id=admin_agency.id if admin_agency else None,
            **kw,
        )
        if Role.STUDENT in roles:
            user.nim = user.nim or f"NIM{n:06d}"
            user.study_programme = user.study_programme or "S1 Teknologi Informasi"
        user.set_roles(roles)
        self.session.add(user)
        self.session.flush()
        return user

    def competency(
        self, *, type=CompetencyType.TECHNICAL, agency=None, name=None, **kw
    ) -> Competency:
        n = next(_seq)
        obj = Competency(
            code=kw.pop("code", f"T.UJI.{n}"),
            type=type,
            agency_id=agency.id if agency and type == CompetencyType.TECHNICAL else None,
            **kw,
        )
        self.session.add(obj)
        self.session.flush()
        competency_services.add_version(
            obj,
            name=name or f"Kompetensi Uji {n}",
            definition="Definisi uji.",
            levels={level: (f"Deskripsi level {level}", "") for level in range(1, 6)},
        )
        return obj

    def position(
        self, *, agency=None, kind=PositionKind.FUNGSIONAL, competencies=(), level=2, **kw
    ) -> Position:
        agency = agency or self.agency()
        obj = Position(
            name=kw.pop("name", f"Jabatan Uji {next(_seq)}"), kind=kind, agency_id=agency.id, **kw
        )
        obj.standard = [
            StandardItem(competency_id=c.id, required_level=level) for c in competencies
        ]
        self.session.add(obj)
        self.session.flush()
        return obj

    def asn_profile(
        self,
        user=None,
        *,
        position=None,
        supervisor=None,
        nip=None,
        status=AsnStatus.PNS,
        golongan="III/a",
    ) -> AsnProfile:
        user = user or self.user(Role.ASN)
        n = next(_seq)
        obj = AsnProfile(
            user_id=user.id,
            nip=nip or _unique_nip(n),
            status=status,
            golongan=golongan,
            agency_id=user.agency_id,
            position_id=position.id if position else None,
            supervisor_id=supervisor.id if supervisor else None,
        )
        self.session.add(obj)
        self.session.flush()
        return obj

    def roster_import(self, actor, people, *, rows=None):
        """A confirmed roster import by ``actor`` whose people are ``people`` (accounts)."""
        from portal.competency.roster.models import RosterImport, RosterImportPerson

        obj = RosterImport(
            actor_id=actor.id if actor else None, rows=rows or len(people), created=len(people)
        )
        self.session.add(obj)
        self.session.flush()
        self.session.add_all(RosterImportPerson(import_id=obj.id, user_id=u.id) for u in people)
        self.session.flush()
        return obj

    def plan_activity(self, asn, competency, *, year=None, **kw):
        """An activity in the ASN's development plan for ``year`` (the plan is made if needed)."""
        plan = competency_plan_services.plan_for(asn, year or clock.today().year, create=True)
        activity = PlanActivity(
            plan_id=plan.id,
            competency_id=competency.id,
            form=kw.pop("form", "coaching"),
            title=kw.pop("title", "Coaching"),
            planned_jp=kw.pop("planned_jp", 2),
            quarter=kw.pop("quarter", 1),
        )
        self.session.add(activity)
        self.session.flush()
        return activity

    def assessment_with_report(self, asn, competency, *, level=2):
        """An official assessment of ``asn`` with a (tiny, real) PDF report stored on disk."""
        import io

        from werkzeug.datastructures import FileStorage

        from portal import uploads
        from portal.competency.models import AssessmentMethod

        report = uploads.store(
            FileStorage(io.BytesIO(b"%PDF-1.7\n%uji\n"), filename="laporan.pdf"), allowed=("pdf",)
        )
        return competency_services.record_assessment(
            asn,
            actor=None,
            method=AssessmentMethod.UJI_KOMPETENSI,
            assessed_on=date(2025, 1, 6),
            assessor="UPT",
            levels={competency.id: level},
            report=report,
        )

    # --- curricula ------------------------------------------------------------------------------

    def curriculum(
        self,
        university=None,
        *,
        agency=None,
        state=None,
        author=None,
        agency_author=None,
        modules=1,
        competency=None,
        **kw,
    ):
        """A proposal of ``university`` with ``modules`` modules (2 JP each), a target on
        ``competency`` (or a new one) at level 3, and ``author`` as lead university author.
        ``state`` is set directly (no workflow): use it to start a test in any state."""
        from portal.curricula.models import (
            Audience,
            AuthorSide,
            Curriculum,
            CurriculumAuthor,
            CurriculumState,
            CurriculumTarget,
            DeliveryMode,
            Module,
        )

        n = next(_seq)
        university = university or self.university()
        agency = agency or self.agency()
        author = author or self.user(Role.UNIVERSITY, university=university)
        competency = competency or self.competency(agency=agency)
        cur = Curriculum(
            university_id=university.id,
            agency_id=agency.id,
            title=kw.pop("title", f"Kurikulum Uji {n}"),
            summary=kw.pop("summary", "Ringkasan kurikulum uji."),
            audience=kw.pop("audience", Audience.ASN),
            mode=kw.pop("mode", DeliveryMode.BLENDED),
            learning_outcomes=kw.pop(
                "learning_outcomes", "Peserta mampu menyusun rencana.\nPeserta mampu menilai data."
            ),
            state=state or CurriculumState.DRAFT,
            created_by_id=author.id,
            **kw,
        )
        self.session.add(cur)
        self.session.flush()
        self.session.add(
            CurriculumAuthor(
                curriculum_id=cur.id, user_id=author.id, side=AuthorSide.UNIVERSITY, is_lead=True
            )
        )
        if agency_author is not None:
            self.session.add(
                CurriculumAuthor(
                    curriculum_id=cur.id, user_id=agency_author.id, side=AuthorSide.AGENCY
                )
            )
        self.session.add(
            CurriculumTarget(curriculum_id=cur.id, competency_id=competency.id, target_level=3)
        )
        for i in range(1, modules + 1):
            self.session.add(
                Module(
                    curriculum_id=cur.id,
                    position=i,
                    title=f"Modul {i}",
                    objectives="Tujuan modul.",
                    jp=2,
                    method="ceramah",
                )
            )
        self.session.flush()
        self.session.expire(cur)
        return cur

    def material(
        self, module, *, kind="text", title=None, body="Isi **materi**.", author=None, versions=1
    ):
        """A material of ``module`` with ``versions`` versions (text, link, or a small PDF file)."""
        import io

        from werkzeug.datastructures import FileStorage

        from portal import uploads
        from portal.curricula.models import Material, MaterialKind, MaterialVersion

        n = next(_seq)
        material = Material(
            module_id=module.id,
            position=n,
            title=title or f"Materi {n}",
            kind=MaterialKind(kind),
            version_count=0,
        )
        self.session.add(material)
        self.session.flush()
        for number in range(1, versions + 1):
            version = MaterialVersion(
                material_id=material.id,
                number=number,
                created_by_id=getattr(author, "id", None),
                change_note=None if number == 1 else f"Revisi {number}",
            )
            if material.kind == MaterialKind.TEXT:
                version.body = body
            elif material.kind == MaterialKind.LINK:
                version.url = f"https://jdih.pemkomedan.go.id/dokumen/{n}-{number}"
            else:
                stored = uploads.store(
                    FileStorage(io.BytesIO(b"%PDF-1.7\n%materi\n"), filename=f"materi-{n}.pdf"),
                    allowed=("pdf",),
                )
                version.file_id = stored.id
            self.session.add(version)
            material.version_count = number
            self.session.flush()
        self.session.expire(material)
        return material

    def rating(self, material, user, *, overall=4, comment=None, show_name=False, **kw):
        """A rating by ``user`` of the material's current version."""
        import sqlalchemy as sa

        from portal.curricula.feedback.models import MaterialRating
        from portal.curricula.models import MaterialVersion

        version = self.session.scalars(
            sa.select(MaterialVersion).where(
                MaterialVersion.material_id == material.id,
                MaterialVersion.number == material.version_count,
            )
        ).one()
        row = MaterialRating(
            version_id=version.id,
            material_id=material.id,
            user_id=user.id,
            overall=overall,
            relevance=kw.pop("relevance", overall),
            clarity=kw.pop("clarity", overall),
            difficulty=kw.pop("difficulty", 3),
            comment=comment,
            show_name=show_name,
        )
        self.session.add(row)
        self.session.flush()
        return row

    def flag(self, material, reporter, *, kind="typo", description="Ada salah ketik.", state=None):
        """A problem flagged by ``reporter`` on the material's current version."""
        import sqlalchemy as sa

        from portal.curricula.feedback.models import FlagKind, FlagState, MaterialFlag
        from portal.curricula.models import MaterialVersion

        version = self.session.scalars(
            sa.select(MaterialVersion).where(
                MaterialVersion.material_id == material.id,
                MaterialVersion.number == material.version_count,
            )
        ).one()
        row = MaterialFlag(
            material_id=material.id,
            version_id=version.id,
            reporter_id=reporter.id,
            kind=FlagKind(kind),
            description=description,
            state=FlagState(state or "open"),
        )
        self.session.add(row)
        self.session.flush()
        return row
