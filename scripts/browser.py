"""The integration in a real browser: Chromium, driven by Playwright, against a real Home Assistant.

Run with .venv's Python (Playwright lives there); scripts/browser picks the Home Assistant to start
(2026.11 from the Python 3.14 environment). Home Assistant and the simulator are started and
onboarded as in scripts/e2e.py; then the browser signs in, adds a Live Guide account through the
config-flow dialog, opens a queue's device page, adds the wallboard from the "Add dashboard"
dialog and checks that every queue is on it with the colour of its health. Screenshots of the
three pages go to --screenshots DIR (the README's come from ``--screenshots docs/screenshots``),
otherwise to a temporary directory that is kept only when a check fails.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
import contextlib
from pathlib import Path
import shutil
import sys
import tempfile
import time
from typing import Any

import aiohttp
from e2e import (
    BROWSER_COMPONENTS,
    COMPONENTS,
    TREE,
    E2EError,
    Run,
    log,
    run_and_report,
    wait_for,
)
from playwright.async_api import Error as PlaywrightError, Page, ViewportSize, async_playwright

VENDOR = "live_guide"
VENDOR_LABEL = "Live Guide (Netop / Impero)"
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
# The dashboard's title and icon the strategy suggests (getCreateSuggestions).
SUGGESTED = ("Wallboard", "mdi:monitor-dashboard")
CHROMIUM = "/usr/bin/chromium"
# No first-run pages, no calls home, no GPU: the browser talks to 127.0.0.1 only.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STEP_TIMEOUT_MS = 30_000
# Set up by onboarding, failing without the internet.
OFFLINE_DOMAINS = ("radio_browser",)
# The tile colours the wallboard gives each health level (contact-center-wallboard.js).
HEALTH_COLORS = {"ok": "green", "warning": "amber", "alert": "red"}
# Every colour the tile of a queue's health may show, read from the rendered page.
TILE_COLOR_JS = """
(entityIds) => {
  const found = {};
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      if (el.tagName === "HUI-TILE-CARD" && el._config && entityIds.includes(el._config.entity)) {
        const card = el.shadowRoot && el.shadowRoot.querySelector("ha-card");
        const visible = card && card.getClientRects().length > 0;
        if (visible) {
          (found[el._config.entity] = found[el._config.entity] || []).push({
            color: el._config.color || null,
            css: getComputedStyle(card).getPropertyValue("--tile-color").trim(),
          });
        }
      }
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  return found;
}
"""


class Checks:
    """The run's checks, in order: each one passes, fails, or is not reached after a failure."""

    def __init__(self, shots: Path) -> None:
        """Start with nothing passed."""
        self.shots = shots
        self.passed: list[str] = []
        self.failed: list[str] = []

    async def run(self, name: str, step: Callable[[], Awaitable[None]]) -> None:
        """Run one check; a failure stops the run (later checks need what it sets up)."""
        start = time.monotonic()
        try:
            await step()
        except (E2EError, PlaywrightError, aiohttp.ClientError, TimeoutError) as err:
            self.failed.append(name)
            log(f"FAILED {name}: {type(err).__name__}: {err}")
            raise
        self.passed.append(name)
        log(f"ok {name} ({time.monotonic() - start:.1f} s)")


