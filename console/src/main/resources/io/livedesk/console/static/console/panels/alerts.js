// Supervisors: alerts raised on calls (a rule matched a caption), newest first, each with "listen in".
import { t } from "../i18n.js";
import { el } from "../../client/dom.js";
import { desk, online } from "../store.js";
import { speakerLabel, locale } from "../names.js";
import { $, toast } from "../ui.js";
import { isSupervisor, joinCall } from "./live.js";

export const ALERTS_KEPT = 50;

let alerts = [];

/** The list with the alert added in front, unless it is already there; at most ALERTS_KEPT. */
export function withAlert(list, msg) {
  if (list.some((a) => a.alertId === msg.alertId)) return list;
  const a = {
    alertId: msg.alertId, callId: msg.callId, rule: msg.rule, ruleId: msg.ruleId, text: msg.text,
    speaker: msg.speaker, at: msg.at, staff: msg.staff?.name || null, customer: msg.customer?.name || null
  };
  return [a, ...list].slice(0, ALERTS_KEPT);
}

export function onAlert(msg) {
  if (!isSupervisor() || !msg.callId) return;
  const before = alerts;
  alerts = withAlert(alerts, msg);
  if (alerts === before) return;
  toast(t("alerts.toast", { rule: msg.rule || "", customer: msg.customer?.name || "—" }), "alert");
  renderAlerts();
}

export function clearAlerts() {
  alerts = [];
  renderAlerts();
}

/** Copies of the alerts received, newest first (window.LiveDeskDesk.alerts()). */
export function alertList() {
  return alerts.map((a) => ({ ...a }));
}

export function renderAlerts() {
  $("alerts-card").hidden = !isSupervisor();
  if (!isSupervisor()) return;
  $("alerts-empty").hidden = alerts.length > 0;
  $("alerts-clear").hidden = alerts.length === 0;
  const loc = locale();
  const busy = !!desk.call || !online();
  $("alert-list").replaceChildren(...alerts.map((a) => {
    const when = new Date(a.at);
    const join = el("button", { type: "button", class: "btn small", "data-testid": "desk-alert-join", text: t("alerts.join"),
      onclick: () => joinCall(a.callId, "monitor") });
    join.disabled = busy;
    return el("li", { class: "alert-item", "data-testid": "desk-alert", "data-alert-id": a.alertId || "", "data-call-id": a.callId },
      el("div", { class: "ri-line" },
        el("span", { class: "chip alert-rule", "data-testid": "desk-alert-rule", text: t("alerts.rule", { rule: a.rule || "" }) }),
        el("span", { class: "ri-time", "data-testid": "desk-alert-time",
          text: isNaN(when) ? "" : when.toLocaleTimeString(loc, { hour: "2-digit", minute: "2-digit", second: "2-digit" }) })),
      el("p", { class: "alert-text", "data-testid": "desk-alert-text" },
        el("span", { class: "cap-who", text: speakerLabel(a.speaker) }), el("span", { text: a.text || "" })),
      el("div", { class: "ri-meta" },
        el("span", { "data-testid": "desk-alert-people", text: t("alerts.people", { customer: a.customer || "—", staff: a.staff || "—" }) })),
      el("div", { class: "live-actions" }, join));
  }));
}
