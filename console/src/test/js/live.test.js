// The livestream viewer page's model (live/model.js) and what the livestream pages share (client/broadcast.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { STATIC, fakeMedia, flush } from "./fakes.js";

const M = await import(`${STATIC}/live/model.js`);
const { withChatBatch, chatMessage, stageNames, broadcastMedia, viewHeight, watchViewSize, MAX_CHAT } = await import(`${STATIC}/client/broadcast.js`);
const { STRINGS } = await import(`${STATIC}/live/strings.js`);
const { initialModel, apply, watching } = M;

const joined = {
  type: "broadcast.joined", broadcast: { id: "b-1", title: "Home loans", state: "live", stage: [{ name: "Lin Wei", role: "host" }] },
  viewers: 3, likes: 7, card: null, chat: [{ messageId: "m-1", name: "Ann", text: "hi", at: 1 }], muted: false
};
const live = () => apply(initialModel("b-1"), joined);

test("a joined broadcast that is live is watched; one that has not started waits, then plays when it goes live", () => {
  const m = live();
  assert.equal(m.state, "live");
  assert.equal(m.viewers, 3);
  assert.equal(watching(m), true);
  assert.equal(M.canConsult(m), true);
  const waiting = apply(initialModel("b-1"), { ...joined, broadcast: { ...joined.broadcast, state: "scheduled" } });
  assert.equal(waiting.state, "waiting");
  assert.equal(watching(waiting), false);
  assert.equal(M.canConsult(waiting), false, "no consultation before the broadcast is live");
  assert.equal(M.canChat(waiting), true, "the chat is open while it waits");
  const started = apply(waiting, { type: "broadcast.state", state: "live", stage: [] });
  assert.equal(started.state, "live");
  assert.deepEqual(started.broadcast.stage, []);
  const ended = apply(started, { type: "broadcast.state", state: "ended" });
  assert.equal(ended.state, "ended");
  assert.equal(watching(ended), false);
  assert.equal(M.canChat(ended), false);
});

test("stats replace the count and likes", () => {
  const m = apply(live(), { type: "broadcast.stats", broadcastId: "b-1", viewers: 213, likes: 1210 });
  assert.deepEqual([m.viewers, m.likes], [213, 1210]);
});

test("chat batches append in order, deletions remove kept and never show new ones, and the list is bounded", () => {
  let m = live();
  m = apply(m, { type: "chat.batch", messages: [{ messageId: "m-2", name: "Bo", text: "a" }], deleted: [] });
  m = apply(m, { type: "chat.batch", messages: [{ messageId: "m-3", name: "Cy", text: "b", fromStage: true }, { messageId: "m-4", name: "Di", text: "c" }],
    deleted: ["m-1", "m-4"] });
  assert.deepEqual(m.chat.map((c) => c.messageId), ["m-2", "m-3"]);
  assert.equal(m.chat[1].fromStage, true);
  m = apply(m, { type: "chat.batch", messages: [{ messageId: "m-2", name: "Bo", text: "a" }] });
  assert.equal(m.chat.length, 2, "a message already shown is not shown twice");
  for (let i = 0; i < MAX_CHAT + 10; i++) {
    m = apply(m, { type: "chat.batch", messages: [{ messageId: "x-" + i, name: "n", text: "t" }], deleted: [] });
  }
  assert.equal(m.chat.length, MAX_CHAT);
  assert.equal(m.chat.at(-1).messageId, "x-" + (MAX_CHAT + 9));
});

test("chat messages are kept as text: markup stays characters, numbers become strings, viewer ids only when sent", () => {
  const c = chatMessage({ messageId: 7, name: "<img src=x onerror=alert(1)>", text: null, at: "x" });
  assert.deepEqual(c, { messageId: "7", name: "<img src=x onerror=alert(1)>", text: "", at: 0, fromStage: false });
  assert.equal(chatMessage({ messageId: "m", viewerId: "v-1" }).viewerId, "v-1");
  assert.deepEqual(withChatBatch([], null), []);
  assert.deepEqual(withChatBatch([], { messages: [null, { name: "no id" }] }), []);
});

test("muted: the chat closes and says why; unmuted it opens again", () => {
  let m = apply(live(), { type: "chat.muted", broadcastId: "b-1", muted: true });
  assert.equal(M.canChat(m), false);
  assert.equal(m.chatError, "err.muted");
  m = apply(m, { type: "chat.muted", broadcastId: "b-1", muted: false });
  assert.equal(M.canChat(m), true);
  assert.equal(m.chatError, null);
});

