"""Co-designed curricula of the demo data: proposals walked through the review workflow, modules
and materials, ratings and reported problems.

- small demo: :func:`seed` (``builder``) writes eight curricula in every stage, two of them
  published with materials of each kind, feedback and the notices it caused; what they say is in
  ``content`` and ``texts``, the feedback loop in ``feedback``;
- city scale: :func:`generate` (``city``) adds a few hundred curricula along the same workflow
  paths, with materials and learners' ratings.
"""

from portal.demo.curricula.builder import seed
from portal.demo.curricula.city import generate

__all__ = ["generate", "seed"]
