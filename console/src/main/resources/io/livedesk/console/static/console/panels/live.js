// Supervisors: the calls in progress, to listen in on (monitor) or to join with camera and microphone (barge).
import { t } from "../i18n.js";
import { el } from "../../client/dom.js";
import { initials } from "../../client/format.js";
import { desk, online, loadList } from "../store.js";
import { topicName, errText } from "../names.js";
import { $, toast } from "../ui.js";

let live = { items: null, error: false };

export function isSupervisor() {
  return desk.me?.role === "supervisor";
}

/** The calls of a /api/calls answer that a supervisor can join. */
export function liveCalls(j) {
  return (Array.isArray(j?.calls) ? j.calls : []).filter((c) => c.state === "connecting" || c.state === "active");
}

export function resetLive() {
  live = { items: null, error: false };
}

export async function loadLive() {
  if (!desk.token || !isSupervisor()) return;
  const next = await loadList("/api/calls?limit=50", liveCalls, live);
  if (!next) return;
  live = next;
  renderLive();
}

export async function joinCall(callId, mode) {
  if (desk.call) return;
  try {
    await desk.session.request("call.join", { callId, mode }); // reply is call.started (handled in desk.js)
  } catch (err) {
    toast(errText(err), "error");
    loadLive();
  }
}

export function renderLive() {
  $("live-card").hidden = !isSupervisor();
  if (!isSupervisor()) return;
  const { items, error } = live;
  $("live-note").textContent = error ? t("recent.error") : items && items.length === 0 ? t("live.empty") : "";
  const busy = !!desk.call || !online();
  $("live-list").replaceChildren(...(items || []).map((c) => {
    const name = c.customer?.name || "—";
    const join = el("button", { type: "button", class: "btn small", "data-testid": "desk-join", text: t("live.monitor"),
      onclick: () => joinCall(c.callId, "monitor") });
    const barge = el("button", { type: "button", class: "btn small", "data-testid": "desk-barge", text: t("live.barge"),
      onclick: () => joinCall(c.callId, "barge") });
    join.disabled = barge.disabled = busy;
    return el("li", { class: "recent-item", "data-testid": "desk-live-call", "data-call-id": c.callId || "" },
      el("span", { class: "avatar sm", "aria-hidden": "true", text: initials(name) }),
      el("div", { class: "ri-main" },
        el("div", { class: "ri-line" }, el("strong", { text: name }), el("span", { class: "ri-time", text: topicName(c.topic) })),
        el("div", { class: "ri-meta" }, el("span", { text: t("live.with", { name: c.staff?.name || "—" }) }))),
      el("div", { class: "live-actions" }, join, barge));
  }));
}
