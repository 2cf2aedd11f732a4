// Contact Center wallboard: a Lovelace dashboard strategy, `custom:contact-center-wallboard`.
//
// Served by the integration and loaded on every page, so a dashboard needs one line of YAML:
//   strategy:
//     type: custom:contact-center-wallboard
// Options: `entry_id` (one config entry; default every entry) and `show_agents` (default true).
// It reads the registries when the dashboard loads (hass.entities, hass.devices, hass.states):
// per entry a view with the account totals, one section per queue and the agents by queue.
// Colours follow the states live through card visibility, so the layout is computed once.

const DOMAIN = "contact_center";
const TYPE = "contact-center-wallboard";

export const HEALTH_COLORS = { ok: "green", warning: "amber", alert: "red" };
export const STATUS_COLORS = {
  available: "green",
  busy: "red",
  after_call_work: "amber",
  away: "orange",
  offline: "grey",
};
// The account's figures in the order a supervisor reads them; other figures follow.
const TOTALS_ORDER = [
  "waiting",
  "longest_wait",
  "service_level",
  "agents_logged_in",
  "agents_available",
  "agents_busy",
  "abandoned_pct",
  "offered",
  "answered",
  "abandoned",
];
const QUEUE_FIGURES = ["waiting", "longest_wait", "service_level"];
const QUEUE_KEYS = ["health", ...QUEUE_FIGURES];

const deviceName = (device) => device.name_by_user || device.name || "";
const byName = (a, b) => deviceName(a).localeCompare(deviceName(b));

// One tile per colour, each visible only in its state, and a plain one for any other state
// (unavailable, unknown): the tile card's own `color` does not follow the state.
export const colouredTiles = (entityId, colors, name) => [
  ...Object.entries(colors).map(([state, color]) => ({
    ...tile(entityId, name),
    color,
    visibility: [{ condition: "state", entity: entityId, state }],
  })),
  {
    ...tile(entityId, name),
    visibility: [{ condition: "state", entity: entityId, state_not: Object.keys(colors) }],
  },
];

const tile = (entityId, name) => ({ type: "tile", entity: entityId, ...(name ? { name } : {}) });

// A tile shows the friendly name, which starts with the device's name: in a browser every account
// tile read "Live Guide chat.example.com ..." cut off at the same place. Under the section's
// heading the figure's own name is enough.
export const figureName = (hass, entityId, device) => {
  const full = hass.states[entityId]?.attributes?.friendly_name;
  const prefix = `${deviceName(device)} `;
  return typeof full === "string" && full.startsWith(prefix) ? full.slice(prefix.length) : undefined;
};

const heading = (text, style = "title") => ({
  type: "heading",
  heading: text,
  heading_style: style,
});

// Entities of this integration by device, keyed by translation key; shown ones only.
const entitiesByDevice = (hass) => {
  const result = new Map();
  for (const entity of Object.values(hass.entities || {})) {
    if (entity.platform !== DOMAIN || !entity.device_id || entity.hidden) continue;
    if (entity.entity_category || !(entity.entity_id in hass.states)) continue;
    if (!result.has(entity.device_id)) result.set(entity.device_id, new Map());
    const keys = result.get(entity.device_id);
    const key = entity.translation_key || entity.entity_id;
    // A key can exist in two domains (binary sensor and sensor): the sensor is what we show.
    if (!keys.has(key) || entity.entity_id.startsWith("sensor.")) keys.set(key, entity.entity_id);
  }
  return result;
};

// The devices of each entry: the account (no via device), its queues and its agents.
export const collect = (hass, entryId) => {
  const entities = entitiesByDevice(hass);
  const entries = new Map();
  for (const device of Object.values(hass.devices || {})) {
    const keys = entities.get(device.id);
    if (!keys) continue;
    for (const entry of device.config_entries || []) {
      if (entryId && entry !== entryId) continue;
      if (!entries.has(entry)) entries.set(entry, { account: null, queues: [], agents: [] });
      const found = entries.get(entry);
      const item = { device, keys };
      if (!device.via_device_id) found.account = item;
      else if (keys.has("agent_status")) found.agents.push(item);
      else if (QUEUE_KEYS.some((key) => keys.has(key))) found.queues.push(item);
    }
  }
  return entries;
};

