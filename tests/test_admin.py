"""Administration as an admin meets it: institutions, accounts, scoping of OPD admins, the audit
log and pagination. Pages are asked for in English (users with ``locale="en"``)."""

from __future__ import annotations

import html
import itertools
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from portal.audit import AuditEvent
from portal.auth import passwords
from portal.auth.models import AccountStatus, Role, User
from portal.institutions.models import Agency, AgencyKind, University
from tests.factories import PASSWORD
from tests.pages import field_error, flashes, fresh, input_value, select_options, text

_ALERT_RE = re.compile(r'<div class="alert alert-(\w+)">(.*?)</div>', re.S)
_emails = itertools.count(1)


# --- helpers --------------------------------------------------------------------------------------


def table_cells(response) -> list[str]:
    """The first cell of every body row of the page's table (the name column)."""
    body = response.get_data(as_text=True)
    tbody = re.search(r"<tbody>(.*?)</tbody>", body, re.S)
    if tbody is None:
        return []
    return [
        html.unescape(c).strip()
        for c in re.findall(r"<tr>\s*<td[^>]*>(.*?)</td>", tbody.group(1), re.S)
    ]


def browser_form(response) -> dict:
    """What a browser would send for the page's main form (``action=""``) as it is shown."""
    body = response.get_data(as_text=True)
    form = re.search(r'<form method="post" action=""[^>]*>(.*?)</form>', body, re.S).group(1)
    data: dict = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'\bname="([^"]*)"', tag)
        if not name:
            continue
        value = re.search(r'\bvalue="([^"]*)"', tag)
        value = html.unescape(value.group(1)) if value else ""
        if 'type="checkbox"' in tag:
            if re.search(r"\bchecked\b", tag):
                data.setdefault(name.group(1), []).append(value)
        else:
            data[name.group(1)] = value
    for name, options in re.findall(
        r'<select[^>]*\bname="([^"]*)"[^>]*>(.*?)</select>', form, re.S
    ):
        chosen = re.findall(r"<option([^>]*)>", options)
        picked = next((o for o in chosen if re.search(r"\bselected\b", o)), chosen[0])
        data[name] = html.unescape(re.search(r'value="([^"]*)"', picked).group(1))
    return data


def en(make, *roles, **kw):
    kw.setdefault("locale", "en")
    kw.setdefault("email", f"staf{next(_emails)}@mail.example.com")
    return make.user(*roles, **kw)


def events(db, action: str, **where) -> list[AuditEvent]:
    stmt = sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(AuditEvent, key) == value)
    return list(db.session.scalars(stmt))


