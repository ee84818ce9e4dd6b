// What the two livestream pages share (docs/protocol.md, "Livestreams"): the viewer page (live/) and the host's
// studio in the staff console (console/panels/studio.js). The chat as a list kept up to date from `chat.batch`,
// and the broadcast's media: one RTCPeerConnection to the bridge, offered by this page like a bridged call's
// leg (client/call.js), signalled with `broadcast.signal` and offered again on `broadcast.renegotiate`.
import { createCall } from "./call.js";

/** Chat messages a page keeps (the newest). */
export const MAX_CHAT = 200;

/** One chat message as the pages keep it: the server's fields, as text. viewerId only reaches the stage. */
export function chatMessage(c) {
  const m = { messageId: String(c.messageId), name: String(c.name ?? ""), text: String(c.text ?? ""),
    at: typeof c.at === "number" ? c.at : 0, fromStage: !!c.fromStage };
  if (c.viewerId) m.viewerId = String(c.viewerId);
  return m;
}

/**
 * The chat after a `chat.batch` (or the history of `broadcast.joined`, as {messages}): deleted messages gone,
 * the new ones after the kept ones in the order sent, a message already kept not twice, at most `max`.
 */
export function withChatBatch(list, batch, max = MAX_CHAT) {
  const deleted = new Set(batch?.deleted || []);
  const out = list.filter((m) => !deleted.has(m.messageId));
  const seen = new Set(out.map((m) => m.messageId));
  for (const c of batch?.messages || []) {
    if (!c || c.messageId === undefined || deleted.has(c.messageId) || seen.has(String(c.messageId))) continue;
    const m = chatMessage(c);
    seen.add(m.messageId);
    out.push(m);
  }
  return out.length > max ? out.slice(out.length - max) : out;
}

/** The stage's names for people ("Lin Wei, Chen Jie"), host first as the server lists them. */
export function stageNames(stage) {
  return (Array.isArray(stage) ? stage : []).map((s) => s && s.name).filter(Boolean).join(", ");
}

/**
 * The media of one broadcast on this page. A viewer (receiveOnly) offers receive-only audio and video; a stage
 * member sends `stream` (a camera preview or a shared screen the page captured) or, without one, its camera and
 * microphone, and receives the other stage members. Only this page offers: each answer arrives as a
 * `broadcast.signal` event, and a `broadcast.renegotiate` makes it offer again with enough receive slots.
 *
 * @param {{broadcastId:string, request:(type:string, fields:object)=>Promise<object>, receiveOnly?:boolean,
 *          stream?:MediaStream}} o
 * @param {{remote:(s:MediaStream, t:MediaStreamTrack, from:MediaStream|undefined)=>void, local?:(s:MediaStream)=>void,
 *          mediaError?:(e:Error)=>void, state?:(s:string)=>void, refused?:(err:object)=>void, error?:(e:Error)=>void}} hooks
 *        refused: the server turned an offer down (bad_sdp, invalid_state, broadcast_full, unavailable)
 * @param {object} [env]  client/call.js's media environment (tests pass fakes)
 */
export function broadcastMedia({ broadcastId, request, receiveOnly = false, stream = null }, hooks, env) {
  // The stage sends simulcast: each viewer gets the layer its screen and network suit.
  const info = { callId: broadcastId, media: "bridge", initiator: true, receiveOnly, iceServers: [],
    simulcast: !receiveOnly };
  if (stream) info.stream = stream;
  const media = createCall(info, {
    signal: (p) => {
      if (!p.sdp) return; // the bridge takes the candidates in the offer
      request("broadcast.signal", { broadcastId, sdp: p.sdp }).catch((err) => {
        if (err?.code !== "network") hooks.refused?.(err);
      });
    },
    local: (s) => hooks.local?.(s),
    remote: (s, t, from) => hooks.remote(s, t, from),
    mediaError: (e) => hooks.mediaError?.(e),
    state: (s) => hooks.state?.(s),
    error: (e) => (hooks.error ? hooks.error(e) : console.warn("[LiveDesk] broadcast media", e?.name || e))
  }, env);
  /** Takes this broadcast's media messages; true when it was one. */
  media.onMessage = (msg) => {
    if (msg.broadcastId !== broadcastId) return false;
    if (msg.type === "broadcast.signal" && msg.sdp) media.handleSignal({ sdp: msg.sdp });
    else if (msg.type === "broadcast.renegotiate") media.renegotiate(msg.receive);
    else return false;
    return true;
  };
  return media;
}

/** Report sizes in steps of this many device pixels, so a resize costs at most a message or two. */
export const VIEW_STEP = 90;

/**
 * The height, in device pixels, a video element shows its picture at: its box, or less when the picture is
 * letterboxed (a 16:9 picture in a tall phone-width box fills only the width). Rounded up to VIEW_STEP; 0 for a
 * hidden element (no limit is then reported, nothing is gained by it).
 */
export function viewHeight(box, picture, pixelRatio = 1) {
  const w = Number(box?.width) || 0;
  const h = Number(box?.height) || 0;
  if (w <= 0 || h <= 0) return 0;
  const aspect = picture?.width > 0 && picture?.height > 0 ? picture.height / picture.width : 9 / 16;
  const shown = Math.min(h, w * aspect) * (pixelRatio > 0 ? pixelRatio : 1);
  return Math.ceil(shown / VIEW_STEP) * VIEW_STEP;
}

/**
 * Tells the server the height `video` shows the broadcast at whenever it changes (ResizeObserver), and again
 * whenever a picture starts playing (its media leg exists for certain then, and the picture's own shape is known),
 * so the bridge sends no taller simulcast layer than is shown.
 *
 * @param {(maxHeight:number)=>void} report
 * @returns {() => void} stops watching
 */
export function watchViewSize(video, report, win = globalThis) {
  let last = -1;
  const check = (always) => {
    const h = viewHeight({ width: video.clientWidth, height: video.clientHeight },
      { width: video.videoWidth, height: video.videoHeight }, win.devicePixelRatio);
    if (h > 0 && (h !== last || always === true)) {
      last = h;
      report(h);
    }
  };
  const resized = () => check(false);
  const playing = () => check(true);
  const observer = typeof win.ResizeObserver === "function" ? new win.ResizeObserver(resized) : null;
  observer?.observe(video);
  video.addEventListener("loadedmetadata", playing);
  return () => {
    observer?.disconnect();
    video.removeEventListener("loadedmetadata", playing);
  };
}
