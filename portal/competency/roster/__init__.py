"""ASN roster import: read a CSV or XLSX roster, check every row, then write it all or nothing.

``parse(data, ext)`` turns a file into raw rows (a file that cannot be read raises
:class:`RosterFileError`); ``validate(raw_rows, actor)`` gives every row its errors (refuse) and
warnings (accept, but show); ``apply(rows, actor)`` creates or updates the accounts and ASN records
of valid rows, flushes and audits, and never commits. The reads are bulk loads in a fixed number
of queries, so checking 2,000 rows costs the same handful of queries as checking 5.

A row is the whole record: empty golongan, position or supervisor cells clear those fields.
"""

from portal.competency.roster.checking import summary, validate
from portal.competency.roster.reading import (
    EXTENSIONS,
    FIELDS,
    REQUIRED,
    TEMPLATE_HEADERS,
    RawRow,
    RosterFileError,
    RosterRow,
    max_rows,
    parse,
    sniff,
)
from portal.competency.roster.workbooks import errors_workbook, template_workbook
from portal.competency.roster.writing import apply

__all__ = [
    "EXTENSIONS",
    "FIELDS",
    "REQUIRED",
    "TEMPLATE_HEADERS",
    "RawRow",
    "RosterFileError",
    "RosterRow",
    "apply",
    "errors_workbook",
    "max_rows",
    "parse",
    "sniff",
    "summary",
    "template_workbook",
    "validate",
]
