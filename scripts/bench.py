"""Benchmarks of the Live Guide path, printed side by side.

1. Parse and normalize a status answer of 2,000 operators and 200 departments, against the bare
   ``json.loads`` of the same bytes.
2. A poll inside Home Assistant at 1,000 operators and 100 departments: this integration against
   what users build without it (one RESTful sensor holding departments and operators in
   ``json_attributes``, plus one template sensor per figure). CPU time per poll and state writes
   per poll, for three kinds of poll:
   - "quiet": nothing a user sees changed, 15 s later (the server's ``onlineFor`` counters moved);
   - "5 %": 5 % of the operators changed their chat count;
   - "identical": the server sent the very same bytes again.

Absolute times on shared machines mean little; the ratios are the point. Run: ``scripts/bench``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
import json
import multiprocessing
from pathlib import Path
import statistics
import sys
import time
from typing import Any
from unittest.mock import patch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from custom_components.contact_center.api.live_guide import (  # noqa: E402
    LiveGuideClient,
    LiveGuideSettings,
)
from custom_components.contact_center.api.parsing import load_json  # noqa: E402
from simulator import Simulator, run_simulator  # noqa: E402

START = 1_800_000_000.0
POLL_SECONDS = 15.0
POLLS = 8


class ManualClock:
    """One clock for the simulator and the client, moved only by the benchmark."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now

    def as_datetime(self) -> datetime:
        return datetime.fromtimestamp(self.now, UTC)


def build_simulator(clock: ManualClock, operators: int, departments: int) -> Simulator:
    """Return a frozen simulator holding exactly the requested population, no one waiting."""
    sim = Simulator(seed=1, clock=clock)
    live_guide = sim.live_guide
    live_guide.freeze()
    for email in list(live_guide.operators):
        live_guide.remove_operator(email)
    for department_id in list(live_guide.departments):
        live_guide.remove_department(department_id)
    for index in range(departments):
        live_guide.add_department(str(index + 1), f"Department {index + 1}")
    for index in range(operators):
        served = [str(index % departments + 1), str((index * 7) % departments + 1)]
        live_guide.add_operator(
            f"Operator {index}",
            f"operator{index}@example.com",
            sorted(set(served)),
            status="available" if index % 3 else "busy",
            chats=index % 3,
            online_for=600 + index,
        )
    return sim


class SimulatorProcess:
    """The simulator in a child process, so its CPU time does not count as the poll's.

    A real server runs elsewhere; serving from the benchmark's own process would add the cost
    of building each answer to both sides and hide the difference between them.
    """

    def __init__(self, operators: int, departments: int) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve_simulator, args=(child, operators, departments), daemon=True
        )
        self._process.start()
        self.url, self.token = self._conn.recv()

    def command(self, *args: Any) -> None:
        """Run a command in the child and wait until it is done."""
        self._conn.send(args)
        self._conn.recv()

    def stop(self) -> None:
        """Stop the child."""
        self._conn.send(("stop",))
        self._process.join(10)


def _serve_simulator(conn: Any, operators: int, departments: int) -> None:
    async def serve() -> None:
        clock = ManualClock()
        sim = build_simulator(clock, operators, departments)
        stopped = asyncio.Event()
        async with run_simulator(sim, host="127.0.0.1", port=0) as url:
            conn.send((url, sim.live_guide.token))

            def on_command() -> None:
                command, *args = conn.recv()
                if command == "stop":
                    stopped.set()
                    return
                if command == "advance":
                    clock.now += args[0]
                elif command == "change":
                    change_five_percent(sim, operators, args[0])
                conn.send("done")

            asyncio.get_running_loop().add_reader(conn.fileno(), on_command)
            await stopped.wait()

    asyncio.run(serve())


