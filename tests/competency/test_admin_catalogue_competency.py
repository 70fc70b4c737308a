"""One competency as an admin meets it: its page (definition, levels, history), new
competencies, editing as new versions that assessments do not follow, and retiring."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from portal.auth.models import Role
from portal.competency.assessments import services
from portal.competency.models import (
    AsnProfile,
    AsnStatus,
    AssessmentMethod,
    AssessmentResult,
    CompetencyType,
)
from tests.admin.support import events
from tests.competency import catalogue_support
from tests.competency.catalogue_support import (
    URL,
    add_competency,
    competency_by_code,
    versions,
    wording,
)
from tests.support.pages import field_error, flashes, text

pytestmark = pytest.mark.usefixtures("english")  # pages in English (tests/conftest.py)

# The shared fixtures (catalogue_support.py).
admin = catalogue_support.admin
opds = catalogue_support.opds
seeded = catalogue_support.seeded


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
    data = {
        **wording(),
        "code": "T.KOM.09",
        "type": "teknis",
        "agency_id": opds["Diskominfo"].id,
        **changes,
    }
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
        nip="199201052019031904",
        status=AsnStatus.PNS,
        agency_id=opds["Diskominfo"].id,
    )
    db.session.add(asn)
    db.session.flush()
    services.record_assessment(
        asn,
        actor=admin,
        method=AssessmentMethod.ASSESSMENT_CENTER,
        assessed_on=date(2025, 5, 2),
        assessor="UPT Penilaian Kompetensi",
        levels={competency.id: 3},
    )

    form = client.get(f"{URL}/{competency.id}/edit")
    assert 'value="Keamanan Data"' in form.get_data(as_text=True)  # the form starts from v1
    response = client.post(f"{URL}/{competency.id}/edit", data=wording(name="Keamanan Informasi"))

    assert response.status_code == 302
    old, new = versions(db, competency)
    assert (old.number, old.name, new.number, new.name) == (
        1,
        "Keamanan Data",
        2,
        "Keamanan Informasi",
    )
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