def count(db, model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def admin(make, login_as):
    """A city-wide administrator (BKPSDM), signed in."""
    user = en(
        make,
        Role.ADMIN,
        full_name="Putri Rahmadani Harahap",
        email="admin.bkpsdm@pemkomedan.example.com",
    )
    login_as(user)
    return user


@pytest.fixture
def opd(make):
    return make.agency(name="Dinas Komunikasi dan Informatika", short_name="Diskominfo")


@pytest.fixture
def opd_admin(make, login_as, opd):
    """An administrator scoped to one OPD (Diskominfo), signed in."""
    user = en(make, Role.ADMIN, admin_agency=opd, full_name="Rahmat Hidayat Lubis")
    login_as(user)
    return user


# --- institutions ---------------------------------------------------------------------------------


@pytest.fixture
def universities(make):
    return {
        "usu": make.university(name="Universitas Sumatera Utara", short_name="USU"),
        "unimed": make.university(name="Universitas Negeri Medan", short_name="UNIMED"),
        "polmed": make.university(
            name="Politeknik Negeri Medan", short_name="POLMED", is_active=False
        ),
    }


def test_university_list_search_and_status_filter(client, admin, universities):
    everything = table_cells(client.get("/admin/universities"))
    assert everything == [
        "Politeknik Negeri Medan",
        "Universitas Negeri Medan",
        "Universitas Sumatera Utara",
    ]

    assert table_cells(client.get("/admin/universities?q=usu")) == ["Universitas Sumatera Utara"]
    assert table_cells(client.get("/admin/universities?q=NEGERI")) == [
        "Politeknik Negeri Medan",
        "Universitas Negeri Medan",
    ]
    assert table_cells(client.get("/admin/universities?status=active")) == [
        "Universitas Negeri Medan",
        "Universitas Sumatera Utara",
    ]
    assert table_cells(client.get("/admin/universities?status=inactive")) == [
        "Politeknik Negeri Medan"
    ]
    assert table_cells(client.get("/admin/universities?q=negeri&status=active")) == [
        "Universitas Negeri Medan"
    ]
    nothing = client.get("/admin/universities?q=%25")
    assert table_cells(nothing) == [] and "Nothing found." in text(nothing)


def test_agency_list_filters_by_kind(client, admin, make):
    make.agency(name="Dinas Kesehatan", short_name="Dinkes", kind=AgencyKind.DINAS)
    make.agency(
        name="Badan Perencanaan Pembangunan Daerah", short_name="Bappeda", kind=AgencyKind.BADAN
    )
    make.agency(
        name="Kecamatan Medan Baru",
        short_name="Kec. Medan Baru",
        kind=AgencyKind.KECAMATAN,
        is_active=False,
    )

    assert table_cells(client.get("/admin/agencies?kind=badan")) == [
        "Badan Perencanaan Pembangunan Daerah"
    ]
    assert table_cells(client.get("/admin/agencies?kind=kecamatan&status=inactive")) == [
        "Kecamatan Medan Baru"
    ]
    assert table_cells(client.get("/admin/agencies?kind=kecamatan&status=active")) == []
    assert table_cells(client.get("/admin/agencies?q=dinkes")) == ["Dinas Kesehatan"]


def test_create_university(client, db, admin):
    form = client.get("/admin/universities/new")
    assert form.status_code == 200 and "New university" in text(form)

    r = client.post(
        "/admin/universities/new",
        data={"name": "  Universitas Medan Area ", "short_name": "UMA"},
        follow_redirects=True,
    )

    assert r.status_code == 200
    assert "Saved." in flashes(r)
    assert "Universitas Medan Area" in table_cells(r)
    uni = db.session.scalars(sa.select(University).where(University.short_name == "UMA")).one()
    assert uni.name == "Universitas Medan Area" and uni.is_active
    [event] = events(db, "institution.create", target_id=uni.id)
    assert event.actor_id == admin.id and event.target_type == "university"


def test_create_agency_with_kind(client, db, admin):
    r = client.post(
        "/admin/agencies/new",
        data={"name": "Dinas Perhubungan", "short_name": "Dishub", "kind": "dinas"},
    )

    assert r.status_code == 302
    agency = db.session.scalars(sa.select(Agency).where(Agency.short_name == "Dishub")).one()
    assert agency.kind == AgencyKind.DINAS

    r = client.post(
        "/admin/agencies/new",
        data={"name": "Dinas Fiktif", "short_name": "Difi", "kind": "kementerian"},
    )
    assert r.status_code == 200 and field_error(r, "kind")
    assert count(db, Agency, Agency.short_name == "Difi") == 0


def test_edit_university(client, db, admin, universities):
    usu = universities["usu"]

    form = client.get(f"/admin/universities/{usu.id}")
    assert input_value(form, "name") == "Universitas Sumatera Utara"
    assert input_value(form, "short_name") == "USU"

    r = client.post(
        f"/admin/universities/{usu.id}",
        data={"name": "Universitas Sumatera Utara (USU)", "short_name": "USU"},
    )

    assert r.status_code == 302
    assert fresh(db, usu).name == "Universitas Sumatera Utara (USU)"
    assert events(db, "institution.update", target_id=usu.id)


@pytest.mark.parametrize(
    ("name", "short_name"),
    [("universitas sumatera utara", "USU2"), ("Universitas Baru", "usu")],
    ids=["same-name-other-case", "same-short-name-other-case"],
)
def test_duplicate_institution_is_refused_and_typed_data_kept(
    client, db, admin, universities, name, short_name
):
    before = count(db, University)

    r = client.post("/admin/universities/new", data={"name": name, "short_name": short_name})

    assert r.status_code == 200
    assert (
        "Another institution already uses this name or short name: Universitas Sumatera Utara"
    ) in flashes(r)
    assert input_value(r, "name") == name
    assert input_value(r, "short_name") == short_name
    assert count(db, University) == before


def test_editing_into_a_duplicate_is_refused(client, db, admin, universities):
    unimed = universities["unimed"]

    r = client.post(
        f"/admin/universities/{unimed.id}",
        data={"name": "Universitas Negeri Medan", "short_name": "USU"},
    )

    assert r.status_code == 200
    assert any("already uses this name or short name" in f for f in flashes(r))
    assert input_value(r, "short_name") == "USU"
    assert fresh(db, unimed).short_name == "UNIMED"


def test_institution_fields_are_validated(client, db, admin):
    r = client.post("/admin/universities/new", data={"name": "", "short_name": "X" * 31})

    assert r.status_code == 200
    assert field_error(r, "name") == "This field is required."
    assert field_error(r, "short_name") == "At most 30 characters."


def test_deactivated_university_leaves_registration_and_comes_back(
    client, db, admin, universities, app
):
    usu = universities["usu"]

    r = client.post(f"/admin/universities/{usu.id}/deactivate", follow_redirects=True)
    assert "Universitas Sumatera Utara has been deactivated." in flashes(r)
    assert fresh(db, usu).is_active is False
    assert events(db, "institution.deactivate", target_id=usu.id)

    visitor = app.test_client()
    assert str(usu.id) not in select_options(visitor.get("/register"), "university_id")
    # nor offered to new staff accounts
    assert str(usu.id) not in select_options(client.get("/admin/users/new"), "university_id")

    r = client.post(f"/admin/universities/{usu.id}/reactivate", follow_redirects=True)
    assert "Universitas Sumatera Utara is active again." in flashes(r)
    assert fresh(db, usu).is_active is True
    assert str(usu.id) in select_options(visitor.get("/register"), "university_id")


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/admin/universities"),
        ("get", "/admin/agencies"),
        ("get", "/admin/universities/new"),
        ("post", "/admin/universities/new"),
        ("post", "/admin/agencies/new"),
        ("get", "/admin/universities/{uni}"),
        ("post", "/admin/universities/{uni}"),
        ("post", "/admin/universities/{uni}/deactivate"),
        ("post", "/admin/agencies/{opd}/deactivate"),
        ("post", "/admin/agencies/{opd}"),
    ],
)
def test_opd_admin_cannot_manage_institutions(
    client, db, opd_admin, opd, universities, method, url
):
    uni = universities["usu"]
    data = {"name": "Diambil alih", "short_name": "XX", "kind": "dinas"}

    r = getattr(client, method)(
        url.format(uni=uni.id, opd=opd.id), **({"data": data} if method == "post" else {})
    )

    assert r.status_code == 403
    assert fresh(db, uni).name == "Universitas Sumatera Utara" and uni.is_active
    assert fresh(db, opd).name == "Dinas Komunikasi dan Informatika" and opd.is_active
    assert count(db, University, University.short_name == "XX") == 0


