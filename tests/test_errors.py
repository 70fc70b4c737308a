"""Friendly error pages in both languages (403/404/405/413/429/500)."""

from __future__ import annotations

from portal.auth.models import Role


def test_404_in_indonesian_and_english(client):
    r = client.get("/tidak-ada")
    assert r.status_code == 404
    assert "Halaman tidak ditemukan" in r.get_data(as_text=True)
    r = client.get("/tidak-ada?lang=en")
    assert "Page not found" in r.get_data(as_text=True)


def test_403_page_for_a_role_without_access(client, make, login_as):
    login_as(make.user(Role.STUDENT, locale="en"))
    r = client.get("/admin/users")
    assert r.status_code == 403
    assert "You do not have access to this page" in r.get_data(as_text=True)


def test_405_on_a_get_to_a_post_only_address(client):
    r = client.get("/logout?lang=en")
    assert r.status_code == 405
    assert "Method not allowed" in r.get_data(as_text=True)
    assert "POST" in r.headers["Allow"]


def test_413_for_an_oversized_multipart_field(client, app):
    too_big = "x" * (app.config["MAX_FORM_MEMORY_SIZE"] + 1)
    r = client.post(
        "/register?lang=en",
        data={"full_name": too_big, "csrf_token": "x"},
        content_type="multipart/form-data",
    )
    assert r.status_code == 413
    assert "larger than the portal accepts" in r.get_data(as_text=True)


def test_413_for_a_request_over_the_content_limit(client, app):
    body = b"a=" + b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    r = client.post(
        "/register",
        data=body,
        content_type="application/x-www-form-urlencoded",
        csrf=False,
    )
    assert r.status_code == 413
    assert "Terlalu besar" in r.get_data(as_text=True)


def test_429_page_is_friendly(client):
    for _ in range(10):
        client.post("/login", data={"email": "nobody@example.com", "password": "wrong-password"})
    r = client.post("/login?lang=en", data={"email": "nobody@example.com", "password": "x"})
    assert r.status_code == 429
    assert "Too many attempts" in r.get_data(as_text=True)
