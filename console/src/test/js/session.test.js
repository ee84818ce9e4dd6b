import { test, beforeEach, afterEach, mock } from "node:test";
import assert from "node:assert/strict";
import { FakeSocket, flush, STATIC } from "./fakes.js";

const { Session, PING_MS, wsUrl } = await import(`${STATIC}/client/session.js`);

let events;
function session(extra = {}) {
  events = { status: [], messages: [], welcomes: [], fatal: [] };
  return new Session({
    url: "ws://x/ws", token: "tok", WebSocket: FakeSocket, random: () => 0.5,
    onStatus: (s) => events.status.push(s),
    onMessage: (m) => events.messages.push(m),
    onWelcome: (w, resumed) => events.welcomes.push({ w, resumed }),
    onFatal: (e) => events.fatal.push(e),
    ...extra
  });
}

/** Opens the current socket and answers its hello with a welcome. */
async function welcome(fields = {}) {
  const ws = FakeSocket.last;
  ws.open();
  assert.equal(ws.sent.at(-1).type, "hello");
  ws.reply("welcome", fields);
  await flush();
  return ws;
}

beforeEach(() => {
  FakeSocket.reset();
  mock.timers.enable({ apis: ["setTimeout", "setInterval"] });
});
afterEach(() => mock.timers.reset());

test("wsUrl turns an http(s) server into its WebSocket endpoint", () => {
  assert.equal(wsUrl("https://ld.example/"), "wss://ld.example/ws");
  assert.equal(wsUrl("http://localhost:8080"), "ws://localhost:8080/ws");
});

test("hello carries the token; start() resolves with the welcome", async () => {
  const s = session();
  const started = s.start();
  FakeSocket.last.open();
  assert.deepEqual(FakeSocket.last.sent[0], { type: "hello", id: "1", token: "tok" });
  FakeSocket.last.reply("welcome", { role: "customer" });
  const w = await started;
  assert.equal(w.role, "customer");
  assert.ok(s.online);
  assert.deepEqual(events.status, ["connecting", "online"]);
  assert.equal(events.welcomes[0].resumed, false);
});

test("replies are matched to their requests by id, out of order, and error replies reject", async () => {
  const s = session();
  s.start();
  const ws = await welcome();
  const a = s.request("request.create", { topic: "cards" });
  const b = s.request("request.cancel", { requestId: "r1" });
  const [ida, idb] = ws.sent.slice(-2).map((m) => m.id);
  assert.notEqual(ida, idb);
  ws.push({ type: "error", id: idb, code: "not_found" });
  ws.push({ type: "request.queued", id: ida, position: 3 });
  assert.equal((await a).position, 3);
  await assert.rejects(b, { code: "not_found" });
  // the reply is also an event; the error reply is not
  assert.deepEqual(events.messages.map((m) => m.type), ["welcome", "request.queued"]);
});

test("a request on a closed socket, and requests pending when it drops, fail with network", async () => {
  const s = session();
  await assert.rejects(s.request("ping"), { code: "network" });
  s.start();
  const ws = await welcome();
  const pending = s.request("presence.set", { status: "available" });
  ws.drop();
  await assert.rejects(pending, { code: "network" });
});

test("pings every 15 s while online, and stops when the socket drops", async () => {
  assert.equal(PING_MS, 15000);
  const s = session();
  s.start();
  const ws = await welcome();
  const pings = () => ws.sent.filter((m) => m.type === "ping").length;
  mock.timers.tick(14999);
  assert.equal(pings(), 0);
  mock.timers.tick(1);
  assert.equal(pings(), 1);
  mock.timers.tick(15000);
  assert.equal(pings(), 2);
  ws.drop();
  mock.timers.tick(60000);
  assert.equal(pings(), 2);
});

test("after a welcome, a drop reconnects with growing backoff and resumes with a second hello", async () => {
  const s = session();
  s.start();
  (await welcome()).drop();
  assert.equal(events.status.at(-1), "reconnecting");
  assert.equal(FakeSocket.all.length, 1);
  mock.timers.tick(749); // 1 s base, random 0.5: 500 + 250
  assert.equal(FakeSocket.all.length, 1);
  mock.timers.tick(1);
  assert.equal(FakeSocket.all.length, 2);
  FakeSocket.last.drop(); // never opened
  mock.timers.tick(1499); // 2 s base: 1000 + 500
  assert.equal(FakeSocket.all.length, 2);
  mock.timers.tick(1);
  assert.equal(FakeSocket.all.length, 3);
  await welcome({ call: { callId: "c1" } });
  assert.deepEqual(events.welcomes.map((w) => w.resumed), [false, true]);
  assert.equal(s.retries, 0, "a welcome resets the backoff");
});

