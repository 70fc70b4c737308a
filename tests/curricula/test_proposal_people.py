"""Co-authors from both institutions, and evidence cited from the demand board."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.auth.models import Role
from portal.competency.models import PositionKind
from portal.curricula.models import AuthorSide, Curriculum, CurriculumAuthor, CurriculumEvidence
from portal.curricula.models import CurriculumState as S
from portal.curricula.proposals import people_services
from portal.errors import DomainError, InvalidTransition


def _authors(db, cur_id):
    db.session.expire_all()
    return {(a.user_id, a.side) for a in db.session.get(Curriculum, cur_id).authors}


@pytest.fixture
def people(make, db):
    uni, opd = make.university(), make.agency()
    cur = make.curriculum(uni, agency=opd)
    lead = cur.authors[0].user
    lead.locale = "en"
    db.session.flush()
    return {
        "cur": cur,
        "lead": lead,
        "uni": uni,
        "opd": opd,
        "colleague": make.user(Role.UNIVERSITY, university=uni, full_name="Dosen Rekan"),
        "opd_admin": make.user(Role.ADMIN, admin_agency=opd, full_name="Admin Mitra", locale="en"),
        "asn": make.user(Role.ASN, agency=opd, full_name="ASN Mitra"),
        "city_admin": make.user(Role.ADMIN, full_name="Admin Kota", locale="en"),
        "outsider_uni": make.user(
            Role.UNIVERSITY, university=make.university(), full_name="Dosen Luar"
        ),
        "outsider_asn": make.user(Role.ASN, agency=make.agency(), full_name="ASN Luar"),
        "other_admin": make.user(Role.ADMIN, admin_agency=make.agency(), full_name="Admin Lain"),
    }


def test_the_lead_names_colleagues_and_partner_admins_from_the_list(client, login_as, people, db):
    cur, p = people["cur"], people
    login_as(p["lead"])
    html = client.get(f"/curricula/proposals/{cur.id}/authors").get_data(as_text=True)
    assert "Dosen Rekan" in html and "Admin Mitra" in html
    for name in ("ASN Mitra", "Dosen Luar", "ASN Luar", "Admin Lain", "Admin Kota"):
        assert name not in html, name
    for person in ("colleague", "opd_admin"):
        r = client.post(f"/curricula/proposals/{cur.id}/authors", data={"user_id": p[person].id})
        assert r.status_code == 302, person
    assert _authors(db, cur.id) == {
        (p["lead"].id, AuthorSide.UNIVERSITY),
        (p["colleague"].id, AuthorSide.UNIVERSITY),
        (p["opd_admin"].id, AuthorSide.AGENCY),
    }
    # people the lead may not name are not even a valid choice
    for person in ("asn", "outsider_uni", "outsider_asn", "other_admin"):
        r = client.post(f"/curricula/proposals/{cur.id}/authors", data={"user_id": p[person].id})
        assert r.status_code == 400, person
    assert len(_authors(db, cur.id)) == 3


def test_only_an_admin_names_an_asn_of_the_partner(people, db):
    cur, p = people["cur"], people
    with pytest.raises(DomainError, match="Only an admin"):
        people_services.add_author(cur, actor=p["lead"], user_id=p["asn"].id)
    for admin in ("opd_admin", "city_admin"):
        author = people_services.add_author(cur, actor=p[admin], user_id=p["asn"].id)
        assert author.side == AuthorSide.AGENCY
        people_services.remove_author(author, cur, actor=p[admin])
    with pytest.raises(DomainError):
        people_services.add_author(cur, actor=p["other_admin"], user_id=p["asn"].id)
    with pytest.raises(DomainError, match="university staff"):
        people_services.add_author(cur, actor=p["opd_admin"], user_id=p["colleague"].id)
    for outsider in ("outsider_uni", "outsider_asn", "other_admin"):
        with pytest.raises(DomainError, match="Co-authors are"):
            people_services.add_author(cur, actor=p["city_admin"], user_id=p[outsider].id)
    with pytest.raises(DomainError, match="already a co-author"):
        people_services.add_author(cur, actor=p["lead"], user_id=p["lead"].id)


def test_the_admin_page_offers_asn_of_the_partner(client, login_as, people):
    cur, p = people["cur"], people
    login_as(p["opd_admin"])
    html = client.get(f"/curricula/proposals/{cur.id}/authors").get_data(as_text=True)
    assert "ASN Mitra" in html
    assert "Dosen Rekan" not in html and "ASN Luar" not in html
    r = client.post(f"/curricula/proposals/{cur.id}/authors", data={"user_id": p["asn"].id})
    assert r.status_code == 302


def test_the_lead_stays_and_removal_rules(client, login_as, people, db):
    cur, p = people["cur"], people
    colleague = people_services.add_author(cur, actor=p["lead"], user_id=p["colleague"].id)
    asn = people_services.add_author(cur, actor=p["city_admin"], user_id=p["asn"].id)
    lead_row = next(a for a in cur.authors if a.is_lead)
    with pytest.raises(DomainError, match="lead author cannot be removed"):
        people_services.remove_author(lead_row, cur, actor=p["lead"])
    with pytest.raises(DomainError, match="university co-authors"):
        people_services.remove_author(colleague, cur, actor=p["opd_admin"])
    db.session.commit()
    login_as(p["lead"])
    r = client.post(f"/curricula/authors/{lead_row.id}/delete", follow_redirects=True)
    assert "The lead author cannot be removed." in r.get_data(as_text=True)
    assert client.post(f"/curricula/authors/{asn.id}/delete").status_code == 302
    assert (p["asn"].id, AuthorSide.AGENCY) not in _authors(db, cur.id)
    # an agency co-author (ASN) does not manage authors; outsiders do not even see the page
    login_as(p["colleague"])
    assert client.get(f"/curricula/proposals/{cur.id}/authors").status_code == 200
    login_as(p["outsider_uni"])
    assert client.get(f"/curricula/proposals/{cur.id}/authors").status_code == 404
    login_as(p["other_admin"])
    assert client.post(f"/curricula/authors/{colleague.id}/delete").status_code == 404


def test_authors_are_fixed_once_published(people, db):
    cur, p = people["cur"], people
    cur.state = S.PUBLISHED
    db.session.flush()
    with pytest.raises(InvalidTransition):
        people_services.add_author(cur, actor=p["lead"], user_id=p["colleague"].id)


# --- evidence -------------------------------------------------------------------------------------


@pytest.fixture
def board(make, people):
    """A group of 5 ASN (2 below the standard) and a small group of 2 on one competency."""
    opd = people["opd"]
    comp = make.competency(agency=opd, name="Pengelolaan Data")
    big = make.position(agency=opd, kind=PositionKind.FUNGSIONAL, competencies=[comp], level=3)
    small = make.position(agency=opd, kind=PositionKind.ADMINISTRATOR, competencies=[comp], level=3)
    for i in range(5):
        asn = make.asn_profile(make.user(Role.ASN, agency=opd), position=big)
        if i < 3:
            make.assessment_with_report(asn, comp, level=1 if i < 2 else 4)
    for _ in range(2):
        make.asn_profile(make.user(Role.ASN, agency=opd), position=small)
    return comp


def test_authors_cite_a_group_they_can_see_with_its_figures(client, login_as, people, board, db):
    cur, p = people["cur"], people
    login_as(p["lead"])
    html = client.get(f"/curricula/proposals/{cur.id}/evidence").get_data(as_text=True)
    assert "Pengelolaan Data" in html and "Administrator" not in html  # the small group is hidden
    data = {"agency_id": p["opd"].id, "competency_id": board.id, "kind": "fungsional"}
    assert client.post(f"/curricula/proposals/{cur.id}/evidence", data=data).status_code == 302
    row = db.session.scalars(
        sa.select(CurriculumEvidence).where(CurriculumEvidence.curriculum_id == cur.id)
    ).one()
    assert (row.total, row.assessed, row.below, row.mean_gap) == (5, 3, 2, 2.0)
    page = client.get(f"/curricula/proposals/{cur.id}").get_data(as_text=True)
    assert "Pengelolaan Data" in page and "66.7%" in page
    r = client.post(f"/curricula/proposals/{cur.id}/evidence", data=data)
    assert r.status_code == 409 and "already cited" in r.get_data(as_text=True)
    # the small group is not visible to a university user, so it cannot be cited
    small = {**data, "kind": "administrator"}
    r = client.post(f"/curricula/proposals/{cur.id}/evidence", data=small)
    assert r.status_code == 409 and "not on the demand board you can see" in r.get_data(
        as_text=True
    )
    for bad in ({**data, "agency_id": "x"}, {"kind": "fungsional"}):
        assert client.post(f"/curricula/proposals/{cur.id}/evidence", data=bad).status_code == 400
    assert client.post(f"/curricula/evidence/{row.id}/delete").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CurriculumEvidence)) == 0


def test_an_admin_co_author_sees_and_cites_small_groups(people, board, db):
    cur, p = people["cur"], people
    people_services.add_author(cur, actor=p["lead"], user_id=p["opd_admin"].id)
    row = people_services.cite_evidence(
        cur,
        actor=p["opd_admin"],
        agency_id=p["opd"].id,
        competency_id=board.id,
        kind="administrator",
    )
    assert (row.total, row.assessed) == (2, 0)
    people_services.add_author(cur, actor=p["city_admin"], user_id=p["asn"].id)
    with pytest.raises(DomainError, match="not on the demand board"):  # ASN do not see the board
        people_services.cite_evidence(
            cur, actor=p["asn"], agency_id=p["opd"].id, competency_id=board.id, kind="fungsional"
        )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CurriculumAuthor)) == 3
