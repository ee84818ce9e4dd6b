// What the viewer page shows, as plain data: the broadcast, the count and likes, the chat, the pinned card,
// and where the viewer is (watching, queued for a consultation, in a call). Each server message changes it
// through apply(), each refusal through failed() or joinFailed(); the page redraws from it. No DOM here, so
// node --test checks it.
import { withChatBatch } from "../client/broadcast.js";

export function initialModel(broadcastId) {
  return {
    broadcastId,
    broadcast: null,      // broadcast.joined's public view (title, description, state, stage, ...)
    state: "connecting",  // connecting | waiting | live | ended | removed | error
    conn: "online",       // online | reconnecting: the session's connection (a banner while it is away)
    viewers: 0,
    likes: 0,
    card: null,
    chat: [],             // [{messageId, name, text, at, fromStage}]
    muted: false,
    queue: null,          // {requestId, position, etaSeconds, state: waiting|ringing} while a consultation waits
    call: null,           // call.started while in a consultation call
    notice: null,         // a string key: what just happened (the call ended, the queue let the request go)
    chatError: null,      // a string key, shown under the chat's input
    consultError: null,   // a string key, shown under the consult buttons
    error: null           // a string key for the whole page (with state error)
  };
}

/** The page's state after a server message; unknown messages leave it as it was. */
export function apply(m, msg) {
  switch (msg.type) {
    case "broadcast.joined":
      return {
        ...m, broadcast: msg.broadcast, state: stateOf(msg.broadcast?.state), viewers: msg.viewers ?? 0, likes: msg.likes ?? 0,
        card: msg.card ?? null, chat: withChatBatch([], { messages: msg.chat }), muted: !!msg.muted, error: null
      };
    case "broadcast.stats":
      return { ...m, viewers: msg.viewers, likes: msg.likes };
    case "broadcast.state": {
      const broadcast = m.broadcast ? { ...m.broadcast, state: msg.state, stage: msg.stage ?? m.broadcast.stage } : m.broadcast;
      return { ...m, broadcast, state: m.state === "removed" ? m.state : stateOf(msg.state) };
    }
    case "broadcast.card":
      return { ...m, card: msg.card ?? null };
    case "chat.batch":
      return { ...m, chat: withChatBatch(m.chat, msg) };
    case "chat.muted":
      return { ...m, muted: !!msg.muted, chatError: msg.muted ? "err.muted" : null };
    case "broadcast.removed":
      return { ...m, state: "removed", queue: null };
    case "request.queued":
      return { ...m, queue: { requestId: msg.requestId, position: msg.position ?? null, etaSeconds: msg.etaSeconds ?? null,
        state: msg.state === "ringing" ? "ringing" : "waiting" }, notice: null, consultError: null };
    case "queue.update":
      if (!m.queue || (msg.requestId && msg.requestId !== m.queue.requestId)) return m;
      return { ...m, queue: { ...m.queue, position: msg.position ?? m.queue.position, etaSeconds: msg.etaSeconds ?? m.queue.etaSeconds,
        state: msg.state === "ringing" ? "ringing" : "waiting" } };
    case "request.cancelled":
      if (!m.queue) return m;
      return { ...m, queue: null, notice: msg.reason === "customer_cancelled" ? null : "notice.queueEnded" };
    case "call.started":
      return { ...m, queue: null, call: msg, notice: null };
    case "call.ended":
      if (!m.call || (msg.callId && msg.callId !== m.call.callId)) return m;
      return { ...m, call: null, notice: "notice.callEnded" };
    default:
      return m;
  }
}

function stateOf(broadcastState) {
  return broadcastState === "live" ? "live" : broadcastState === "ended" ? "ended" : "waiting";
}

/** Whether the stream should be playing: live, and the viewer not in a consultation call. */
export function watching(m) {
  return m.state === "live" && !m.call;
}

