import { test } from "node:test";
import assert from "node:assert/strict";
import { STATIC } from "./fakes.js";

const { queueChoice, callbackRequest } = await import(`${STATIC}/widget/logic.js`);
const { STRINGS } = await import(`${STATIC}/widget/strings.js`);

const status = {
  advisorsAvailable: true,
  queues: [
    { topic: "loans", language: "en", open: false, opensAt: "2026-12-07T01:00:00Z", advisorsAvailable: false, waiting: 0, estimatedWaitSeconds: 180 },
    { topic: "cards", language: "en", open: true, opensAt: null, advisorsAvailable: false, waiting: 3, estimatedWaitSeconds: 540 },
    { topic: "accounts", language: "en", open: true, opensAt: null, advisorsAvailable: true, waiting: 0, estimatedWaitSeconds: 0 }
  ]
};

test("queueChoice: a closed queue says when it opens, a busy one the wait, a free one queues at once", () => {
  assert.deepEqual(queueChoice(status, "loans", "en"), { reason: "closed", opensAt: "2026-12-07T01:00:00Z" });
  assert.deepEqual(queueChoice(status, "cards", "en"), { reason: "busy", etaSeconds: 540 });
  assert.equal(queueChoice(status, "accounts", "en"), null);
});

test("queueChoice: without a status (unreachable) or the queue in it, the customer simply queues", () => {
  assert.equal(queueChoice(null, "loans", "en"), null);
  assert.equal(queueChoice(status, "loans", "zh"), null);
  assert.equal(queueChoice({}, "cards", "en"), null);
});

test("callbackRequest: a name and a phone number or a note; the phone must look like one", () => {
  assert.equal(callbackRequest({ name: " ", phone: "+44 20 7946 0000" }), "needName");
  assert.equal(callbackRequest({ name: "Li Wei" }), "cb.needPhone");
  assert.equal(callbackRequest({ name: "Li Wei", phone: "call me" }), "cb.badPhone");
  assert.deepEqual(callbackRequest({ name: " Li Wei ", phone: "+86 (21) 5555-0101", preferredTime: " after 6 " }),
    { name: "Li Wei", phone: "+86 (21) 5555-0101", note: "", preferredTime: "after 6" });
  assert.deepEqual(callbackRequest({ name: "Li Wei", note: "about my mortgage" }),
    { name: "Li Wei", phone: "", note: "about my mortgage", preferredTime: "" });
  for (const key of ["cb.needPhone", "cb.badPhone", "needName"]) {
    assert.ok(STRINGS.en[key] && STRINGS.zh[key], key + " is said in English and Chinese");
  }
});

test("every new widget string exists in both languages", () => {
  const keys = Object.keys(STRINGS.en).filter((k) => k.startsWith("choice.") || k.startsWith("cb.") || k === "reason.max_wait");
  assert.ok(keys.length > 20);
  for (const k of keys) assert.ok(STRINGS.zh[k], "zh has " + k);
});