test("before the first welcome nothing is retried: start() rejects with the reason", async () => {
  const s = session();
  const started = s.start();
  FakeSocket.last.open();
  FakeSocket.last.reply("error", { code: "overloaded" });
  await assert.rejects(started, { code: "overloaded" });
  mock.timers.tick(60000);
  assert.equal(FakeSocket.all.length, 1);
  assert.equal(events.fatal.length, 0);

  const again = session();
  const p = again.start();
  FakeSocket.last.drop();
  await assert.rejects(p, { code: "network" });
});

test("an overloaded hello on resume waits at least the server's retryAfterMs", async () => {
  const s = session();
  s.start();
  (await welcome()).drop();
  mock.timers.tick(750);
  FakeSocket.last.open();
  FakeSocket.last.reply("error", { code: "overloaded", retryAfterMs: 5000 });
  await flush();
  mock.timers.tick(4900);
  assert.equal(FakeSocket.all.length, 2, "not before the server said");
  mock.timers.tick(200);
  assert.equal(FakeSocket.all.length, 3, "then it tries again");
});

test("a transient hello error on resume is retried; a forbidden one ends the session", async () => {
  const s = session();
  s.start();
  (await welcome()).drop();
  mock.timers.tick(750);
  FakeSocket.last.open();
  FakeSocket.last.reply("error", { code: "unavailable" });
  await flush();
  assert.ok(FakeSocket.all[1].closed);
  mock.timers.tick(1500);
  assert.equal(FakeSocket.all.length, 3, "retried after backoff");
  FakeSocket.last.open();
  FakeSocket.last.reply("error", { code: "forbidden" });
  await flush();
  assert.deepEqual(events.fatal.map((e) => e.code), ["forbidden"]);
  mock.timers.tick(60000);
  assert.equal(FakeSocket.all.length, 3);
});

test("invalid_token on resume is retried once with a renewed token", async () => {
  const tokens = ["fresh"];
  const s = session({ renewToken: async () => tokens.shift() ?? "none" });
  s.start();
  (await welcome()).drop();
  mock.timers.tick(750);
  FakeSocket.last.open();
  FakeSocket.last.reply("error", { code: "invalid_token" });
  await flush();
  assert.equal(FakeSocket.all.length, 3, "reconnects at once with the new token");
  FakeSocket.last.open();
  assert.equal(FakeSocket.last.sent[0].token, "fresh");
  FakeSocket.last.reply("error", { code: "invalid_token" });
  await flush();
  assert.deepEqual(events.fatal.map((e) => e.code), ["invalid_token"], "a second refusal is final");
});

test("session_replaced pushed by the server ends the session without reconnecting", async () => {
  const s = session();
  s.start();
  const ws = await welcome();
  ws.push({ type: "error", code: "session_replaced" });
  ws.drop();
  mock.timers.tick(60000);
  assert.equal(FakeSocket.all.length, 1);
  assert.deepEqual(events.fatal.map((e) => e.code), ["session_replaced"]);
  assert.equal(events.status.at(-1), "closed");
});

test("server.shutdown: leave at once, come back after the delay asked for plus jitter", async () => {
  const s = session();
  s.start();
  const ws = await welcome();
  ws.push({ type: "server.shutdown", reconnectAfterMs: 3000 });
  assert.ok(ws.closed);
  assert.equal(events.status.at(-1), "restarting");
  assert.equal(events.messages.at(-1).type, "server.shutdown");
  mock.timers.tick(3499);
  assert.equal(FakeSocket.all.length, 1);
  mock.timers.tick(1);
  assert.equal(FakeSocket.all.length, 2);
});

test("shouldResume false: a drop ends the session quietly", async () => {
  let active = true;
  const s = session({ shouldResume: () => active });
  s.start();
  const ws = await welcome();
  active = false;
  ws.drop();
  mock.timers.tick(60000);
  assert.equal(FakeSocket.all.length, 1);
  assert.equal(events.status.at(-1), "closed");
  assert.equal(events.fatal.length, 0);
});

test("maxRetries: gives up with network after that many failed attempts", async () => {
  const s = session({ maxRetries: 2 });
  s.start();
  (await welcome()).drop();
  for (let i = 0; i < 2; i++) {
    mock.timers.tick(20000);
    FakeSocket.last.drop();
  }
  assert.deepEqual(events.fatal.map((e) => e.code), ["network"]);
  assert.equal(FakeSocket.all.length, 3);
});

test("stop() closes the socket, rejects pending requests and schedules nothing", async () => {
  const s = session();
  s.start();
  const ws = await welcome();
  const pending = s.request("ping");
  s.stop();
  assert.ok(ws.closed);
  await assert.rejects(pending, { code: "network" });
  mock.timers.tick(60000);
  assert.equal(FakeSocket.all.length, 1);
  assert.equal(events.status.at(-1), "closed");
});

test("an unreadable frame is skipped", async () => {
  const s = session();
  s.start();
  const ws = await welcome();
  const warn = mock.method(console, "warn", () => {});
  ws.onmessage({ data: "not json" });
  assert.equal(warn.mock.callCount(), 1);
  assert.equal(events.messages.length, 1);
});