def test_institution_navigation_only_for_city_admins(client, opd_admin):
    page = text(client.get("/admin/users"))
    assert 'href="/admin/universities"' not in page
    assert 'href="/admin/users"' in page


def test_non_admins_cannot_open_admin_pages(client, make, login_as):
    login_as(en(make, Role.UNIVERSITY))

    for url in ("/admin/users", "/admin/universities", "/admin/audit", "/admin/users/new"):
        assert client.get(url).status_code == 403, url


# --- accounts -------------------------------------------------------------------------------------


@pytest.fixture
def people(make, opd):
    uni = make.university(name="Universitas Negeri Medan", short_name="UNIMED")
    other_opd = make.agency(name="Dinas Kesehatan", short_name="Dinkes")
    return {
        "uni": uni,
        "other_opd": other_opd,
        "andi": en(make, Role.ASN, Role.MENTOR, agency=opd, full_name="Andi Wijaya"),
        "budi": en(
            make,
            Role.STUDENT,
            university=uni,
            status=AccountStatus.PENDING,
            full_name="Budi Santoso",
        ),
        "cici": en(
            make,
            Role.STUDENT,
            university=uni,
            status=AccountStatus.REJECTED,
            full_name="Cici Paramida",
        ),
        "dedi": en(make, Role.UNIVERSITY, university=uni, password=None, full_name="Dedi Purba"),
        "eka": en(make, Role.ASN, agency=opd, is_active_flag=False, full_name="Eka Ginting"),
        "fajar": en(
            make,
            Role.ASN,
            agency=other_opd,
            full_name="Fajar Sembiring",
            email="fajar.sembiring@dinkes.example.com",
        ),
    }


