"""NIP (Nomor Induk Pegawai) validation, Perka BKN 22/2007 and the PPPK "NI PPPK" (DOMAIN.md §4.1).

PNS:  YYYYMMDD (birth) YYYYMM (TMT CPNS) G (1 male, 2 female) NNN (serial 001–999)
PPPK: YYYYMMDD (birth) YYYY (appointment year) 2 (PPPK marker) K (1–9 contracts) G NNN
The 13th digit tells them apart: 0/1 is a PNS TMT month, 2 marks PPPK.

Structural faults are errors; implausible but possible values (age at appointment outside about
18–46, a birth date in the future of the appointment by little) are warnings: legacy data has
anomalies, and a real NIP must never be refused on plausibility alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from portal.i18n import _l
from portal.util import clock

NIP_LENGTH = 18
_DIGITS = re.compile(r"^\d{18}$")
_SEPARATORS = re.compile(r"[\s.\-]")


@dataclass
class NipCheck:
    nip: str
    kind: str | None = None  # "pns" or "pppk"
    birth_date: date | None = None
    appointed: date | None = None  # first day of the TMT month (PNS) or 1 January (PPPK)
    gender: str | None = None  # "male" / "female"
    serial: int | None = None
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def display(self) -> str:
        """Grouped as printed on official documents: ``19860926 201505 1 001``."""
        n = self.nip
        if len(n) != NIP_LENGTH:
            return n
        if self.kind == "pppk":
            return f"{n[:8]} {n[8:12]} {n[12:14]} {n[14]} {n[15:]}"
        return f"{n[:8]} {n[8:14]} {n[14]} {n[15:]}"


def normalise_nip(raw: str) -> str:
    """Drop the spaces, dots and dashes people type between the groups."""
    return _SEPARATORS.sub("", raw or "")


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def check_nip(raw: str, *, today: date | None = None) -> NipCheck:
    """Validate a NIP; the result lists errors (refuse) and warnings (accept, but show)."""
    today = today or clock.today()
    nip = normalise_nip(raw)
    result = NipCheck(nip=nip)
    if not _DIGITS.match(nip):
        result.errors.append(_l("A NIP has exactly 18 digits."))
        return result

    birth = _date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    if birth is None:
        result.errors.append(_l("Digits 1–8 of the NIP are not a real date of birth."))
    elif birth > today:
        result.errors.append(_l("The date of birth in the NIP lies in the future."))
    result.birth_date = birth

    marker = nip[12]
    if marker == "2":
        result.kind = "pppk"
        year, contracts = int(nip[8:12]), nip[13]
        appointed = _date(year, 1, 1)
        if contracts == "0":
            result.errors.append(_l("Digit 14 of a PPPK number (the number of contracts) is 1–9."))
    else:
        result.kind = "pns"
        appointed = _date(int(nip[8:12]), int(nip[12:14]), 1)
        if appointed is None:
            result.errors.append(_l("Digits 13–14 of the NIP are not a month (01–12)."))
    result.appointed = appointed

    gender = nip[14]
    if gender not in "12":
        result.errors.append(_l("Digit 15 of the NIP is the gender: 1 or 2."))
    else:
        result.gender = "male" if gender == "1" else "female"

    result.serial = int(nip[15:18])
    if result.serial == 0:
        result.errors.append(_l("The serial number at the end of the NIP runs from 001 to 999."))

    if birth and appointed:
        if appointed.year < birth.year or appointed <= birth:
            result.errors.append(_l("The appointment in the NIP is before the date of birth."))
        else:
            age = (
                appointed.year
                - birth.year
                - ((appointed.month, appointed.day) < (birth.month, birth.day))
            )
            if not 18 <= age <= 46:
                result.warnings.append(
                    _l(
                        "Unusual: the NIP says this person was appointed at the age of %(age)d.",
                        age=age,
                    )
                )
        if appointed > today:
            result.warnings.append(_l("Unusual: the appointment date in the NIP is in the future."))
    return result
