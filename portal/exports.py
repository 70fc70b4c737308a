"""CSV and XLSX downloads of a list, with the same rows and columns the page shows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response, abort
from openpyxl import Workbook

#: The formats every list exports to (the ``fmt`` URL argument of an export endpoint).
FORMATS = ("csv", "xlsx")

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    """Text that a spreadsheet would run as a formula is prefixed with ' (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value if value is None or isinstance(value, int | float) else str(value)


def _download(body: bytes, filename: str, mimetype: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_download(filename: str, headers: Sequence, rows: Iterable[Sequence]) -> Response:
    """UTF-8 with BOM (Excel opens it right) and ``;`` separators, as Indonesian Excel expects."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([str(h) for h in headers])
    writer.writerows([_safe(v) for v in row] for row in rows)
    return _download(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), f"{filename}.csv", "text/csv; charset=utf-8"
    )


def xlsx_download(
    filename: str, headers: Sequence, rows: Iterable[Sequence], title: str = "Data"
) -> Response:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(title)[:31])
    sheet.append([str(h) for h in headers])
    for row in rows:
        sheet.append([_safe(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _download(
        buffer.getvalue(),
        f"{filename}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def export(
    fmt: str, filename: str, headers: Sequence, rows: Iterable[Sequence], title: str = "Data"
) -> Response:
    """The list as ``fmt`` (one of FORMATS; anything else is a 404). ``rows`` must come from the
    same scoped, filtered query as the page, without its pagination."""
    if fmt == "csv":
        return csv_download(filename, headers, rows)
    if fmt == "xlsx":
        return xlsx_download(filename, headers, rows, title=title)
    abort(404)
