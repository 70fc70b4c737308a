"""Course materials: adding, versions, who sees and downloads what, links and Markdown (G4, G10)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import render_template
from sqlalchemy.orm import joinedload, selectinload

from portal import uploads
from portal.auth.models import Role
from portal.curricula.models import Curriculum, CurriculumState, Material, MaterialVersion, Module
from tests.curricula.materials_support import PAYLOAD, PDF, file_post, material_world
from tests.support.pages import field_error, input_value, text

S = CurriculumState
XSS_MARKDOWN = (
    "## Judul\n\n<script>alert('body')</script>\n\n<img src=x onerror=alert(1)>\n\n"
    "[klik](javascript:alert(2)) and [data](data:text/html;base64,PHNjcmlwdD4=)\n\n"
    '<a href="https://example.org" onclick="alert(3)">tautan</a>\n\n**tebal**'
)


def _new(client, module, **data):
    return client.post(f"/curricula/modules/{module.id}/materials/new?lang=en", data=data)


def _only(db, title) -> Material | None:
    return db.session.scalar(sa.select(Material).where(Material.title == title))


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>x</script>",
     "vbscript:msgbox(1)", "ftp://files.example.org/a.pdf", "//evil.example.org/x",
     "/relative/path", "https://", "https://exa mple.org/", "file:///etc/passwd",
     "http:evil.example.org"],
)  # fmt: skip
def test_a_link_must_be_an_http_address(client, login_as, make, db, url):
    w = material_world(make, state=S.DRAFT)
    login_as(w.author)
    response = _new(client, w.module, kind="link", title="Tautan", url=url)
    assert response.status_code == 400
    assert "http" in (field_error(response, "url") or "")
    assert input_value(response, "title") == "Tautan"
    assert _only(db, "Tautan") is None


def test_a_link_and_a_text_are_added_as_version_one(client, login_as, make, db):
    w = material_world(make, state=S.DRAFT)
    login_as(w.author)
    assert (
        _new(
            client,
            w.module,
            kind="link",
            title="Perwal",
            url="https://jdih.pemkomedan.go.id/perwal-12",
        ).status_code
        == 302
    )
    assert (
        _new(client, w.module, kind="text", title="Catatan", body="Isi *catatan*.").status_code
        == 302
    )
    link, note = _only(db, "Perwal"), _only(db, "Catatan")
    assert link.version_count == 1 and note.version_count == 1
    assert (link.position, note.position) == (1, 2)
    page = client.get(f"/curricula/materials/{link.id}")
    assert 'href="https://jdih.pemkomedan.go.id/perwal-12"' in page.get_data(as_text=True)
    assert 'rel="noopener noreferrer nofollow"' in page.get_data(as_text=True)


def test_the_content_field_of_the_kind_is_required(client, login_as, make, db):
    w = material_world(make, state=S.DRAFT)
    login_as(w.author)
    response = _new(client, w.module, kind="text", title="Kosong", body="   ")
    assert response.status_code == 400 and field_error(response, "body")
    response = _new(client, w.module, kind="file", title="Tanpa berkas")
    assert response.status_code == 400 and field_error(response, "file")
    response = _new(client, w.module, kind="video", title="Jenis aneh", body="x")
    assert response.status_code == 400 and field_error(response, "kind")


def test_posting_privileged_fields_changes_nothing(client, login_as, make, db):
    """G4: version counts, module, position or the curriculum's state are not form fields."""
    w = material_world(make, state=S.DRAFT, modules=2)
    other_module = w.curriculum.modules[1]
    login_as(w.author)
    response = _new(
        client,
        w.module,
        kind="text",
        title="Materi G4",
        body="Isi.",
        version_count="99",
        module_id=str(other_module.id),
        position="-5",
        state="published",
        material_id="1",
        created_by_id="1",
    )
    assert response.status_code == 302
    material = _only(db, "Materi G4")
    assert (material.version_count, material.module_id, material.position) == (1, w.module.id, 1)
    db.session.expire_all()
    assert db.session.get(Curriculum, w.curriculum.id).state == S.DRAFT
    response = client.post(
        f"/curricula/materials/{material.id}/revise",
        data={
            "body": "Baru.",
            "change_note": "Ubah",
            "kind": "link",
            "title": "Diganti",
            "version_count": "50",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    material = db.session.get(Material, material.id)
    assert (material.kind.value, material.title, material.version_count) == ("text", "Materi G4", 2)


def test_markdown_is_rendered_inert_and_titles_are_escaped(client, login_as, make, db):
    """G10: script, event handlers and javascript:/data: links never reach the page."""
    w = material_world(make)
    material = make.material(w.module, kind="text", title="Materi " + PAYLOAD, body=XSS_MARKDOWN)
    for user in (w.author, w.asn):
        login_as(user)
        html = client.get(f"/curricula/materials/{material.id}").get_data(as_text=True)
        assert "<script>alert" not in html and "onerror" not in html and "onclick" not in html
        assert "javascript:" not in html and "data:text/html" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the title, escaped
        assert "<strong>tebal</strong>" in html and "<h2>Judul</h2>" in html
    flag = make.flag(material, w.asn, description="Salah " + PAYLOAD)
    make.rating(material, w.student, comment="Komentar " + PAYLOAD)
    login_as(w.author)
    for url in (
        "/curricula/flags",
        f"/curricula/flags/{flag.id}",
        f"/curricula/proposals/{w.curriculum.id}/feedback",
        f"/curricula/materials/{material.id}/revise",
    ):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html, url
        assert "&lt;script&gt;" in html, url


def test_a_revision_keeps_older_versions_for_the_authors_only(client, login_as, make, db):
    w = material_world(make)
    material = make.material(w.module, kind="file")
    first = db.session.scalars(
        sa.select(MaterialVersion).where(MaterialVersion.material_id == material.id)
    ).one()
    login_as(w.author)
    response = client.post(
        f"/curricula/materials/{material.id}/revise",
        data=file_post(PDF + b"%v2\n", "materi-v2.pdf", change_note="Perbaikan angka tabel 3"),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Material, material.id).version_count == 2
    second = db.session.scalar(
        sa.select(MaterialVersion).where(
            MaterialVersion.material_id == material.id, MaterialVersion.number == 2
        )
    )
    assert second.change_note == "Perbaikan angka tabel 3"
    old = client.get(f"/curricula/material-versions/{first.id}/download")
    assert old.status_code == 200 and old.data.startswith(b"%PDF")
    old.close()
    page = text(client.get(f"/curricula/materials/{material.id}"))
    assert "Perbaikan angka tabel 3" in page
    assert f"/curricula/material-versions/{first.id}/download" in page
    login_as(w.asn)  # a learner: the current version only
    assert client.get(f"/curricula/material-versions/{first.id}/download").status_code == 404
    current = client.get(f"/curricula/material-versions/{second.id}/download")
    assert current.status_code == 200 and current.data == PDF + b"%v2\n"
    current.close()
    page = text(client.get(f"/curricula/materials/{material.id}"))
    assert "Perbaikan angka tabel 3" in page
    assert f"/curricula/material-versions/{first.id}/download" not in page


def test_an_old_text_version_is_shown_to_authors_only(client, login_as, make, db):
    w = material_world(make)
    material = make.material(w.module, kind="text", body="Isi lama.")
    login_as(w.author)
    assert (
        client.post(
            f"/curricula/materials/{material.id}/revise",
            data={"body": "Isi baru.", "change_note": "Perbarui"},
        ).status_code
        == 302
    )
    assert "Isi lama." in text(client.get(f"/curricula/materials/{material.id}?v=1"))
    assert "Isi baru." in text(client.get(f"/curricula/materials/{material.id}"))
    login_as(w.student)
    page = text(client.get(f"/curricula/materials/{material.id}?v=1"))
    assert "Isi baru." in page and "Isi lama." not in page


@pytest.mark.parametrize("state", [S.DRAFT, S.IN_REVIEW, S.CHANGES_REQUESTED, S.APPROVED])
def test_materials_of_an_unpublished_curriculum_are_private(client, login_as, make, db, state):
    w = material_world(make, state=state)
    material = make.material(w.module, kind="file")
    version_id = db.session.scalar(
        sa.select(MaterialVersion.id).where(MaterialVersion.material_id == material.id)
    )
    urls = [
        f"/curricula/materials/{material.id}",
        f"/curricula/material-versions/{version_id}/download",
    ]
    # Anonymous: the page does not exist, the download asks to sign in.
    assert client.get(urls[0]).status_code == 404
    assert "/login" in client.get(urls[1]).headers["Location"]
    outsiders = [
        w.asn,
        w.student,
        make.user(Role.UNIVERSITY),
        make.user(Role.ADMIN, admin_agency=make.agency()),
    ]
    for user in outsiders:
        login_as(user)
        assert [client.get(u).status_code for u in urls] == [404, 404], user
    insiders = [
        w.author,
        w.agency_author,
        make.user(Role.ADMIN),
        make.user(Role.ADMIN, admin_agency=w.agency),
        make.user(Role.UNIVERSITY, university=w.uni),
    ]
    for user in insiders:
        login_as(user)
        responses = [client.get(u) for u in urls]
        assert [r.status_code for r in responses] == [200, 200], user
        responses[1].close()


def test_anonymous_visitors_see_metadata_only(client, make, db):
    w = material_world(make)
    text_material = make.material(w.module, kind="text", title="Ringkasan", body="Rahasia isi.")
    file_material = make.material(w.module, kind="file", title="Berkas", versions=2)
    link_material = make.material(w.module, kind="link", title="Tautan")
    page = text(client.get(f"/curricula/materials/{text_material.id}?lang=en"))
    assert "Ringkasan" in page and "Text" in page and w.module.title in page
    assert "Rahasia isi." not in page and "Sign in to open" in page
    page = client.get(f"/curricula/materials/{file_material.id}").get_data(as_text=True)
    assert "material-versions" not in page and "materi-" not in page
    assert '<dd class="col-sm-9">2</dd>' in page  # the version count
    page = client.get(f"/curricula/materials/{link_material.id}").get_data(as_text=True)
    assert "jdih.pemkomedan.go.id" not in page


def test_who_may_add_revise_and_delete(client, login_as, make, db):
    w = material_world(make, state=S.PUBLISHED)
    material = make.material(w.module, kind="text")
    urls = {
        "add": f"/curricula/modules/{w.module.id}/materials/new",
        "revise": f"/curricula/materials/{material.id}/revise",
        "delete": f"/curricula/materials/{material.id}/delete",
    }
    login_as(w.author)  # published: revising yes (fixing), adding and deleting no
    assert client.get(urls["add"]).status_code == 403
    assert client.get(urls["revise"]).status_code == 200
    assert client.post(urls["delete"]).status_code == 403
    login_as(make.user(Role.UNIVERSITY, university=w.uni))  # same university, not an author
    assert client.get(urls["revise"]).status_code == 403
    login_as(w.asn)
    assert client.get(urls["revise"]).status_code == 403
    w.curriculum.state = S.ARCHIVED
    db.session.flush()
    login_as(w.author)
    assert client.get(urls["revise"]).status_code == 403


def test_deleting_removes_rows_then_files(app, client, login_as, make, db):
    w = material_world(make, state=S.DRAFT)
    material = make.material(w.module, kind="file", versions=3)
    material_id = material.id
    keys = list(
        db.session.scalars(
            sa.select(uploads.StoredFile.key)
            .join(MaterialVersion, MaterialVersion.file_id == uploads.StoredFile.id)
            .where(MaterialVersion.material_id == material.id)
        )
    )
    paths = [uploads._path_for(k) for k in keys]
    assert len(paths) == 3 and all(p.exists() for p in paths)
    login_as(w.agency_author)
    response = client.post(f"/curricula/materials/{material_id}/delete")
    assert response.status_code == 302
    assert f"/curricula/proposals/{w.curriculum.id}" in response.headers["Location"]
    db.session.expire_all()
    assert db.session.scalar(sa.select(Material.id).where(Material.id == material_id)) is None
    assert not db.session.scalars(
        sa.select(uploads.StoredFile).where(uploads.StoredFile.key.in_(keys))
    ).all()
    assert not any(Path(p).exists() for p in paths)


def _loaded_module(db, module_id):
    return db.session.scalars(
        sa.select(Module)
        .where(Module.id == module_id)
        .options(
            selectinload(Module.materials)
            .joinedload(Material.current_version)
            .joinedload(MaterialVersion.file),
            joinedload(Module.curriculum).selectinload(Curriculum.authors),
        )
    ).one()


@pytest.mark.parametrize(
    ("state", "who", "expected"),
    [(S.DRAFT, "author", {"add", "revise", "download"}),
     (S.PUBLISHED, "author", {"revise", "download"}),
     (S.PUBLISHED, "asn", {"download"}),
     (S.PUBLISHED, None, set()),
     (S.ARCHIVED, "author", {"download"})],
)  # fmt: skip
def test_the_module_partial_shows_what_the_user_may_do_without_a_query(
    app, make, db, count_queries, state, who, expected
):
    from flask_login import AnonymousUserMixin

    w = material_world(make, state=state)
    make.material(w.module, kind="file", title="Berkas " + PAYLOAD)
    make.material(w.module, kind="link", title="Tautan")
    user = getattr(w, who) if who else AnonymousUserMixin()
    module = _loaded_module(db, w.module.id)
    with app.test_request_context(f"/curricula/modules/{module.id}/materials/new"):
        with count_queries() as n:
            html = render_template(
                "curricula/_module_materials.html",
                module=module,
                curriculum=module.curriculum,
                current_user=user,
            )
        assert n() == 0
    found = {
        "add": "/materials/new" in html,
        "revise": "/revise" in html,
        "download": "/download" in html and "jdih.pemkomedan.go.id" in html,
    }
    assert {k for k, v in found.items() if v} == expected
    assert "&lt;script&gt;" in html and PAYLOAD not in html
    assert "Berkas" in html and "Tautan" in html  # titles are metadata: always shown


def test_adding_after_the_proposal_was_submitted_is_refused(client, login_as, make, db):
    w = material_world(make, state=S.DRAFT)
    login_as(w.author)
    form = client.get(f"/curricula/modules/{w.module.id}/materials/new")
    assert form.status_code == 200
    w.curriculum.state = S.SUBMITTED  # submitted in another tab
    db.session.flush()
    response = _new(client, w.module, kind="text", title="Terlambat", body="Isi.")
    assert response.status_code == 403
    assert _only(db, "Terlambat") is None


def test_two_revisions_at_once_cannot_take_the_same_number(app, make, db):
    """The version count moves with a conditional UPDATE: a revision based on a stale count is
    refused with a message instead of colliding."""
    from portal.curricula.materials import queries as material_queries
    from portal.curricula.materials import services as material_services
    from portal.errors import DomainError

    w = material_world(make)
    material = make.material(w.module, kind="text")
    with app.test_request_context("/?lang=en"):
        stale = material_queries.material(material.id)
        db.session.execute(  # another request's revision, unseen by ``stale``
            sa.update(Material)
            .where(Material.id == material.id)
            .values(version_count=2)
            .execution_options(synchronize_session=False)
        )
        db.session.add(MaterialVersion(material_id=material.id, number=2, body="Lain."))
        db.session.flush()
        with pytest.raises(DomainError, match="at the same time"):
            material_services.revise_material(
                stale, actor=w.author, change_note="Ubah", body="Isi saya."
            )
    numbers = db.session.scalars(
        sa.select(MaterialVersion.number).where(MaterialVersion.material_id == material.id)
    ).all()
    assert sorted(numbers) == [1, 2]