class BrowserRun(Run):
    """The e2e run's processes and clients, and a browser page on its Home Assistant."""

    page: Page

    async def promote_http_config(self) -> None:
        """Confirm the HTTP settings read from configuration.yaml.

        Home Assistant 2026.x takes them as a trial, asks in a dialog on every page to keep them,
        and restarts with its defaults five minutes later otherwise; earlier versions have no
        such command.
        """
        with contextlib.suppress(E2EError):
            await self.ws_call({"type": "http/config/promote"})

    async def remove_offline_entries(self) -> None:
        """Remove what onboarding sets up that needs the internet: its error and its "Starting"
        message would be on the screenshots. Onboarding adds the entries in the background.
        """
        left = set(OFFLINE_DOMAINS)

        async def removed() -> bool:
            for entry in await self.request("GET", "/api/config/config_entries/entry"):
                if entry["domain"] in left:
                    path = f"/api/config/config_entries/entry/{entry['entry_id']}"
                    await self.request("DELETE", path)
                    left.discard(entry["domain"])
            return not left

        # A version whose onboarding does not add them is no failure.
        with contextlib.suppress(E2EError):
            await wait_for("the entries onboarding adds", removed, 20)

    async def sign_in(self) -> None:
        """Sign in on the login page, as a user does."""
        page = self.page
        await page.goto(self.hass_url + "/")
        await page.fill("input[name=username]", "e2e")
        await page.fill("input[name=password]", "e2e-password")
        await page.keyboard.press("Enter")
        await page.wait_for_selector("home-assistant-main")

    async def add_entry_in_ui(self, shot: Path) -> None:
        """Settings > Devices & services > Add integration > Contact Center > Live Guide."""
        page = self.page
        await page.goto(self.hass_url + "/config/integrations/dashboard")
        await page.get_by_role("button", name="Add integration").click()
        await page.get_by_placeholder("Search").first.wait_for()
        await page.keyboard.type("Contact Center")
        await page.get_by_text("Contact Center", exact=True).click()
        await page.get_by_text(VENDOR_LABEL).click()
        await page.fill("input[name=url]", self.sim_url)
        await page.fill("input[name=token]", self.credentials[VENDOR]["token"])
        await page.wait_for_timeout(500)  # the fields' labels float up
        await page.screenshot(path=shot)
        await page.get_by_role("button", name="Submit").click()
        # The last step names the devices and offers areas; its button says "Finish" once an
        # area is chosen.
        await page.get_by_role("button", name="Skip and finish").click()
        await page.get_by_role("button", name="Skip and finish").wait_for(state="detached")
        entries = await self.request(
            "GET", "/api/config/config_entries/entry?domain=contact_center"
        )
        if len(entries) != 1:
            raise E2EError(f"expected one entry after the flow, found {entries}")
        self.entries[VENDOR] = entries[0]["entry_id"]
        await self.wait_loaded(VENDOR)

    async def queues(self) -> dict[str, dict[str, str]]:
        """Return each queue device's name with its entity ids by translation key."""
        devices = await self.ws_call({"type": "config/device_registry/list"})
        entities = await self.ws_call({"type": "config/entity_registry/list"})
        entry_id = self.entries[VENDOR]
        account = next(
            device["id"]
            for device in devices
            if entry_id in device["config_entries"] and not device["via_device_id"]
        )
        found: dict[str, dict[str, str]] = {}
        for device in devices:
            if device["via_device_id"] != account:
                continue
            keys = {
                entity["translation_key"]: entity["entity_id"]
                for entity in entities
                if entity["device_id"] == device["id"] and entity["entity_id"].startswith("sensor.")
            }
            if "health" in keys:
                found[device["name_by_user"] or device["name"]] = {
                    "device_id": device["id"],
                    **keys,
                }
        if len(found) < 2:
            raise E2EError(f"expected at least two queues, found {sorted(found)}")
        return found

    async def set_thresholds(self) -> dict[str, str]:
        """Pick waiting thresholds from the figures so that queues differ; return their health.

        The figures move (customers arrive at random) and saving the options polls anew, so the
        thresholds are picked again, after a minute more of the simulator, until at least one
        queue is ok and one is not.
        """
        health: dict[str, str] = {}

        async def mixed() -> bool:
            queues = await self.queues()
            states = await self.states([keys["waiting"] for keys in queues.values()])
            waiting = sorted({int(state) for state in states.values() if state.isdigit()})
            if len(waiting) < 2:
                await self.sim("POST", "/_simulator/advance", {"seconds": 60})
                await self.poll_now(list(states))
                return False
            # The busiest queue is alert, those between warning, the quietest ok.
            warning = waiting[1] if len(waiting) > 2 else waiting[-1]
            alert = waiting[-1] if len(waiting) > 2 else waiting[-1] + 1
            await self.save_options(
                {"waiting_warning": warning, "waiting_alert": alert, "scan_interval": 3600}
            )
            await self.wait_loaded(VENDOR)
            await asyncio.sleep(2)
            health_ids = {name: keys["health"] for name, keys in queues.items()}
            now = await self.states(list(health_ids.values()))
            health.clear()
            health.update({name: now[entity_id] for name, entity_id in health_ids.items()})
            log(f"waiting {sorted(waiting)}, thresholds {warning}/{alert}: health {health}")
            levels = set(health.values())
            return "ok" in levels and bool(levels & {"warning", "alert"})

        await wait_for("queues of different health", mixed)
        return health

    async def save_options(self, options: dict[str, Any]) -> None:
        """Save the entry's options through the options-flow API."""
        flow = await self.request(
            "POST", "/api/config/config_entries/options/flow", {"handler": self.entries[VENDOR]}
        )
        result = await self.request(
            "POST", f"/api/config/config_entries/options/flow/{flow['flow_id']}", options
        )
        if result["type"] != "create_entry":
            raise E2EError(f"options not saved: {result}")

    async def device_page(self, queue: str, device_id: str, shot: Path) -> None:
        """Open a queue's device page and wait until its sensors are shown."""
        page = self.page
        await page.goto(f"{self.hass_url}/config/devices/device/{device_id}")
        await page.get_by_text("Health").first.wait_for()
        await page.get_by_text(queue).first.wait_for()
        await page.wait_for_timeout(1000)  # the cards fade in
        await page.screenshot(path=shot)

    async def add_wallboard(self) -> str:
        """Settings > Dashboards > Add dashboard > Contact Center wallboard; return its path."""
        page = self.page
        await page.goto(self.hass_url + "/config/lovelace/dashboards")
        await page.get_by_role("button", name="Add dashboard").click()
        await page.get_by_text("Contact Center wallboard").click()
        await page.get_by_role("button", name="Create").click()
        await page.get_by_role("button", name="Create").wait_for(state="detached")
        dashboards = await self.ws_call({"type": "lovelace/dashboards/list"})
        found = [
            dashboard
            for dashboard in dashboards
            if (dashboard.get("title"), dashboard.get("icon")) == SUGGESTED
        ]
        if len(found) != 1:
            raise E2EError(f"expected one wallboard dashboard, found {dashboards}")
        url_path = str(found[0]["url_path"])
        config = await self.ws_call({"type": "lovelace/config", "url_path": url_path})
        if config.get("strategy", {}).get("type") != "custom:contact-center-wallboard":
            raise E2EError(f"the new dashboard is not the wallboard: {config}")
        return url_path

    async def check_wallboard(
        self, url_path: str, queues: dict[str, dict[str, str]], health: dict[str, str], shot: Path
    ) -> None:
        """Open the wallboard: every queue's name, and its health tile in its level's colour."""
        page = self.page
        await page.goto(f"{self.hass_url}/{url_path}")
        for name in queues:
            await page.get_by_text(name, exact=True).first.wait_for()
        health_ids = {keys["health"]: name for name, keys in queues.items()}
        await page.wait_for_timeout(1000)
        shown = await page.evaluate(TILE_COLOR_JS, list(health_ids))
        for entity_id, name in health_ids.items():
            tiles = shown.get(entity_id, [])
            want = HEALTH_COLORS[health[name]]
            if [tile["color"] for tile in tiles] != [want] or not tiles[0]["css"]:
                raise E2EError(f"{name} is {health[name]}: expected one {want} tile, saw {tiles}")
        log(f"wallboard: {', '.join(f'{n} {HEALTH_COLORS[h]}' for n, h in health.items())}")
        await page.screenshot(path=shot)

    async def scenario_in_browser(self, checks: Checks) -> None:
        """Everything the run checks, in order."""
        log(f"Home Assistant {await self.start_and_onboard()}")
        await self.promote_http_config()
        await self.remove_offline_entries()
        async with async_playwright() as playwright:
            profile = tempfile.mkdtemp(prefix="contact-center-chromium-")
            try:
                context = await playwright.chromium.launch_persistent_context(
                    profile,
                    executable_path=CHROMIUM,
                    headless=True,
                    args=CHROMIUM_ARGS,
                    viewport=VIEWPORT,
                )
                context.set_default_timeout(STEP_TIMEOUT_MS)
                self.page = await context.new_page()
                await self.browse(checks)
                await context.close()
            finally:
                shutil.rmtree(profile, ignore_errors=True)

    async def browse(self, checks: Checks) -> None:
        """The checks made in the browser."""
        shots = checks.shots
        await checks.run("sign in", self.sign_in)
        await checks.run(
            "config flow in the dialog",
            lambda: self.add_entry_in_ui(shots / "config-flow.png"),
        )
        health: dict[str, str] = {}
        queues: dict[str, dict[str, str]] = {}

        async def thresholds() -> None:
            health.update(await self.set_thresholds())
            queues.update(await self.queues())

        await checks.run("thresholds through the options flow", thresholds)
        # The device page of the queue in the worst state (the first by name, so the README's
        # picture stays the same queue).
        worst = max(sorted(health), key=lambda name: list(HEALTH_COLORS).index(health[name]))
        await checks.run(
            "device page",
            lambda: self.device_page(worst, queues[worst]["device_id"], shots / "device-page.png"),
        )
        url_path: list[str] = []

        async def add() -> None:
            url_path.append(await self.add_wallboard())

        await checks.run("wallboard from the Add dashboard dialog", add)
        await checks.run(
            "wallboard shows every queue in its health colour",
            lambda: self.check_wallboard(url_path[0], queues, health, shots / "wallboard.png"),
        )


