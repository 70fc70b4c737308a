"""The POST cases of every endpoint: ``POST_CASES[endpoint](world) -> (role, url, valid form
data)``, on the crawl world (tests/support/worlds/crawl.py). The CSRF suite sends each without
a token (refused, nothing changes) and with one (something changes); the fuzz suite sends them
with hostile values. A new POST route fails tests/crawls/test_security_csrf.py until its case is
here (or in ``SPECIAL_POST``)."""

from __future__ import annotations

from tests.support.post_cases.core import CORE_CASES, roster_csv
from tests.support.post_cases.curricula import CURRICULA_CASES
from tests.support.post_cases.internships import INTERNSHIP_CASES
from tests.support.post_cases.personal import PERSONAL_CASES
from tests.support.post_cases.trainings import TRAINING_CASES

POST_CASES = {
    **CORE_CASES,
    **CURRICULA_CASES,
    **INTERNSHIP_CASES,
    **TRAINING_CASES,
    **PERSONAL_CASES,
}

#: POST routes with a dedicated test (their request cannot be replayed from a dict).
SPECIAL_POST = {"roster.upload"}

#: The cases by blueprint: one world for each group, every case in a savepoint rolled back after it.
CASE_GROUPS: dict[str, list[str]] = {}
for _endpoint in sorted(POST_CASES):
    CASE_GROUPS.setdefault(_endpoint.split(".")[0], []).append(_endpoint)

__all__ = ["CASE_GROUPS", "POST_CASES", "SPECIAL_POST", "roster_csv"]