def test_users_list_search(client, admin, people):
    assert table_cells(client.get("/admin/users?q=sembiring")) == ["Fajar Sembiring"]
    assert table_cells(client.get("/admin/users?q=DINKES.example")) == ["Fajar Sembiring"]
    assert table_cells(client.get("/admin/users?q=_")) == []


def test_users_list_filters_by_role(client, admin, people):
    assert table_cells(client.get("/admin/users?role=student")) == ["Budi Santoso", "Cici Paramida"]
    assert table_cells(client.get("/admin/users?role=mentor")) == ["Andi Wijaya"]
    assert table_cells(client.get("/admin/users?role=asn&q=ginting")) == ["Eka Ginting"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("pending", ["Budi Santoso"]),
        ("rejected", ["Cici Paramida"]),
        ("invited", ["Dedi Purba"]),
        ("inactive", ["Eka Ginting"]),
        ("active", ["Andi Wijaya", "Fajar Sembiring", "Putri Rahmadani Harahap"]),
    ],
)
def test_users_list_filters_by_status(client, admin, people, status, expected):
    """Each status filter lists exactly the accounts that show that status in the list."""
    assert table_cells(client.get(f"/admin/users?status={status}")) == expected


def test_opd_admin_sees_only_accounts_of_their_opd(client, opd_admin, people):
    names = table_cells(client.get("/admin/users"))

    assert names == ["Andi Wijaya", "Eka Ginting"]
    assert client.get(f"/admin/users/{people['andi'].id}").status_code == 200


@pytest.mark.parametrize("who", ["fajar", "budi", "dedi"])
def test_opd_admin_gets_404_on_accounts_outside_their_opd(client, db, opd_admin, people, who):
    other = people[who]

    assert client.get(f"/admin/users/{other.id}").status_code == 404
    assert (
        client.post(
            f"/admin/users/{other.id}",
            data={
                "full_name": "Diubah",
                "roles": ["asn"],
                "agency_id": str(opd_admin.admin_agency_id),
            },
        ).status_code
        == 404
    )
    assert client.post(f"/admin/users/{other.id}/deactivate").status_code == 404
    other = fresh(db, other)
    assert other.full_name != "Diubah" and other.is_active_flag


def test_every_account_an_opd_admin_lists_can_be_opened(client, make, opd, opd_admin, people):
    """A city-wide admin who is also an ASN of the OPD is not the OPD admin's to manage, so the
    list must not offer it (it would lead to a 404)."""
    en(make, Role.ADMIN, Role.ASN, agency=opd, full_name="Admin Kota Juga ASN")

    listed = re.findall(
        r'href="/admin/users/(\d+)"', client.get("/admin/users").get_data(as_text=True)
    )

    assert listed
    for user_id in listed:
        assert client.get(f"/admin/users/{user_id}").status_code == 200, user_id


def test_opd_admin_cannot_see_city_admin(client, make, opd_admin):
    city = en(make, Role.ADMIN, full_name="Admin Kota")

    assert "Admin Kota" not in table_cells(client.get("/admin/users"))
    assert client.get(f"/admin/users/{city.id}").status_code == 404


def _invite(client, **data):
    form = {
        "email": "baru@mail.example.com",
        "full_name": "Orang Baru",
        "roles": ["asn"],
        "university_id": "0",
        "agency_id": "0",
        "admin_agency_id": "0",
        "locale": "en",
    }
    form.update(data)
    return client.post("/admin/users/new", data=form, follow_redirects=True)


def test_opd_admin_invites_asn_of_their_opd(client, db, opd_admin, opd, outbox):
    r = _invite(client, roles=["asn", "mentor"], agency_id=str(opd.id), admin_agency_id=str(opd.id))

    assert "The invitation to baru@mail.example.com is on its way." in flashes(r)
    user = db.session.scalars(sa.select(User).where(User.email == "baru@mail.example.com")).one()
    assert user.roles == {Role.ASN, Role.MENTOR} and user.agency_id == opd.id
    assert user.admin_agency_id is None
    assert [m.recipient for m in outbox()] == ["baru@mail.example.com"]