/** Whether "consult now" can be pressed: the broadcast is live and no consultation is open. */
export function canConsult(m) {
  return m.state === "live" && m.conn === "online" && !m.queue && !m.call;
}

/** Whether the chat can be written in. */
export function canChat(m) {
  return (m.state === "live" || m.state === "waiting") && m.conn === "online" && !m.muted;
}

/** The error keys of the page's strings for what the server said no to, by where it happened. */
const ERRORS = {
  chat: { forbidden: "err.muted", rate_limited: "err.rate_limited", bad_message: "err.chatText", invalid_state: "err.notLive" },
  consult: { invalid_state: "err.consultState", bad_message: "err.name", not_found: "err.cardGone", unknown_topic: "err.noService",
    unsupported_language: "err.noService", overloaded: "err.busy", unavailable: "err.busy" },
  like: {}
};
const COMMON = { network: "err.network", rate_limited: "err.rate_limited", forbidden: "err.forbidden" };

/** The string key that says why an action failed: "chat", "consult" or "like". */
export function errorKey(where, code) {
  return ERRORS[where]?.[code] || COMMON[code] || "err.generic";
}

/** The page after an action was refused: the message goes next to where the viewer acted. */
export function failed(m, where, code) {
  if (where === "chat") return { ...m, chatError: errorKey("chat", code), muted: m.muted || code === "forbidden" };
  if (where === "consult") return { ...m, consultError: errorKey("consult", code) };
  return m; // a like that did not count needs no word
}

/** The page after broadcast.join was refused (docs/protocol.md, broadcast.join's errors). */
export function joinFailed(m, code) {
  if (code === "forbidden") return { ...m, state: "removed" };
  if (code === "invalid_state") return { ...m, state: "ended" };
  if (code === "broadcast_full") return { ...m, state: "connecting", error: "err.broadcast_full" };
  // A busy server refused it for now; the page tries again after the time it was told.
  if (code === "overloaded") return { ...m, state: "connecting", error: "err.busy" };
  return { ...m, state: "error", error: code === "not_found" ? "err.not_found" : errorKey("join", code) };
}

/** The page after the session ended for good (the token was refused, the same viewer opened another tab). */
export function sessionEnded(m, code) {
  const key = code === "session_replaced" ? "err.session_replaced" : code === "invalid_token" || code === "token"
    ? "err.token" : code === "network" ? "err.network" : "err.generic";
  return { ...m, state: m.state === "removed" ? "removed" : "error", error: key, queue: null, call: null };
}

/** Minutes to wait, rounded, for "about {n} min"; 0 means less than a minute; null when not known. */
export function etaMinutes(seconds) {
  return typeof seconds === "number" && seconds >= 0 ? Math.round(seconds / 60) : null;
}

/** A viewer whose token carries no name is asked for one before a consultation. */
export function needsName(welcome, savedName) {
  return !(welcome?.name || savedName);
}

/** The broadcast id of a viewer page's address (/live/<id>), or null. */
export function broadcastIdOf(pathname) {
  const match = /^\/live\/([A-Za-z0-9_-]{1,64})\/?$/.exec(pathname || "");
  return match ? match[1] : null;
}

/**
 * The broadcasts of a GET /api/broadcasts answer for the list page: live ones first, then the scheduled ones
 * soonest first; a cover only when it is an http(s) address (anything else is not shown).
 */
export function listed(answer) {
  const items = Array.isArray(answer?.broadcasts) ? answer.broadcasts : [];
  const time = (b) => Date.parse(b.startedAt || b.scheduledAt) || 0;
  return items
    .filter((b) => b && typeof b.id === "string" && typeof b.title === "string" && (b.state === "live" || b.state === "scheduled"))
    .map((b) => ({ ...b, coverImageUrl: typeof b.coverImageUrl === "string" && /^https?:\/\//i.test(b.coverImageUrl) ? b.coverImageUrl : null }))
    .sort((a, b) => (a.state === b.state ? time(a) - time(b) : a.state === "live" ? -1 : 1));
}
