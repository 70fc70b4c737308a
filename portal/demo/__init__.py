"""Fictional Medan demo data (DOMAIN.md §7 and §10): real institution names, invented people.

One package per feature (``people``, ``competency``, ``curricula``, ``internships``,
``trainings``), each with an entry per scale:

- the small demo, :func:`load_demo_data`: each feature's ``seed``, in order, into an empty
  database (the accounts of every role, two of each, and the stories the pages show);
- the city scale, :func:`portal.demo.city.generate`: each feature's ``generate``, a Medan-sized
  dataset on top of the small demo.

Two modules serve the small demo only: ``privacy`` (its personal-data requests, a ``seed``) and
``certificates`` (the fictional signing official of its STTPP, unless one is configured).

Every person here is fictional; NIM and NIP values are synthetic.
"""

from __future__ import annotations

from portal.demo import (
    certificates,
    competency,
    curricula,
    internships,
    people,
    privacy,
    trainings,
)

DEMO_PASSWORD = "Sinergi-Medan-2026"  # noqa: S105  (documented demo password, demo data only)

#: The features of the small demo after its people, in the order they build on each other.
FEATURES = (competency, curricula, internships, trainings, privacy)


def load_demo_data() -> dict[str, int]:
    """Add the demo institutions, accounts and every feature's demo to the session; returns the
    counts written. The caller commits."""
    demo = people.seed(DEMO_PASSWORD)
    certificates.use_demo_signing_official()  # the STTPP's signature block, unless configured
    for feature in FEATURES:
        demo.counts.update(feature.seed(demo))
    return demo.counts