const accountSection = (hass, account) => {
  const { keys } = account;
  const named = (key) => tile(keys.get(key), figureName(hass, keys.get(key), account.device));
  const known = TOTALS_ORDER.filter((key) => keys.has(key));
  const others = [...keys.keys()].filter(
    (key) => key !== "health" && !TOTALS_ORDER.includes(key) && keys.get(key).startsWith("sensor."),
  );
  return {
    type: "grid",
    cards: [
      heading(deviceName(account.device)),
      ...(keys.has("health")
        ? colouredTiles(keys.get("health"), HEALTH_COLORS, figureName(hass, keys.get("health"), account.device))
        : []),
      ...[...known, ...others.sort()].map(named),
    ],
  };
};

const queueSection = (hass, queue) => {
  const name = (key) => figureName(hass, queue.keys.get(key), queue.device);
  return {
    type: "grid",
    cards: [
      heading(deviceName(queue.device)),
      ...(queue.keys.has("health")
        ? colouredTiles(queue.keys.get("health"), HEALTH_COLORS, name("health"))
        : []),
      ...QUEUE_FIGURES.filter((key) => queue.keys.has(key)).map((key) =>
        tile(queue.keys.get(key), name(key)),
      ),
    ],
  };
};

// Agents grouped under the first of their queues (in the order of the queue sections), by name;
// agents without a queue come last.
export const agentGroups = (hass, agents, queueNames) => {
  const groups = new Map(queueNames.map((name) => [name, []]));
  const rest = [];
  for (const agent of [...agents].sort((a, b) => byName(a.device, b.device))) {
    const status = hass.states[agent.keys.get("agent_status")];
    const served = (status && status.attributes.queues) || [];
    const first = queueNames.find((name) => served.includes(name)) ?? served[0];
    if (first === undefined) {
      rest.push(agent);
      continue;
    }
    if (!groups.has(first)) groups.set(first, []);
    groups.get(first).push(agent);
  }
  return [...[...groups.entries()].filter(([, members]) => members.length), ...(rest.length ? [[null, rest]] : [])];
};

const agentsSection = (hass, agents, queueNames) => {
  const groups = agentGroups(hass, agents, queueNames);
  const cards = [heading("Agents")];
  for (const [queue, members] of groups) {
    if (groups.length > 1 || queue !== null) cards.push(heading(queue ?? "Other agents", "subtitle"));
    for (const agent of members) {
      // The agent's name says more than "<name> Status" cut off.
      cards.push(...colouredTiles(agent.keys.get("agent_status"), STATUS_COLORS, deviceName(agent.device)));
    }
  }
  return { type: "grid", column_span: 4, cards };
};

export const generateWallboard = (config, hass) => {
  const showAgents = config.show_agents !== false;
  const entries = collect(hass, config.entry_id);
  const views = [];
  for (const [entryId, found] of entries) {
    const queues = [...found.queues].sort((a, b) => byName(a.device, b.device));
    const sections = [];
    if (found.account) sections.push(accountSection(hass, found.account));
    sections.push(...queues.map((queue) => queueSection(hass, queue)));
    if (showAgents && found.agents.length) {
      sections.push(agentsSection(hass, found.agents, queues.map((q) => deviceName(q.device))));
    }
    const title = found.account ? deviceName(found.account.device) : entryId;
    views.push({ title, path: entryId.toLowerCase(), type: "sections", max_columns: 4, sections });
  }
  if (!views.length) {
    views.push({
      title: "Wallboard",
      cards: [
        {
          type: "markdown",
          content: config.entry_id
            ? `No Contact Center entry with the id \`${config.entry_id}\`.`
            : "No Contact Center entry yet: add one under Settings > Devices & services.",
        },
      ],
    });
  }
  return { title: "Contact Center wallboard", views };
};

export class ContactCenterWallboardStrategy extends HTMLElement {
  static async generate(config, hass) {
    return generateWallboard(config, hass);
  }

  static getCreateSuggestions() {
    return { title: "Wallboard", icon: "mdi:monitor-dashboard" };
  }
}

const TAG = "ll-strategy-dashboard-contact-center-wallboard";
if (!customElements.get(TAG)) {
  customElements.define(TAG, ContactCenterWallboardStrategy);
}
window.customStrategies = window.customStrategies || [];
if (!window.customStrategies.some((s) => s.type === TYPE && s.strategyType === "dashboard")) {
  window.customStrategies.push({
    type: TYPE,
    strategyType: "dashboard",
    name: "Contact Center wallboard",
    description: "Queues coloured by health, the account totals and every agent's status.",
    documentationURL: "https://github.com/contact-center-ha/contact-center#wallboard-dashboard",
  });
}
