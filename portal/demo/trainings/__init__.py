"""Trainings of the demo data: batches of the published curricula, registrations, attendance,
completion with certificates and JP credits, evaluation and recognition.

- small demo: :func:`seed` (``builder``) runs batches in every phase through the services, with
  external development records; the tests, surveys, follow-up plans, L3 forms and recognition
  are in ``evaluation``, what they say in ``content``;
- city scale: :func:`generate` (``city``) adds a few hundred batches of the city's published
  curricula with registrations, attendance and ledger credits.
"""

from portal.demo.trainings.builder import seed
from portal.demo.trainings.city import generate

__all__ = ["generate", "seed"]
