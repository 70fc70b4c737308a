"""Trainings and workshops (issue 5): batches, registrations, attendance, pre- and post-tests,
the JP ledger, Kirkpatrick evaluation and recognition, one sub-package each."""

from __future__ import annotations

from flask import Blueprint

from portal.util.blueprints import with_views

bp = Blueprint("trainings", __name__)

#: Every page of the feature, one module per line: importing one registers its routes on ``bp``.
VIEWS = (
    "batches.views",
    "batches.export_views",
    "registrations.views",
    "attendance.views",
    "quizzes.views",
    "quizzes.take_views",
    "ledger.views",
    "ledger.admin_views",
    "evaluation.views",
    "evaluation.l3_views",
    "evaluation.impact_views",
    "recognition.views",
    "recognition.nomination_views",
)


def blueprint() -> Blueprint:
    """``bp`` with the routes of every module in ``VIEWS`` (``create_app`` registers it)."""
    return with_views(bp, __name__, VIEWS)