def test_opd_admin_cannot_invite_university_staff(client, db, opd_admin, opd, people, outbox):
    form = client.get("/admin/users/new")
    assert set(select_options(form, "university_id")) == {"0"}  # no university to choose

    r = _invite(client, roles=["university"], agency_id=str(opd.id), admin_agency_id=str(opd.id))

    assert r.status_code == 200
    assert "As an OPD administrator you manage only the ASN and mentors of your OPD." in flashes(r)
    assert count(db, User, User.email == "baru@mail.example.com") == 0
    assert outbox() == []


def test_opd_admin_cannot_pick_a_university_by_hand(client, db, opd_admin, opd, people, outbox):
    r = _invite(
        client,
        roles=["university"],
        university_id=str(people["uni"].id),
        admin_agency_id=str(opd.id),
    )

    assert r.status_code == 200 and field_error(r, "university_id")
    assert count(db, User, User.email == "baru@mail.example.com") == 0
    assert outbox() == []


def test_opd_admin_cannot_invite_into_another_opd_or_an_admin(client, db, opd_admin, opd, people):
    r = _invite(client, agency_id=str(people["other_opd"].id), admin_agency_id=str(opd.id))
    assert r.status_code == 200 and field_error(r, "agency_id")

    r = _invite(client, roles=["admin"], agency_id=str(opd.id), admin_agency_id=str(opd.id))
    assert r.status_code == 200
    assert "As an OPD administrator you manage only the ASN and mentors of your OPD." in flashes(r)
    assert count(db, User, User.email == "baru@mail.example.com") == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"roles": ["university"]}, "University staff and students need a university."),
        ({"roles": ["asn"]}, "ASN and mentors need an OPD."),
        (
            {"roles": ["asn", "university"], "university_id": "uni", "agency_id": "opd"},
            "An account belongs either to a university or to an OPD, not both.",
        ),
        ({"roles": ["university"], "university_id": "uni", "admin_agency_id": "opd"}, None),
        (
            {"email": "FAJAR", "agency_id": "opd"},
            "An account with this e-mail address already exists.",
        ),
    ],
    ids=[
        "university-without-university",
        "asn-without-opd",
        "both",
        "scope-ignored-for-staff",
        "email-taken-other-case",
    ],
)
def test_invitation_placement_rules(client, db, admin, people, opd, outbox, change, message):
    values = {
        "uni": str(people["uni"].id),
        "opd": str(opd.id),
        "FAJAR": people["fajar"].email.upper(),
    }
    data = {k: values.get(v, v) if isinstance(v, str) else v for k, v in change.items()}

    r = _invite(client, **data)

    if message is None:  # accepted: the OPD scope of a non-admin is simply not stored
        user = db.session.scalars(
            sa.select(User).where(User.email == "baru@mail.example.com")
        ).one()
        assert user.admin_agency_id is None and user.roles == {Role.UNIVERSITY}
        return
    assert message in flashes(r)
    assert input_value(r, "full_name") == "Orang Baru"
    assert count(db, User, User.email == "baru@mail.example.com") == 0
    assert outbox() == []


def test_students_cannot_be_invited(client, db, admin, people, outbox):
    """Students register themselves: the role is not offered, and forcing it is refused."""
    assert 'value="student"' not in client.get("/admin/users/new").get_data(as_text=True)

    r = _invite(client, roles=["student"], university_id=str(people["uni"].id))

    assert r.status_code == 200
    assert field_error(r, "roles")
    assert count(db, User, User.email == "baru@mail.example.com") == 0
    assert outbox() == []


def test_city_admin_invites_an_opd_admin(client, db, admin, opd):
    r = _invite(client, roles=["admin"], admin_agency_id=str(opd.id))

    assert "The invitation to baru@mail.example.com is on its way." in flashes(r)
    user = db.session.scalars(sa.select(User).where(User.email == "baru@mail.example.com")).one()
    assert user.is_admin and user.admin_agency_id == opd.id and not user.is_city_admin


