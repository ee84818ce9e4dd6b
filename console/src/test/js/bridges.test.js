// The supervisors' bridges panel (console/panels/bridges.js): what each row says, Drain / Undrain calling the
// admin API, and failures shown in the panel in plain words.
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { STATIC, fakeFetch, fakeDocument } from "./fakes.js";

const B = await import(`${STATIC}/console/panels/bridges.js`);
const { desk } = await import(`${STATIC}/console/store.js`);
const { setLang } = await import(`${STATIC}/console/i18n.js`);

const IDS = ["bridges-card", "bridges-list", "bridges-note"];
const up = { id: "10.0.0.5:8090", kind: "remote", region: null, up: true, healthy: true, stress: 0.125, conferences: 3,
  endpoints: 7, relays: 0, draining: false, shuttingDown: false, version: "0.1.0", assignedConferences: 2, lastFailure: null };
const draining = { ...up, id: "10.0.0.6:8090", region: "eu-west", draining: true, conferences: 1, endpoints: 2 };
const unchecked = { id: "node-1", kind: "in-process", region: null, up: true, healthy: null, stress: null, conferences: null,
  endpoints: null, relays: 0, draining: false, shuttingDown: false, version: null, assignedConferences: 0, lastFailure: null };

let page;
const savedFetch = globalThis.fetch;

function signedInAs(role) {
  setLang("en");
  desk.token = "tok-" + role;
  desk.me = { role, subject: role + "-1" };
  page = fakeDocument(IDS);
  B.resetBridges();
}

afterEach(() => {
  globalThis.fetch = savedFetch;
  page?.restore();
  page = null;
  desk.token = null;
  desk.me = null;
  B.resetBridges();
});

test("a row's cells: kind and state in words, numbers, and a dash for what is not reported yet", () => {
  setLang("en");
  assert.deepEqual(B.bridgeCells(up), ["10.0.0.5:8090", "Remote", "—", "Up", "0.13", "3", "7", "0", "0.1.0"]);
  assert.deepEqual(B.bridgeCells(draining).slice(2, 4), ["eu-west", "Draining"]);
  assert.deepEqual(B.bridgeCells(unchecked), ["node-1", "In this server", "—", "Up", "—", "—", "—", "0", "—"]);
  assert.equal(B.bridgeState({ ...up, up: false }), "down");
  assert.equal(B.bridgeState({ ...up, healthy: false }), "down");
  assert.equal(B.bridgeState({ ...draining, up: false, shuttingDown: true }), "shutting-down", "worst first");
  assert.equal(B.bridgePath("10.0.0.5:8090/jvb", "drain"), "/api/admin/bridges/10.0.0.5%3A8090%2Fjvb/drain");
});

test("supervisors see every bridge with its state and the button that fits; the list is read with their token", async () => {
  signedInAs("supervisor");
  globalThis.fetch = fakeFetch(() => ({ status: 200, body: { bridges: [up, draining], takesNewCalls: true } }));
  await B.loadBridges();

  assert.equal(globalThis.fetch.calls[0].url, "/api/admin/bridges");
  assert.equal(globalThis.fetch.calls[0].init.headers.Authorization, "Bearer tok-supervisor");
  assert.equal(page.byId("bridges-card").hidden, false);
  const rows = page.byId("bridges-list").findAll("desk-bridge");
  assert.deepEqual(rows.map((r) => r.getAttribute("data-bridge-id")), [up.id, draining.id]);
  assert.deepEqual(rows.map((r) => r.getAttribute("data-state")), ["up", "draining"]);
  assert.equal(rows[0].textContent, "10.0.0.5:8090Remote—Up0.13370" + "0.1.0Drain");
  assert.equal(rows[0].findAll("desk-bridge-drain").length, 1);
  assert.equal(rows[1].findAll("desk-bridge-undrain").length, 1);
  assert.equal(page.byId("bridges-note").textContent, "");
});

