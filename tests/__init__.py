"""The test suite (docs/testing.md). Every module under ``tests`` gets pytest's assertion
rewriting, helpers included (tests/support/, the e2e steps), so their failures say what failed."""

from pathlib import Path

import pytest

_HERE = Path(__file__).parent
pytest.register_assert_rewrite(
    *(f"tests.{p.name}" for p in _HERE.iterdir() if (p / "__init__.py").exists()),
    *(f"tests.{p.stem}" for p in _HERE.glob("*.py") if p.stem not in ("__init__", "conftest")),
)
