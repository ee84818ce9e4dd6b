// The livestream studio's rules (console/panels/studio-state.js) and its handling of the stage's messages.
import { test } from "node:test";
import assert from "node:assert/strict";
import { STATIC } from "./fakes.js";

const S = await import(`${STATIC}/console/panels/studio-state.js`);
const { onStudioMessage, studioState, mayHost } = await import(`${STATIC}/console/panels/studio.js`);
const { desk } = await import(`${STATIC}/console/store.js`);
const { originText } = await import(`${STATIC}/console/panels/offers.js`);
const i18n = await import(`${STATIC}/console/i18n.js`);

const record = { id: "b-1", host: "staff-7", title: "Saving for your first home", language: "en", topic: "loans",
  scheduledAt: "2026-12-01T09:00:00Z", state: "scheduled", coHosts: [] };
const joined = {
  type: "broadcast.joined", id: "3", broadcast: { id: "b-1", title: "Saving for your first home", state: "live",
    stage: [{ name: "Lin Wei", role: "host" }] },
  viewers: 2, likes: 5, card: null, chat: [{ messageId: "m-1", name: "Ann", text: "hi", at: 1, viewerId: "v-1" }], onStage: true
};

test("a new stage starts from the record; joining brings the count, chat with viewer ids, card and stage", () => {
  let s = S.stageOf(record, "host");
  assert.equal(s.state, "scheduled");
  assert.equal(s.joined, false);
  s = S.onStageMessage(s, joined);
  assert.equal(s.joined, true);
  assert.equal(s.state, "live");
  assert.deepEqual([s.viewers, s.likes], [2, 5]);
  assert.equal(s.chat[0].viewerId, "v-1", "the stage sees who wrote, to moderate");
  assert.equal(s.broadcast.host, "staff-7", "the record's fields stay");
  assert.deepEqual(s.stage, [{ name: "Lin Wei", role: "host" }]);
});

test("the stage's messages: stats, chat with deletions, card, stage changes, the end; another broadcast's are ignored", () => {
  let s = S.onStageMessage(S.stageOf(record, "host"), joined);
  s = S.onStageMessage(s, { type: "broadcast.stats", broadcastId: "b-1", viewers: 3, likes: 9 });
  assert.deepEqual([s.viewers, s.likes], [3, 9]);
  s = S.onStageMessage(s, { type: "chat.batch", broadcastId: "b-1", messages: [{ messageId: "m-2", name: "Bo", text: "q", viewerId: "v-2" }], deleted: ["m-1"] });
  assert.deepEqual(s.chat.map((m) => m.messageId), ["m-2"]);
  s = S.onStageMessage(s, { type: "broadcast.card", broadcastId: "b-1", card: { cardId: "c-1", name: "Mortgage" } });
  assert.equal(s.card.cardId, "c-1");
  s = S.onStageMessage(s, { type: "broadcast.state", broadcastId: "b-1", state: "live",
    stage: [{ name: "Lin Wei", role: "host" }, { name: "Chen Jie", role: "cohost" }] });
  assert.equal(s.stage.length, 2);
  assert.equal(S.onStageMessage(s, { type: "broadcast.stats", broadcastId: "b-2", viewers: 99, likes: 0 }), s);
  assert.equal(S.onStageMessage(null, joined), null);
  s = S.onStageMessage(s, { type: "broadcast.state", broadcastId: "b-1", state: "ended", stage: [] });
  assert.equal(s.state, "ended");
  assert.equal(s.joined, false, "after the end the stage's media is released");
});

test("viewers come a page at a time; moderation updates the page at once", () => {
  let s = S.onStageMessage(S.stageOf(record, "host"), joined);
  s = S.onStageMessage(s, { type: "broadcast.viewers", broadcastId: "b-1", total: 45, offset: 20,
    viewers: [{ viewerId: "v-1", name: "Ann", joinedAt: 1, muted: false }, { viewerId: "v-2", name: "Bo", joinedAt: 2, muted: false }] });
  assert.equal(s.viewers, 45);
  assert.deepEqual(S.viewerPaging(s.viewerPage), { prev: 0, next: 40, from: 21, to: 22, total: 45 });
  s = S.moderated(s, "viewer.mute", "v-1", true);
  assert.equal(s.viewerPage.items[0].muted, true);
  s = S.moderated(s, "viewer.remove", "v-2");
  assert.deepEqual(s.viewerPage.items.map((v) => v.viewerId), ["v-1"]);
  assert.equal(s.viewerPage.total, 44);
  assert.deepEqual(S.viewerPaging({ offset: 0, total: 0, items: [] }), { prev: null, next: null, from: 0, to: 0, total: 0 });
  assert.deepEqual(S.viewerPaging({ offset: 40, total: 45, items: [{}, {}, {}, {}, {}] }), { prev: 20, next: null, from: 41, to: 45, total: 45 });
});

