// node --test: the wallboard strategy's generate() against a fake hass (run by test_wallboard.py).
import assert from "node:assert/strict";
import { test } from "node:test";

const defined = new Map();
globalThis.HTMLElement = class {};
globalThis.customElements = {
  get: (tag) => defined.get(tag),
  define: (tag, cls) => defined.set(tag, cls),
};
globalThis.window = globalThis;

const MODULE = process.env.WALLBOARD_MODULE;
const wallboard = await import(MODULE);
// Loading the module twice (two pages of one app) must not register it twice.
await import(`${MODULE}?again`);

const device = (id, name, entry, via = null) => ({
  id,
  name,
  name_by_user: null,
  config_entries: [entry],
  via_device_id: via,
});
const entity = (entityId, deviceId, key, extra = {}) => ({
  entity_id: entityId,
  device_id: deviceId,
  translation_key: key,
  platform: "contact_center",
  labels: [],
  ...extra,
});

function fakeHass() {
  const devices = {
    acc: device("acc", "Live Guide chat.example.com", "E1"),
    sup: device("sup", "Support", "E1", "acc"),
    sal: device("sal", "Sales", "E1", "acc"),
    zoe: device("zoe", "Zoe Martin", "E1", "acc"),
    ann: device("ann", "Ann Adams", "E1", "acc"),
    liam: device("liam", "Liam O'Brien", "E1", "acc"),
    nobody: device("nobody", "Nina New", "E1", "acc"),
    acc2: device("acc2", "wolkvox 0002", "E2"),
    ven: device("ven", "Ventas", "E2", "acc2"),
    lamp: { id: "lamp", name: "Lamp", config_entries: ["HUE"], via_device_id: null },
  };
  const list = [
    entity("sensor.acc_waiting", "acc", "waiting"),
    entity("sensor.acc_agents_available", "acc", "agents_available"),
    entity("sensor.acc_longest_wait", "acc", "longest_wait"),
    entity("sensor.acc_health", "acc", "health"),
    entity("sensor.acc_quota", "acc", "quota_used", { entity_category: "diagnostic" }),
    entity("binary_sensor.acc_waiting", "acc", "customers_waiting"),
    entity("sensor.support_waiting", "sup", "waiting"),
    entity("sensor.support_longest_wait", "sup", "longest_wait"),
    entity("sensor.support_health", "sup", "health"),
    entity("sensor.sales_waiting", "sal", "waiting"),
    entity("sensor.sales_health", "sal", "health"),
    entity("sensor.zoe_status", "zoe", "agent_status"),
    entity("sensor.ann_status", "ann", "agent_status"),
    entity("sensor.liam_status", "liam", "agent_status"),
    entity("sensor.nina_status", "nobody", "agent_status"),
    entity("sensor.hidden_status", "zoe", "other", { hidden: true }),
    entity("sensor.acc2_waiting", "acc2", "waiting"),
    entity("sensor.acc2_health", "acc2", "health"),
    entity("sensor.ventas_service_level", "ven", "service_level"),
    entity("sensor.ventas_health", "ven", "health"),
    { entity_id: "light.lamp", device_id: "lamp", platform: "hue", labels: [] },
  ];
  const entities = Object.fromEntries(list.map((e) => [e.entity_id, e]));
  const states = Object.fromEntries(
    list.map((e) => [e.entity_id, { entity_id: e.entity_id, state: "ok", attributes: {} }]),
  );
  states["sensor.support_waiting"].attributes.friendly_name = "Support Waiting";
  states["sensor.acc_health"].attributes.friendly_name = "Live Guide chat.example.com Health";
  // A name the user changed to one without the device's name stays as it is.
  states["sensor.support_longest_wait"].attributes.friendly_name = "Oldest chat";
  states["sensor.zoe_status"].attributes.queues = ["Support"];
  states["sensor.ann_status"].attributes.queues = ["Support", "Sales"];
  states["sensor.liam_status"].attributes.queues = ["Sales"];
  states["sensor.nina_status"].attributes.queues = [];
  return { entities, devices, states };
}

const cardsOf = (section) => section.cards;
const entityOf = (card) => card.entity;
const headings = (section) => cardsOf(section).filter((c) => c.type === "heading").map((c) => c.heading);

test("registers the strategy element and the Add dashboard entry once", () => {
  const cls = customElements.get("ll-strategy-dashboard-contact-center-wallboard");
  assert.equal(cls, wallboard.ContactCenterWallboardStrategy);
  const entries = window.customStrategies.filter((s) => s.type === "contact-center-wallboard");
  assert.equal(entries.length, 1);
  assert.equal(entries[0].strategyType, "dashboard");
  assert.ok(entries[0].name && entries[0].description);
  assert.deepEqual(cls.getCreateSuggestions(), { title: "Wallboard", icon: "mdi:monitor-dashboard" });
});