# The six steps in the browser, and the log check after them.
CHECKS = 7


def hass_command(args: argparse.Namespace) -> tuple[str, ...]:
    """Return the command prefix that runs Home Assistant's Python."""
    if not args.py314:
        return (args.hass_python,)
    helper = 'source "$0" && run314 "$@"'
    return ("bash", "-c", helper, str(TREE / "scripts" / "lib" / "py314.sh"), args.hass_python)


async def run(args: argparse.Namespace) -> int:
    """Run the checks in a fresh configuration directory; report and clean up."""
    # Under the work tree: Home Assistant may run in the Python 3.14 root, which sees the tree only.
    tmp = TREE / ".browser-tmp"
    tmp.mkdir(exist_ok=True)
    config = Path(tempfile.mkdtemp(prefix="config-", dir=tmp))
    shots = Path(args.screenshots) if args.screenshots else config / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    checks = Checks(shots)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        browser = BrowserRun(
            session,
            config,
            (VENDOR,),
            hass_python=hass_command(args),
            components=(*COMPONENTS, *BROWSER_COMPONENTS),
        )
        failure, findings = await run_and_report(
            browser, lambda: browser.scenario_in_browser(checks), (PlaywrightError,)
        )
    if findings:
        checks.failed.append("Home Assistant log without errors from the integration")
    else:
        checks.passed.append("Home Assistant log without errors from the integration")
    ok = failure is None and not findings
    if ok and not args.keep:
        shutil.rmtree(config, ignore_errors=True)
    else:
        print(f"Configuration, logs and screenshots kept in {config}")
    if args.screenshots:
        print(f"Screenshots in {shots}")
    not_run = CHECKS - len(checks.passed) - len(checks.failed)
    log(
        f"{len(checks.passed)} passed, {len(checks.failed)} failed"
        + (f", {not_run} not run" if not_run else "")
    )
    return 0 if ok else 1


def main() -> int:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--hass-python",
        default=sys.executable,
        help="the Python of the Home Assistant to run (default: this Python)",
    )
    parser.add_argument(
        "--py314",
        action="store_true",
        help="run that Python in the Python 3.14 environment (run314 of scripts/lib/py314.sh)",
    )
    parser.add_argument("--screenshots", metavar="DIR", help="save the screenshots here")
    parser.add_argument("--keep", action="store_true", help="keep the configuration directory")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