def test_deactivating_a_user_ends_their_sessions(client, db, app, admin, people, login_as):
    andi = people["andi"]
    victim = login_as(andi, app.test_client())
    assert victim.get("/dashboard").status_code == 200
    token_before = andi.session_token

    r = client.post(f"/admin/users/{andi.id}/deactivate", follow_redirects=True)

    assert "Andi Wijaya has been deactivated; their sessions have ended." in flashes(r)
    andi = fresh(db, andi)
    assert andi.is_active_flag is False and andi.session_token != token_before
    gone = victim.get("/dashboard")
    assert gone.status_code == 302 and "/login" in gone.headers["Location"]
    assert events(db, "account.deactivate", target_id=andi.id)[0].actor_id == admin.id

    signin = app.test_client()
    signin.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    r = signin.post("/login", data={"email": andi.email, "password": PASSWORD})
    assert r.status_code == 200
    assert any("deactivated" in f for f in flashes(r))

    r = client.post(f"/admin/users/{andi.id}/reactivate", follow_redirects=True)
    assert "Andi Wijaya is active again." in flashes(r)
    assert (
        signin.post("/login", data={"email": andi.email, "password": PASSWORD}).status_code == 302
    )


def test_admin_cannot_deactivate_themselves(client, db, admin):
    r = client.post(f"/admin/users/{admin.id}/deactivate", follow_redirects=True)

    assert "You cannot deactivate your own account." in flashes(r)
    assert fresh(db, admin).is_active_flag is True
    assert client.get("/admin/users").status_code == 200  # still signed in


def test_admin_cannot_remove_their_own_admin_role(client, db, admin, opd):
    r = client.post(
        f"/admin/users/{admin.id}",
        data={
            "full_name": admin.full_name,
            "roles": ["asn"],
            "agency_id": str(opd.id),
            "university_id": "0",
            "admin_agency_id": "0",
        },
    )

    assert r.status_code == 200
    assert "You cannot remove your own administrator role." in flashes(r)
    assert fresh(db, admin).roles == {Role.ADMIN}


def test_role_change_is_saved_and_audited(client, db, admin, people, opd):
    andi = people["andi"]

    r = client.post(
        f"/admin/users/{andi.id}",
        data={
            "full_name": "Andi Wijaya",
            "roles": ["asn"],
            "agency_id": str(opd.id),
            "university_id": "0",
            "admin_agency_id": "0",
        },
    )

    assert r.status_code == 302
    assert fresh(db, andi).roles == {Role.ASN}
    [event] = events(db, "account.roles", target_id=andi.id)
    assert event.detail_dict == {"after": ["asn"], "before": ["asn", "mentor"]}


def test_edit_user_ignores_fields_that_are_not_on_the_form(client, db, admin, people, make, opd):
    andi = people["andi"]
    keep = {
        k: getattr(andi, k)
        for k in (
            "email",
            "password_hash",
            "status",
            "is_active_flag",
            "session_token",
            "locale",
            "nim",
            "verified_by_id",
            "rejection_reason",
            "last_login_at",
        )
    }

    r = client.post(
        f"/admin/users/{andi.id}",
        data={
            "full_name": "Andi Wijaya, S.T.",
            "roles": ["asn", "mentor"],
            "agency_id": str(opd.id),
            "university_id": "0",
            "admin_agency_id": "0",
            "email": "attacker@mail.example.com",
            "password_hash": passwords.hash_password("x" * 12),
            "status": "rejected",
            "is_active": "0",
            "is_active_flag": "0",
            "session_token": "chosen-by-attacker",
            "locale": "id",
            "nim": "123",
            "verified_by_id": str(admin.id),
            "rejection_reason": "x",
            "id": "1",
        },
    )

    assert r.status_code == 302
    andi = fresh(db, andi)
    assert andi.full_name == "Andi Wijaya, S.T."
    assert {k: getattr(andi, k) for k in keep} == keep


def test_edit_user_cannot_make_a_student_from_staff(client, db, admin, people):
    dedi = people["dedi"]

    r = client.post(
        f"/admin/users/{dedi.id}",
        data={
            "full_name": "Dedi Purba",
            "roles": ["student"],
            "university_id": str(people["uni"].id),
            "agency_id": "0",
            "admin_agency_id": "0",
        },
    )

    assert r.status_code == 200
    assert fresh(db, dedi).roles == {Role.UNIVERSITY}


