"""The matching round the matching tests share (``build_round``, built once per module)."""

from __future__ import annotations

import types
from datetime import timedelta

from portal.internships.applications.models import Application, ApplicationState
from portal.internships.models import IntakeMode
from portal.util import clock

S = ApplicationState


def build_round(make):
    """A matching period whose preferences closed yesterday, two OPDs, three positions:

    - ``popular`` (OPD A, quota 1), ``roomy`` (OPD A, quota 3, but its one mentor has room for
      2 more), ``other`` (OPD B, quota 2);
    - four endorsed students; ``ana`` and ``budi`` both want ``popular`` first: the OPD scored
      ``budi`` higher, so ``ana`` goes to her second choice; ``citra`` was marked not acceptable
      at ``other``; ``dedi`` only wants ``popular``: unplaced.
    """
    imake = make.internships
    w = types.SimpleNamespace()
    today = clock.today()
    w.period = imake.period(name="Magang Pencocokan 2027")
    w.period.intake_mode = IntakeMode.MATCHING
    w.period.preferences_close_on = today - timedelta(days=1)
    w.university = make.university()
    w.agency_a, w.agency_b = make.agency(), make.agency()
    w.city_admin = imake.city_admin()
    w.opd_a, w.opd_b = imake.opd_admin(w.agency_a), imake.opd_admin(w.agency_b)
    w.popular = imake.position(w.agency_a, period=w.period, quota=1, title="Analis Data Kesehatan")
    roomy_mentor = imake.mentor(w.agency_a, limit=3, active=1)
    w.roomy = imake.position(
        w.agency_a, period=w.period, quota=3, mentors=[roomy_mentor], title="Pengelola Arsip"
    )
    w.roomy_mentor = roomy_mentor
    w.other = imake.position(w.agency_b, period=w.period, quota=2, title="Pranata Komputer")
    w.students = {}
    wishes = {
        "ana": [(w.popular, 60), (w.roomy, 50)],
        "budi": [(w.popular, 90), (w.other, 70)],
        "citra": [(w.other, None), (w.roomy, 40)],
        "dedi": [(w.popular, 10)],
    }
    w.apps = {}
    for name, prefs in wishes.items():
        student = imake.student(w.university, full_name=f"Mahasiswa {name.title()} Uji")
        w.students[name] = student
        for rank, (position, score) in enumerate(prefs, start=1):
            app = imake.application(position, student=student, state=S.ENDORSED, rank=rank)
            app.opd_score = score
            app.opd_unacceptable = score is None
            w.apps[name, position.id] = app
    for person in [w.city_admin, w.opd_a, w.opd_b, *w.students.values()]:
        person.locale = "en"  # pages in English (a saved choice beats the browser's)
    make.session.flush()
    return w


def app_of(w, name, position) -> Application:
    return w.apps[name, position.id]
