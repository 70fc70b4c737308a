"""A feature's blueprint and the one visible list of the modules that put routes on it."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module

from flask import Blueprint


def with_views(bp: Blueprint, package: str, modules: Iterable[str]) -> Blueprint:
    """Import each of ``package``'s view ``modules`` (importing one registers its routes on
    ``bp``) and return ``bp``. A module already imported is not imported again."""
    for name in modules:
        import_module(f"{package}.{name}")
    return bp
