"""The competency catalogue as an admin meets it: list and search, the page of one competency,
new competencies, editing as new versions, retiring, and the read-only catalogue of OPD admins.
Pages are asked for in English."""

from __future__ import annotations

import itertools
import re
from datetime import date

import pytest
import sqlalchemy as sa

from portal.auth.models import Role
from portal.competency import services
from portal.competency.catalogue import TECHNICAL
from portal.competency.models import (
    LEVELS,
    AsnProfile,
    AsnStatus,
    AssessmentMethod,
    AssessmentResult,
    Competency,
    CompetencyType,
    CompetencyVersion,
)
from tests.test_admin import events, field_error, flashes, select_options, text
from tests.test_admin import table_cells as _raw_cells

URL = "/admin/competency/catalogue"
_codes = itertools.count(1)


# --- fixtures and helpers -------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def opds(make):
    """Every OPD the seeded catalogue names, by short name."""
    return {short: make.agency(name=f"OPD {short}", short_name=short) for short in TECHNICAL}


@pytest.fixture
def seeded(db, opds):
    return services.seed_catalogue(opds)


@pytest.fixture
def admin(make, login_as):
    user = make.user(Role.ADMIN, locale="en", full_name="Putri Rahmadani Harahap")
    login_as(user)
    return user


@pytest.fixture
def opd_admin(make, login_as, opds):
    user = make.user(
        Role.ADMIN, locale="en", admin_agency=opds["Diskominfo"], full_name="Rahmat Hidayat Lubis"
    )
    login_as(user)
    return user


def add_competency(db, agency=None, *, code=None, ctype=CompetencyType.TECHNICAL, name=None):
    competency = Competency(
        code=code or f"T.X.{next(_codes):03d}", type=ctype, agency_id=agency.id if agency else None
    )
    db.session.add(competency)
    db.session.flush()
    services.add_version(
        competency,
        name=name or f"Kompetensi {competency.code}",
        definition="Definisi uji.",
        levels={n: (f"Deskripsi level {n}", "") for n in LEVELS},
    )
    return competency


def table_cells(response) -> list[str]:
    """The first cell of each row of the page's table, as text."""
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in _raw_cells(response)]


def wording(**changes) -> dict:
    data = {
        "name": "Tata Kelola Data",
        "definition": "Kemampuan mengelola data sesuai prinsip Satu Data Indonesia.",
        "source": "Kamus Kompetensi Teknis Kominfo",
    }
    for n in LEVELS:
        data[f"level_{n}"] = f"Level {n}: mengelola data tingkat {n}"
        data[f"indicators_{n}"] = f"Indikator {n}.1\nIndikator {n}.2"
    data.update(changes)
    return data


def competency_by_code(db, code) -> Competency:
    db.session.expire_all()
    return db.session.scalars(sa.select(Competency).where(Competency.code == code)).one()


def versions(db, competency) -> list[CompetencyVersion]:
    return list(
        db.session.scalars(
            sa.select(CompetencyVersion)
            .where(CompetencyVersion.competency_id == competency.id)
            .order_by(CompetencyVersion.number)
        )
    )


# --- list -----------------------------------------------------------------------------------------


def test_catalogue_lists_searches_and_filters(client, app, admin, seeded, opds, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 50)

    everything = table_cells(client.get(URL))
    assert everything[:9] == ["M.01", "M.02", "M.03", "M.04", "M.05", "M.06", "M.07", "M.08",
                              "SK.01"]  # fmt: skip
    assert len(everything) == len(seeded)

    assert table_cells(client.get(URL + "?q=integritas")) == ["M.01"]
    assert table_cells(client.get(URL + "?q=t.kom")) == ["T.KOM.01", "T.KOM.02"]
    assert table_cells(client.get(URL + "?type=sosial_kultural")) == ["SK.01"]
    bappeda = opds["Bappeda"].id
    assert table_cells(client.get(f"{URL}?type=teknis&opd={bappeda}")) == ["T.BAP.01", "T.BAP.02"]
    nothing = client.get(URL + "?q=%25")
    assert table_cells(nothing) == [] and "Nothing found." in text(nothing)


