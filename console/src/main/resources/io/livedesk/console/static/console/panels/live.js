// Supervisors: the calls in progress, to listen in on (monitor) or to join with camera and microphone (barge).
import { t } from "../i18n.js";
import { el } from "../../client/dom.js";
import { initials, fmtDuration } from "../../client/format.js";
import { desk, online, loadList } from "../store.js";
import { topicName } from "../names.js";
import { $, errorToast } from "../ui.js";

let live = { items: null, error: false, at: 0 };

export function isSupervisor() {
  return desk.me?.role === "supervisor";
}

/** A live call's talk time now: the server's as of the answer that listed it (at `loadedAt`), counted on. */
export function liveTalkMs(c, loadedAt, now) {
  return Math.max(0, Number(c?.talkMs) || 0) + Math.max(0, now - loadedAt);
}

/** The calls of a /api/calls answer that a supervisor can join. */
export function liveCalls(j) {
  return (Array.isArray(j?.calls) ? j.calls : []).filter((c) => c.state === "connecting" || c.state === "active");
}

export function resetLive() {
  live = { items: null, error: false, at: 0 };
}

export async function loadLive() {
  if (!desk.token || !isSupervisor()) return;
  const next = await loadList("/api/calls?limit=50", liveCalls, live);
  if (!next) return;
  live = { ...next, at: next.error ? live.at : Date.now() };
  renderLive();
}

export async function joinCall(callId, mode) {
  if (desk.call) return;
  try {
    await desk.session.request("call.join", { callId, mode }); // reply is call.started (handled in desk.js)
  } catch (err) {
    errorToast(err);
    loadLive();
  }
}

export function renderLive() {
  $("live-card").hidden = !isSupervisor();
  if (!isSupervisor()) return;
  const { items, error, at } = live;
  const now = Date.now();
  $("live-note").textContent = error ? t("recent.error") : items && items.length === 0 ? t("live.empty") : "";
  const busy = !!desk.call || !online();
  $("live-list").replaceChildren(...(items || []).map((c) => {
    const name = c.customer?.name || "—";
    const join = el("button", { type: "button", class: "btn small", "data-testid": "desk-join", text: t("live.monitor"),
      onclick: () => joinCall(c.callId, "monitor") });
    const barge = el("button", { type: "button", class: "btn small", "data-testid": "desk-barge", text: t("live.barge"),
      onclick: () => joinCall(c.callId, "barge") });
    join.disabled = barge.disabled = busy;
    const staff = t("live.with", { name: c.staff?.name || "—" });
    const talk = fmtDuration(liveTalkMs(c, at, now));
    // Name and duration on the first line, topic and staff member under it, the buttons on a row of their
    // own: beside the text they squeezed the name to nothing in the side column. A long text is cut with an
    // ellipsis, its whole in the tooltip.
    return el("li", { class: "recent-item live-item", "data-testid": "desk-live-call", "data-call-id": c.callId || "" },
      el("span", { class: "avatar sm", "aria-hidden": "true", text: initials(name) }),
      el("div", { class: "ri-main" },
        el("div", { class: "ri-line" }, el("strong", { text: name, title: name, "data-testid": "desk-live-customer" }),
          el("span", { class: "ri-time", text: talk, title: t("live.duration", { d: talk }) })),
        el("div", { class: "ri-meta" }, el("span", { class: "ri-topic", text: topicName(c.topic), title: topicName(c.topic) }),
          el("span", { class: "ri-staff", text: staff, title: staff }))),
      el("div", { class: "live-actions" }, join, barge));
  }));
}
