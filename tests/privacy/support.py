"""Shared set-up of the personal-data tests: people, a rated material, a famous ASN."""

from __future__ import annotations

import io
import json
import zipfile
from types import SimpleNamespace

import sqlalchemy as sa

from portal.auth.models import Role
from portal.curricula.models import CurriculumState, Module
from portal.trainings.recognition import services as recognition_services
from portal.trainings.recognition.models import ProposalState, RecognitionProposal, RecognitionRule


def people(make):
    """A city admin, an OPD admin, two students, an ASN with a profile (all in English)."""
    opd = make.agency()
    asn_user = make.user(Role.ASN, agency=opd, locale="en", full_name="Rina Siregar")
    return SimpleNamespace(
        opd=opd,
        city_admin=make.user(Role.ADMIN, locale="en", full_name="Admin Kota"),
        opd_admin=make.user(Role.ADMIN, admin_agency=opd, locale="en"),
        student=make.user(Role.STUDENT, locale="en", full_name="Sari Nasution"),
        other=make.user(Role.STUDENT, locale="en", full_name="Budi Lubis"),
        asn_user=asn_user,
        asn=make.asn_profile(asn_user),
    )


def rated_material(make, *raters_with_name):
    """A published material rated by each ``(user, show_name, comment)``."""
    cur = make.curriculum(state=CurriculumState.PUBLISHED)
    module = make.session.scalars(sa.select(Module).where(Module.curriculum_id == cur.id)).first()
    material = make.material(module)
    for user, show_name, comment in raters_with_name:
        make.rating(material, user, show_name=show_name, comment=comment)
    return material


def famous(make, asn):
    """An approved recognition for ``asn``: with a consent they appear in the hall of fame."""
    recognition_services.seed_rules()
    rule = make.session.scalars(sa.select(RecognitionRule).order_by(RecognitionRule.id)).first()
    proposal = RecognitionProposal(
        asn_id=asn.id,
        agency_id=asn.agency_id,
        rule_id=rule.id,
        period=2026,
        title=rule.title,
        evidence={},
        state=ProposalState.APPROVED,
    )
    make.session.add(proposal)
    make.session.flush()
    return proposal


def application_with_cv(make, student):
    """An internship application of ``student`` with an uploaded CV (their own file)."""
    imake = make.internships
    return imake.application(student=student, cv=imake.cv(student))


def read_zip(body: bytes) -> tuple[dict, dict[str, bytes]]:
    """``data.json`` parsed, and every other entry's bytes by name."""
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        names = archive.namelist()
        data = json.loads(archive.read("data.json"))
        files = {n: archive.read(n) for n in names if n != "data.json"}
    return data, files
