import { test } from "node:test";
import assert from "node:assert/strict";
import { STATIC } from "./fakes.js";

const { initialModel, apply, watching, broadcastIdOf, MAX_CHAT } = await import(`${STATIC}/live/model.js`);
const { STRINGS } = await import(`${STATIC}/live/strings.js`);

const joined = {
  type: "broadcast.joined", broadcast: { id: "b-1", title: "Home loans", state: "live", stage: [] },
  viewers: 3, likes: 7, card: null, chat: [{ messageId: "m-1", name: "Ann", text: "hi", at: 1 }], muted: false
};

test("a joined broadcast that is live is watched; one that has not started waits", () => {
  const m = apply(initialModel("b-1"), joined);
  assert.equal(m.state, "live");
  assert.equal(m.viewers, 3);
  assert.equal(watching(m), true);
  const waiting = apply(initialModel("b-1"), { ...joined, broadcast: { ...joined.broadcast, state: "scheduled" } });
  assert.equal(waiting.state, "waiting");
  assert.equal(watching(waiting), false);
  assert.equal(apply(waiting, { type: "broadcast.state", state: "live", stage: [] }).state, "live");
});

test("chat batches append in order, deletions remove kept and never show new ones, and the list is bounded", () => {
  let m = apply(initialModel("b-1"), joined);
  m = apply(m, { type: "chat.batch", messages: [{ messageId: "m-2", name: "Bo", text: "a" }], deleted: [] });
  m = apply(m, { type: "chat.batch", messages: [{ messageId: "m-3", name: "Cy", text: "b", fromStage: true }], deleted: ["m-1"] });
  assert.deepEqual(m.chat.map((c) => c.messageId), ["m-2", "m-3"]);
  assert.equal(m.chat[1].fromStage, true);
  for (let i = 0; i < MAX_CHAT + 10; i++) {
    m = apply(m, { type: "chat.batch", messages: [{ messageId: "x-" + i, name: "n", text: "t" }], deleted: [] });
  }
  assert.equal(m.chat.length, MAX_CHAT);
  assert.equal(m.chat.at(-1).messageId, "x-" + (MAX_CHAT + 9));
});

test("a consultation queues, rings, becomes a call that pauses the stream, and the stream comes back after it", () => {
  let m = apply(initialModel("b-1"), joined);
  m = apply(m, { type: "request.queued", requestId: "r-1", position: 2, etaSeconds: 120 });
  assert.equal(m.queue.position, 2);
  m = apply(m, { type: "queue.update", requestId: "r-1", state: "ringing", position: 0, etaSeconds: 0 });
  assert.equal(m.queue.state, "ringing");
  m = apply(m, { type: "call.started", callId: "r-1", peer: { name: "Zhang Min" } });
  assert.equal(m.queue, null);
  assert.equal(watching(m), false, "paused while talking");
  m = apply(m, { type: "call.ended", callId: "r-1" });
  assert.equal(watching(m), true);
});

test("removal sticks even when the broadcast's state changes afterwards; a card comes and goes", () => {
  let m = apply(apply(initialModel("b-1"), joined), { type: "broadcast.removed", broadcastId: "b-1" });
  m = apply(m, { type: "broadcast.state", state: "live", stage: [] });
  assert.equal(m.state, "removed");
  m = apply(m, { type: "broadcast.card", card: { cardId: "c-1", name: "Loan" } });
  assert.equal(m.card.cardId, "c-1");
  assert.equal(apply(m, { type: "broadcast.card", card: null }).card, null);
});

test("the page's address names the broadcast", () => {
  assert.equal(broadcastIdOf("/live/b-5d0c"), "b-5d0c");
  assert.equal(broadcastIdOf("/live/b-5d0c/"), "b-5d0c");
  assert.equal(broadcastIdOf("/live/"), null);
  assert.equal(broadcastIdOf("/live/../x"), null);
});

test("every viewer string exists in both languages", () => {
  assert.deepEqual(Object.keys(STRINGS.zh).sort(), Object.keys(STRINGS.en).sort());
});