test("refusals are explained where the viewer acted", () => {
  const m = live();
  assert.equal(M.failed(m, "chat", "rate_limited").chatError, "err.rate_limited");
  const muted = M.failed(m, "chat", "forbidden");
  assert.equal(muted.chatError, "err.muted");
  assert.equal(muted.muted, true, "a chat.send refused as forbidden means muted");
  assert.equal(M.failed(m, "consult", "invalid_state").consultError, "err.consultState");
  assert.equal(M.failed(m, "consult", "bad_message").consultError, "err.name");
  assert.equal(M.failed(m, "consult", "something_new").consultError, "err.generic");
  assert.equal(M.failed(m, "like", "rate_limited"), m, "a like that did not count needs no word");
  for (const key of ["err.muted", "err.rate_limited", "err.chatText", "err.notLive", "err.consultState", "err.name", "err.cardGone",
    "err.noService", "err.busy", "err.network", "err.forbidden", "err.generic"]) assert.ok(STRINGS.en[key], key);
});

test("a refused join: removed, ended, full or busy (retried), unknown", () => {
  const m = initialModel("b-1");
  assert.equal(M.joinFailed(m, "forbidden").state, "removed");
  assert.equal(M.joinFailed(m, "invalid_state").state, "ended");
  assert.deepEqual([M.joinFailed(m, "broadcast_full").state, M.joinFailed(m, "broadcast_full").error], ["connecting", "err.broadcast_full"]);
  assert.deepEqual([M.joinFailed(m, "overloaded").state, M.joinFailed(m, "overloaded").error], ["connecting", "err.busy"],
    "a busy server: still connecting, tried again");
  assert.deepEqual([M.joinFailed(m, "not_found").state, M.joinFailed(m, "not_found").error], ["error", "err.not_found"]);
  assert.equal(M.sessionEnded(live(), "session_replaced").error, "err.session_replaced");
  assert.equal(M.sessionEnded(live(), "invalid_token").error, "err.token");
});

test("a consultation queues, rings, becomes a call that pauses the stream, and the stream comes back after it", () => {
  let m = live();
  m = apply(m, { type: "request.queued", requestId: "r-1", position: 2, etaSeconds: 120 });
  assert.deepEqual(m.queue, { requestId: "r-1", position: 2, etaSeconds: 120, state: "waiting" });
  assert.equal(watching(m), true, "the viewer keeps watching while queued");
  assert.equal(M.canConsult(m), false, "one request at a time");
  assert.equal(apply(m, { type: "queue.update", requestId: "r-other", position: 9 }), m, "another request's update is ignored");
  m = apply(m, { type: "queue.update", requestId: "r-1", state: "ringing", position: 0, etaSeconds: 0 });
  assert.equal(m.queue.state, "ringing");
  m = apply(m, { type: "call.started", callId: "r-1", peer: { name: "Zhang Min" }, media: "bridge", initiator: true });
  assert.equal(m.queue, null);
  assert.equal(watching(m), false, "paused while talking");
  assert.equal(apply(m, { type: "call.ended", callId: "r-other" }), m, "another call's end is ignored");
  m = apply(m, { type: "call.ended", callId: "r-1", reason: "staff_hangup" });
  assert.equal(watching(m), true);
  assert.equal(m.notice, "notice.callEnded");
  assert.equal(apply(m, { type: "request.queued", requestId: "r-2", position: 1 }).notice, null, "a new request clears the notice");
});

test("leaving the queue says nothing; the server letting the request go says so", () => {
  const queued = apply(live(), { type: "request.queued", requestId: "r-1", position: 2, etaSeconds: 120 });
  const left = apply(queued, { type: "request.cancelled", requestId: "r-1", reason: "customer_cancelled" });
  assert.deepEqual([left.queue, left.notice], [null, null]);
  const dropped = apply(queued, { type: "request.cancelled", requestId: "r-1", reason: "server_shutdown" });
  assert.deepEqual([dropped.queue, dropped.notice], [null, "notice.queueEnded"]);
});

test("removal sticks even when the broadcast's state changes afterwards; a card comes and goes", () => {
  let m = apply(live(), { type: "broadcast.removed", broadcastId: "b-1" });
  m = apply(m, { type: "broadcast.state", state: "live", stage: [] });
  assert.equal(m.state, "removed");
  assert.equal(M.canChat(m), false);
  m = apply(m, { type: "broadcast.card", card: { cardId: "c-1", name: "Loan" } });
  assert.equal(m.card.cardId, "c-1");
  assert.equal(apply(m, { type: "broadcast.card", card: null }).card, null);
});

