"""Issue 18 (10c): an author who follows a problem report to upload the corrected version comes
back to that report, which then offers "fixed in version N". The way back is the report's number,
checked against the material and the author's right to handle it: never an address (no open
redirect)."""

from __future__ import annotations

from types import SimpleNamespace

from tests.curricula.materials_support import material_world
from tests.support.pages import flashes
from tests.support.worlds import module_world


def build_reports(make) -> SimpleNamespace:
    """A published curriculum with two text materials, each reported once by a learner."""
    w = material_world(make)
    first = make.material(w.module, kind="text", title="Materi Satu")
    second = make.material(w.module, kind="text", title="Materi Dua")
    return SimpleNamespace(
        w=w,
        first=first,
        second=second,
        flag=make.flag(first, w.asn, description="Salah ketik di paragraf 2."),
        other=make.flag(second, w.asn, description="Tautan rusak."),
    )


reports = module_world(build_reports)


def _revise(client, material, query=""):
    return client.post(
        f"/curricula/materials/{material.id}/revise{query}",
        data={"body": "Isi diperbaiki.", "change_note": "Salah ketik diperbaiki"},
    )


def test_the_report_links_to_the_upload_with_its_number_and_the_upload_returns_to_it(
    client, login_as, db, reports
):
    r = reports
    login_as(r.w.author)
    page = client.get(f"/curricula/flags/{r.flag.id}")
    link = f"/curricula/materials/{r.first.id}/revise?flag={r.flag.id}"
    assert link in page.get_data(as_text=True)
    form = client.get(link)
    assert form.status_code == 200
    assert f'href="/curricula/flags/{r.flag.id}"' in form.get_data(as_text=True)  # cancel: back
    saved = _revise(client, r.first, f"?flag={r.flag.id}")
    assert saved.status_code == 302
    assert saved.headers["Location"].startswith(f"/curricula/flags/{r.flag.id}")
    back = client.get(saved.headers["Location"])
    db.session.expire_all()
    number = r.first.version_count
    assert number == 2
    assert f"Version {number} was saved." in " ".join(flashes(back))
    # the step "fixed in version N" is offered, with the new version chosen
    assert f'<option selected value="{r.first.current_version.id}">Version {number}</option>' in (
        back.get_data(as_text=True)
    )


def test_a_foreign_or_forged_reference_falls_back_to_the_material(client, login_as, reports):
    r = reports
    login_as(r.w.author)
    for query in (
        f"?flag={r.other.id}",  # a report on another material
        "?flag=999999",  # no such report
        "?flag=//evil.example",  # not a number: never an address
        "?next=https://evil.example/",
    ):
        saved = _revise(client, r.first, query)
        assert saved.status_code == 302, query
        assert saved.headers["Location"] == f"/curricula/materials/{r.first.id}", query


def test_a_learner_cannot_use_the_reference(client, login_as, reports):
    r = reports
    login_as(r.w.asn)
    response = client.get(f"/curricula/materials/{r.first.id}/revise?flag={r.flag.id}")
    assert response.status_code in (403, 404)
