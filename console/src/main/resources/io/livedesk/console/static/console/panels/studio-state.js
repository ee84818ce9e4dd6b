// The studio's decisions that need no DOM (panels/studio.js draws them): what the stage's messages change,
// the broadcast a form asks for, the host's own broadcasts kept for the next sign-in, the viewers' pages.
import { withChatBatch } from "../../client/broadcast.js";

/** Viewers listed per page in the studio. */
export const VIEWERS_PAGE = 20;
/** Own broadcasts remembered per host (newest first). */
export const OWN_KEPT = 20;

/** The studio of one broadcast on stage (the host's, or a colleague's who put us on stage). */
export function stageOf(broadcast, role) {
  return {
    broadcast,             // the record (host) or the joined public view (co-host)
    role,                  // host | cohost
    state: broadcast?.state === "live" ? "live" : broadcast?.state === "ended" ? "ended" : "scheduled",
    joined: false,         // broadcast.joined on this connection: the camera is on stage
    viewers: 0,
    likes: 0,
    chat: [],
    card: null,
    stage: [],             // [{name, role}] as the server shows it
    viewerPage: { offset: 0, total: 0, items: [] }
  };
}

/** The studio after a server message about its broadcast; others leave it as it was. */
export function onStageMessage(s, msg) {
  if (!s) return s;
  const about = msg.type === "broadcast.joined" ? msg.broadcast?.id : msg.broadcastId;
  if (about !== s.broadcast?.id) return s;
  switch (msg.type) {
    case "broadcast.joined":
      return { ...s, joined: true, state: stateOf(msg.broadcast?.state, s.state), viewers: msg.viewers ?? 0, likes: msg.likes ?? 0,
        card: msg.card ?? null, stage: msg.broadcast?.stage || [], chat: withChatBatch([], { messages: msg.chat }),
        broadcast: { ...s.broadcast, ...pick(msg.broadcast) } };
    case "broadcast.stats":
      return { ...s, viewers: msg.viewers, likes: msg.likes };
    case "chat.batch":
      return { ...s, chat: withChatBatch(s.chat, msg) };
    case "broadcast.card":
      return { ...s, card: msg.card ?? null };
    case "broadcast.state": {
      const state = stateOf(msg.state, s.state);
      return { ...s, state, stage: msg.stage ?? s.stage, joined: state === "ended" ? false : s.joined,
        broadcast: { ...s.broadcast, state: msg.state } };
    }
    case "broadcast.viewers":
      return { ...s, viewers: typeof msg.total === "number" ? msg.total : s.viewers,
        viewerPage: { offset: msg.offset ?? 0, total: msg.total ?? 0, items: Array.isArray(msg.viewers) ? msg.viewers : [] } };
    default:
      return s;
  }
}

function stateOf(wire, previous) {
  return wire === "live" ? "live" : wire === "ended" ? "ended" : wire === "scheduled" ? "scheduled" : previous;
}

// The public view's fields a record may lack or that the join brings newer; never the counters.
function pick(b) {
  if (!b) return {};
  const out = {};
  for (const k of ["id", "title", "description", "language", "topic", "scheduledAt", "state", "startedAt"]) if (b[k] !== undefined) out[k] = b[k];
  return out;
}

/** The viewer after a moderation the server acknowledged: muted flag changed, or gone from the page. */
export function moderated(s, type, viewerId, muted) {
  if (!s) return s;
  const items = type === "viewer.remove"
    ? s.viewerPage.items.filter((v) => v.viewerId !== viewerId)
    : s.viewerPage.items.map((v) => (v.viewerId === viewerId ? { ...v, muted: !!muted } : v));
  const total = type === "viewer.remove" && items.length < s.viewerPage.items.length ? Math.max(0, s.viewerPage.total - 1) : s.viewerPage.total;
  return { ...s, viewerPage: { ...s.viewerPage, items, total } };
}

/** The offsets of the previous and next pages (null where there is none) and what the page shows. */
export function viewerPaging(page, size = VIEWERS_PAGE) {
  const { offset = 0, total = 0, items = [] } = page || {};
  return {
    prev: offset > 0 ? Math.max(0, offset - size) : null,
    next: offset + size < total ? offset + size : null,
    from: items.length ? offset + 1 : 0,
    to: offset + items.length,
    total
  };
}

/**
 * The body of POST /api/broadcasts for the form's values, or {error: field} for the first field to fix.
 * `when` is a datetime-local value in the browser's time zone (empty: now); sent as UTC ISO-8601.
 */
export function broadcastRequest({ title, description, language, topic, when, cover }, now = Date.now()) {
  const t = String(title ?? "").trim();
  if (!t || t.length > 120 || /[\r\n]/.test(t)) return { error: "title" };
  if (!language) return { error: "language" };
  if (!topic) return { error: "topic" };
  const at = when ? new Date(when) : new Date(now);
  if (isNaN(at)) return { error: "when" };
  const body = { title: t, language, topic, scheduledAt: at.toISOString().replace(/\.\d{3}Z$/, "Z") };
  const error = optional(body, "description", description, (d) => d.length <= 2000)
    || optional(body, "coverImageUrl", cover, isWebLink, "cover");
  return error ? { error } : { body };
}

/**
 * Puts the trimmed text into out[key] when there is one and `valid` takes it; the error's name (`name`, else
 * the key) when it does not; nothing for an empty field.
 */
function optional(out, key, value, valid, name = key) {
  const v = String(value ?? "").trim();
  if (!v) return null;
  if (!valid(v)) return name;
  out[key] = v;
  return null;
}

/** An http(s) address with a host and no user name or password, as the server takes for covers and cards. */
export function isWebLink(u) {
  return u.length <= 2048 && /^https?:\/\/[^/?#@\s]+([/?#]\S*)?$/i.test(u);
}

/** The card a pin form asks for, or {error: field}. */
export function cardRequest({ name, line, url, topic }) {
  const n = String(name ?? "").trim();
  if (!n || n.length > 80) return { error: "name" };
  const card = { name: n };
  const error = optional(card, "line", line, (l) => l.length <= 160) || optional(card, "url", url, isWebLink);
  if (error) return { error };
  if (topic) card.topic = topic;
  return { card };
}

/** The datetime-local value for a time (the browser's zone), as the form's "starts at" shows it. */
export function localInputValue(ms) {
  const d = new Date(ms);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

/** Where the host's own broadcast ids are kept: per signed-in subject, so colleagues on one machine do not mix. */
export function ownKey(subject) {
  return "livedesk.studio.own." + subject;
}

/** The kept ids with this one first, without repeats, at most OWN_KEPT. */
export function withOwn(ids, id) {
  return [id, ...(Array.isArray(ids) ? ids : []).filter((x) => x !== id && typeof x === "string")].slice(0, OWN_KEPT);
}

/** Own broadcasts for the list: live first, then scheduled soonest first, then ended newest first. */
export function ownList(records) {
  const rank = { live: 0, scheduled: 1, ended: 2 };
  const time = (r) => Date.parse(r.endedAt || r.startedAt || r.scheduledAt) || 0;
  return records.filter((r) => r && r.id).sort((a, b) => (rank[a.state] ?? 3) - (rank[b.state] ?? 3)
    || (a.state === "ended" ? time(b) - time(a) : time(a) - time(b)));
}