test("Drain posts to the bridge's drain path, then reads the list again; Undrain likewise", async () => {
  signedInAs("supervisor");
  let list = [up, draining];
  globalThis.fetch = fakeFetch((url, init) => {
    if (init.method === "POST" && url.endsWith("/drain")) {
      list = [{ ...up, draining: true }, draining];
      return { status: 200, body: list[0] };
    }
    if (init.method === "POST" && url.endsWith("/undrain")) {
      list = [list[0], { ...draining, draining: false }];
      return { status: 200, body: list[1] };
    }
    return { status: 200, body: { bridges: list, takesNewCalls: true } };
  });
  await B.loadBridges();

  page.byId("bridges-list").findAll("desk-bridge-drain")[0].click();
  await new Promise((r) => setImmediate(r));
  await B.loadBridges();
  const post = globalThis.fetch.calls.find((c) => c.init.method === "POST");
  assert.equal(post.url, "/api/admin/bridges/10.0.0.5%3A8090/drain");
  assert.equal(post.init.headers.Authorization, "Bearer tok-supervisor");
  assert.equal(post.init.body, undefined, "no body, as the bridge's own drain takes none");
  let rows = page.byId("bridges-list").findAll("desk-bridge");
  assert.deepEqual(rows.map((r) => r.getAttribute("data-state")), ["draining", "draining"]);

  await B.setDrain(draining.id, false);
  assert.ok(globalThis.fetch.calls.some((c) => c.url === "/api/admin/bridges/10.0.0.6%3A8090/undrain"));
  rows = page.byId("bridges-list").findAll("desk-bridge");
  assert.equal(rows[1].getAttribute("data-state"), "up");
});

test("a refused drain and a failed read are shown in the panel in plain words, with the code", async () => {
  signedInAs("supervisor");
  globalThis.fetch = fakeFetch((url, init) => init.method === "POST"
    ? { status: 503, body: { code: "unavailable", message: "the bridge could not be reached" } }
    : { status: 200, body: { bridges: [up], takesNewCalls: true } });
  await B.loadBridges();
  await B.setDrain(up.id, true);
  const note = page.byId("bridges-note");
  assert.match(note.textContent, /^Bridge 10\.0\.0\.5:8090 was not drained: .+ \(unavailable\)$/);
  assert.match(note.className, /error-text/);
  assert.equal(page.byId("bridges-list").findAll("desk-bridge")[0].getAttribute("data-state"), "up");

  globalThis.fetch = fakeFetch(() => ({ status: 403, body: { code: "forbidden", message: "no" } }));
  await B.setDrain(up.id, true);
  await B.loadBridges();
  assert.match(note.textContent, /^Bridge 10\.0\.0\.5:8090 was not drained: .+ \(forbidden\)$/,
    "the refusal is what the supervisor needs to read first");
  globalThis.fetch = fakeFetch((url, init) => init.method === "POST" ? { status: 200, body: up }
    : { status: 403, body: { code: "forbidden", message: "no" } });
  await B.setDrain(up.id, true);
  assert.match(note.textContent, /^The bridges could not be read: .+ \(forbidden\)$/);
  assert.equal(page.byId("bridges-list").findAll("desk-bridge").length, 1, "the last list stays");
});

test("when no bridge can take a new call the panel says so; without bridges it says why", async () => {
  signedInAs("supervisor");
  globalThis.fetch = fakeFetch(() => ({ status: 200, body: { bridges: [draining], takesNewCalls: false } }));
  await B.loadBridges();
  assert.match(page.byId("bridges-note").textContent, /No bridge can take a new call/);

  globalThis.fetch = fakeFetch(() => ({ status: 200, body: { bridges: [], takesNewCalls: false } }));
  await B.loadBridges();
  assert.match(page.byId("bridges-note").textContent, /no bridges/);
});

test("staff neither see the panel nor ask for the list", async () => {
  signedInAs("staff");
  globalThis.fetch = fakeFetch(() => ({ status: 200, body: { bridges: [up] } }));
  await B.loadBridges();
  B.renderBridges();
  assert.equal(globalThis.fetch.calls.length, 0);
  assert.equal(page.byId("bridges-card").hidden, true);
});