test("no consultation or chat while the connection is away", () => {
  const m = { ...live(), conn: "reconnecting" };
  assert.equal(M.canConsult(m), false);
  assert.equal(M.canChat(m), false);
});

test("an anonymous viewer is asked for a name, once; a named token is not", () => {
  assert.equal(M.needsName({ subject: "viewer-1", role: "viewer" }, null), true);
  assert.equal(M.needsName({ subject: "viewer-1", role: "viewer" }, "Ann"), false);
  assert.equal(M.needsName({ subject: "cust-1", name: "Li Wei" }, null), false);
});

test("the wait in minutes", () => {
  assert.equal(M.etaMinutes(20), 0);
  assert.equal(M.etaMinutes(240), 4);
  assert.equal(M.etaMinutes(undefined), null);
});

test("the page's address names the broadcast", () => {
  assert.equal(M.broadcastIdOf("/live/b-5d0c"), "b-5d0c");
  assert.equal(M.broadcastIdOf("/live/b-5d0c/"), "b-5d0c");
  assert.equal(M.broadcastIdOf("/live/"), null);
  assert.equal(M.broadcastIdOf("/live/../x"), null);
  assert.equal(M.broadcastIdOf("/live/b-1/extra"), null);
});

test("the list: live first, then the soonest; a cover only from an http(s) address; broken entries left out", () => {
  const list = M.listed({ broadcasts: [
    { id: "b-late", title: "Late", state: "scheduled", scheduledAt: "2026-12-02T09:00:00Z", coverImageUrl: "javascript:alert(1)" },
    { id: "b-soon", title: "Soon", state: "scheduled", scheduledAt: "2026-12-01T09:00:00Z", coverImageUrl: "https://cdn.example/c.jpg" },
    { id: "b-live", title: "Live", state: "live", scheduledAt: "2026-12-03T09:00:00Z", startedAt: "2026-12-01T08:00:00Z" },
    { id: 5, title: "no id" }, null, { id: "b-x", title: "Ended", state: "ended" }] });
  assert.deepEqual(list.map((b) => b.id), ["b-live", "b-soon", "b-late"]);
  assert.equal(list[1].coverImageUrl, "https://cdn.example/c.jpg");
  assert.equal(list[2].coverImageUrl, null);
  assert.deepEqual(M.listed(null), []);
});

test("stage names, host first as sent", () => {
  assert.equal(stageNames([{ name: "Lin Wei", role: "host" }, { name: "Chen Jie", role: "cohost" }]), "Lin Wei, Chen Jie");
  assert.equal(stageNames(undefined), "");
});

test("broadcast media, a viewer's: receive-only, the offer goes out as broadcast.signal, the answer and renegotiation come back", async () => {
  const sent = [];
  const refusals = [];
  const request = async (type, fields) => { sent.push({ type, ...fields }); return { type: "ack" }; };
  const media = broadcastMedia({ broadcastId: "b-1", request, receiveOnly: true },
    { remote: () => {}, refused: (e) => refusals.push(e.code) }, fakeMedia());
  await media.handleSignal({});
  await flush();
  assert.deepEqual(media.pc.log.slice(0, 4), ["addTransceiver:audio:recvonly", "addTransceiver:video:recvonly", "createOffer", "setLocal:offer"]);
  assert.equal(sent.length, 1);
  assert.equal(sent[0].type, "broadcast.signal");
  assert.equal(sent[0].broadcastId, "b-1");
  assert.equal(sent[0].sdp.type, "offer");
  assert.equal(sent[0].candidate, undefined);
  assert.equal(media.onMessage({ type: "broadcast.signal", broadcastId: "b-2", sdp: { type: "answer", sdp: "v=0" } }), false, "another broadcast's");
  assert.equal(media.onMessage({ type: "chat.batch", broadcastId: "b-1" }), false);
  assert.equal(media.onMessage({ type: "broadcast.signal", broadcastId: "b-1", sdp: { type: "answer", sdp: "v=0 a" } }), true);
  await media.handleSignal({});
  assert.ok(media.pc.log.includes("setRemote:answer"));
  assert.equal(media.onMessage({ type: "broadcast.renegotiate", broadcastId: "b-1", receive: { audio: 2, video: 2 } }), true);
  await media.handleSignal({});
  await flush();
  assert.equal(media.pc.transceivers.length, 4, "enough receive slots for two stage members");
  assert.equal(sent.filter((s) => s.type === "broadcast.signal").length, 2, "offered again");
  assert.deepEqual(refusals, []);
});