def test_catalogue_filters_by_status(client, app, admin, seeded, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 50)
    client.post(f"{URL}/{seeded['M.07'].id}/retire")

    assert table_cells(client.get(URL + "?status=retired")) == ["M.07"]
    assert "M.07" not in table_cells(client.get(URL + "?status=active"))


def test_catalogue_is_paginated(client, admin, seeded):
    first, second = client.get(URL), client.get(URL + "?page=2")

    assert len(table_cells(first)) == 20
    assert len(table_cells(second)) == len(seeded) - 20
    assert f"{len(seeded)} results" in text(first)


# --- one competency -------------------------------------------------------------------------------


def test_competency_page_shows_the_definition_levels_and_history(client, db, admin, seeded):
    integrity = seeded["M.01"]
    page = text(client.get(f"{URL}/{integrity.id}"))

    assert "Integritas" in page and "Konsisten berperilaku selaras" in page
    assert "Mampu bertindak sesuai nilai, norma, etika organisasi" in page
    assert "Level 5" in page
    # Levels 4 and 5 are written from the generic meaning: the wording waits for BKPSDM.
    assert "to be confirmed by BKPSDM" in page
    assert "Version history" in page and "Portal set-up" in page


def test_indicators_are_shown_one_per_line(client, db, admin, opds):
    created = client.post(
        f"{URL}/new",
        data={
            **wording(),
            "code": "t.kom.09",
            "type": "teknis",
            "agency_id": opds["Diskominfo"].id,
        },
    )
    page = client.get(created.headers["Location"])
    body = page.get_data(as_text=True)

    assert "<li>Indikator 3.1</li>" in body and "<li>Indikator 3.2</li>" in body
    assert "to be confirmed by BKPSDM" not in text(page)


def test_a_new_competency_gets_version_1(client, db, admin, opds):
    response = client.post(
        f"{URL}/new",
        data={
            **wording(),
            "code": "t.kom.09",
            "type": "teknis",
            "agency_id": opds["Diskominfo"].id,
        },
    )

    assert response.status_code == 302
    competency = competency_by_code(db, "T.KOM.09")  # codes are kept upper-case
    assert competency.type == CompetencyType.TECHNICAL
    assert competency.agency_id == opds["Diskominfo"].id
    (first,) = versions(db, competency)
    assert first.number == 1 and first.name == "Tata Kelola Data"
    assert first.created_by_id == admin.id
    assert [lv.indicator_list for lv in first.levels][2] == ["Indikator 3.1", "Indikator 3.2"]
    assert [e.target_label for e in events(db, "competency.create")] == ["T.KOM.09"]

    page = client.get(response.headers["Location"])
    assert "Competency T.KOM.09 has been added." in flashes(page)
    assert "Putri Rahmadani Harahap" in text(page)  # the history says who wrote version 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"code": "M.01"}, "code", "Another competency already has this code."),
        ({"code": "T KOM 1"}, "code", "Use letters, digits, dots and dashes only"),
        ({"agency_id": "0"}, "agency_id", "A technical competency belongs to an OPD"),
        ({"type": "manajerial"}, "agency_id", "Only technical competencies belong to an OPD"),
        ({"level_4": "  "}, "level_4", "This field is required."),
        ({"name": "x" * 121}, "name", "At most 120 characters."),
        ({"type": "nonsense"}, "type", "Not a valid choice."),
    ],
)
def test_a_bad_new_competency_is_refused_on_its_field(
    client, db, admin, opds, seeded, changes, field, message
):
    data = {**wording(), "code": "T.KOM.09", "type": "teknis",
            "agency_id": opds["Diskominfo"].id, **changes}  # fmt: skip
    response = client.post(f"{URL}/new", data=data)

    assert response.status_code == 200
    assert message in (field_error(response, field) or "")
    body = text(response)
    assert "Satu Data Indonesia" in body and "Indikator 2.2" in body  # what was typed is kept
    assert events(db, "competency.create") == []


