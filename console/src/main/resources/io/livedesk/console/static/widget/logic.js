// The widget's decisions that need no DOM: which states are a live request or call, which message key
// explains an error, what the request carries as context, which topics the form offers.
import { STRINGS } from "./strings.js";

export const QUEUE_STATES = new Set(["queued", "ringing"]);

/** queued, ringing or in a call: a session worth resuming after a drop. */
export function isActive(state) {
  return QUEUE_STATES.has(state) || state === "in-call";
}

/** The string key that explains an error to the customer. */
export function errKey(err) {
  const c = err?.code;
  if (c === "token") return "err.token";
  if (c && STRINGS.en["err." + c]) return "err." + c;
  return "err.generic";
}

/**
 * At most 20 entries, keys cut to 64 and values to 256 characters, as strings; default {page: pathname}.
 * A product the page named (mount option or LiveDesk.open) goes along as `product`.
 */
export function requestContext(context, pathname, product) {
  const src = { ...(context && typeof context === "object" ? context : { page: pathname }) };
  if (product) src.product = product;
  const out = {};
  let n = 0;
  for (const [k, v] of Object.entries(src)) {
    if (v === null || v === undefined || n >= 20) continue;
    out[String(k).slice(0, 64)] = String(v).slice(0, 256);
    n++;
  }
  return out;
}

/** Server topics ({id, names} or {id, en, zh}) as [{id, names}], limited to the mount option `topics`. */
export function offeredTopics(topics, only) {
  const filter = Array.isArray(only) ? only.map(String) : null;
  return topics.filter((t) => t && t.id && (!filter || filter.includes(String(t.id)))).map((t) => {
    const names = { ...(t.names || {}) };
    if (!t.names) for (const [k, v] of Object.entries(t)) if (k !== "id" && typeof v === "string") names[k] = v;
    return { id: String(t.id), names };
  });
}

/**
 * The topic the page suggests, so the customer usually presses one button: one given to LiveDesk.open,
 * else the mount option `topic`, else the topic of the longest `topicsByPath` prefix of the page's path
 * ({"/loans": "loans"}); null when none of these names a topic on offer.
 */
export function suggestedTopic(opts, pathname, offered, openedWith) {
  const ids = new Set((offered || []).map((t) => t.id));
  const pick = (id) => (id && ids.has(String(id)) ? String(id) : null);
  const byPath = opts?.topicsByPath && typeof opts.topicsByPath === "object" ? opts.topicsByPath : {};
  const prefix = Object.keys(byPath).filter((p) => String(pathname || "").startsWith(p))
    .sort((a, b) => b.length - a.length)[0];
  return pick(openedWith?.topic) || pick(opts?.topic) || (prefix !== undefined ? pick(byPath[prefix]) : null);
}

/**
 * What to tell a customer before they queue, from GET /api/status: null to queue at once (an advisor is free,
 * or the status does not say), {reason: "closed", opensAt} outside the queue's opening hours, or
 * {reason: "busy", etaSeconds} when nobody is free to answer now.
 */
export function queueChoice(status, topic, language) {
  const q = (status?.queues || []).find((x) => x && x.topic === topic && x.language === language);
  if (!q) return null;
  if (q.open === false) return { reason: "closed", opensAt: typeof q.opensAt === "string" ? q.opensAt : null };
  if (q.advisorsAvailable === false) {
    return { reason: "busy", etaSeconds: typeof q.estimatedWaitSeconds === "number" ? q.estimatedWaitSeconds : null };
  }
  return null;
}

/** The callback form as the server takes it; a string key naming what is missing, or the message fields. */
export function callbackRequest(form) {
  const name = String(form.name || "").trim();
  const phone = String(form.phone || "").trim();
  const note = String(form.note || "").trim();
  if (!name) return "needName";
  if (!phone && !note) return "cb.needPhone";
  if (phone && !/^[+]?[0-9 ()./-]{5,32}$/.test(phone)) return "cb.badPhone";
  return { name: name.slice(0, 100), phone, note: note.slice(0, 500), preferredTime: String(form.preferredTime || "").trim().slice(0, 100) };
}
