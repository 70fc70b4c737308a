"""Shared pieces of the course-material and feedback tests: a small world, real file bytes."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from openpyxl import Workbook

from portal.auth.models import Role
from portal.curricula.models import CurriculumState

PAYLOAD = "<script>alert(1)</script>"
PDF = b"%PDF-1.7\n%materi uji\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00;"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08free"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def _zip(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def docx() -> bytes:
    """A minimal Word document: content types plus ``word/document.xml``."""
    return _zip(
        {
            "[Content_Types].xml": _CONTENT_TYPES,
            "_rels/.rels": "<Relationships/>",
            "word/document.xml": '<w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Materi</w:t>'
            "</w:r></w:p></w:body></w:document>",
        }
    )


def pptx() -> bytes:
    """A minimal presentation: content types plus ``ppt/presentation.xml``."""
    return _zip(
        {
            "[Content_Types].xml": _CONTENT_TYPES,
            "_rels/.rels": "<Relationships/>",
            "ppt/presentation.xml": '<p:presentation xmlns:p="http://schemas.openxmlformats.org/'
            'presentationml/2006/main"/>',
        }
    )


def xlsx() -> bytes:
    """A real workbook written by openpyxl."""
    book = Workbook()
    book.active.append(["Materi", "JP"])
    book.active.append(["Analisis kebijakan", 4])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def plain_zip() -> bytes:
    """A zip archive that is not an Office document."""
    return _zip({"readme.txt": "just a zip", "data/file.csv": "a;b\n1;2\n"})


@dataclass
class World:
    uni: object
    agency: object
    author: object  # lead university author
    agency_author: object  # an ASN co-author on the agency side
    curriculum: object
    module: object
    asn: object  # a learner
    student: object  # a learner


def material_world(make, *, state=CurriculumState.PUBLISHED, modules=1, **kw) -> World:
    """A curriculum in ``state`` with a university and an agency co-author, and two learners
    (everyone reads English, so the tests can match the source strings)."""
    uni, agency = make.university(), make.agency()
    author = make.user(Role.UNIVERSITY, university=uni, full_name="Dosen Penulis", locale="en")
    agency_author = make.user(Role.ASN, agency=agency, full_name="ASN Penulis", locale="en")
    cur = make.curriculum(
        uni,
        agency=agency,
        author=author,
        agency_author=agency_author,
        state=state,
        modules=modules,
        **kw,
    )
    module = cur.modules[0]
    return World(
        uni,
        agency,
        author,
        agency_author,
        cur,
        module,
        asn=make.user(Role.ASN, full_name="Budi Learner", locale="en"),
        student=make.user(Role.STUDENT, full_name="Siti Mahasiswa", locale="en"),
    )


def file_post(data: bytes, name: str, **fields) -> dict:
    return {**fields, "file": (io.BytesIO(data), name)}
