"""The ``trainings`` blueprint (``/trainings``); each page family lives in its own module."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("trainings", __name__)

# Importing the modules registers their routes on ``bp``.
from portal.trainings.views import (  # noqa: E402, F401
    attendance,
    batches,
    evaluation,
    impact,
    ledger,
    ledger_admin,
    list_exports,
    quizzes,
    recognition,
    registrations,
)