test("broadcast media, a stage member's: sends the stream it was given, which closing leaves running; refusals are reported", async () => {
  const { FakeStream, track } = await import("./fakes.js");
  const camera = new FakeStream([track("audio"), track("video")]);
  let asked = false;
  const env = { ...fakeMedia(), getUserMedia: async () => { asked = true; return new FakeStream(); } };
  const refusals = [];
  const request = async () => { throw { code: "broadcast_full" }; };
  const offline = async () => { throw { code: "network" }; };
  const media = broadcastMedia({ broadcastId: "b-1", request, stream: camera }, { remote: () => {}, refused: (e) => refusals.push(e.code) }, env);
  await media.handleSignal({});
  await flush();
  assert.equal(asked, false, "the given stream is sent, the camera is not asked again");
  assert.deepEqual(media.pc.log.slice(0, 2), ["addTrack:audio", "addTransceiver:video:sendrecv:f,h,q"],
    "the camera goes out simulcast, largest layer first (the one kept if the answer refuses simulcast)");
  const [full, half, quarter] = media.pc.transceivers.find((t) => t.sendEncodings).sendEncodings;
  assert.deepEqual([full.scaleResolutionDownBy, half.scaleResolutionDownBy, quarter.scaleResolutionDownBy], [1, 2, 4]);
  assert.deepEqual(refusals, ["broadcast_full"]);
  media.close();
  assert.ok(camera.getTracks().every((t) => !t.stopped), "the page's own stream stays running (its preview)");
  const quiet = broadcastMedia({ broadcastId: "b-1", request: offline, receiveOnly: true }, { remote: () => {}, refused: (e) => refusals.push(e.code) }, fakeMedia());
  await quiet.handleSignal({});
  await flush();
  assert.deepEqual(refusals, ["broadcast_full"], "a dropped connection is not a refusal");
});

test("every viewer string exists in both languages with the same placeholders", () => {
  assert.deepEqual(Object.keys(STRINGS.zh).sort(), Object.keys(STRINGS.en).sort());
  const holes = (s) => (s.match(/\{\w+\}/g) || []).sort().join();
  for (const k of Object.keys(STRINGS.en)) assert.equal(holes(STRINGS.zh[k]), holes(STRINGS.en[k]), k);
});

test("the height a viewer's video is shown at: its box, less when letterboxed, in device pixels, in steps", () => {
  assert.equal(viewHeight({ width: 1280, height: 720 }, { width: 1280, height: 720 }), 720);
  assert.equal(viewHeight({ width: 160, height: 90 }, { width: 1280, height: 720 }), 90);
  assert.equal(viewHeight({ width: 360, height: 640 }, { width: 1280, height: 720 }), 270,
    "a 16:9 picture across a phone held upright fills 360 x 202.5: reported as 270");
  assert.equal(viewHeight({ width: 360, height: 640 }, { width: 1280, height: 720 }, 3), 630, "three device pixels a CSS pixel");
  assert.equal(viewHeight({ width: 400, height: 300 }, {}), 270, "before the picture's shape is known, 16:9");
  assert.equal(viewHeight({ width: 0, height: 0 }, { width: 1280, height: 720 }), 0, "hidden: nothing to report");
});

test("watching a video's size reports it on resize and again whenever a picture starts", () => {
  const listeners = {};
  const video = { clientWidth: 640, clientHeight: 360, videoWidth: 1280, videoHeight: 720,
    addEventListener: (t, f) => { listeners[t] = f; }, removeEventListener: (t) => { delete listeners[t]; } };
  let observe;
  class FakeResizeObserver {
    constructor(cb) { observe = cb; }
    observe() {}
    disconnect() { observe = null; }
  }
  const reports = [];
  const stop = watchViewSize(video, (h) => reports.push(h), { ResizeObserver: FakeResizeObserver, devicePixelRatio: 1 });
  observe();
  observe();
  assert.deepEqual(reports, [360], "the same size once");
  listeners.loadedmetadata();
  assert.deepEqual(reports, [360, 360], "a picture that starts: told again (its leg now exists)");
  video.clientWidth = 160; video.clientHeight = 90;
  observe();
  assert.deepEqual(reports, [360, 360, 90]);
  stop();
  assert.equal(observe, null);
  assert.equal(listeners.loadedmetadata, undefined);
});
