"""How a certificate's copied details read on the PDF and the check page: the NIP grouped as
on official documents (Perka BKN 22/2007, DOMAIN.md §4.1) or masked,
JP and the final grade as numbers in the reader's locale."""

from __future__ import annotations

from flask_babel import format_decimal

from portal.competency.nip import check_nip


def nip_display(nip: str | None) -> str | None:
    """``19860926 201505 1 001`` (PPPK: ``19890225 2024 21 1 013``); None without a NIP."""
    if not nip:
        return None
    return check_nip(nip).display


def masked_nip(nip: str | None) -> str | None:
    """The NIP for the public check page: only its serial shows (``•••••••• •••••• • 001``).
    Its first digits are the holder's date of birth and the 15th their sex (UU 27/2022 PDP:
    show no more than a check needs); the serial is enough to tell the paper matches."""
    shown = nip_display(nip)
    if not shown:
        return None
    groups = shown.split(" ")
    return " ".join(["•" * len(g) for g in groups[:-1]] + [groups[-1]])


def jp_text(value: float | None) -> str | None:
    """``24`` or ``7,5`` JP as the reader writes numbers."""
    return None if value is None else format_decimal(value, format="#,##0.#")


def grade_text(certificate) -> str | None:
    """The final grade with its letter when there is one: ``86,40 (A)``."""
    if certificate.final_grade is None:
        return None
    grade = format_decimal(certificate.final_grade, format="0.00")
    return f"{grade} ({certificate.grade_letter})" if certificate.grade_letter else grade
