import { test, mock } from "node:test";
import assert from "node:assert/strict";
import { FakePeer, fakeMedia, hooks, flush, STATIC } from "./fakes.js";

const { createCall } = await import(`${STATIC}/client/call.js`);

const settle = async (call) => { await call.handleSignal({}); await flush(); };

test("peer-to-peer initiator: local tracks first, then the offer is sent", async () => {
  const h = hooks();
  const call = createCall({ callId: "c1", initiator: true }, h, fakeMedia());
  await settle(call);
  assert.deepEqual(call.pc.log, ["addTrack:audio", "addTrack:video", "createOffer", "setLocal:offer"]);
  assert.equal(h.signals[0].sdp.type, "offer");
  assert.equal(h.locals.length, 1);
});

test("peer-to-peer answerer: waits for the offer, answers, and applies candidates only after it", async () => {
  const h = hooks();
  const call = createCall({ callId: "c1", initiator: false }, h, fakeMedia());
  call.handleSignal({ candidate: { candidate: "a" } });
  call.handleSignal({ sdp: { type: "offer", sdp: "o" } });
  await call.handleSignal({ candidate: { candidate: "b" } });
  assert.deepEqual(call.pc.log.slice(2), ["setRemote:offer", "candidate", "createAnswer", "setLocal:answer", "candidate"]);
  assert.deepEqual(h.signals.map((s) => s.sdp?.type), ["answer"]);
});

test("ICE candidates are trickled peer-to-peer but never to the bridge", async () => {
  const p2p = hooks(), bridged = hooks();
  const a = createCall({ callId: "c1", initiator: false }, p2p, fakeMedia());
  const b = createCall({ callId: "c2", media: "bridge" }, bridged, fakeMedia());
  const cand = { candidate: { candidate: "x", toJSON: () => ({ candidate: "x" }) } };
  a.pc.onicecandidate(cand);
  b.pc.onicecandidate(cand);
  assert.deepEqual(p2p.signals, [{ candidate: { candidate: "x" } }]);
  await settle(b);
  assert.ok(bridged.signals.every((s) => !s.candidate));
});

test("no camera: falls back to the microphone, reports the error and still offers (receive-only video)", async () => {
  const h = hooks();
  let asked = 0;
  const env = { ...fakeMedia(), getUserMedia: async (c) => {
    asked++;
    if (c.video) throw Object.assign(new Error("no camera"), { name: "NotFoundError" });
    return fakeMedia().getUserMedia(c);
  } };
  const call = createCall({ callId: "c1", media: "bridge" }, h, env);
  await settle(call);
  assert.equal(asked, 2);
  assert.equal(h.mediaErrors[0].name, "NotFoundError");
  assert.deepEqual(call.pc.log.slice(0, 2), ["addTrack:audio", "addTransceiver:video:recvonly"]);
});

test("a monitoring supervisor (and a receive-only viewer) sends nothing and only receives", async () => {
  for (const info of [{ supervising: "monitor" }, { receiveOnly: true }]) {
    const h = hooks();
    let asked = false;
    const env = { ...fakeMedia(), getUserMedia: async () => { asked = true; } };
    const call = createCall({ callId: "c", media: "bridge", ...info }, h, env);
    await settle(call);
    assert.equal(asked, false);
    assert.deepEqual(call.pc.log.slice(0, 2), ["addTransceiver:audio:recvonly", "addTransceiver:video:recvonly"]);
    assert.equal(h.signals[0].sdp.type, "offer");
  }
});

test("bridge: the offer waits (at most 3 s) for ICE gathering so that it carries the candidates", async () => {
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    const h = hooks();
    const env = fakeMedia();
    const call = createCall({ callId: "c1", media: "bridge" }, h, env);
    call.pc.iceGatheringState = "gathering";
    await flush();
    assert.equal(h.signals.length, 0);
    call.pc.iceGatheringState = "complete";
    call.pc.listeners.icegatheringstatechange.forEach((f) => f());
    await flush();
    assert.equal(h.signals.length, 1);

    const slow = hooks();
    const stuck = createCall({ callId: "c2", media: "bridge" }, slow, env);
    stuck.pc.iceGatheringState = "gathering";
    await flush();
    mock.timers.tick(2999);
    await flush();
    assert.equal(slow.signals.length, 0);
    mock.timers.tick(1);
    await flush();
    assert.equal(slow.signals.length, 1);
  } finally {
    mock.timers.reset();
  }
});

