"""Internships of the demo data: periods, positions with mentors, applications through their
workflow, placements with logbooks, guidance, reports, grades and certificates.

- small demo: :func:`seed` (``builder``) writes a finished and a running period whose students,
  applications and placements tell the story of ``story`` and ``content``; the builder's parts are
  ``applications`` and ``records`` (with ``journal`` and ``outcomes``, around ``placed``);
- city scale: :func:`generate` (``city``) adds three periods of positions in every OPD and
  thousands of applications; their placements, logbooks and guidance are in ``city_placements``.
"""

from portal.demo.internships.builder import seed
from portal.demo.internships.city import generate

__all__ = ["generate", "seed"]
