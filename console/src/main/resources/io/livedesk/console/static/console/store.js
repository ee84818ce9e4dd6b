// What the desk panels share: the signed-in session, who is signed in, the topics, the call in progress.
// Each panel keeps the rest of its state to itself; render() redraws every panel (desk.js lists them).
import { createApi } from "../client/api.js";

export const desk = {
  session: null,
  token: null,
  me: null,                    // the welcome message
  claims: {},                  // the token's payload (display only)
  presence: { status: "away", load: 0, capacity: 1 },
  conn: "online",
  topics: new Map(),           // id -> {en, zh}
  call: null,                  // the call client (client/call.js) of the call in progress
  callInfo: null,              // {callId, peer, offer, supervising}
  ended: null                  // {reason, talkMs, until} while the end of the last call is shown
};

/** The one HTTP helper of the desk: the signed-in token on every request. */
export const api = createApi({ token: () => desk.token });

/**
 * A list panel's next state: the parsed answer, or the items it had, marked failed. null when the answer
 * is for a token that is no longer signed in.
 */
export async function loadList(path, parse, previous) {
  try {
    return { items: parse(await api.get(path)), error: false };
  } catch (e) {
    return e.code === "stale" ? null : { items: previous.items, error: true };
  }
}

/** signed-out | in-call | ringing | ended | available | busy | away (the state bar's data-state). */
export function deskState(d, offerCount) {
  if (!d.me) return "signed-out";
  if (d.call) return "in-call";
  if (offerCount) return "ringing";
  if (d.ended) return "ended";
  const s = d.presence.status;
  return s === "available" || s === "busy" ? s : "away";
}

/** The server's session can take requests now. */
export function online() {
  return !!desk.session?.online;
}

let renderers = [];

/** The panels' render functions, in the order they draw. */
export function setRenderers(list) {
  renderers = list;
}

export function render() {
  for (const r of renderers) r();
}
