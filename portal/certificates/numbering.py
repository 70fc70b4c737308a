"""Official certificate numbers: a pattern per kind of certificate, set in the configuration.

BKPSDM numbers its letters and STTPP in the government's style (Permendagri 1/2023 on
*tata naskah dinas*: a running number, the unit's code, the month in Roman numerals and the
year), e.g. ``0012/STTPP/BKPSDM/XII/2026``. The pattern is a Python format string with these
placeholders:

``{seq}``          the running number of that kind of certificate in the year of issue, from 1;
                   a format spec pads it: ``{seq:04d}`` gives ``0012``
``{year}``         the year of issue (``2026``)
``{month}``        the month of issue as a number (``{month:02d}`` gives ``12``)
``{roman_month}``  the month of issue in Roman numerals (``XII``)
``{code}``         four random characters (Crockford's base 32): a number nobody can guess
``{prefix}``       ``CERTIFICATE_PREFIX`` (``SNG``)

An empty pattern keeps the portal's random numbers (``SNG-2026-7KQ4-M9XD``). The running
number restarts each year, so a pattern with ``{seq}`` must also hold ``{year}``. The fixed
text may use capital letters, digits, ``/``, ``-`` and ``.`` only: a number is typed from
paper and is part of the check page's address. A number already issued never changes when
the pattern does; the running number goes on counting across a change of pattern.
"""

from __future__ import annotations

import re
import secrets
import string
from datetime import date

from portal.i18n import _l

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32
NUMBER_MAX = 40
PLACEHOLDERS = ("seq", "year", "month", "roman_month", "code", "prefix")
#: The configuration key of each kind's pattern.
PATTERN_KEYS = {
    "training": "CERTIFICATE_NUMBER_TRAINING",
    "internship": "CERTIFICATE_NUMBER_INTERNSHIP",
    "recognition": "CERTIFICATE_NUMBER_RECOGNITION",
}
_LITERAL = re.compile(r"^[A-Z0-9/.\-]*$")
#: What any number (random or patterned) may look like once normalised.
_ANY_NUMBER = re.compile(rf"^[A-Z0-9][A-Z0-9/.\-]{{2,{NUMBER_MAX - 1}}}$")
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


class PatternError(ValueError):
    """A pattern that cannot make certificate numbers; the message says why."""


def roman_month(month: int) -> str:
    return _ROMAN[month - 1]


def _values(seq: int, issued_on: date, prefix: str, code: str) -> dict:
    return {
        "seq": seq,
        "year": issued_on.year,
        "month": issued_on.month,
        "roman_month": roman_month(issued_on.month),
        "code": code,
        "prefix": prefix,
    }


def check_pattern(pattern: str, *, prefix: str = "SNG") -> None:
    """Raise ``PatternError`` (a translated message) unless ``pattern`` makes good numbers:
    known placeholders only, ``{seq}`` or ``{code}`` (so numbers differ), ``{year}`` beside
    ``{seq}``, allowed fixed text, and at most 40 characters for the longest number."""
    if not isinstance(pattern, str):
        raise PatternError(_l("A certificate number pattern must be text."))
    if not pattern:
        return
    try:
        parts = list(string.Formatter().parse(pattern))
    except ValueError:
        raise PatternError(
            _l("The pattern has an unmatched brace: write placeholders as {seq:04d}.")
        ) from None
    fields = set()
    for literal, name, _spec, conversion in parts:
        if not _LITERAL.match(literal):
            raise PatternError(
                _l(
                    "The fixed text “%(text)s” may use capital letters, digits, / - and . only.",
                    text=literal,
                )
            )
        if name is None:
            continue
        if name not in PLACEHOLDERS or conversion:
            raise PatternError(
                _l(
                    "Unknown placeholder {%(name)s}; use %(known)s.",
                    name=name,
                    known=", ".join("{" + p + "}" for p in PLACEHOLDERS),
                )
            )
        fields.add(name)
    if not fields & {"seq", "code"}:
        raise PatternError(
            _l("The pattern needs {seq} or {code}, or every certificate gets the same number.")
        )
    if "seq" in fields and "year" not in fields:
        raise PatternError(
            _l("The running number {seq} restarts every year: the pattern needs {year} too.")
        )
    try:
        longest = pattern.format(**_values(99999, date(2026, 8, 28), prefix, "ZZZZ"))
    except (ValueError, TypeError, IndexError, KeyError):
        raise PatternError(
            _l("A placeholder's format is wrong: for example {seq:04d} or {month:02d}.")
        ) from None
    if len(longest) > NUMBER_MAX:
        raise PatternError(
            _l("The numbers would be longer than %(max)d characters.", max=NUMBER_MAX)
        )
    if not _ANY_NUMBER.match(longest):
        raise PatternError(
            _l("A number must start with a letter or digit, e.g. {seq:04d}/STTPP/{year}.")
        )


def format_number(pattern: str, *, seq: int, issued_on: date, prefix: str) -> str:
    """The number for ``seq`` issued on ``issued_on`` (the pattern was checked at start-up)."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(4))
    return pattern.format(**_values(seq, issued_on, prefix, code))


def uses_sequence(pattern: str) -> bool:
    return any(name == "seq" for _lit, name, _spec, _conv in string.Formatter().parse(pattern))


def example(pattern: str, *, prefix: str = "SNG") -> str:
    """A sample number for the help text of the check form."""
    return pattern.format(**_values(12, date(2026, 12, 8), prefix, "7KQ4"))


def check_config(config) -> None:
    """Every configured pattern is good; else a ``ValueError`` naming the key (start-up)."""
    for key in PATTERN_KEYS.values():
        try:
            check_pattern(config.get(key, ""), prefix=config.get("CERTIFICATE_PREFIX", "SNG"))
        except PatternError as error:
            raise ValueError(f"{key} = {config.get(key)!r}: {error.args[0]}") from None
    nip = config.get("CERTIFICATE_SIGNER_NIP") or ""
    if nip:
        from portal.competency.nip import check_nip

        check = check_nip(str(nip))
        if check.errors:
            raise ValueError(f"CERTIFICATE_SIGNER_NIP = {nip!r}: {check.errors[0]}")


def looks_like_number(text: str) -> bool:
    return bool(_ANY_NUMBER.match(text))