@pytest.mark.parametrize("kind", ["university", "agency"])
def test_accounts_of_a_deactivated_institution_can_still_be_edited(client, db, admin, make, kind):
    """Deactivating an institution keeps its history; its people can still be renamed."""
    if kind == "university":
        place = make.university(name="Universitas Ditutup", short_name="UDT", is_active=False)
        person = en(make, Role.UNIVERSITY, university=place, full_name="Dosen Lama")
    else:
        place = make.agency(name="Dinas Dilebur", short_name="DDL", is_active=False)
        person = en(make, Role.ASN, agency=place, full_name="Pegawai Lama")

    data = browser_form(client.get(f"/admin/users/{person.id}"))
    data["full_name"] = "Nama Diperbaiki"
    r = client.post(f"/admin/users/{person.id}", data=data)

    assert r.status_code == 302, flashes(r) or r.status_code
    person = fresh(db, person)
    assert person.full_name == "Nama Diperbaiki"
    assert (person.university_id or person.agency_id) == place.id


def test_editing_through_the_form_as_shown_changes_only_the_name(client, db, admin, people):
    andi = people["andi"]
    data = browser_form(client.get(f"/admin/users/{andi.id}"))
    assert sorted(data["roles"]) == ["asn", "mentor"]
    data["full_name"] = "Andi Wijaya, S.T."

    r = client.post(f"/admin/users/{andi.id}", data=data, follow_redirects=True)

    assert "Saved." in flashes(r)
    andi = fresh(db, andi)
    assert andi.full_name == "Andi Wijaya, S.T."
    assert andi.roles == {Role.ASN, Role.MENTOR} and andi.agency_id == people["andi"].agency_id


# --- audit log ------------------------------------------------------------------------------------


@pytest.fixture
def trail(db, make, opd):
    """Audit events at known times (UTC) by known actors."""
    dosen = en(make, Role.UNIVERSITY, email="dosen.usu@kampus.example.com")
    asn = en(make, Role.ASN, agency=opd, email="andi.wijaya@diskominfo.example.com")
    rows = [
        # 2025-03-10 20:00 UTC is 2025-03-11 03:00 in Medan (WIB, UTC+7)
        AuditEvent(
            at=datetime(2025, 3, 10, 20, 0, tzinfo=UTC),
            actor_id=dosen.id,
            action="account.verify",
            target_type="user",
            target_label="event-verify",
        ),
        AuditEvent(
            at=datetime(2025, 3, 12, 2, 0, tzinfo=UTC),
            actor_id=asn.id,
            action="login.success",
            target_type="user",
            target_id=asn.id,
            target_label="event-login-asn",
        ),
        AuditEvent(
            at=datetime(2025, 3, 12, 3, 0, tzinfo=UTC),
            actor_id=None,
            action="login.failure",
            target_label="event-login-unknown",
        ),
        AuditEvent(
            at=datetime(2025, 3, 14, 9, 0, tzinfo=UTC),
            actor_id=dosen.id,
            action="account.reject",
            target_type="user",
            target_label="event-reject",
            detail='{"reason": "NIM tidak terdaftar"}',
        ),
    ]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def labels(response) -> list[str]:
    return re.findall(r"event-[a-z-]+", response.get_data(as_text=True))


def test_audit_log_lists_events_newest_first(client, admin, trail):
    r = client.get("/admin/audit")

    assert r.status_code == 200
    assert labels(r) == ["event-reject", "event-login-unknown", "event-login-asn", "event-verify"]
    page = text(r)
    assert "dosen.usu@kampus.example.com" in page
    assert "reason: NIM tidak terdaftar" in page
    assert "Account rejected" in page


def test_audit_log_filters_by_action(client, admin, trail):
    assert labels(client.get("/admin/audit?action=account.verify")) == ["event-verify"]
    assert labels(client.get("/admin/audit?action=login.failure")) == ["event-login-unknown"]
    # an unknown action is ignored rather than an error
    assert client.get("/admin/audit?action=drop.table").status_code == 200


def test_audit_log_filters_by_actor_email(client, admin, trail):
    assert labels(client.get("/admin/audit?actor=dosen.usu")) == ["event-reject", "event-verify"]
    assert labels(client.get("/admin/audit?actor=DISKOMINFO")) == ["event-login-asn"]
    assert labels(client.get("/admin/audit?actor=nobody")) == []


