// Recent calls of the signed-in staff member, with a link to the transcript of answered calls.
import { t, has } from "../i18n.js";
import { el } from "../../client/dom.js";
import { fmtDuration, initials } from "../../client/format.js";
import { desk, loadList } from "../store.js";
import { topicName, locale } from "../names.js";
import { $ } from "../ui.js";
import { openTranscript } from "./transcript.js";

let recent = { items: null, error: false };

/** The list in a /api/calls answer (an array, or {calls}, or {items}). */
export function recentItems(j) {
  return Array.isArray(j) ? j : Array.isArray(j?.calls) ? j.calls : Array.isArray(j?.items) ? j.items : [];
}

/** The short end reason shown on an item. */
export function reasonPill(r) {
  if (r.endReason) return has("short." + r.endReason) ? t("short." + r.endReason) : String(r.endReason);
  return r.state && r.state !== "ended" ? t("short.active") : "—";
}

export function resetHistory() {
  recent = { items: null, error: false };
}

export async function loadRecent() {
  if (!desk.token) return;
  const next = await loadList("/api/calls?limit=20", recentItems, recent);
  if (!next) return;
  recent = next;
  renderRecent();
}

function when(r, loc) {
  const at = new Date(r.answeredAt || r.enqueuedAt || r.endedAt || Date.now());
  if (isNaN(at)) return "";
  const time = at.toLocaleTimeString(loc, { hour: "2-digit", minute: "2-digit" });
  return at.toDateString() === new Date().toDateString() ? time : at.toLocaleDateString(loc, { month: "short", day: "numeric" }) + " " + time;
}

export function renderRecent() {
  const list = $("recent-list");
  const { items, error } = recent;
  $("recent-note").textContent = error ? t("recent.error") : items && items.length === 0 ? t("recent.empty") : "";
  if (!items) { list.replaceChildren(); return; }
  const loc = locale();
  list.replaceChildren(...items.map((r) => {
    const name = r.customer?.name || r.customer?.id || "—";
    return el("li", { class: "recent-item", "data-testid": "desk-recent-item", "data-call-id": r.callId || "" },
      el("span", { class: "avatar sm", "aria-hidden": "true", text: initials(name) }),
      el("div", { class: "ri-main" },
        el("div", { class: "ri-line" }, el("strong", { text: name }), el("span", { class: "ri-time", text: when(r, loc) })),
        el("div", { class: "ri-meta" },
          el("span", { text: topicName(r.topic) }),
          el("span", { text: t("recent.wait", { d: fmtDuration(r.waitMs) }) }),
          el("span", { text: t("recent.talk", { d: fmtDuration(r.talkMs) }) })),
        el("div", { class: "ri-foot" },
          el("span", { class: "pill " + (r.endReason || r.state || ""), "data-testid": "desk-recent-reason", text: reasonPill(r) }),
          r.transcript ? el("button", { type: "button", class: "link-btn", "data-testid": "desk-transcript-open",
            text: t("transcript.open"), onclick: (e) => openTranscript(r, e.currentTarget) }) : null)));
  }));
}
