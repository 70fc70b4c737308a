from portal.auth.models import Role


def test_home_page_is_indonesian_by_default(client):
    r = client.get("/")
    assert r.status_code == 200
    assert "Masuk" in r.get_data(as_text=True) or "Sign in" in r.get_data(as_text=True)


def test_signed_in_admin_sees_users(client, make, login_as):
    admin = make.user(Role.ADMIN)
    login_as(admin)
    r = client.get("/admin/users")
    assert r.status_code == 200
    assert admin.email in r.get_data(as_text=True)
