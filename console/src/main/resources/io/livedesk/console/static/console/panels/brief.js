// The customer's brief (GET /api/calls/{id}/brief): what their request brought along (a transferring
// colleague's note included) and, for a customer the bank's token identifies, their earlier calls. Shown on
// the offer card before accepting and in the customer card during the call.
import { t, has } from "../i18n.js";
import { el } from "../../client/dom.js";
import { fmtDuration } from "../../client/format.js";
import { api, render } from "../store.js";
import { topicName, locale } from "../names.js";
import { openTranscript } from "./transcript.js";

const KEEP = 20; // briefs kept (offers ringing and the call); the oldest go first

/** callId -> {brief, error} once loaded; {loading: true} meanwhile */
const briefs = new Map();

/** The call an offer's brief is about: the call a transfer hands over, else the customer's own request. */
export function briefCallId(offer) {
  return offer?.transfer?.callId || offer?.requestId || null;
}

export function briefOf(callId) {
  return briefs.get(callId)?.brief || null;
}

/** Loads a call's brief once (again with `fresh`, e.g. when the call starts), then renders. */
export async function loadBrief(callId, fresh = false) {
  if (!callId || (!fresh && briefs.has(callId))) return;
  briefs.set(callId, { loading: true, brief: briefs.get(callId)?.brief || null });
  while (briefs.size > KEEP) briefs.delete(briefs.keys().next().value);
  try {
    briefs.set(callId, { brief: await api.get("/api/calls/" + encodeURIComponent(callId) + "/brief") });
  } catch {
    briefs.set(callId, { brief: null, error: true });
  }
  render();
}

/** One line for an offer card: "Returning customer · 2 earlier calls", or null for none. */
export function briefSummary(brief, tr = t) {
  const n = brief?.previous?.length || 0;
  return n ? tr("brief.returning", { n }) : null;
}

/** "Transferred by Zhang Min: wants a fixed rate" (the note left out when there is none). */
export function handoverText(handover, tr = t) {
  if (!handover) return "";
  return handover.note ? tr("brief.handoverNote", { name: handover.fromStaffName, note: handover.note })
    : tr("brief.handover", { name: handover.fromStaffName });
}

function when(at, loc) {
  const d = new Date(at);
  return isNaN(d) ? "" : d.toLocaleDateString(loc, { year: "numeric", month: "short", day: "numeric" });
}

/** The earlier calls as list items: topic, date, outcome, who served, wait and talk, transcript. */
export function pastCallItems(brief) {
  const loc = locale();
  return (brief?.previous || []).map(({ call, outcome, origin }) =>
    el("li", { class: "brief-item", "data-testid": "desk-brief-call", "data-call-id": call.callId, "data-outcome": outcome },
      el("div", { class: "ri-line" },
        el("strong", { text: topicName(call.topic) }),
        el("span", { class: "ri-time", text: when(call.enqueuedAt, loc) })),
      el("div", { class: "ri-meta" },
        el("span", { class: "pill " + outcome, "data-testid": "desk-brief-outcome",
          text: has("outcome." + outcome) ? t("outcome." + outcome) : outcome }),
        call.staff?.name ? el("span", { text: call.staff.name }) : null,
        el("span", { text: t("recent.wait", { d: fmtDuration(call.waitMs) }) }),
        call.answeredAt ? el("span", { text: t("recent.talk", { d: fmtDuration(call.talkMs) }) }) : null),
      origin ? el("div", { class: "ri-meta", "data-testid": "desk-brief-origin", text: t("offer.fromLive", { title: origin.title }) }) : null,
      call.transcript ? el("button", { type: "button", class: "link-btn", "data-testid": "desk-brief-transcript",
        text: t("transcript.open"), onclick: (e) => openTranscript(call, e.currentTarget) }) : null));
}

/** The livestreams they watched, newest first: title (or "a livestream" once gone) and the day. */
export function watchedItems(brief) {
  const loc = locale();
  return (brief?.watched || []).map((w) => el("li", { class: "brief-item", "data-testid": "desk-brief-watched",
    "data-broadcast-id": w.broadcastId },
  el("div", { class: "ri-line" },
    el("strong", { text: w.title || t("brief.aLivestream") }),
    el("span", { class: "ri-time", text: when(w.at, loc) }))));
}
