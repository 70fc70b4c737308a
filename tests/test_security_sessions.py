"""Sessions end for real (G7): replay after sign-out, password change, deactivation and role
change; the remember-me cookie; a new session on sign-in."""

from __future__ import annotations

from portal.auth import passwords
from portal.auth.models import Role
from tests.support.security import (
    EN,
    assert_sent_to_login,
    replay,
    session_data,
    sign_in,
)

# =================================================================================================
# G7: sessions end on sign-out, password change, deactivation and role change
# =================================================================================================


def test_session_cookie_is_dead_after_sign_out(app, new_client, make):
    user = make.user(Role.ASN, password="S3cret-XYZ-123!")
    c = new_client()
    sign_in(c, user.email, "S3cret-XYZ-123!")
    stolen = c.get_cookie("session").value
    assert replay(app, session=stolen).status_code == 200  # the copy works while signed in

    assert c.post("/logout").status_code == 302
    assert_sent_to_login(replay(app, session=stolen))
    assert_sent_to_login(c.get("/dashboard"))


def test_other_sessions_die_when_the_password_changes(app, new_client, make, db):
    user = make.user(Role.ASN, password="S3cret-XYZ-123!")
    laptop, phone = new_client(), new_client()
    sign_in(laptop, user.email, "S3cret-XYZ-123!")
    sign_in(phone, user.email, "S3cret-XYZ-123!")
    stolen = laptop.get_cookie("session").value
    assert replay(app, session=stolen).status_code == 200

    r = phone.post(
        "/account/password",
        data={
            "current_password": "S3cret-XYZ-123!",
            "password": "Kuda-Lari-Kencang-88",
            "password_confirm": "Kuda-Lari-Kencang-88",
        },
    )
    assert r.status_code == 302
    db.session.refresh(user)
    assert passwords.verify_password(user.password_hash, "Kuda-Lari-Kencang-88")

    assert_sent_to_login(replay(app, session=stolen))
    assert_sent_to_login(laptop.get("/dashboard"))
    assert phone.get("/dashboard").status_code == 200  # the device that changed it continues


def test_session_dies_when_an_admin_deactivates_the_account(app, new_client, make, login_as, db):
    user = make.user(Role.ASN, password="S3cret-XYZ-123!")
    admin = make.user(Role.ADMIN, locale=EN)
    c = new_client()
    sign_in(c, user.email, "S3cret-XYZ-123!")
    stolen = c.get_cookie("session").value
    assert replay(app, session=stolen).status_code == 200

    admin_client = login_as(admin, c=new_client())
    assert admin_client.post(f"/admin/users/{user.id}/deactivate").status_code == 302
    db.session.refresh(user)
    assert user.is_active_flag is False

    assert_sent_to_login(replay(app, session=stolen))
    assert_sent_to_login(c.get("/dashboard"))

    # reactivating the account does not bring the stolen cookie back to life
    assert admin_client.post(f"/admin/users/{user.id}/reactivate").status_code == 302
    db.session.refresh(user)
    assert user.is_active
    assert_sent_to_login(replay(app, session=stolen))


def test_session_dies_when_an_admin_changes_the_roles(app, new_client, make, login_as, db):
    agency = make.agency()
    user = make.user(Role.ASN, agency=agency, password="S3cret-XYZ-123!")
    admin = make.user(Role.ADMIN, locale=EN)
    c = new_client()
    sign_in(c, user.email, "S3cret-XYZ-123!")
    stolen = c.get_cookie("session").value
    assert replay(app, session=stolen).status_code == 200

    admin_client = login_as(admin, c=new_client())
    r = admin_client.post(
        f"/admin/users/{user.id}",
        data={
            "full_name": user.full_name,
            "roles": ["asn", "mentor"],
            "university_id": "0",
            "agency_id": str(agency.id),
            "admin_agency_id": "0",
        },
    )
    assert r.status_code == 302
    db.session.refresh(user)
    assert user.roles == {Role.ASN, Role.MENTOR}

    assert_sent_to_login(replay(app, session=stolen))
    assert_sent_to_login(c.get("/dashboard"))


def test_remember_me_cookie_is_dead_after_sign_out(app, new_client, make):
    user = make.user(Role.ASN, password="S3cret-XYZ-123!")
    c = new_client()
    sign_in(c, user.email, "S3cret-XYZ-123!", remember=True)
    remembered = c.get_cookie("remember_token")
    assert remembered is not None, "no remember-me cookie after sign-in with remember=y"
    stolen = remembered.value
    assert replay(app, remember_token=stolen).status_code == 200  # alone it signs in

    assert c.post("/logout").status_code == 302
    assert_sent_to_login(replay(app, remember_token=stolen))


def test_sign_in_starts_a_new_session(app, new_client, make):
    user = make.user(Role.ASN, password="S3cret-XYZ-123!")
    c = new_client()
    c.get("/login")
    before_cookie = c.get_cookie("session").value
    before_csrf = session_data(c)["csrf_token"]

    sign_in(c, user.email, "S3cret-XYZ-123!")
    assert c.get("/dashboard").status_code == 200  # renders forms: a CSRF secret exists again
    after = session_data(c)
    assert c.get_cookie("session").value != before_cookie
    assert after.get("csrf_token") and after["csrf_token"] != before_csrf
    # the cookie from before the sign-in is still only a visitor's
    assert_sent_to_login(replay(app, session=before_cookie))
