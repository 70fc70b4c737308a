"""The admin's dashboard panel: JP compliance by OPD, the competency-gap heatmap, the internship
funnel, the L1/L3 trend, materials needing improvement and what waits for verification.

A city admin sees the whole city; an OPD admin only their OPD. Eight queries whatever the data;
the figures are remembered for CITY_FIGURES_MAX_AGE seconds (``portal/snapshots.py``), what
waits on the admin is always fresh.
"""

from __future__ import annotations

from flask_babel import format_date

from portal.dashboards import admin_queries as q
from portal.i18n import _
from portal.trainings.evaluation.models import RATING_MAX
from portal.trainings.ledger.queries import compliance_for
from portal.util import clock

#: OPD shown in the compliance chart (the lowest shares first); the full list is one click away.
COMPLIANCE_SHOWN = 15


def _compliance(user, year: int) -> dict:
    report = compliance_for(user, year)  # one query
    rows = sorted(report.rows, key=lambda r: (r.share, str(r.agency_name)))
    shown = rows[:COMPLIANCE_SHOWN]
    return {
        "year": year,
        "overall": report.overall,
        "rows": shown,
        "more": len(rows) - len(shown),
        "bars": [
            {
                "label": str(r.agency_name),
                "value": r.share,
                "text": f"{r.share}% ({r.met_count}/{r.asn_count})",
            }
            for r in shown
        ],
    }


def _funnel(funnel: q.Funnel) -> dict:
    stages = [
        (_("Applied"), funnel.applied),
        (_("Endorsed by the university"), funnel.endorsed),
        (_("Offered a place"), funnel.offered),
        (_("Placed"), funnel.placed),
        (_("Completed"), funnel.completed),
    ]
    return {
        "total": funnel.applied,
        "rows": [{"label": label, "value": n, "text": str(n)} for label, n in stages],
    }


def _trend(months: list[q.Month]) -> dict:
    labels = [format_date(m.start, "MMM yyyy") for m in months]
    return {
        "months": list(zip(labels, months, strict=True)),
        "labels": labels,
        "series": [
            {
                "name": _("L1 reaction (average, 1–4)"),
                "values": [m.l1 for m in months],
                "marker": "circle",
            },
            {
                "name": _("L3 supervisor rating (average, 1–4)"),
                "values": [m.l3 for m in months],
                "marker": "square",
            },
        ],
        "has_data": any(m.l1 is not None or m.l3 is not None for m in months),
        "has_answers": any(m.l1_responses or m.l3_forms for m in months),
        "max": RATING_MAX,
    }


def build(user) -> dict:
    """The admin panel's figures for ``user`` (a city admin, or an OPD admin: their OPD only)."""
    scope = q.agency_scope(user)
    today = clock.today()
    return {
        "city": scope is None,
        "pending": q.pending(user, scope),  # one query
        "funnel": _funnel(q.funnel(scope)),  # one
        "compliance": _compliance(user, today.year),  # one
        "heatmap": q.gap_heatmap(scope),  # three
        "trend": _trend(q.trend(scope, today=today)),  # one
        "materials": q.materials_to_improve(scope),  # one
    }