test("one view per entry: account totals, a section per queue, agents by queue", async () => {
  const config = await wallboard.ContactCenterWallboardStrategy.generate({}, fakeHass());
  assert.deepEqual(config.views.map((v) => v.title), ["Live Guide chat.example.com", "wolkvox 0002"]);
  const [view] = config.views;
  assert.equal(view.type, "sections");
  const [account, sales, support, agents] = view.sections;
  assert.equal(view.sections.length, 4);

  assert.deepEqual(headings(account), ["Live Guide chat.example.com"]);
  const plain = cardsOf(account).filter((c) => c.type === "tile" && !c.visibility).map(entityOf);
  // Totals in reading order; no diagnostic entity, no binary sensor twin.
  assert.deepEqual(plain, ["sensor.acc_waiting", "sensor.acc_longest_wait", "sensor.acc_agents_available"]);

  assert.deepEqual(headings(sales), ["Sales"]);
  assert.deepEqual(headings(support), ["Support"]);
  const figures = cardsOf(support).filter((c) => c.type === "tile" && !c.visibility).map(entityOf);
  assert.deepEqual(figures, ["sensor.support_waiting", "sensor.support_longest_wait"]);

  // Agents under their first queue in section order (Sales, Support), then those without.
  assert.deepEqual(headings(agents), ["Agents", "Sales", "Support", "Other agents"]);
  const order = [...new Set(cardsOf(agents).filter((c) => c.type === "tile").map(entityOf))];
  assert.deepEqual(order, ["sensor.ann_status", "sensor.liam_status", "sensor.zoe_status", "sensor.nina_status"]);
});

test("health is coloured by state, with a plain tile for any other state", async () => {
  const config = await wallboard.generateWallboard({}, fakeHass());
  const support = config.views[0].sections[2];
  const health = cardsOf(support).filter((c) => c.entity === "sensor.support_health");
  assert.deepEqual(
    health.map((c) => [c.color, c.visibility[0].state ?? c.visibility[0].state_not]),
    [
      ["green", "ok"],
      ["amber", "warning"],
      ["red", "alert"],
      [undefined, ["ok", "warning", "alert"]],
    ],
  );
  const zoe = cardsOf(config.views[0].sections[3]).filter((c) => c.entity === "sensor.zoe_status");
  assert.deepEqual(
    Object.fromEntries(zoe.filter((c) => c.color).map((c) => [c.visibility[0].state, c.color])),
    { available: "green", busy: "red", after_call_work: "amber", away: "orange", offline: "grey" },
  );
});

test("tiles are named without the device's name the heading already shows", async () => {
  const config = await wallboard.generateWallboard({}, fakeHass());
  const [account, , support, agents] = config.views[0].sections;
  const names = (section, entityId) => [
    ...new Set(cardsOf(section).filter((c) => c.entity === entityId).map((c) => c.name)),
  ];
  assert.deepEqual(names(account, "sensor.acc_health"), ["Health"]);
  assert.deepEqual(names(support, "sensor.support_waiting"), ["Waiting"]);
  assert.deepEqual(names(support, "sensor.support_longest_wait"), [undefined]);
  assert.deepEqual(names(agents, "sensor.zoe_status"), ["Zoe Martin"]);
});

test("service level for the vendors that report one", async () => {
  const config = await wallboard.generateWallboard({ entry_id: "E2" }, fakeHass());
  assert.equal(config.views.length, 1);
  const [account, ventas] = config.views[0].sections;
  assert.deepEqual(headings(account), ["wolkvox 0002"]);
  assert.ok(cardsOf(ventas).some((c) => c.entity === "sensor.ventas_service_level" && !c.visibility));
  assert.equal(config.views[0].sections.length, 2);
});

test("options: one entry, and no agents", async () => {
  const config = await wallboard.generateWallboard({ entry_id: "E1", show_agents: false }, fakeHass());
  assert.deepEqual(config.views.map((v) => v.title), ["Live Guide chat.example.com"]);
  assert.equal(config.views[0].sections.length, 3);
  assert.ok(!JSON.stringify(config).includes("_status"));
});

test("an unknown entry or none says so", async () => {
  const missing = await wallboard.generateWallboard({ entry_id: "NOPE" }, fakeHass());
  assert.match(missing.views[0].cards[0].content, /NOPE/);
  const empty = await wallboard.generateWallboard({}, { entities: {}, devices: {}, states: {} });
  assert.match(empty.views[0].cards[0].content, /No Contact Center entry yet/);
});
