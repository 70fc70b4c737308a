"""The public catalogue: published curricula only, search and filters, metadata-only for
visitors, escaped text, and a fixed number of queries (P4)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import url_for

from portal.auth.models import Role
from portal.curricula.models import (
    Audience,
    CurriculumState,
    DeliveryMode,
    Module,
)
from portal.db import utcnow

S = CurriculumState
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _published(make, **kw):
    return make.curriculum(state=S.PUBLISHED, published_at=kw.pop("published_at", utcnow()), **kw)


def _titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="h5 card-title"><a href="/curricula/\d+">([^<]*)</a>', html)


def _material_url(app, material) -> str:
    with app.test_request_context():
        return url_for("curricula.material", material_id=material.id)


# --- who sees what ---------------------------------------------------------------------------


def test_visitors_see_published_curricula_without_signing_in(client, make):
    cur = _published(make, title="Analisis Data untuk Perencanaan Pembangunan")
    response = client.get("/curricula/")
    assert response.status_code == 200
    assert _titles(response.get_data(as_text=True)) == [cur.title]
    page = client.get(f"/curricula/{cur.id}")
    assert page.status_code == 200 and cur.title in page.get_data(as_text=True)


@pytest.mark.parametrize("state", [s for s in S if s != S.PUBLISHED], ids=str)
def test_unpublished_curricula_are_neither_listed_nor_shown(client, make, login_as, state):
    author = make.user(Role.UNIVERSITY)
    admin = make.user(Role.ADMIN)
    hidden = make.curriculum(author.university, author=author, state=state, title="Tersembunyi")
    shown = _published(make, title="Terbit")
    for who in (None, author, admin):  # not even its authors or a city admin
        if who is not None:
            login_as(who)
        html = client.get("/curricula/").get_data(as_text=True)
        assert _titles(html) == [shown.title]
        assert client.get(f"/curricula/{hidden.id}").status_code == 404
        assert _titles(client.get("/curricula/?q=Tersembunyi").get_data(as_text=True)) == []
    assert client.get("/curricula/999999").status_code == 404


# --- search, filters, pagination -------------------------------------------------------------


def test_search_covers_title_summary_and_outcomes(client, make):
    by_title = _published(make, title="Pelayanan Publik Digital", summary="Layanan daring.")
    by_summary = _published(make, title="Kurikulum B", summary="Tentang tanda tangan ELEKTRONIK.")
    by_outcome = _published(make, title="Kurikulum C", learning_outcomes="Menyusun dashboard SPBE")
    _published(make, title="Kurikulum D", summary="Lain sama sekali")

    def found(q):
        return set(_titles(client.get("/curricula/", query_string={"q": q}).get_data(as_text=True)))

    assert found("publik DIGITAL") == {by_title.title}
    assert found("elektronik") == {by_summary.title}
    assert found("dashboard spbe") == {by_outcome.title}
    assert found("kurikulum") == {"Kurikulum B", "Kurikulum C", "Kurikulum D"}
    assert found("100%") == set() and found("_") == set()  # LIKE wildcards are literal
    html = client.get("/curricula/", query_string={"q": "elektronik"}).get_data(as_text=True)
    assert 'value="elektronik"' in html  # the search box keeps what was typed


def test_filters_by_competency_audience_mode_and_university(client, make):
    usu, unimed = make.university(name="Universitas Sumatera Utara"), make.university()
    data = make.competency(name="Analisis Data Perencanaan")
    service = make.competency(name="Pelayanan Publik")
    a = _published(
        make,
        university=usu,
        competency=data,
        title="A",
        audience=Audience.ASN,
        mode=DeliveryMode.BLENDED,
    )
    b = _published(
        make,
        university=unimed,
        competency=service,
        title="B",
        audience=Audience.STUDENTS,
        mode=DeliveryMode.KLASIKAL,
    )
    c = _published(
        make,
        university=unimed,
        competency=service,
        title="C",
        audience=Audience.BOTH,
        mode=DeliveryMode.E_LEARNING,
    )

    def found(**args):
        html = client.get("/curricula/", query_string=args).get_data(as_text=True)
        return set(_titles(html)), html

    assert found(competency=data.id)[0] == {a.title}
    assert found(competency=service.id)[0] == {b.title, c.title}
    # "ASN and students" curricula are for ASN too, and for students too.
    assert found(audience="asn")[0] == {a.title, c.title}
    assert found(audience="students")[0] == {b.title, c.title}
    assert found(audience="both")[0] == {c.title}
    assert found(mode="klasikal")[0] == {b.title}
    assert found(mode="e_learning")[0] == {c.title}
    assert found(university=usu.id)[0] == {a.title}
    assert found(university=unimed.id, audience="students", mode="e_learning")[0] == {c.title}
    titles, html = found(
        competency=service.id, audience="both", mode="e_learning", university=unimed.id
    )
    assert titles == {c.title}
    # The form keeps every chosen value.
    for name, value in (
        ("competency", service.id),
        ("audience", "both"),
        ("mode", "e_learning"),
        ("university", unimed.id),
    ):
        select = re.search(rf'<select[^>]*name="{name}">.*?</select>', html, re.S).group(0)
        assert re.search(rf'<option value="{value}" selected>', select), name
    # Only competencies and universities that have a published curriculum are offered.
    _draft_only = make.curriculum(competency=make.competency(name="Hanya Di Draf"))
    assert "Hanya Di Draf" not in client.get("/curricula/").get_data(as_text=True)


@pytest.mark.parametrize("args", [
    {"competency": "abc"}, {"competency": "99999999999"}, {"audience": "x"}, {"mode": "%00"},
    {"university": "-1"}, {"page": "0"}, {"page": "999999999"}, {"q": "\x00"}, {"q": "a" * 500},
])  # fmt: skip
def test_bad_filter_values_mean_no_filter(client, make, args):
    _published(make, title="Tetap Ada")
    response = client.get("/curricula/", query_string=args)
    assert response.status_code == 200
    if "q" not in args and "page" not in args:
        assert _titles(response.get_data(as_text=True)) == ["Tetap Ada"]


def test_catalogue_is_paginated_newest_first(client, make, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    from datetime import timedelta

    now = utcnow()
    for i in range(5):
        _published(make, title=f"Kurikulum {i}", published_at=now - timedelta(days=i))
    pages = [_titles(client.get(f"/curricula/?page={p}").get_data(as_text=True)) for p in (1, 2, 3)]
    assert pages == [
        ["Kurikulum 0", "Kurikulum 1"],
        ["Kurikulum 2", "Kurikulum 3"],
        ["Kurikulum 4"],
    ]
    html = client.get("/curricula/?page=2&mode=blended").get_data(as_text=True)
    assert "page=3" in html and "mode=blended" in html  # links keep the filters


# --- the curriculum page ---------------------------------------------------------------------


def _full_curriculum(make, db):
    usu = make.university(name="Universitas Sumatera Utara")
    bappeda = make.agency(name="Badan Perencanaan Pembangunan Daerah")
    cur = _published(
        make,
        university=usu,
        agency=bappeda,
        modules=0,
        competency=make.competency(name="Analisis Data Perencanaan"),
        title="Analisis Data untuk Perencanaan Pembangunan",
        audience=Audience.ASN,
        mode=DeliveryMode.BLENDED,
        learning_outcomes="Membaca data BPS\nMenyusun dashboard",
    )
    modules = [
        Module(
            curriculum_id=cur.id,
            position=2,
            title="Visualisasi Data",
            objectives="Membuat grafik",
            jp=12,
            method="praktik",
        ),
        Module(
            curriculum_id=cur.id,
            position=1,
            title="Statistik Dasar",
            objectives="Memahami rerata",
            jp=8,
            method="ceramah",
        ),
    ]
    db.session.add_all(modules)
    db.session.flush()
    mats = {
        "text": make.material(modules[1], kind="text", title="Modul Bacaan Statistik"),
        "link": make.material(modules[0], kind="link", title="Perwal Satu Data", versions=2),
        "file": make.material(modules[0], kind="file", title="Slide Visualisasi"),
    }
    return cur, mats


def test_curriculum_page_shows_its_contents(client, make, db):
    cur, mats = _full_curriculum(make, db)
    html = client.get(f"/curricula/{cur.id}?lang=en").get_data(as_text=True)
    for text in (
        "Analisis Data untuk Perencanaan Pembangunan",
        "Universitas Sumatera Utara",
        "Badan Perencanaan Pembangunan Daerah",
        "ASN",
        "Blended",
        "20 JP",
        "Membaca data BPS",
        "Menyusun dashboard",
        "Analisis Data Perencanaan: level 3",
        "Membuat grafik",
        "12 JP",
        "8 JP",
        "Praktik",
        "Ceramah",
    ):
        assert text in html, text
    # Modules in their order, each with its materials' metadata.
    assert html.index("Module 1: Statistik Dasar") < html.index("Module 2: Visualisasi Data")
    assert html.index("Modul Bacaan Statistik") < html.index("Module 2: Visualisasi Data")
    link_item = re.search(r"Perwal Satu Data.*?</li>", html, re.S).group(0)
    assert "External link" in link_item and "version 2" in link_item
    assert "File" in re.search(r"Slide Visualisasi.*?</li>", html, re.S).group(0)


def test_visitors_see_metadata_only(client, make, db, app):
    cur, mats = _full_curriculum(make, db)
    html = client.get(f"/curricula/{cur.id}?lang=en").get_data(as_text=True)
    for material in mats.values():
        assert material.title in html
        assert _material_url(app, material) not in html
    assert "jdih.pemkomedan.go.id" not in html  # not even the external link's address
    assert "/download" not in html and "/materials/" not in html
    assert "sign in to open them" in html
    assert f'href="/login?next=/curricula/{cur.id}"' in html.replace("%2F", "/")


def test_signed_in_users_get_the_material_links(client, make, db, app, login_as):
    cur, mats = _full_curriculum(make, db)
    login_as(make.user(Role.STUDENT, locale="en"))
    html = client.get(f"/curricula/{cur.id}").get_data(as_text=True)
    for material in mats.values():
        assert f'href="{_material_url(app, material)}"' in html
    assert "sign in to open them" not in html


def test_ratings_and_needs_improvement(client, make, db):
    cur, mats = _full_curriculum(make, db)
    learners = [make.user(Role.ASN) for _ in range(5)]
    for user in learners[:2]:  # two ratings: too few for an average
        make.rating(mats["text"], user, overall=5)
    for user, score in zip(learners, (1, 2, 3, 2, 3), strict=True):  # five, averaging 2.2
        make.rating(mats["link"], user, overall=score)
    for user in learners[:3]:  # three good ones: an average, no badge
        make.rating(mats["file"], user, overall=4)
    html = client.get(f"/curricula/{cur.id}?lang=en").get_data(as_text=True)

    def item(title):
        return re.search(rf"{title}.*?</li>", html, re.S).group(0)

    assert "rated" not in item("Modul Bacaan Statistik")
    assert "rated 2.2 of 5 (5 ratings)" in item("Perwal Satu Data")
    assert "Needs improvement" in item("Perwal Satu Data")
    assert "rated 4.0 of 5 (3 ratings)" in item("Slide Visualisasi")
    assert "Needs improvement" not in item("Slide Visualisasi")


def test_stored_xss_is_escaped(client, make, db, login_as):
    cur = _published(
        make, title=f"Judul {XSS}", summary=f"Ringkasan {XSS}", learning_outcomes=f"Hasil {XSS}"
    )
    module = Module(
        curriculum_id=cur.id,
        position=9,
        title=f"Modul {XSS}",
        objectives=XSS,
        jp=2,
        method="diskusi",
    )
    db.session.add(module)
    db.session.flush()
    make.material(module, title=f"Materi {XSS}")
    for who in (None, make.user(Role.ASN)):
        if who is not None:
            login_as(who)
        for url in ("/curricula/", f"/curricula/{cur.id}", "/curricula/?q=Judul"):
            html = client.get(url).get_data(as_text=True)
            assert "<script>alert" not in html and "<img src=x" not in html, url
            assert "&lt;script&gt;alert(" in html, url


# --- queries (P4) ----------------------------------------------------------------------------


def _grow(
    make,
    db,
    count: int,
    *,
    modules: int,
    kinds: tuple[str, ...],
    raters: list,
    competency,
    university,
    agency,
):
    """``count`` published curricula × ``modules`` modules × one material per kind, each
    material rated by every rater."""
    made = []
    for _ in range(count):
        cur = _published(
            make, university=university, agency=agency, competency=competency, modules=modules
        )
        for module in db.session.scalars(sa.select(Module).where(Module.curriculum_id == cur.id)):
            for kind in kinds:
                material = make.material(module, kind=kind)
                for user in raters:
                    make.rating(material, user, overall=4)
        made.append(cur)
    return made


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "student"])
def test_query_count_does_not_grow_with_curricula(
    client, make, db, login_as, count_queries, signed_in
):
    competency, uni, opd = make.competency(), make.university(), make.agency()
    raters = [make.user(Role.ASN, agency=opd) for _ in range(3)]
    if signed_in:
        login_as(make.user(Role.STUDENT))
    sizes = [  # 1 small curriculum, then 8 curricula × 6 modules × 3 materials × 3 ratings
        _grow(
            make,
            db,
            1,
            modules=1,
            kinds=("text",),
            raters=raters[:1],
            competency=competency,
            university=uni,
            agency=opd,
        ),
        _grow(
            make,
            db,
            7,
            modules=6,
            kinds=("text", "link", "file"),
            raters=raters,
            competency=competency,
            university=uni,
            agency=opd,
        ),
    ]
    counts: dict[str, list[int]] = {}
    # The catalogue is counted after each batch; the page of the small and of a large one.
    for made in sizes:
        for name, url in (
            ("catalogue", "/curricula/"),
            ("search", f"/curricula/?competency={competency.id}&q=Kurikulum"),
            ("page", f"/curricula/{made[-1].id}"),
        ):
            with count_queries() as n:
                response = client.get(url)
            assert response.status_code == 200, url
            counts.setdefault(name, []).append(n())
    html = client.get("/curricula/").get_data(as_text=True)
    assert len(_titles(html)) == 8
    for name, (small, large) in counts.items():
        assert small == large, f"{name}: {small} queries with 1 curriculum, {large} with 8"
        assert 1 <= small <= 12, f"{name}: {small} queries"
