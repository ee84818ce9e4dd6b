// The picture a page shows of the other side: every remote audio track, and one remote video track at a
// time. A video track that arrives while another is shown (the next staff member after a transfer) takes
// over only once it has decoded a frame, so the picture never goes dark in between; and a shown track that
// stops (its sender left) gives way to another live one at once.

const DECODE_POLL_MS = 100;
const DECODE_WAIT_MS = 8000;

/** Whether a receiver's track has decoded at least one frame (its inbound-rtp stats say so). */
async function decoded(pc, track) {
  const receiver = pc.getReceivers().find((r) => r.track === track);
  if (!receiver) return false;
  let frames = 0;
  (await receiver.getStats()).forEach((s) => { if (s.type === "inbound-rtp") frames += s.framesDecoded || 0; });
  return frames > 0;
}

/** Resolves true once the track decoded a frame, false if it ended or the wait ran out first. */
export async function firstFrame(pc, track, waitMs = DECODE_WAIT_MS, isDecoded = decoded) {
  const until = Date.now() + waitMs;
  while (Date.now() < until && track.readyState === "live") {
    try {
      if (await isDecoded(pc, track)) return true;
    } catch { /* the connection is closing */ return false; }
    await new Promise((r) => setTimeout(r, DECODE_POLL_MS));
  }
  return false;
}

/**
 * @param {HTMLVideoElement} video    where the picture is shown
 * @param {RTCPeerConnection} pc      the call's connection (to see when a track decodes)
 * @param {(track:MediaStreamTrack)=>void} onTakenOver  a later video track took over the picture
 * @param {typeof MediaStream} [Stream]
 */
export function createRemoteView(video, pc, onTakenOver, Stream = MediaStream) {
  const shown = new Stream();
  let current = null;   // the video track shown
  const waiting = new Set();
  let closed = false;

  function show(track, takeover) {
    if (closed) return;
    if (current) shown.removeTrack(current);
    current = track;
    shown.addTrack(track);
    if (video.srcObject !== shown) video.srcObject = shown;
    if (takeover) onTakenOver(track);
  }

  function gone(track) {
    if (track !== current || closed) return;
    // Another live video (one still waiting to decode, or an older one) takes the place at once.
    const next = [...waiting].find((t) => t.readyState === "live");
    shown.removeTrack(current);
    current = null;
    if (next) { waiting.delete(next); show(next, false); }
  }

  return {
    /** A remote track arrived (pc.ontrack). */
    add(track) {
      if (closed || shown.getTracks().includes(track)) return;
      if (track.kind === "audio") { shown.addTrack(track); if (video.srcObject !== shown) video.srcObject = shown; return; }
      track.addEventListener("ended", () => gone(track));
      if (!current || current.readyState !== "live") { show(track, false); return; }
      waiting.add(track);
      firstFrame(pc, track).then((ok) => {
        waiting.delete(track);
        if (ok && track.readyState === "live") show(track, true);
      });
    },
    /** The video track shown now (for tests and the placeholder). */
    current: () => current,
    stream: shown,
    close() { closed = true; waiting.clear(); }
  };
}