def test_editing_makes_a_new_version_and_assessments_keep_theirs(client, db, admin, opds, make):
    competency = add_competency(db, opds["Diskominfo"], code="T.KOM.10", name="Keamanan Data")
    first_version = competency.current_version_id
    asn = AsnProfile(
        user_id=make.user(Role.ASN, agency=opds["Diskominfo"]).id,
        nip="199201052019031904", status=AsnStatus.PNS, agency_id=opds["Diskominfo"].id,
    )  # fmt: skip
    db.session.add(asn)
    db.session.flush()
    services.record_assessment(
        asn, actor=admin, method=AssessmentMethod.ASSESSMENT_CENTER, assessed_on=date(2025, 5, 2),
        assessor="UPT Penilaian Kompetensi", levels={competency.id: 3},
    )  # fmt: skip

    form = client.get(f"{URL}/{competency.id}/edit")
    assert 'value="Keamanan Data"' in form.get_data(as_text=True)  # the form starts from v1
    response = client.post(f"{URL}/{competency.id}/edit", data=wording(name="Keamanan Informasi"))

    assert response.status_code == 302
    old, new = versions(db, competency)
    assert (old.number, old.name, new.number, new.name) == (1, "Keamanan Data", 2,
                                                            "Keamanan Informasi")  # fmt: skip
    assert competency_by_code(db, "T.KOM.10").current_version_id == new.id
    result = db.session.scalars(sa.select(AssessmentResult)).one()
    assert result.version_id == first_version
    assert len(events(db, "competency.update")) == 1

    page = client.get(response.headers["Location"])
    assert "Saved as version 2." in flashes(page)
    body = text(page)
    assert "Keamanan Informasi" in body and "Keamanan Data" in body  # both in the history


def test_saving_an_unchanged_wording_makes_no_version(client, db, admin, opds):
    client.post(
        f"{URL}/new",
        data={
            **wording(),
            "code": "T.KOM.11",
            "type": "teknis",
            "agency_id": opds["Diskominfo"].id,
        },
    )
    competency = competency_by_code(db, "T.KOM.11")

    response = client.post(f"{URL}/{competency.id}/edit", data=wording())

    assert response.status_code == 200
    assert "Nothing has changed, so no new version was made." in flashes(response)
    assert len(versions(db, competency)) == 1


def test_an_edit_with_a_missing_level_keeps_the_input(client, db, admin, opds):
    competency = add_competency(db, opds["Diskominfo"])

    response = client.post(
        f"{URL}/{competency.id}/edit", data=wording(name="Nama Baru", level_2="")
    )

    assert response.status_code == 200
    assert field_error(response, "level_2") == "This field is required."
    assert "Nama Baru" in text(response)
    assert len(versions(db, competency)) == 1


def test_retire_and_put_back(client, db, admin, seeded):
    change = seeded["M.07"]

    retired = client.post(f"{URL}/{change.id}/retire")
    assert retired.status_code == 302
    assert competency_by_code(db, "M.07").is_retired
    page = client.get(retired.headers["Location"])
    assert "The competency has been retired: it is no longer offered for standards." in flashes(
        page
    )
    assert "Put back in use" in text(page) and "Edit (makes a new version)" not in text(page)
    # Editing a retired competency sends the admin back with the reason.
    edit = client.get(f"{URL}/{change.id}/edit")
    assert edit.status_code == 302

    client.post(f"{URL}/{change.id}/restore")
    assert not competency_by_code(db, "M.07").is_retired
    assert [e.detail_dict["retired"] for e in events(db, "competency.retire")] == [True]
    assert [e.detail_dict["retired"] for e in events(db, "competency.update")] == [False]


def test_retire_without_csrf_changes_nothing(client, db, admin, seeded):
    client.post(f"{URL}/{seeded['M.07'].id}/retire", csrf=False)

    assert not competency_by_code(db, "M.07").is_retired


# --- OPD admins -----------------------------------------------------------------------------------


def test_opd_admin_sees_the_shared_catalogue_and_its_own_technical_ones(
    client, app, opd_admin, seeded, monkeypatch
):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 50)
    codes = table_cells(client.get(URL))

    assert "M.01" in codes and "SK.01" in codes
    assert [c for c in codes if c.startswith("T.")] == ["T.KOM.01", "T.KOM.02"]


