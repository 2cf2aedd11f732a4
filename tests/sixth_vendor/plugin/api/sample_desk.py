"""Sample Desk: a made-up platform with one JSON endpoint, the smallest client a vendor can have.

Served to the api package from this directory by the tests (``api.__path__``); it imports the
package absolutely, as it sits outside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from custom_components.contact_center.api.client import (
    ContactCenterClient,
    Vendor,
    base_url,
    host_id,
)
from custom_components.contact_center.api.errors import ContactCenterResponseError
from custom_components.contact_center.api.models import (
    AccountIdentity,
    Agent,
    AgentStatus,
    Capabilities,
    Figures,
    Queue,
    Snapshot,
)
from custom_components.contact_center.api.parsing import load_json, to_int, to_text

LIVE_PATH = "/desk/api/v1/live"
_STATES = {"ready": AgentStatus.AVAILABLE, "talking": AgentStatus.BUSY, "pause": AgentStatus.AWAY}


@dataclass(frozen=True, slots=True, kw_only=True)
class SampleDeskSettings:
    """What the user enters; field names are the config entry keys."""

    url: str
    api_token: str = field(repr=False)


def normalize_url(raw: str) -> str:
    """Return the server's base URL; ``ValueError`` when it has no http(s) host."""
    return str(base_url(raw, LIVE_PATH)).rstrip("/")


class SampleDeskClient(ContactCenterClient[SampleDeskSettings]):
    """One Sample Desk account: queues with a waiting count, agents with a state."""

    vendor: ClassVar[str] = "sample_desk"

    @property
    def capabilities(self) -> Capabilities:
        """Waiting customers per queue and in all, and each agent's state."""
        return Capabilities(
            totals=frozenset({"waiting"}),
            queue=frozenset({"waiting"}),
            agent=frozenset({"status"}),
        )

    async def async_identify(self) -> AccountIdentity:
        """Read the account name from one answer."""
        account = to_text((await self._fetch()).get("account"))
        if account is None:
            raise ContactCenterResponseError("Sample Desk named no account")
        return AccountIdentity(unique_id=account, title=f"Sample Desk {account}")

    async def async_get_snapshot(self) -> Snapshot:
        """Map the answer to the model."""
        data = await self._fetch()
        queues = {
            str(item["id"]): Queue(
                id=str(item["id"]), name=item["name"], waiting=to_int(item["waiting"])
            )
            for item in data["queues"]
        }
        agents = {
            str(item["id"]): Agent(
                id=str(item["id"]),
                name=item["name"],
                status=_STATES.get(item["state"]),
                raw_status=item["state"],
            )
            for item in data["agents"]
        }
        waiting = sum(queue.waiting or 0 for queue in queues.values())
        return Snapshot(totals=Figures(waiting=waiting), queues=queues, agents=agents)

    async def _fetch(self) -> dict[str, Any]:
        url = base_url(self.settings.url, LIVE_PATH)
        where = host_id(url)
        response = await self._request(
            "GET",
            url.with_path(url.path.rstrip("/") + LIVE_PATH),
            headers={"Authorization": f"Bearer {self.settings.api_token}"},
        )
        self.raise_for_status(response, where)
        data = load_json(response.body, where)
        if not isinstance(data, dict):
            raise ContactCenterResponseError(f"{where} did not answer an object")
        return data


VENDOR = Vendor(
    key="sample_desk",
    name="Sample Desk",
    client_class=SampleDeskClient,
    settings_class=SampleDeskSettings,
    queue_model="Queue",
    agent_model="Agent",
    position=99,
)
