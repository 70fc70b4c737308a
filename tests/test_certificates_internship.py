"""Issue 17, point 6: an internship certificate carries the final grade (DOMAIN.md §5.3: the
host gives a certificate with a grade), copied when the placement is graded and completed."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from portal.certificates.models import Certificate
from portal.certificates.pdf import render
from portal.internships import lifecycle
from portal.internships.evaluation import services as evaluation_services
from portal.internships.evaluation.models import DEFAULT_CRITERIA
from tests.internships.guidance_support import GuidanceFactories, local_today
from tests.support.factories import Factories
from tests.support.pages import visible_text


@pytest.fixture(scope="module")
def graded(app, module_db):
    """A placement evaluated (mentor 90 on every criterion, DPL 88) and completed."""
    make = Factories(module_db.session)
    with app.test_request_context():
        p = GuidanceFactories(make, make.internships).placement(
            ends_on=local_today() + timedelta(days=5), title="Pengembangan Dashboard"
        )
        evaluation_services.save_academic_score(p, 88, actor=p.supervisor)
        lifecycle.save_mentor_evaluation(
            p, [90] * len(DEFAULT_CRITERIA), actor=p.mentor, complete=True
        )
        module_db.session.commit()
        certificate = module_db.session.scalars(
            sa.select(Certificate).where(Certificate.source_id == p.id)
        ).one()
        return SimpleNamespace(id=certificate.id, number=certificate.number)


def test_the_internship_certificate_carries_the_final_grade(app, db, graded):
    certificate = db.session.get(Certificate, graded.id)
    assert certificate.final_grade == 89.2  # 60 % of 90 + 40 % of 88
    with app.test_request_context("/?lang=en"):
        pdf = render(certificate)
    assert b"Final grade: 89.20" in pdf and b"Pengembangan Dashboard" in pdf


def test_the_public_check_page_does_not_publish_the_grade(client, db, graded):
    """A grade is personal data (UU 27/2022 PDP): the paper carries it, the public page
    confirms the paper is genuine without listing it."""
    page = client.get(f"/certificates/verify/{graded.number}?lang=en")
    assert page.status_code == 200
    text = visible_text(page)
    assert "Pengembangan Dashboard" in text
    # the grade in any form (not a bare "89": generated names carry numbers such as "Uji 8943")
    assert not re.search(r"\b89[.,]20?\b", text) and "grade" not in text.lower()
