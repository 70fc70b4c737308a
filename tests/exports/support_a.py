"""Shared pieces of the export tests of the admin, account, competency and curricula lists: reading
a CSV or XLSX download back into rows, a guard that an export writes nothing, and a world of two
universities (A, B) and two OPDs (A, B) whose rows carry recognisable names, e-mails and NIM."""

from __future__ import annotations

import csv
import io
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from openpyxl import load_workbook
from sqlalchemy import event

from portal.auth.models import AccountStatus, Role
from portal.competency.models import AsnStatus, CompetencyType, PositionKind
from portal.curricula.models import CurriculumState

FORMATS = ("csv", "xlsx")
INJECTION = '=HYPERLINK("http://evil.example/","klik")'


def read_export(response, fmt: str) -> list[list[str]]:
    """The rows of a downloaded list (header row first), every cell as text ("" for empty)."""
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Disposition"].rstrip('"').endswith(f".{fmt}")
    if fmt == "csv":
        assert response.mimetype == "text/csv"
        text = response.get_data().decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text), delimiter=";"))
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.get_data()), read_only=True).worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def download(client, url: str, fmt: str, **args) -> list[list[str]]:
    """GET ``url`` (with ``{fmt}`` filled in) and read the file back."""
    return read_export(client.get(url.format(fmt=fmt), query_string=args), fmt)


def flat(rows) -> str:
    """Every cell of the file in one string (to look for what must not be there)."""
    return "\n".join(";".join(row) for row in rows)


@contextmanager
def no_writes():
    """Fails if a statement inside the block writes to the database (exports are GETs)."""
    writes: list[str] = []

    def listener(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(statement)

    event.listen(sa.Engine, "before_cursor_execute", listener)
    try:
        yield
    finally:
        event.remove(sa.Engine, "before_cursor_execute", listener)
    assert writes == []


@dataclass
class Side:
    """One university and one OPD with their people and objects."""

    university: object
    agency: object
    staff: object
    student: object
    opd_admin: object
    asn: object
    asn_profile: object
    position: object
    competency: object
    curriculum: object = None
    flag: object = None


def side(make, tag: str, *, curricula: bool = False) -> Side:
    """University ``tag`` and OPD ``tag``; names, e-mails and NIM all contain ``tag``."""
    low = tag.lower()
    university = make.university(name=f"Universitas {tag}", short_name=f"UNI{tag}")
    agency = make.agency(name=f"Dinas {tag}", short_name=f"OPD{tag}")
    staff = make.user(
        Role.UNIVERSITY,
        university=university,
        full_name=f"Dosen {tag}",
        email=f"dosen.{low}@example.com",
        locale="en",
    )
    student = make.user(
        Role.STUDENT,
        university=university,
        status=AccountStatus.PENDING,
        full_name=f"Mahasiswa {tag}",
        email=f"mhs.{low}@example.com",
        nim=f"NIM{tag}{tag}77",
        locale="en",
    )
    opd_admin = make.user(
        Role.ADMIN,
        admin_agency=agency,
        agency=agency,
        full_name=f"Admin {tag}",
        email=f"admin.{low}@example.com",
        locale="en",
    )
    competency = make.competency(agency=agency, code=f"T.{tag}.1", name=f"Teknis {tag}")
    position = make.position(
        agency=agency, name=f"Analis {tag}", competencies=[competency], kind=PositionKind.FUNGSIONAL
    )
    asn = make.user(
        Role.ASN,
        agency=agency,
        full_name=f"Pegawai {tag}",
        email=f"asn.{low}@example.com",
        locale="en",
    )
    profile = make.asn_profile(asn, position=position, status=AsnStatus.PNS)
    result = Side(university, agency, staff, student, opd_admin, asn, profile, position, competency)
    if curricula:
        cur = make.curriculum(
            university,
            agency=agency,
            author=staff,
            title=f"Kurikulum {tag}",
            state=CurriculumState.PUBLISHED,
            competency=competency,
        )
        module = cur.modules[0]
        material = make.material(module, title=f"Materi {tag}")
        learner = make.user(
            Role.ASN, full_name=f"Pelapor {tag}", email=f"pelapor.{low}@example.com"
        )
        result.curriculum = cur
        result.flag = make.flag(material, learner, description=f"Salah ketik {tag}")
    return result


def city_admin(make):
    return make.user(
        Role.ADMIN, full_name="Admin Kota", email="admin.kota@example.com", locale="en"
    )


def managerial(make):
    return make.competency(type=CompetencyType.MANAGERIAL, code="M.UJI.1", name="Integritas Uji")
