// Supervisors: the wallboard, live across all nodes. The server pushes a snapshot whenever something changed
// (at most once a second); waits and call durations count on here from the snapshot's times, corrected by
// the offset between the server's clock and ours.
import { t, has } from "../i18n.js";
import { el } from "../../client/dom.js";
import { fmtDuration } from "../../client/format.js";
import { desk } from "../store.js";
import { topicName, langName } from "../names.js";
import { $ } from "../ui.js";

let board = null;     // the last wallboard message
let offsetMs = 0;     // server time minus our time when it arrived
let subscribed = null; // the session we subscribed on
let renderedAt = 0;

export function isSupervisor() {
  return desk.me?.role === "supervisor";
}

/** Subscribes once per session (again after a reconnect: the server forgets watchers of a closed connection). */
export async function openWallboard() {
  if (!isSupervisor() || !desk.session || subscribed === desk.session) return;
  subscribed = desk.session;
  try {
    onWallboard(await desk.session.request("wallboard.subscribe", {}));
  } catch {
    subscribed = null; // tried again on the next welcome
  }
}

export function resetWallboard() {
  board = null;
  subscribed = null;
}

export function onWallboard(msg) {
  if (!msg || msg.type !== "wallboard") return;
  board = msg;
  offsetMs = (msg.serverTime || Date.now()) - Date.now();
  renderWallboard();
}

/** "67 %", or "—" before anything was answered or abandoned today. */
export function serviceLevelText(q) {
  return typeof q.serviceLevel === "number" ? Math.round(q.serviceLevel * 100) + " %" : "—";
}

/** How long since an epoch time of the server's, now. */
export function since(epochMs, nowMs, offset = 0) {
  return epochMs ? Math.max(0, nowMs + offset - epochMs) : 0;
}

function cell(text, cls) {
  return el("td", { text: String(text), class: cls || null });
}

/** The clocks on the board move on once a second. */
export function tickWallboard() {
  if (board && Date.now() - renderedAt >= 1000) renderWallboard();
}

export function renderWallboard() {
  renderedAt = Date.now();
  const card = $("wallboard-card");
  card.hidden = !isSupervisor();
  if (card.hidden) return;
  $("wallboard-note").textContent = board ? "" : t("wallboard.loading");
  if (!board) return;
  const now = Date.now();
  $("wallboard-day").textContent = t("wallboard.day", { day: board.day, target: Math.round(board.serviceLevelTargetMs / 1000) });
  $("wallboard-queues").replaceChildren(...(board.queues || []).map((q) =>
    el("tr", { "data-testid": "desk-wallboard-queue", "data-queue": q.topic + "/" + q.language },
      el("th", { scope: "row", text: topicName(q.topic) + " · " + langName(q.language) }),
      cell(q.waiting + q.ringing, "num"),
      cell(q.oldestWaitingSince ? fmtDuration(since(q.oldestWaitingSince, now, offsetMs)) : "—", "num"),
      cell(serviceLevelText(q), "num"),
      cell(q.answered, "num"),
      cell(q.abandoned, "num"),
      cell(q.averageWaitMs != null ? fmtDuration(q.averageWaitMs) : "—", "num"))));
  $("wallboard-staff").replaceChildren(...(board.staff || []).map((s) =>
    el("tr", { "data-testid": "desk-wallboard-staff", "data-staff-id": s.id, "data-state": s.state },
      el("th", { scope: "row", text: s.name || s.id }),
      el("td", {}, el("span", { class: "pill " + s.state, text: has("wbstate." + s.state) ? t("wbstate." + s.state) : s.state })),
      cell(s.inCallSince ? fmtDuration(since(s.inCallSince, now, offsetMs)) : "", "num"),
      cell(s.calls, "num"),
      cell(fmtDuration(s.talkMs), "num"),
      cell(s.declines + s.missed, "num"))));
  $("wallboard-calls").replaceChildren(...(board.calls || []).map((c) =>
    el("tr", { "data-testid": "desk-wallboard-call", "data-call-id": c.callId },
      el("th", { scope: "row", text: c.customer || "—" }),
      cell(topicName(c.topic)),
      cell(c.staff || "—"),
      cell(fmtDuration(since(c.answeredAt, now, offsetMs)), "num"),
      cell(c.transfers, "num"))));
  $("wallboard-calls-empty").hidden = (board.calls || []).length > 0;
}
