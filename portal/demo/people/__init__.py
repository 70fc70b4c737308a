"""People of the demo data: Medan's universities and OPD, and the accounts of every role.

- small demo: :func:`seed` (``accounts``) adds six universities, ten OPD and two demo accounts of
  every role, and hands them to the features that follow as a :class:`Demo`;
- city scale: :func:`generate` (``city``) adds the other institutions, an admin per OPD, two
  staff per university, the ASN accounts and verified students.

The institutions of both scales are listed once, in ``institutions``; the names generated people
are made of, in ``names``.
"""

from portal.demo.people.accounts import Demo, seed
from portal.demo.people.city import generate

__all__ = ["Demo", "generate", "seed"]
