"""Competency records of the demo data: positions with their standards, ASN records and
assessments.

- small demo: :func:`seed` (``workforce``) adds the catalogue, seven positions in every OPD, the
  demo accounts' ASN records, a few hundred generated ASN and their assessments;
- city scale: :func:`generate` (``city``) gives every OPD the same positions and every generated
  ASN account a record with a supervisor and assessments.
"""

from portal.demo.competency.city import generate
from portal.demo.competency.workforce import seed

__all__ = ["generate", "seed"]
