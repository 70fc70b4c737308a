"""People's names inside sentences.

A name may end with a full stop of its own: an academic degree written after it ("Dr. Rina
Siregar, M.Pd.", "Putri Harahap, S.Sos."). A sentence that puts its full stop right after the
name would then show two ("M.Pd.."); the name's stop ends the sentence instead.
"""

from __future__ import annotations

from markupsafe import Markup, escape


def single_stop(sentence, name):
    """``sentence`` (a translated message with ``name`` in it) without the doubled full stop
    where ``name`` ends with one and the sentence puts another right after it. An ellipsis or a
    stop elsewhere is left alone. Markup stays Markup (the name is then compared escaped)."""
    name = str(name or "")
    if not name.endswith(".") or sentence is None:
        return sentence
    if isinstance(sentence, Markup):
        written = escape(name)
        return sentence.replace(written + ".", written)
    return str(sentence).replace(name + ".", name)