test("the create form: a one-line title, a topic and language, the time in UTC, optional description and http(s) cover", () => {
  const now = Date.parse("2026-12-01T08:00:00Z");
  const ok = S.broadcastRequest({ title: "  Home loans  ", description: "", language: "en", topic: "loans", when: "", cover: "" }, now);
  assert.deepEqual(ok, { body: { title: "Home loans", language: "en", topic: "loans", scheduledAt: "2026-12-01T08:00:00Z" } });
  const full = S.broadcastRequest({ title: "T", description: " d ", language: "zh", topic: "wealth",
    when: "2026-12-01T09:30", cover: "https://cdn.example/c.jpg" }, now);
  assert.equal(full.body.description, "d");
  assert.equal(full.body.coverImageUrl, "https://cdn.example/c.jpg");
  assert.match(full.body.scheduledAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(Date.parse(full.body.scheduledAt), new Date("2026-12-01T09:30").getTime(), "the browser's local time, sent in UTC");
  assert.deepEqual(S.broadcastRequest({ title: " ", language: "en", topic: "loans" }), { error: "title" });
  assert.deepEqual(S.broadcastRequest({ title: "a\nb", language: "en", topic: "loans" }), { error: "title" });
  assert.deepEqual(S.broadcastRequest({ title: "x".repeat(121), language: "en", topic: "loans" }), { error: "title" });
  assert.deepEqual(S.broadcastRequest({ title: "T", language: "", topic: "loans" }), { error: "language" });
  assert.deepEqual(S.broadcastRequest({ title: "T", language: "en", topic: "" }), { error: "topic" });
  assert.deepEqual(S.broadcastRequest({ title: "T", language: "en", topic: "loans", cover: "javascript:alert(1)" }), { error: "cover" });
  assert.deepEqual(S.broadcastRequest({ title: "T", language: "en", topic: "loans", cover: "https://user@host/x" }), { error: "cover" });
  assert.deepEqual(S.broadcastRequest({ title: "T", language: "en", topic: "loans", description: "x".repeat(2001) }), { error: "description" });
});

test("the card form: a name, an optional line, an http(s) link and a topic", () => {
  assert.deepEqual(S.cardRequest({ name: " Mortgage ", line: "", url: "", topic: "" }), { card: { name: "Mortgage" } });
  assert.deepEqual(S.cardRequest({ name: "M", line: "3.1%", url: "https://bank.example/m", topic: "loans" }),
    { card: { name: "M", line: "3.1%", url: "https://bank.example/m", topic: "loans" } });
  assert.deepEqual(S.cardRequest({ name: "" }), { error: "name" });
  assert.deepEqual(S.cardRequest({ name: "M", url: "ftp://x" }), { error: "url" });
  assert.equal(S.isWebLink("https://bank.example/a?b=c#d"), true);
  assert.equal(S.isWebLink("https://a:b@bank.example/"), false);
  assert.equal(S.isWebLink("https:///path"), false);
  assert.deepEqual(S.cardRequest({ name: "M", line: "x".repeat(161) }), { error: "line" });
});

test("own broadcasts: kept per host, newest first, no repeats, bounded; listed live, then soonest, then latest ended", () => {
  assert.notEqual(S.ownKey("staff-a"), S.ownKey("staff-b"));
  let ids = [];
  for (let i = 0; i < S.OWN_KEPT + 3; i++) ids = S.withOwn(ids, "b-" + i);
  assert.equal(ids.length, S.OWN_KEPT);
  assert.equal(ids[0], "b-" + (S.OWN_KEPT + 2));
  assert.deepEqual(S.withOwn(["b-1", "b-2"], "b-2"), ["b-2", "b-1"]);
  assert.deepEqual(S.withOwn("garbage", "b-1"), ["b-1"]);
  const list = S.ownList([
    { id: "e-old", state: "ended", endedAt: "2026-11-01T10:00:00Z" },
    { id: "s-late", state: "scheduled", scheduledAt: "2026-12-09T10:00:00Z" },
    { id: "e-new", state: "ended", endedAt: "2026-11-20T10:00:00Z" },
    { id: "l", state: "live", startedAt: "2026-12-01T10:00:00Z" },
    { id: "s-soon", state: "scheduled", scheduledAt: "2026-12-02T10:00:00Z" }, null]);
  assert.deepEqual(list.map((r) => r.id), ["l", "s-soon", "s-late", "e-new", "e-old"]);
});

test("the studio shows only to tokens with the livestream permission", () => {
  desk.claims = { permissions: ["livestream"] };
  assert.equal(mayHost(), true);
  desk.claims = { permissions: ["other"] };
  assert.equal(mayHost(), false);
  desk.claims = {};
  assert.equal(mayHost(), false);
});

test("the studio takes the livestream messages and leaves the rest to the desk", () => {
  const had = "document" in globalThis;
  if (!had) globalThis.document = { getElementById: () => null }; // no page: nothing to draw
  try {
    assert.equal(studioState(), "idle");
    assert.equal(onStudioMessage({ type: "offer", requestId: "r-1" }), false);
    assert.equal(onStudioMessage({ type: "broadcast.stats", broadcastId: "b-9", viewers: 1, likes: 0 }), true, "taken (and ignored: not ours)");
    assert.equal(onStudioMessage({ type: "chat.batch", broadcastId: "b-9", messages: [] }), true);
    assert.equal(studioState(), "idle");
  } finally {
    if (!had) delete globalThis.document;
  }
});

test("an offer's origin names the broadcast, the card and how long the viewer watched", () => {
  i18n.setLang("en");
  const text = originText({ broadcastId: "b-1", title: "Saving for your first home", card: { cardId: "c-3", name: "First-home mortgage" }, watchedMs: 754000 });
  assert.match(text, /Saving for your first home/);
  assert.match(text, /First-home mortgage/);
  assert.match(text, /12:34/);
  assert.doesNotMatch(originText({ title: "T", watchedMs: 0 }), /card/);
});
