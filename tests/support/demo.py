"""The demo data (``flask demo-data``), loaded once per test session (per xdist worker).

``demo_app`` is an app on a database of its own holding the demo, committed for real; a test
module reads it by overriding ``app``::

    @pytest.fixture(scope="module")
    def app(demo_app):
        return demo_app

after which ``db``, ``client`` and ``login_as`` work on the demo, each test inside a
transaction rolled back after it (tests/support/db.py), so no test sees another's changes.
``demo_app.demo_output`` is what the command printed.
"""

from __future__ import annotations

import pytest

from portal.db import db
from tests.support.app import isolated_app
from tests.support.client import PortalClient


@pytest.fixture(scope="session")
def demo_app(tmp_path_factory):
    with isolated_app(tmp_path_factory.mktemp("demo"), "portal_demo") as app:
        with app.app_context():
            result = app.test_cli_runner().invoke(args=["demo-data"])
            assert result.exit_code == 0, result.output
            db.session.remove()
        app.demo_output = result.output
        app.test_client_class = PortalClient
        yield app