test("bridge with trickle: the offer goes before gathering ends and the candidates follow it", async () => {
  const h = hooks();
  const call = createCall({ callId: "c1", media: "bridge", trickle: true }, h, fakeMedia());
  call.pc.iceGatheringState = "gathering";
  await settle(call);
  assert.equal(h.signals.length, 1, "offered without waiting for gathering");
  assert.equal(h.signals[0].sdp.type, "offer");
  call.pc.onicecandidate({ candidate: { candidate: "candidate:1 1 udp 2122260223 192.0.2.10 50000 typ host",
    toJSON() { return { candidate: this.candidate, sdpMid: "0" }; } } });
  assert.equal(h.signals.at(-1).candidate.candidate.split(" ")[4], "192.0.2.10");

  const plain = hooks();
  const waiting = createCall({ callId: "c2", media: "bridge" }, plain, fakeMedia());
  await settle(waiting);
  const before = plain.signals.length;
  waiting.pc.onicecandidate({ candidate: { candidate: "candidate:1 1 udp 1 192.0.2.10 50000 typ host", toJSON() { return {}; } } });
  assert.equal(plain.signals.length, before, "without trickle nothing follows the offer");
});

test("renegotiate with iceRestart: receive slots are added first, then restartIce, then the offer", async () => {
  const h = hooks();
  const call = createCall({ callId: "c1", media: "bridge" }, h, fakeMedia());
  await settle(call);
  await call.handleSignal({ sdp: { type: "answer", sdp: "a" } });
  const before = call.pc.log.length;
  await call.renegotiate({ audio: 2, video: 3 }, true);
  assert.deepEqual(call.pc.log.slice(before), [
    "addTransceiver:audio:recvonly", "addTransceiver:video:recvonly", "addTransceiver:video:recvonly",
    "restartIce", "createOffer", "setLocal:offer"]);
  assert.equal(h.signals.at(-1).sdp.type, "offer");
});

test("ICE that fails on a bridged call restarts ICE on the same connection and offers again", async () => {
  const h = hooks();
  const call = createCall({ callId: "c1", media: "bridge" }, h, fakeMedia());
  await settle(call);
  await call.handleSignal({ sdp: { type: "answer", sdp: "a" } });
  const offers = h.signals.length;
  call.pc.iceConnectionState = "disconnected";
  call.pc.oniceconnectionstatechange();
  await flush();
  assert.equal(call.pc.log.filter((l) => l === "restartIce").length, 0, "disconnected may recover by itself");
  call.pc.iceConnectionState = "failed";
  call.pc.oniceconnectionstatechange();
  await flush();
  assert.equal(call.pc.log.filter((l) => l === "restartIce").length, 1);
  assert.equal(h.signals.length, offers + 1);
  assert.equal(h.signals.at(-1).sdp.type, "offer");
});

test("renegotiate while an offer awaits its answer: offers again once the answer is applied", async () => {
  const h = hooks();
  const call = createCall({ callId: "c1", media: "bridge" }, h, fakeMedia());
  await settle(call);
  assert.equal(call.pc.signalingState, "have-local-offer");
  await call.renegotiate({ audio: 1, video: 1 }, false);
  assert.equal(h.signals.length, 1, "no second offer yet");
  await call.handleSignal({ sdp: { type: "answer", sdp: "a" } });
  assert.equal(h.signals.length, 2);
  assert.equal(call.pc.log.filter((l) => l === "restartIce").length, 0);
});

test("receive slots are capped at 8 of a kind and ignored for peer-to-peer calls", async () => {
  const bridged = createCall({ callId: "c1", media: "bridge" }, hooks(), fakeMedia());
  await settle(bridged);
  await bridged.handleSignal({ sdp: { type: "answer", sdp: "a" } });
  await bridged.renegotiate({ audio: 50 }, false);
  assert.equal(bridged.pc.getTransceivers().filter((t) => t.receiver.track.kind === "audio").length, 8);
  const p2p = createCall({ callId: "c2", initiator: true }, hooks(), fakeMedia());
  await settle(p2p);
  const n = p2p.pc.log.length;
  await p2p.renegotiate({ audio: 3 }, true);
  assert.equal(p2p.pc.log.length, n);
});

test("mute, camera off and close act on the local tracks", async () => {
  const call = createCall({ callId: "c1", initiator: true }, hooks(), fakeMedia());
  await settle(call);
  call.setMic(false);
  call.setCamera(false);
  assert.deepEqual(call.localStream.getTracks().map((t) => t.enabled), [false, false]);
  call.close();
  call.close();
  assert.ok(call.localStream.getTracks().every((t) => t.stopped));
  assert.equal(call.pc.log.filter((l) => l === "close").length, 1);
  await call.handleSignal({ sdp: { type: "offer", sdp: "late" } });
  assert.ok(!call.pc.log.includes("setRemote:offer"), "signals after close are ignored");
});

test("a failing step is reported and later signals still apply", async () => {
  const h = hooks();
  const call = createCall({ callId: "c1", initiator: false }, h, fakeMedia());
  const real = FakePeer.prototype.setRemoteDescription;
  call.pc.setRemoteDescription = async () => { throw new Error("bad sdp"); };
  await call.handleSignal({ sdp: { type: "offer", sdp: "x" } });
  assert.equal(h.errors[0].message, "bad sdp");
  call.pc.setRemoteDescription = real;
  await call.handleSignal({ sdp: { type: "offer", sdp: "y" } });
  assert.equal(h.signals.at(-1).sdp.type, "answer");
});
