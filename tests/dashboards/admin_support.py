"""A small known world for the admin dashboard tests: OPD with ASN, JP records, assessments,
internship applications, L1/L3 answers and material feedback, all as real rows.

Per OPD built by :func:`opd_world`, with ``scale`` = 2 (the default):
- JP: a supervisor and 2×scale ASN under them (5 ASN), all in one position; every second ASN
  (2) reached the yearly target with verified records: 40%. The supervisor's one record waits.
- The position requires ``competency`` at level 3; the same every second ASN is assessed at
  level 2, the others and the supervisor at 3: 2 of 5 below, 40%.
- Internship: per scale step four applications, submitted, endorsed, offered and accepted (its
  placement completed): applied 8, endorsed 6, offered 4, placed 2, completed 2.
- Trainings this month: one L1 response (every answer ``l1``) and one supervisor L3 form
  (rating ``l3``) per ASN (4 each); one registration waits for the supervisor.
- Materials: one material with an open problem report, one rated 2 by five learners.
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from types import SimpleNamespace

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from portal.auth.models import Role
from portal.competency.assessments import services as competency_services
from portal.competency.models import AssessmentMethod
from portal.curricula.feedback.models import FlagKind, MaterialFlag, MaterialRating
from portal.curricula.models import CurriculumState, MaterialVersion, Module
from portal.db import utcnow
from portal.internships.applications.models import ApplicationState as S
from portal.internships.models import Placement, PlacementStatus
from portal.trainings.evaluation.models import (
    L1Answer,
    L1Response,
    L3Form,
    L3Rating,
    Respondent,
    SurveyQuestion,
)
from portal.trainings.ledger import services as ledger_services
from portal.trainings.ledger.models import EntryState
from portal.trainings.models import BatchState, Registration, RegistrationState, TrainingBatch
from portal.util import clock


def _pdf():
    return FileStorage(io.BytesIO(b"%PDF-1.7\n%uji\n"), filename="sertifikat.pdf")


def jp_record(asn, *, days: int, verified: bool):
    """A workshop record of ``5 × days`` JP this year (verified, or waiting)."""
    day = date(clock.today().year, 1, 10)
    entry = ledger_services.submit_external(
        asn,
        form="workshop",
        scope="national",
        title="Lokakarya Data",
        organiser="Kominfo",
        started_on=day,
        ended_on=day,
        quantity=days,
        evidence_upload=_pdf(),
        actor=asn.user,
    )
    if verified:
        entry.state = EntryState.VERIFIED
    return entry


def _assess(asn, competency, level):
    competency_services.record_assessment(
        asn,
        actor=None,
        method=AssessmentMethod.UJI_KOMPETENSI,
        assessed_on=clock.today() - timedelta(days=30),
        assessor="UPT",
        levels={competency.id: level},
    )


def _batch(make, session):
    curriculum = make.curriculum(state=CurriculumState.PUBLISHED)
    batch = TrainingBatch(
        curriculum_id=curriculum.id,
        title=curriculum.title,
        capacity=500,
        seats_taken=0,
        jp=curriculum.total_jp,
        state=BatchState.COMPLETED,
    )
    session.add(batch)
    session.flush()
    return batch


def _registration(session, batch, asn, state=RegistrationState.COMPLETED):
    reg = Registration(
        batch_id=batch.id, asn_id=asn.id, user_id=asn.user_id, agency_id=asn.agency_id, state=state
    )
    session.add(reg)
    session.flush()
    return reg


def _l1(session, reg, rating):
    questions = session.scalars(
        sa.select(SurveyQuestion).where(SurveyQuestion.is_active.is_(True))
    ).all()
    answers = [
        L1Answer(question_id=q.id, rating=rating) for q in questions if not q.per_facilitator
    ]
    session.add(L1Response(registration_id=reg.id, answers=answers))


def _l3(session, reg, supervisor_user_id, competency, rating):
    today = utcnow().date()
    form = L3Form(
        registration_id=reg.id,
        respondent=Respondent.SUPERVISOR,
        respondent_user_id=supervisor_user_id,
        sent_on=today,
        due_on=today + timedelta(days=30),
        answered_at=utcnow(),
    )
    session.add(form)
    session.flush()
    session.add(L3Rating(form_id=form.id, competency_id=competency.id, rating=rating))


def _materials(make, session, opd, *, low_title, flagged_title):
    curriculum = make.curriculum(agency=opd, state=CurriculumState.PUBLISHED)
    module = session.scalars(sa.select(Module).where(Module.curriculum_id == curriculum.id)).first()
    flagged = make.material(module, title=flagged_title)
    low = make.material(module, title=low_title)
    versions = {
        v.material_id: v
        for v in session.scalars(
            sa.select(MaterialVersion).where(MaterialVersion.material_id.in_([flagged.id, low.id]))
        )
    }
    session.add(
        MaterialFlag(
            material_id=flagged.id,
            version_id=versions[flagged.id].id,
            kind=FlagKind.TYPO,
            description="Salah ketik di halaman 2.",
        )
    )
    for _ in range(5):
        learner = make.user(Role.ASN, agency=opd)
        session.add(
            MaterialRating(
                version_id=versions[low.id].id,
                material_id=low.id,
                user_id=learner.id,
                overall=2,
                relevance=2,
                clarity=2,
                difficulty=3,
            )
        )
    session.flush()
    return flagged, low


def opd_world(
    make, *, name: str, short: str, competency, scale: int = 2, l1: int = 3, l3: int = 2, opd=None
) -> SimpleNamespace:
    """One OPD with the figures described in the module docstring (or as many more rows in
    ``opd`` when given)."""
    session = make.session
    imake = make.internships
    opd = opd or make.agency(name=name, short_name=short)
    position = make.position(agency=opd, competencies=[competency], level=3)
    supervisor = make.asn_profile(make.user(Role.ASN, agency=opd), position=position)
    asn = []
    for i in range(2 * scale):
        profile = make.asn_profile(
            make.user(Role.ASN, agency=opd), position=position, supervisor=supervisor
        )
        asn.append(profile)
        _assess(profile, competency, 2 if i % 2 == 0 else 3)
        if i % 2 == 0:
            jp_record(profile, days=4, verified=True)  # 20 JP: at the target
    # The supervisor: assessed at level 3, 20 JP as well (so half the OPD's ASN are at target).
    _assess(supervisor, competency, 3)
    jp_record(supervisor, days=1, verified=False)  # waits for verification
    # Internship funnel.
    period = imake.period()
    for _ in range(scale):
        pos = imake.position(opd, period=period, quota=10)
        imake.application(pos, state=S.SUBMITTED)
        imake.application(pos, state=S.ENDORSED)
        imake.application(pos, state=S.OFFERED)
        accepted = imake.application(pos, state=S.ACCEPTED)
        session.add(
            Placement(
                application_id=accepted.id,
                student_id=accepted.student_id,
                position_id=pos.id,
                period_id=period.id,
                university_id=accepted.university_id,
                agency_id=opd.id,
                mentor_id=pos.mentors[0].mentor_id,
                starts_on=period.starts_on,
                ends_on=period.ends_on,
                status=PlacementStatus.COMPLETED,
            )
        )
    # Trainings: L1 and L3 answers this month, one registration waiting.
    batch = _batch(make, session)
    for profile in asn:
        reg = _registration(session, batch, profile)
        _l1(session, reg, l1)
        _l3(session, reg, supervisor.user_id, competency, l3)
    _registration(session, _batch(make, session), asn[0], state=RegistrationState.REQUESTED)
    flagged, low = _materials(
        make,
        session,
        opd,
        low_title=f"Materi Lemah {short}",
        flagged_title=f"Materi Bermasalah {short}",
    )
    session.flush()
    return SimpleNamespace(
        opd=opd,
        asn=asn,
        supervisor=supervisor,
        flagged=flagged,
        low=low,
        admin=make.user(Role.ADMIN, admin_agency=opd, locale="en"),
    )


# --- reading the rendered panel ---------------------------------------------------------------


def dashboard(client, login_as, user) -> str:
    login_as(user)
    response = client.get("/dashboard")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def row(html: str, label: str) -> list[str]:
    """The cells of the table row headed ``label`` (the first one)."""
    match = re.search(rf'<th scope="row">{re.escape(label)}</th>(.*?)</tr>', html, re.S)
    assert match, f"no row {label!r}"
    return [re.sub(r"\s+", " ", c).strip() for c in re.findall(r"<td>(.*?)</td>", match[1], re.S)]


def badge_after(html: str, text: str) -> str:
    match = re.search(rf"{re.escape(text)}</a>\s*<span [^>]*>(\d+)</span>", html)
    assert match, f"no count for {text!r}"
    return match[1]
