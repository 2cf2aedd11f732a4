"""What every vendor's identity tests share: migration from version 1, reauth without twins.

The identity rule (``AccountIdentity``): an entry's unique id, and every device and entity unique id
built on it, is fixed when the entry is created; reauthentication never changes it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.contact_center.const import CONF_VENDOR, DOMAIN
from simulator import Fault, Simulator

from .helpers import start_vendor_flow


@dataclass(frozen=True)
class OldEntity:
    """An entity as the release before the identity rule registered it."""

    entity_id: str
    """Deliberately not the id Home Assistant would generate: it must survive as it is."""
    unique_id: str
    device: str
    """The identifier of its device (account, queue or agent)."""


def registries(hass: HomeAssistant, entry: ConfigEntry) -> tuple[dict[str, str], set[Any]]:
    """Return the entry's entities (entity id -> unique id) and its devices' identifier sets."""
    entities = {
        entity.entity_id: entity.unique_id
        for entity in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    }
    devices = {
        frozenset(device.identifiers)
        for device in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    }
    return entities, devices


def unavailable(hass: HomeAssistant, entity_ids: Any) -> set[str]:
    """Return those of the entity ids whose state is unavailable (or missing)."""
    return {
        entity_id
        for entity_id in entity_ids
        if (state := hass.states.get(entity_id)) is None or state.state == STATE_UNAVAILABLE
    }


async def check_migration(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    old_entities: list[OldEntity],
    new_account: str,
) -> None:
    """Register ``old_entities`` for a version 1 ``entry``, set it up, check every id moved.

    Every entity keeps its entity id (and so its history), gets the unique id that today's code
    builds on ``new_account``, and is the live one: no twin appears next to it.
    """
    assert entry.version == 1
    old_account = str(entry.unique_id)
    entry.add_to_hass(hass)
    device_registry = dr.async_get(hass)
    entity_registry = er.async_get(hass)
    for old in old_entities:
        device = device_registry.async_get_or_create(
            config_entry_id=entry.entry_id, identifiers={(DOMAIN, old.device)}
        )
        platform, object_id = old.entity_id.split(".")
        registered = entity_registry.async_get_or_create(
            platform,
            DOMAIN,
            old.unique_id,
            suggested_object_id=object_id,
            config_entry=entry,
            device_id=device.id,
        )
        assert registered.entity_id == old.entity_id

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert (entry.version, entry.minor_version, entry.unique_id) == (2, 1, new_account)
    entities, devices = registries(hass, entry)
    for old in old_entities:
        assert entities[old.entity_id] == new_account + old.unique_id[len(old_account) :]
    assert not unavailable(hass, [old.entity_id for old in old_entities])
    # A twin would be named after the live one with a "_2".
    assert not [entity_id for entity_id in entities if entity_id.endswith("_2")]
    identifiers = {value for device in devices for domain, value in device if domain == DOMAIN}
    assert {old.device for old in old_entities} <= {
        old_account + identifier[len(new_account) :] for identifier in identifiers
    }
    assert all(identifier.startswith(new_account) for identifier in identifiers)


async def check_reauth_keeps_registries(
    hass: HomeAssistant,
    sim: Simulator,
    data: Mapping[str, Any],
    new_secret: Mapping[str, Any],
    replace_secret: Callable[[], object],
) -> None:
    """Add ``data`` through its vendor's form, as a user does; revoke the secret and replace it
    through reauth: the same ids, no additions, the entities back."""
    vendor = data[CONF_VENDOR]
    result = await start_vendor_flow(hass, vendor)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {key: value for key, value in data.items() if key != CONF_VENDOR}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    entry: ConfigEntry = result["result"]
    unique_id = entry.unique_id
    before = registries(hass, entry)
    entity_ids = list(before[0])
    assert entity_ids
    down_before = unavailable(hass, entity_ids)
    assert down_before != set(entity_ids)

    sim.set_fault(vendor, Fault.TOKEN_REVOKED)
    await entry.runtime_data.async_refresh()
    await hass.async_block_till_done()
    assert not entry.runtime_data.last_update_success
    assert unavailable(hass, entity_ids) > down_before
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]

    sim.clear_faults()
    replace_secret()
    result = await hass.config_entries.flow.async_configure(flows[0]["flow_id"], dict(new_secret))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()

    assert entry.unique_id == unique_id
    assert registries(hass, entry) == before
    assert unavailable(hass, entity_ids) == down_before
