"""What every browser journey checks on every page: no console errors, no Content Security
Policy violations, and no axe-core accessibility violations (WCAG 2.2 AA rules) at a
phone width and a desktop width.

axe-core comes from the `axe-playwright-python` package (its bundled axe.min.js). It is
evaluated through the DevTools protocol, which the page's CSP does not govern, so the
pages are scanned with the production policy in force and nothing is loosened for tests.
"""

from dataclasses import dataclass, field
from pathlib import Path

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Collects CSP violations in the page itself, before any of the page's own scripts run.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""

# Back to the top of the page at once (not smoothly), then two animation frames, so the layout
# has settled at the new width.
SETTLE = """() => new Promise((resolve) => {
  window.scrollTo({top: 0, left: 0, behavior: "instant"});
  requestAnimationFrame(() => requestAnimationFrame(() => {
    // Finite transitions run out first (a button's hover fading in or out, the results'
    // loading dim): axe would read their colours half-way.
    const running = document.getAnimations().filter(
      (a) => a.playState === "running" && a.effect.getComputedTiming().endTime !== Infinity);
    const done = Promise.all(running.map((a) => a.finished.catch(() => null)));
    Promise.race([done, new Promise((later) => setTimeout(later, 1000))]).then(resolve);
  }));
})"""


def axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


@dataclass
class PageWatch:
    """Attached to a Playwright page: gathers its console errors while a journey runs."""

    page: object
    axe: str
    console_errors: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.page.add_init_script(CSP_LISTENER)
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error}"))

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def csp_violations(self) -> list[str]:
        return self.page.evaluate("window.__cspViolations || []")

    def accessibility_violations(self) -> list[str]:
        """axe-core's WCAG 2.2 AA violations on the current page, as readable lines."""
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.evaluate(self.axe)
        results = self.page.evaluate(
            "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            WCAG_TAGS,
        )
        lines = []
        for violation in results["violations"]:
            targets = [" ".join(node["target"]) for node in violation["nodes"]][:5]
            lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
        return lines

    def problems(self) -> list[str]:
        """Everything wrong with the page as it is now, at both widths (the page is left at its first width)."""
        original = self.page.viewport_size
        scrolled = self.page.evaluate("[window.scrollX, window.scrollY]")
        found = [f"console: {line}" for line in self.console_errors]
        found += [f"CSP: {line}" for line in self.csp_violations()]
        # The pointer rests where the journey last clicked; a card that moved under it after a
        # live update is hovered, and Bootstrap's button fades to its hover colours.
        self.page.mouse.move(0, 0)
        for name, size in (("375 px", PHONE), ("1280 px", DESKTOP)):
            self.page.set_viewport_size(size)
            # Scanned from the top, as a visitor arrives, with the page at rest: on phones the
            # search's sticky "Show centers" bar covers whichever control passes under it, and axe
            # reports that control as an obscured target, so a scan while the page was still
            # scrolling (a smooth scroll after the live update) failed or passed by chance.
            self.page.evaluate(SETTLE)
            found += [f"axe at {name}: {line}" for line in self.accessibility_violations()]
        self.page.set_viewport_size(original)
        self.page.evaluate("([x, y]) => window.scrollTo({left: x, top: y, behavior: 'instant'})", scrolled)
        self.console_errors.clear()
        return found

    def assert_ok(self) -> None:
        problems = self.problems()
        assert not problems, f"{self.page.url}:\n  " + "\n  ".join(problems)