def test_audit_log_filters_by_day_in_medan_time(client, admin, trail):
    assert labels(client.get("/admin/audit?since=2025-03-11&until=2025-03-11")) == ["event-verify"]
    assert labels(client.get("/admin/audit?since=2025-03-10&until=2025-03-10")) == []
    assert labels(client.get("/admin/audit?since=2025-03-12")) == [
        "event-reject",
        "event-login-unknown",
        "event-login-asn",
    ]
    assert labels(client.get("/admin/audit?until=2025-03-12&actor=dosen")) == ["event-verify"]
    # a malformed date is ignored
    assert len(labels(client.get("/admin/audit?since=12/03/2025"))) == 4


def test_audit_log_shows_todays_actions_of_the_portal(client, admin, db, make):
    uni = make.university(name="Universitas Medan Area", short_name="UMA")
    client.post(f"/admin/universities/{uni.id}/deactivate")
    today = datetime.now(ZoneInfo("Asia/Jakarta")).date()

    r = client.get(
        f"/admin/audit?action=institution.deactivate&since={today}&until={today}"
        f"&actor={admin.email}"
    )

    page = text(r)
    assert "Institution deactivated" in page and "UMA" in page
    tomorrow = today + timedelta(days=1)
    assert "UMA" not in text(
        client.get(f"/admin/audit?action=institution.deactivate&since={tomorrow}")
    )


def test_opd_admin_sees_only_events_of_their_opd(client, opd_admin, trail):
    assert labels(client.get("/admin/audit")) == ["event-login-asn"]


# --- pagination -----------------------------------------------------------------------------------


def test_universities_are_paginated(client, app, admin, make, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 20)
    for n in range(1, 26):
        make.university(name=f"Kampus {n:02d}", short_name=f"K{n:02d}")

    first = client.get("/admin/universities")
    assert table_cells(first) == [f"Kampus {n:02d}" for n in range(1, 21)]
    assert "25 results" in text(first)
    assert 'href="/admin/universities?page=2"' in first.get_data(as_text=True)

    second = client.get("/admin/universities?page=2")
    assert table_cells(second) == [f"Kampus {n:02d}" for n in range(21, 26)]

    beyond = client.get("/admin/universities?page=3")
    assert beyond.status_code == 200 and table_cells(beyond) == []


def test_pagination_keeps_the_filters(client, app, admin, make, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 5)
    for n in range(1, 8):
        en(make, Role.ASN, full_name=f"Pegawai {n:02d}")
    en(make, Role.MENTOR, full_name="Pegawai Mentor")

    first = client.get("/admin/users?role=asn&q=pegawai")
    body = first.get_data(as_text=True)
    assert re.search(r'href="/admin/users\?[^"]*page=2', body)
    link = html.unescape(re.search(r'href="(/admin/users\?[^"]*page=2[^"]*)"', body).group(1))
    assert "role=asn" in link and "q=pegawai" in link

    second = client.get(link)
    assert table_cells(second) == ["Pegawai 06", "Pegawai 07"]


def test_users_list_loads_without_one_query_per_row(client, admin, make, count_queries):
    uni = make.university()
    for n in range(15):
        en(make, Role.STUDENT, university=uni, full_name=f"Mahasiswa {n:02d}")

    with count_queries() as queries:
        r = client.get("/admin/users")

    assert r.status_code == 200 and len(table_cells(r)) == 16
    assert queries() <= 12


@pytest.mark.parametrize(
    "url",
    [
        "/admin/users?q=a%00b",
        "/admin/universities?q=%00",
        "/admin/agencies?kind=%00",
        "/admin/audit?actor=%00",
        "/admin/users?page=-3",
        "/admin/users?page=abc",
        "/admin/users?page=99999999999999999999",
        "/admin/audit?page=99999999999999999999",
        "/admin/audit?since=0001-01-01",
        "/admin/audit?until=9999-12-31",
    ],
)
def test_odd_query_arguments_show_a_normal_page(client, admin, url):
    """A mistyped or hostile address shows the list (maybe empty), not an error page."""
    r = client.get(url)

    assert r.status_code == 200
