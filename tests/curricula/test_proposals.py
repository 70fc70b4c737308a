"""Drafting a proposal: creating it, its fields, modules and target competencies, and who sees it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.audit import AuditEvent
from portal.auth.models import Role
from portal.curricula.models import (
    AuthorSide,
    Curriculum,
    CurriculumAuthor,
    CurriculumState,
    CurriculumTarget,
    Material,
    MaterialVersion,
    Module,
)
from portal.curricula.proposals import services
from portal.errors import DomainError, InvalidTransition

S = CurriculumState
FIELDS = {
    "title": "Kurikulum Keamanan Siber",
    "summary": "Untuk ASN Diskominfo.",
    "audience": "asn",
    "mode": "blended",
    "learning_outcomes": "Peserta mampu menilai risiko.\nPeserta mampu menulis SOP.",
}


def _english(db, user):
    user.locale = "en"
    db.session.flush()
    return user


def _fresh(db, model, obj_id):
    db.session.expire_all()
    return db.session.get(model, obj_id)


def test_university_staff_create_a_draft_and_become_lead_author(client, login_as, make, db):
    uni, opd = make.university(), make.agency()
    staff = make.user(Role.UNIVERSITY, university=uni, locale="en")
    login_as(staff)
    r = client.post("/curricula/proposals/new", data={**FIELDS, "agency_id": opd.id})
    assert r.status_code == 302
    cur = db.session.scalars(sa.select(Curriculum).where(Curriculum.title == FIELDS["title"])).one()
    assert r.location.endswith(f"/curricula/proposals/{cur.id}")
    assert (cur.university_id, cur.agency_id, cur.state) == (uni.id, opd.id, S.DRAFT)
    assert cur.created_by_id == staff.id and cur.version_count == 0
    assert [(a.user_id, a.side, a.is_lead) for a in cur.authors] == [
        (staff.id, AuthorSide.UNIVERSITY, True)
    ]
    assert cur.outcomes == ["Peserta mampu menilai risiko.", "Peserta mampu menulis SOP."]
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "curriculum.create", AuditEvent.target_id == cur.id)
        )
        == 1
    )
    page = client.get(f"/curricula/proposals/{cur.id}").get_data(as_text=True)
    assert "Kurikulum Keamanan Siber" in page and "Peserta mampu menulis SOP." in page


def test_only_university_staff_propose(client, login_as, make):
    for role in (Role.ASN, Role.ADMIN):
        login_as(make.user(role))
        assert client.get("/curricula/proposals/new").status_code == 403
        assert client.post("/curricula/proposals/new", data=FIELDS).status_code == 403
    login_as(make.user(Role.UNIVERSITY, locale="en"))
    assert "New proposal" in client.get("/curricula/proposals").get_data(as_text=True)
    login_as(make.user(Role.ASN, locale="en"))
    assert "New proposal" not in client.get("/curricula/proposals").get_data(as_text=True)


def test_an_invalid_proposal_keeps_what_was_typed(client, login_as, make, db):
    login_as(make.user(Role.UNIVERSITY, locale="en"))
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Curriculum))
    r = client.post(
        "/curricula/proposals/new",
        data={**FIELDS, "title": "", "summary": "Ringkasan yang saya ketik"},
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "This field is required." in html and "Ringkasan yang saya ketik" in html
    r = client.post("/curricula/proposals/new", data={**FIELDS, "audience": "everyone"})
    assert r.status_code == 400 and "Not a valid choice." in r.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Curriculum)) == before


def test_the_list_shows_only_what_the_user_may_see(client, login_as, make):
    uni_a, uni_b, opd_a, opd_b = make.university(), make.university(), make.agency(), make.agency()
    asn = make.user(Role.ASN, agency=opd_a)
    mine = make.curriculum(uni_a, agency=opd_a, title="Kurikulum Alfa", agency_author=asn)
    make.curriculum(uni_a, agency=opd_b, title="Kurikulum Beta", state=S.SUBMITTED)
    make.curriculum(uni_b, agency=opd_a, title="Kurikulum Gamma")
    make.curriculum(uni_b, agency=opd_b, title="Kurikulum Delta", state=S.PUBLISHED)

    def titles(user, query=""):
        login_as(user)
        html = client.get("/curricula/proposals" + query).get_data(as_text=True)
        return {t for t in ("Alfa", "Beta", "Gamma", "Delta") if f"Kurikulum {t}" in html}

    assert titles(make.user(Role.UNIVERSITY, university=uni_a)) == {"Alfa", "Beta"}
    assert titles(make.user(Role.UNIVERSITY, university=uni_b)) == {"Gamma", "Delta"}
    assert titles(make.user(Role.ADMIN)) == {"Alfa", "Beta", "Gamma", "Delta"}
    assert titles(make.user(Role.ADMIN, admin_agency=opd_a)) == {"Alfa", "Gamma"}
    assert titles(asn) == {"Alfa"}
    assert titles(make.user(Role.ASN, agency=opd_a)) == set()
    assert titles(make.user(Role.UNIVERSITY, university=uni_a), "?q=alf") == {"Alfa"}
    assert titles(make.user(Role.UNIVERSITY, university=uni_a), "?state=submitted") == {"Beta"}
    assert mine.id


def test_another_universitys_draft_is_not_found(client, login_as, make):
    cur = make.curriculum(make.university())
    stranger = make.user(Role.UNIVERSITY, university=make.university())
    login_as(stranger)
    for url in (
        f"/curricula/proposals/{cur.id}",
        f"/curricula/proposals/{cur.id}/edit",
        f"/curricula/proposals/{cur.id}/modules/new",
        f"/curricula/proposals/{cur.id}/versions",
        f"/curricula/proposals/{cur.id}/diff",
        f"/curricula/proposals/{cur.id}/evidence",
        "/curricula/proposals/999999",
    ):
        assert client.get(url).status_code == 404, url
    module_id = cur.modules[0].id
    assert client.post(f"/curricula/modules/{module_id}/delete").status_code == 404
    # a colleague at the same university sees it but cannot change it
    login_as(make.user(Role.UNIVERSITY, university=cur.university))
    assert client.get(f"/curricula/proposals/{cur.id}").status_code == 200
    assert client.get(f"/curricula/proposals/{cur.id}/edit").status_code == 403
    assert client.post(f"/curricula/modules/{module_id}/delete").status_code == 403


def test_authors_edit_the_fields_and_the_partner_while_a_draft(client, login_as, make, db):
    opd, other = make.agency(), make.agency()
    cur = make.curriculum(agency=opd)
    lead = cur.authors[0].user
    login_as(lead)
    r = client.post(
        f"/curricula/proposals/{cur.id}/edit",
        data={**FIELDS, "title": "Judul Baru", "agency_id": other.id},
    )
    assert r.status_code == 302
    cur = _fresh(db, Curriculum, cur.id)
    assert (cur.title, cur.agency_id, cur.mode) == ("Judul Baru", other.id, "blended")
    # once an agency co-author is named, the partner cannot change
    db.session.add(
        CurriculumAuthor(
            curriculum_id=cur.id,
            side=AuthorSide.AGENCY,
            user_id=make.user(Role.ASN, agency=other).id,
        )
    )
    db.session.flush()
    with pytest.raises(DomainError):
        services.update_proposal(
            _fresh(db, Curriculum, cur.id), actor=lead, **FIELDS, agency_id=opd.id
        )


def test_the_partner_is_fixed_after_the_draft(make, db):
    cur = make.curriculum(state=S.CHANGES_REQUESTED)
    lead = cur.authors[0].user
    with pytest.raises(InvalidTransition):
        services.update_proposal(cur, actor=lead, **FIELDS, agency_id=make.agency().id)
    services.update_proposal(cur, actor=lead, **{**FIELDS, "title": "Revisi"})
    assert cur.title == "Revisi"


def test_content_is_frozen_outside_draft_and_changes_requested(client, login_as, make, db):
    cur = make.curriculum(state=S.IN_REVIEW)
    lead = _english(db, cur.authors[0].user)
    login_as(lead)
    r = client.get(f"/curricula/proposals/{cur.id}/edit")
    assert r.status_code == 302
    html = client.get(r.location).get_data(as_text=True)
    assert "cannot be changed while it is" in html
    r = client.post(
        f"/curricula/proposals/{cur.id}/modules/new",
        data={"title": "Baru", "jp": 2, "method": "diskusi"},
    )
    assert r.status_code == 302
    assert len(_fresh(db, Curriculum, cur.id).modules) == 1
    with pytest.raises(InvalidTransition, match="cannot be changed"):
        services.add_module(cur, actor=lead, title="x", objectives="", jp=2, method="diskusi")


def _positions(db, cur_id):
    db.session.expire_all()
    return [(m.position, m.title) for m in db.session.get(Curriculum, cur_id).modules]


def test_modules_stay_numbered_one_to_n(client, login_as, make, db):
    cur = make.curriculum(modules=3)
    login_as(cur.authors[0].user)
    r = client.post(
        f"/curricula/proposals/{cur.id}/modules/new",
        data={"title": "Modul 4", "objectives": "Tujuan", "jp": 5, "method": "praktik"},
    )
    assert r.status_code == 302
    assert _positions(db, cur.id) == [
        (1, "Modul 1"),
        (2, "Modul 2"),
        (3, "Modul 3"),
        (4, "Modul 4"),
    ]
    ids = {
        title: mid
        for mid, title in db.session.execute(
            sa.select(Module.id, Module.title).where(Module.curriculum_id == cur.id)
        )
    }
    client.post(f"/curricula/modules/{ids['Modul 4']}/move", data={"direction": "up"})
    client.post(f"/curricula/modules/{ids['Modul 1']}/move", data={"direction": "down"})
    assert [t for _, t in _positions(db, cur.id)] == ["Modul 2", "Modul 1", "Modul 4", "Modul 3"]
    r = client.post(
        f"/curricula/modules/{ids['Modul 2']}/move", data={"direction": "up"}, follow_redirects=True
    )
    assert [t for _, t in _positions(db, cur.id)][0] == "Modul 2"
    material_id = make.material(db.session.get(Module, ids["Modul 1"]), kind="file", versions=2).id
    client.post(f"/curricula/modules/{ids['Modul 1']}/delete")  # its materials go with it
    assert _fresh(db, Material, material_id) is None
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(MaterialVersion)
            .where(MaterialVersion.material_id == material_id)
        )
        == 0
    )
    assert _positions(db, cur.id) == [(1, "Modul 2"), (2, "Modul 4"), (3, "Modul 3")]
    r = client.post(
        f"/curricula/modules/{ids['Modul 3']}/edit",
        data={"title": "Modul Tiga", "objectives": "Baru", "jp": 7, "method": "simulasi"},
    )
    assert r.status_code == 302
    module = _fresh(db, Module, ids["Modul 3"])
    assert (module.title, module.jp, module.method, module.position) == (
        "Modul Tiga",
        7,
        "simulasi",
        3,
    )
    assert _fresh(db, Curriculum, cur.id).total_jp == 2 + 5 + 7


@pytest.mark.parametrize(("jp", "method", "message"), [
    ("0", "diskusi", "Between 1 and 200 JP."), ("201", "diskusi", "Between 1 and 200 JP."),
    ("dua", "diskusi", "Not a valid integer value."), ("2", "nyanyi", "Not a valid choice."),
])  # fmt: skip
def test_a_bad_module_is_refused_and_keeps_its_text(
    client, login_as, make, db, jp, method, message
):
    cur = make.curriculum()
    lead = _english(db, cur.authors[0].user)
    login_as(lead)
    r = client.post(
        f"/curricula/proposals/{cur.id}/modules/new",
        data={"title": "Modul yang saya ketik", "jp": jp, "method": method},
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and message in html and "Modul yang saya ketik" in html
    assert len(_fresh(db, Curriculum, cur.id).modules) == 1


def test_target_competencies(client, login_as, make, db):
    cur = make.curriculum()
    lead = _english(db, cur.authors[0].user)
    comp = make.competency(name="Analisis Data")
    retired = make.competency(name="Kompetensi Lama", is_retired=True)
    login_as(lead)
    page = client.get(f"/curricula/proposals/{cur.id}").get_data(as_text=True)
    assert "Analisis Data" in page and "Kompetensi Lama" not in page
    r = client.post(
        f"/curricula/proposals/{cur.id}/targets", data={"competency_id": comp.id, "target_level": 4}
    )
    assert r.status_code == 302
    target = db.session.scalars(
        sa.select(CurriculumTarget).where(
            CurriculumTarget.curriculum_id == cur.id, CurriculumTarget.competency_id == comp.id
        )
    ).one()
    assert target.target_level == 4
    r = client.post(
        f"/curricula/proposals/{cur.id}/targets", data={"competency_id": comp.id, "target_level": 2}
    )
    assert r.status_code == 409 and "already a target" in r.get_data(as_text=True)
    for bad in (
        {"competency_id": retired.id, "target_level": 3},
        {"competency_id": comp.id, "target_level": 6},
    ):
        assert client.post(f"/curricula/proposals/{cur.id}/targets", data=bad).status_code == 400
    with pytest.raises(DomainError, match="already a target"):
        services.add_target(
            _fresh(db, Curriculum, cur.id), actor=lead, competency_id=comp.id, target_level=2
        )
    assert client.post(f"/curricula/targets/{target.id}/delete").status_code == 302
    assert _fresh(db, CurriculumTarget, target.id) is None