def test_opd_admin_reads_but_cannot_change_the_managerial_catalogue(client, db, opd_admin, seeded):
    integrity = seeded["M.01"]

    page = client.get(f"{URL}/{integrity.id}")
    assert page.status_code == 200
    assert "This competency is managed city-wide by BKPSDM." in text(page)
    assert "Edit (makes a new version)" not in text(page)
    assert client.get(f"{URL}/{integrity.id}/edit").status_code == 403
    assert client.post(f"{URL}/{integrity.id}/edit", data=wording()).status_code == 403
    assert client.post(f"{URL}/{integrity.id}/retire").status_code == 403
    assert not competency_by_code(db, "M.01").is_retired
    assert len(versions(db, integrity)) == 1


def test_opd_admin_manages_its_own_technical_competencies(client, db, opd_admin, seeded):
    own = seeded["T.KOM.01"]

    assert "Edit (makes a new version)" in text(client.get(f"{URL}/{own.id}"))
    response = client.post(f"{URL}/{own.id}/edit", data=wording(name="Keamanan Siber"))
    assert response.status_code == 302
    assert len(versions(db, own)) == 2


@pytest.mark.parametrize("suffix", ["", "/edit"])
def test_another_opds_technical_competency_is_not_found(client, db, opd_admin, seeded, suffix):
    other = seeded["T.BAP.01"]

    assert client.get(f"{URL}/{other.id}{suffix}").status_code == 404


@pytest.mark.parametrize("action", ["edit", "retire", "restore"])
def test_opd_admin_cannot_post_to_another_opds_competency(client, db, opd_admin, seeded, action):
    other = seeded["T.BAP.01"]

    assert client.post(f"{URL}/{other.id}/{action}", data=wording()).status_code == 404
    assert len(versions(db, other)) == 1


def test_opd_admin_creates_technical_competencies_of_its_own_opd_only(client, db, opd_admin, opds):
    form = client.get(f"{URL}/new")
    assert select_options(form, "type") == {"teknis": "Technical (teknis)"}
    assert select_options(form, "agency_id") == {str(opds["Diskominfo"].id): "OPD Diskominfo"}

    elsewhere = client.post(
        f"{URL}/new",
        data={**wording(), "code": "T.BAP.09", "type": "teknis", "agency_id": opds["Bappeda"].id},
    )
    assert elsewhere.status_code == 200
    assert field_error(elsewhere, "agency_id") == "Not a valid choice."
    managerial = client.post(
        f"{URL}/new", data={**wording(), "code": "M.09", "type": "manajerial", "agency_id": "0"}
    )
    assert field_error(managerial, "type") == "Not a valid choice."
    assert events(db, "competency.create") == []


# --- queries and odd input ------------------------------------------------------------------------


def test_list_and_page_need_the_same_number_of_queries_whatever_the_size(
    client, db, admin, make, count_queries
):
    opd = make.agency()
    subject = add_competency(db, opd)
    counts = []
    for extra in (2, 15):
        for _ in range(extra - (counts and 2 or 0)):
            add_competency(db, opd)
        for n in range(extra // 3):
            services.add_version(
                subject, name=f"Versi {extra}-{n}", definition="D.",
                levels={lv: (f"L{lv}", "a\nb") for lv in LEVELS}, actor=admin,
            )  # fmt: skip
        with count_queries() as listing:
            r1 = client.get(f"{URL}?type=teknis&opd={opd.id}")
        with count_queries() as page:
            r2 = client.get(f"{URL}/{subject.id}")
        assert r1.status_code == r2.status_code == 200
        counts.append((listing(), page(), len(table_cells(r1))))
    (l1, p1, rows1), (l2, p2, rows2) = counts
    assert rows1 < rows2
    assert (l1, p1) == (l2, p2), counts
    assert l1 <= 8 and p1 <= 8, counts


@pytest.mark.parametrize(
    "url",
    [
        URL + "?q=a%00b",
        URL + "?type=%00",
        URL + "?status=%00&opd=%00",
        URL + "?opd=99999999999999999999",
        URL + "?opd=-1",
        URL + "?page=-3",
        URL + "?page=abc",
        URL + "?page=99999999999999999999",
        URL + "/99999999999999999999",
        "/admin/competency/",
    ],
)
def test_odd_addresses_give_a_normal_page(client, admin, seeded, url):
    response = client.get(url, follow_redirects=True)

    assert response.status_code in (200, 404)
    assert response.status_code == (404 if "/9999" in url else 200)