def best_of(runs: int, repeat: int, work: Callable[[], object]) -> float:
    """Return the best mean seconds of ``repeat`` calls over ``runs`` runs."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        for _ in range(repeat):
            work()
        timings.append((time.perf_counter() - started) / repeat)
    return min(timings)


def bench_parse() -> dict[str, float]:
    """Parse and normalize 2,000 operators / 200 departments vs json.loads."""
    clock = ManualClock()
    sim = build_simulator(clock, operators=2000, departments=200)
    body = sim.live_guide.render("json", per_department=True)
    xml_body = sim.live_guide.render("xml", per_department=True)
    client = LiveGuideClient(
        None,  # type: ignore[arg-type]  # parse() does no I/O
        LiveGuideSettings(url="https://bench.example", token="x" * 32),
        clock=clock.as_datetime,
    )
    xml_client = LiveGuideClient(
        None,  # type: ignore[arg-type]
        LiveGuideSettings(url="https://bench.example", token="x" * 32, response_format="xml"),
        clock=clock.as_datetime,
    )
    from custom_components.contact_center.api.parsing import load_xml

    baseline = best_of(5, 10, lambda: json.loads(body))
    ours = best_of(5, 10, lambda: client.parse(load_json(body, "bench")))
    ours_xml = best_of(3, 5, lambda: xml_client.parse(load_xml(xml_body, "bench")))
    snapshot = client.parse(load_json(body, "bench"))
    assert len(snapshot.agents) == 2000
    assert len(snapshot.queues) == 200
    return {
        "bytes": len(body),
        "json_loads_ms": baseline * 1000,
        "ours_ms": ours * 1000,
        "ratio": ours / baseline,
        "ours_xml_ms": ours_xml * 1000,
    }


@contextmanager
def count_state_writes(hass: Any) -> Iterator[list[int]]:
    """Count every state written to the state machine, whether it changed or not."""
    from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED
    from homeassistant.core import callback

    counter = [0]

    @callback
    def count(event_data: Any) -> bool:
        counter[0] += 1
        return False  # counted in the filter; nothing to run afterwards

    removers = [
        hass.bus.async_listen(event_type, lambda event: None, event_filter=count)
        for event_type in (EVENT_STATE_CHANGED, EVENT_STATE_REPORTED)
    ]
    try:
        yield counter
    finally:
        for remove in removers:
            remove()


def change_five_percent(sim: Simulator, operators: int, poll: int) -> None:
    """Give 5 % of the operators one chat more or less (a different 5 % each poll)."""
    live_guide = sim.live_guide
    step = 20
    for index in range(poll % step, operators, step):
        email = f"operator{index}@example.com"
        current = live_guide.operators[email].chats
        live_guide.set_operator(email, chats=current + 1 if current < 3 else 0)


async def measure(
    hass: Any, server: SimulatorProcess, clock: ManualClock, poll: Callable[[], Any]
) -> dict[str, tuple[float, float]]:
    """Return (CPU ms per poll, state writes per poll) for each kind of poll."""
    results: dict[str, tuple[float, float]] = {}
    for kind in ("quiet", "5 %", "identical"):
        cpu: list[float] = []
        writes: list[int] = []
        for index in range(POLLS):
            if kind != "identical":
                clock.now += POLL_SECONDS
                server.command("advance", POLL_SECONDS)
            if kind == "5 %":
                server.command("change", index)
            with count_state_writes(hass) as counter:
                started = time.process_time()
                await poll()
                await hass.async_block_till_done()
                cpu.append(time.process_time() - started)
            writes.append(counter[0])
        results[kind] = (statistics.median(cpu) * 1000, statistics.mean(writes))
    return results


@contextmanager
def plain_resolver() -> Iterator[None]:
    """Resolve names without zeroconf, which needs the network integration loaded."""
    from aiohttp.resolver import ThreadedResolver

    with patch(
        "homeassistant.helpers.aiohttp_client._async_make_resolver",
        return_value=ThreadedResolver(),
    ):
        yield


async def bench_integration(operators: int, departments: int) -> dict[str, tuple[float, float]]:
    """Poll through this integration's coordinator."""
    from homeassistant import loader
    from pytest_homeassistant_custom_component.common import (
        MockConfigEntry,
        async_test_home_assistant,
    )

    clock = ManualClock()
    server = SimulatorProcess(operators, departments)
    url = server.url
    async with async_test_home_assistant() as hass:
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
        entry = MockConfigEntry(
            domain="contact_center",
            title="Live Guide bench",
            unique_id="bench",
            data={
                "vendor": "live_guide",
                "url": url,
                "token": server.token,
                "per_department": True,
                "verify_ssl": True,
            },
        )
        entry.add_to_hass(hass)
        with (
            plain_resolver(),
            patch("custom_components.contact_center.api.client.utcnow", clock.as_datetime),
        ):
            assert await hass.config_entries.async_setup(entry.entry_id)
            await hass.async_block_till_done()
            coordinator = entry.runtime_data
            entities = len(hass.states.async_all())
            results = await measure(hass, server, clock, coordinator.async_refresh)
            await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_stop(force=True)
    server.stop()
    results["entities"] = (entities, 0)
    return results


