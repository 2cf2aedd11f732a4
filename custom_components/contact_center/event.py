"""Events: one per new message the account's supervisors receive (an internal chat line)."""

from __future__ import annotations

from collections import deque
from dataclasses import asdict, dataclass
from typing import Any

from homeassistant.components.event import (
    EventEntity,
    EventEntityDescription,
    EventExtraStoredData,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Message
from .coordinator import ACCOUNT, ContactCenterConfigEntry, ContactCenterCoordinator
from .entity import ContactCenterEntity

PARALLEL_UPDATES = 0

EVENT_MESSAGE = "message"
SEEN_LIMIT = 1000
"""Message ids remembered; vendors keep far fewer messages than this in an answer."""

MESSAGE_EVENT = EventEntityDescription(
    key="message",
    translation_key="message",
    event_types=[EVENT_MESSAGE],
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ContactCenterConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the message event of the account when the platform reports messages."""
    coordinator = entry.runtime_data
    if coordinator.capabilities.messages:
        async_add_entities([MessageEvent(coordinator)])


@dataclass
class MessageExtraStoredData(EventExtraStoredData):
    """The event's own restore data, plus the ids of the messages already seen."""

    seen: list[str]

    def as_dict(self) -> dict[str, Any]:
        """Return the stored data, the seen ids included."""
        return asdict(self)


class MessageEvent(ContactCenterEntity, EventEntity):
    """Fires once for every message id it has not seen, in the order they were sent.

    The ids it has seen are kept across restarts (restore data), so a message is announced once
    even if it arrived while Home Assistant was down. Without stored ids (a new entity), the
    messages of the first answer are taken as seen: they were sent before this entity existed,
    and announcing them would repeat old news.
    """

    def __init__(self, coordinator: ContactCenterCoordinator) -> None:
        """Attach the event to the account device."""
        super().__init__(coordinator, ACCOUNT, MESSAGE_EVENT)
        self._seen: set[str] = set()
        self._seen_order: deque[str] = deque()

    def _remember(self, message: Message) -> bool:
        """Remember a message; return whether it is new."""
        if message.id in self._seen:
            return False
        self._seen.add(message.id)
        self._seen_order.append(message.id)
        while len(self._seen_order) > SEEN_LIMIT:
            self._seen.discard(self._seen_order.popleft())
        return True

    @property
    def extra_restore_state_data(self) -> MessageExtraStoredData:
        """Store the seen ids beside the last event."""
        stored = super().extra_restore_state_data
        return MessageExtraStoredData(
            stored.last_event_type, stored.last_event_attributes, list(self._seen_order)
        )

    async def async_added_to_hass(self) -> None:
        """Restore the seen ids (or take the messages there as seen), then follow new ones."""
        restored = await self.async_get_last_extra_data()
        seen = restored.as_dict().get("seen") if restored is not None else None
        if isinstance(seen, list):
            for message_id in seen:
                if isinstance(message_id, str):
                    self._remember(Message(id=message_id, text=""))
        elif self.coordinator.data is not None:
            for message in self.coordinator.data.messages:
                self._remember(message)
        await super().async_added_to_hass()
        if isinstance(seen, list):
            # Messages sent while this entity was gone have not been announced yet.
            self._handle_subject_update()

    @callback
    def _handle_subject_update(self) -> None:
        data = self.coordinator.data
        fired = False
        if self.coordinator.last_update_success and data is not None:
            for message in data.messages:
                if self._remember(message):
                    self._trigger_event(
                        EVENT_MESSAGE,
                        {
                            "message_id": message.id,
                            "sender": message.sender,
                            "sender_id": message.sender_id,
                            "urgent": message.urgent,
                            "text": message.text,
                            "sent_at": (message.sent_at.isoformat() if message.sent_at else None),
                        },
                    )
                    self.async_write_ha_state()
                    fired = True
        if fired:
            self._written = self.state_fingerprint()
            return
        super()._handle_subject_update()
