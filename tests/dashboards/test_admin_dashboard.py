"""The admin dashboard panel: known figures, OPD scoping, both languages, the accessible charts
and a query count that does not grow with the data (an empty portal: test_admin_dashboard_empty.py,
without this module's world)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from babel.dates import format_date

from portal.auth.models import AccountStatus, Role
from portal.util import clock
from tests.dashboards.admin_support import badge_after, dashboard, opd_world, row
from tests.support.worlds import dashboards

BUDGET = 12  # the whole /dashboard page of an admin (QUALITY.md P4)


admin_dashboard_world = dashboards.admin_dashboard_world  # built once for the module


def month_label(locale: str) -> str:
    return format_date(clock.today().replace(day=1), "MMM yyyy", locale=locale)


def test_city_admin_sees_every_opd_with_known_figures(
    client, login_as, make, admin_dashboard_world
):
    make.user(Role.STUDENT, status=AccountStatus.PENDING)
    html = dashboard(client, login_as, make.user(Role.ADMIN, locale="en"))
    assert "Administration: the whole city" in html
    # JP compliance: 2 of 5 ASN at target in each OPD, 4 of 10 overall.
    assert row(html, "Dinas Alfa") == ["5", "2", "40.0%"]
    assert row(html, "Dinas Beta") == ["5", "2", "40.0%"]
    assert "40.0% of 10 ASN" in html
    assert "40.0% (2/5)" in html  # written next to the bar in the chart
    # Competency gaps: 2 of 5 assessed below the standard in each OPD.
    assert '<th scope="col">Analisis Data Kebijakan</th>' in html
    assert row(html, "DALFA") == ["40% (2/5)"] and row(html, "DBETA") == ["40% (2/5)"]
    # Internship funnel of both OPD.
    assert [
        row(html, stage)[0]
        for stage in (
            "Applied",
            "Endorsed by the university",
            "Offered a place",
            "Placed",
            "Completed",
        )
    ] == ["16", "12", "8", "4", "4"]
    # This month: L1 answers 3 (Alfa) and 1 (Beta) average 2.0; L3 2 and 4 average 3.0.
    assert row(html, month_label("en")) == ["2.0", "8", "3.0", "8"]
    # Materials: open reports first, then the low averages, of both OPD.
    titles = re.findall(r'/materials/\d+">(Materi [^<]+)</a>', html)
    assert titles == [
        "Materi Bermasalah DALFA",
        "Materi Bermasalah DBETA",
        "Materi Lemah DALFA",
        "Materi Lemah DBETA",
    ]
    assert "average 2.0" in html and "1 open problem report" in html
    # What waits: one JP record, one registration and two applications per OPD.
    assert badge_after(html, "External JP records to verify") == "2"
    assert badge_after(html, "Training registrations waiting for the supervisor's approval") == "2"
    assert badge_after(html, "Internship applications waiting for the OPD's decision") == "4"
    assert badge_after(html, "Recognition proposals waiting for a decision") == "0"
    assert badge_after(html, "Student accounts waiting for their university's verification") == "1"


def test_opd_admin_sees_only_their_opd(client, login_as, admin_dashboard_world):
    alfa = admin_dashboard_world.alfa
    html = dashboard(client, login_as, alfa.admin)
    assert "Administration: Dinas Alfa" in html and "Figures of your OPD only." in html
    assert row(html, "Dinas Alfa") == ["5", "2", "40.0%"]
    assert row(html, "DALFA") == ["40% (2/5)"]
    assert [
        row(html, stage)[0]
        for stage in (
            "Applied",
            "Endorsed by the university",
            "Offered a place",
            "Placed",
            "Completed",
        )
    ] == ["8", "6", "4", "2", "2"]
    assert row(html, month_label("en")) == ["3.0", "4", "2.0", "4"]
    assert re.findall(r'/materials/\d+">(Materi [^<]+)</a>', html) == [
        "Materi Bermasalah DALFA",
        "Materi Lemah DALFA",
    ]
    assert badge_after(html, "External JP records to verify") == "1"
    assert badge_after(html, "Internship applications waiting for the OPD's decision") == "2"
    # Nothing of the other OPD, and no city-wide queues.
    for other in ("Dinas Beta", "DBETA", "Materi Lemah DBETA", "Materi Bermasalah DBETA"):
        assert other not in html
    assert "Recognition proposals" not in html and "Student accounts" not in html


def test_opd_admin_of_another_opd_sees_their_figures_only(client, login_as, admin_dashboard_world):
    beta = admin_dashboard_world.beta
    html = dashboard(client, login_as, beta.admin)
    assert row(html, month_label("en")) == ["1.0", "4", "4.0", "4"]
    assert "Dinas Alfa" not in html and "DALFA" not in html


def test_a_month_with_too_few_answers_shows_no_average(
    client, login_as, make, admin_dashboard_world
):
    competency = admin_dashboard_world.competency
    alfa = opd_world(make, name="Dinas Kecil", short="DKECIL", competency=competency, scale=1)
    html = dashboard(client, login_as, alfa.admin)
    # Two L1 responses and two L3 forms this month: counted, but no average (fewer than 3).
    assert row(html, month_label("en")) == ["–", "2", "–", "2"]
    assert "No month has 3 or more L1 or L3 answers yet." in html
    assert "admin-trend-chart" not in html


def test_charts_are_accessible_images_with_tables(client, login_as, make, admin_dashboard_world):
    html = dashboard(client, login_as, make.user(Role.ADMIN, locale="en"))
    # Bar charts are lists named by their caption, the heat map a table with a caption, the
    # trend an SVG image with its title (issue 18: HTML labels wrap instead of being cut).
    titles = re.findall(r'<(?:figcaption|caption|title) [^>]*id="([^"]+-title)"', html)
    assert titles == [
        "admin-compliance-chart-title",
        "admin-gap-heatmap-title",
        "admin-funnel-chart-title",
        "admin-trend-chart-title",
    ]
    assert re.search(r'<svg [^>]*role="img" aria-labelledby="admin-trend-chart-title"', html)
    for chart_id in titles:
        assert f'aria-labelledby="{chart_id}"' in html
    assert html.count("<table") >= 4
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [i for i, n in ids.items() if n > 1] == []


def test_indonesian_page(client, login_as, make, admin_dashboard_world):
    html = dashboard(client, login_as, make.user(Role.ADMIN, locale="id"))
    assert '<html lang="id"' in html
    assert "Papan kebutuhan" in html and "Demand board" not in html  # a translated link
    assert row(html, month_label("id"))[0] == "2.0"
    assert row(html, "Dinas Alfa") == ["5", "2", "40.0%"]


def _grow(make, competency, alfa, n):
    if not n:
        return
    for i in range(n):
        opd_world(make, name=f"Dinas Tambahan {i}", short=f"DT{i}", competency=competency, scale=3)
    opd_world(make, name="", short="DALFA2", competency=competency, scale=3, opd=alfa.opd)
    for _ in range(n):
        make.competency()


@pytest.mark.parametrize("who", ["city", "opd"])
def test_query_count_does_not_grow_with_the_data(
    client, login_as, make, count_queries, admin_dashboard_world, who
):
    competency, alfa = admin_dashboard_world.competency, admin_dashboard_world.alfa
    admin = make.user(Role.ADMIN, locale="en") if who == "city" else alfa.admin
    login_as(admin)
    counts = []
    for extra in (0, 4):
        _grow(make, competency, alfa, extra)
        with count_queries() as n:
            response = client.get("/dashboard")
        assert response.status_code == 200
        counts.append(n())
    html = response.get_data(as_text=True)
    assert row(html, "Applied")[0] == ("20" if who == "opd" else "76")  # the data did grow
    assert counts[0] == counts[1], counts
    assert counts[0] <= BUDGET, counts


def test_chart_macros_survive_empty_and_zero_values(app):
    with app.test_request_context("/"):
        macros = app.jinja_env.get_template("_macros/charts.html").module
        bars = str(
            macros.bar_chart(
                [{"label": "A", "value": 0}, {"label": "B", "value": None}], "Nol", "t-bars"
            )
        )
        assert 'id="t-bars-title">Nol</figcaption>' in bars and 'width="0.0"' in bars
        grid = str(macros.heatmap(["R"], ["K"], [[{"value": None, "text": "–"}]], "Kosong", "t-h"))
        assert '<td class="heat-none">–</td>' in grid
        trend = str(
            macros.trend_chart(
                ["Jan", "Feb"],
                [{"name": "L1", "values": [None, None], "marker": "circle"}],
                "Tren",
                "t-t",
            )
        )
        assert trend.count("<circle") == 1  # the legend's marker only: no point drawn


def test_gap_chart_still_renders(app):
    with app.test_request_context("/"):
        macros = app.jinja_env.get_template("_macros/charts.html").module
        rows = [{"name": "Integritas", "current": 2, "required": 3, "gap": 1}]
        assert 'fill="#b02a37"' in str(macros.gap_chart(rows, "Kesenjangan"))
