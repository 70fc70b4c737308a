"""Accessibility checks of the page in the browser with axe-core (axe-playwright-python)."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

#: Violations of these impacts fail the test; "moderate" and "minor" are left to review.
BLOCKING_IMPACTS = frozenset({"serious", "critical"})

_axe = Axe()
#: axe's defaults, plus WCAG 2.2's target size (2.5.8, at least 24 px), which axe leaves off.
OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}


def describe(violations: list[dict]) -> str:
    """One paragraph per violation: rule id, impact, help text and link, and every target node."""
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v.get('help')} <{v.get('helpUrl')}>")
        for node in v.get("nodes", []):
            target = " ".join(str(t) for t in node.get("target", []))
            html = " ".join(node.get("html", "").split())
            lines.append(f"    target {target}: {html[:200]}")
            summary = " ".join((node.get("failureSummary") or "").split())
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(page, where: str) -> list[dict]:
    """Fail if axe finds a serious or critical violation on ``page`` (``where`` names the step).

    Returns the non-blocking violations, for whoever wants to look at them.
    """
    # A navigation started by a click can show its text before its stylesheets have loaded;
    # checking colour contrast then would check an unstyled page.
    page.wait_for_load_state("load")
    violations = _axe.run(page, options=OPTIONS).response["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    assert not blocking, (
        f"axe-core found {len(blocking)} serious/critical accessibility violation(s) on "
        f"{where} ({page.url}):\n{describe(blocking)}"
    )
    return [v for v in violations if v.get("impact") not in BLOCKING_IMPACTS]


class AxeChecks:
    """axe-core on the main pages of a journey. A violation is noted and the journey goes on, so
    that one page's accessibility problem does not hide whether the later steps work; the test
    fails at the end with every violation found."""

    def __init__(self):
        self.failures: list[str] = []

    def __call__(self, page, where: str) -> None:
        try:
            assert_accessible(page, where)
        except AssertionError as exc:
            self.failures.append(str(exc))

    def assert_none(self) -> None:
        if self.failures:
            raise AssertionError("\n\n".join(self.failures))