async def bench_rest_templates(operators: int, departments: int) -> dict[str, tuple[float, float]]:
    """Poll through a RESTful sensor and one template sensor per figure."""
    from homeassistant.setup import async_setup_component
    from pytest_homeassistant_custom_component.common import async_test_home_assistant

    clock = ManualClock()
    server = SimulatorProcess(operators, departments)
    async with async_test_home_assistant() as hass:
        resource = f"{server.url}/lg/export/status.php?token={server.token}&perDepartment=true"
        resolver = plain_resolver()
        resolver.__enter__()
        assert await async_setup_component(
            hass,
            "rest",
            {
                "rest": [
                    {
                        "resource": resource,
                        "scan_interval": 3600,
                        "sensor": [
                            {
                                "name": "live_guide",
                                "value_template": "{{ value_json.global.customers.inqueue }}",
                                "json_attributes": ["global", "departments", "operators"],
                            }
                        ],
                    }
                ]
            },
        )
        await hass.async_block_till_done()
        source = "state_attr('sensor.live_guide', '{}')"
        templates = [
            ("waiting", "{{ states('sensor.live_guide') }}"),
            ("longest_wait", "{{ " + source.format("global") + ".customers.maxWaiting }}"),
            (
                "logged_in",
                "{{ " + source.format("operators") + " | count }}",
            ),
            (
                "available",
                "{{ "
                + source.format("operators")
                + " | selectattr('status', 'eq', 'available') | list | count }}",
            ),
            (
                "busy",
                "{{ "
                + source.format("operators")
                + " | selectattr('status', 'eq', 'busy') | list | count }}",
            ),
        ]
        for index in range(departments):
            department = source.format("departments") + f"[{index}]"
            templates.append((f"department_{index}_waiting", "{{ " + department + ".inqueue }}"))
            templates.append(
                (f"department_{index}_longest_wait", "{{ " + department + ".maxWaiting }}")
            )
        for index in range(operators):
            operator = source.format("operators") + f"[{index}]"
            templates.append((f"operator_{index}_status", "{{ " + operator + ".status }}"))
            templates.append((f"operator_{index}_chats", "{{ " + operator + ".chats }}"))
        assert await async_setup_component(
            hass,
            "template",
            {"template": [{"sensor": [{"name": name, "state": t} for name, t in templates]}]},
        )
        await hass.async_block_till_done()
        coordinator = hass.data["rest"]["rest_data"][0]["coordinator"]
        await coordinator.async_refresh()
        await hass.async_block_till_done()
        entities = len(hass.states.async_all())
        results = await measure(hass, server, clock, coordinator.async_refresh)
        await hass.async_stop(force=True)
        resolver.__exit__(None, None, None)
    server.stop()
    results["entities"] = (entities, 0)
    return results


def main() -> None:
    """Run both benchmarks and print the figures."""
    parse = bench_parse()
    print(
        "Parse and normalize: 2,000 operators, 200 departments "
        f"({parse['bytes'] / 1024:.0f} KiB of JSON)"
    )
    print(f"  json.loads alone          {parse['json_loads_ms']:8.2f} ms")
    print(
        f"  load_json + parse (ours)  {parse['ours_ms']:8.2f} ms   "
        f"ratio {parse['ratio']:.2f}x (target <= 3x)"
    )
    print(f"  same answer as XML (ours) {parse['ours_xml_ms']:8.2f} ms")
    print()

    operators, departments = 1000, 100
    ours = asyncio.run(bench_integration(operators, departments))
    rest = asyncio.run(bench_rest_templates(operators, departments))
    print(f"A poll inside Home Assistant: {operators:,} operators, {departments} departments")
    print(
        f"  entities: this integration {ours['entities'][0]:.0f}, "
        f"REST + templates {rest['entities'][0]:.0f}"
    )
    print(
        f"  {'poll':<10} {'ours CPU ms':>12} {'ours writes':>12} "
        f"{'REST CPU ms':>12} {'REST writes':>12} {'CPU ratio':>10}  target"
    )
    targets = {"quiet": "<= 0.25, 0 writes", "5 %": "<= 0.20", "identical": "-"}
    for kind in ("quiet", "5 %", "identical"):
        ours_cpu, ours_writes = ours[kind]
        rest_cpu, rest_writes = rest[kind]
        print(
            f"  {kind:<10} {ours_cpu:12.2f} {ours_writes:12.1f} "
            f"{rest_cpu:12.2f} {rest_writes:12.1f} {ours_cpu / rest_cpu:10.3f}  "
            f"{targets[kind]}"
        )


if __name__ == "__main__":
    main()
