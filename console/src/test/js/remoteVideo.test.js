// The remote picture: one video at a time, a later one taking over only once it decodes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { STATIC, FakeStream, flush } from "./fakes.js";

const { createRemoteView, firstFrame } = await import(`${STATIC}/client/remoteVideo.js`);

class Track extends EventTarget {
  constructor(kind) { super(); this.kind = kind; this.readyState = "live"; }
  end() { this.readyState = "ended"; this.dispatchEvent(new Event("ended")); }
}

/** A stream whose tracks can be added and removed, as the page's MediaStream. */
class Stream extends FakeStream {
  addTrack(t) { this.tracks.push(t); }
  removeTrack(t) { this.tracks = this.tracks.filter((x) => x !== t); }
}

function pcDecoding(decodedTracks) {
  return {
    getReceivers: () => [...decodedTracks.keys()].map((track) => ({
      track, getStats: async () => new Map([["in", { type: "inbound-rtp", framesDecoded: decodedTracks.get(track) }]])
    }))
  };
}

test("the first video shows at once; a later one takes over only after it decoded a frame, and says so", async () => {
  const video = { srcObject: null };
  const frames = new Map();
  const pc = pcDecoding(frames);
  const takenOver = [];
  const view = createRemoteView(video, pc, (t) => takenOver.push(t), Stream);
  const audio = new Track("audio"), first = new Track("video"), next = new Track("video");
  frames.set(first, 10);
  frames.set(next, 0);
  view.add(audio);
  view.add(first);
  assert.equal(view.current(), first);
  assert.deepEqual(video.srcObject.getTracks(), [audio, first]);
  view.add(next);
  await new Promise((r) => setTimeout(r, 250));
  assert.equal(view.current(), first, "the previous picture stays until the next one decodes");
  assert.deepEqual(takenOver, []);
  frames.set(next, 1);
  await new Promise((r) => setTimeout(r, 250));
  assert.equal(view.current(), next);
  assert.deepEqual(video.srcObject.getTracks(), [audio, next], "audio stays, one video");
  assert.deepEqual(takenOver, [next]);
  view.close();
});

test("a shown video that ends gives way to a waiting live one at once", async () => {
  const video = { srcObject: null };
  const frames = new Map();
  const view = createRemoteView(video, pcDecoding(frames), () => {}, Stream);
  const first = new Track("video"), next = new Track("video");
  frames.set(first, 5);
  frames.set(next, 0);
  view.add(first);
  view.add(next);
  first.end();
  await flush();
  assert.equal(view.current(), next);
  view.close();
});

test("firstFrame gives up when the track ends or the wait runs out", async () => {
  const t = new Track("video");
  assert.equal(await firstFrame({}, t, 250, async () => false), false, "ran out");
  t.end();
  assert.equal(await firstFrame({}, t, 5_000, async () => true), false, "an ended track never decodes");
  assert.equal(await firstFrame({}, new Track("video"), 5_000, async () => true), true);
});
