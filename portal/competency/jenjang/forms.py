"""The JF jenjang table: one form with two level selects per jenjang."""

from __future__ import annotations

from wtforms import SelectField

from portal.competency.models import JF_JENJANG, LEVELS
from portal.forms import BaseForm, choices
from portal.i18n import _l

LEVEL_CHOICES = choices((n, str(n)) for n in LEVELS)


def key(jenjang: str) -> str:
    """The field-name part of a jenjang ("Ahli Pertama" → "ahli_pertama")."""
    return jenjang.lower().replace(" ", "_")


def jenjang_form(levels: dict[str, tuple[int, int]]):
    """A form with the managerial and the technical level of every jenjang, filled in."""

    class JenjangLevelsForm(BaseForm):
        def levels(self) -> dict[str, tuple[int, int]]:
            return {
                j: (self[f"managerial_{key(j)}"].data, self[f"technical_{key(j)}"].data)
                for j in JF_JENJANG
            }

        def rows(self):
            return [
                (j, self[f"managerial_{key(j)}"], self[f"technical_{key(j)}"]) for j in JF_JENJANG
            ]

    for jenjang in JF_JENJANG:
        managerial, technical = levels[jenjang]
        for prefix, label, default in (
            ("managerial", _l("Managerial and socio-cultural level"), managerial),
            ("technical", _l("Technical level"), technical),
        ):
            setattr(
                JenjangLevelsForm,
                f"{prefix}_{key(jenjang)}",
                SelectField(label, coerce=int, choices=LEVEL_CHOICES, default=default),
            )
    return JenjangLevelsForm()
