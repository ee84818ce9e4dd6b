// Offers ringing on the desk: one card each with a countdown, accept and decline.
import { t } from "../i18n.js";
import { el } from "../../client/dom.js";
import { icon } from "../../client/icons.js";
import { fmtDuration, initials } from "../../client/format.js";
import { desk, render, online } from "../store.js";
import { topicName, langName, customerContext } from "../names.js";
import { $, toast, errorToast } from "../ui.js";
import { loadBrief, briefOf, briefCallId, briefSummary, handoverText } from "./brief.js";

const URGENT_MS = 6000;
const FORGET_AFTER_MS = 5000; // a card that rang out and was never revoked goes away on its own
const GONE = new Set(["offer_expired", "not_found", "invalid_state"]);

/** requestId -> {msg, receivedAt, el, busy} */
export const offers = new Map();
let accepting = null; // the requestId being accepted

/** Time left of an offer and what the card shows for it. */
export function offerTiming(msg, receivedAt, now) {
  const total = Math.max(1, msg.expiresInMs || 1);
  const left = Math.max(0, (msg.expiresInMs || 0) - (now - receivedAt));
  return { left, total, fraction: left / total, urgent: left < URGENT_MS, forget: left === 0 && now - receivedAt > total + FORGET_AFTER_MS };
}

/** The offer a call.started belongs to: by call id, the one being accepted, or the one of a restarted call. */
export function offerOf(callId) {
  return offers.get(callId)?.msg || offers.get(accepting)?.msg
    || (desk.callInfo?.callId === callId ? desk.callInfo.offer : null);
}

/** The call started: its offer card (and the one being accepted) goes. */
export function settle(callId) {
  removeOffer(callId);
  if (accepting) removeOffer(accepting);
}

export function addOffer(msg) {
  if (!msg.requestId) return;
  removeOffer(msg.requestId);
  const o = { msg, receivedAt: Date.now(), busy: false };
  const id = msg.requestId;
  const accept = el("button", { type: "button", class: "btn accept", "data-testid": "desk-accept", onclick: () => acceptOffer(id) });
  const decline = el("button", { type: "button", class: "btn decline", "data-testid": "desk-decline", onclick: () => declineOffer(id) });
  const name = msg.customer?.name || "—";
  const card = el("article", { class: "offer", "data-testid": "desk-offer", "data-request-id": id, "aria-label": t("offer.title") },
    el("div", { class: "offer-top" },
      el("span", { class: "offer-icon", "aria-hidden": "true" }, icon("video")),
      el("span", { class: "offer-title" }),
      el("span", { class: "offer-countdown", "data-testid": "desk-offer-countdown" })),
    el("div", { class: "offer-body" },
      el("div", { class: "offer-who" },
        el("span", { class: "avatar lg", "aria-hidden": "true", text: initials(name) }),
        el("div", {},
          el("strong", { class: "offer-name", "data-testid": "desk-offer-customer", text: name }),
          msg.transfer ? el("p", { class: "offer-transfer", "data-testid": "desk-offer-transfer" }) : null,
          msg.origin ? el("p", { class: "offer-transfer", "data-testid": "desk-offer-origin" }) : null,
          el("div", { class: "chips" }),
          el("p", { class: "offer-waited", "data-testid": "desk-offer-waited" }),
          el("p", { class: "offer-brief", "data-testid": "desk-offer-brief" }),
          el("p", { class: "offer-handover", "data-testid": "desk-offer-handover" }))),
      el("dl", { class: "facts ctx" })),
    el("div", { class: "offer-bar" }, el("span")),
    el("div", { class: "offer-actions" }, decline, accept));
  o.el = card;
  offers.set(id, o);
  loadBrief(briefCallId(msg));
  $("offers").prepend(card);
  render();
  const active = document.activeElement;
  if (!active || active === document.body || !/^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName)) accept.focus();
}

function renderOffer(o) {
  const { msg, el: card } = o;
  const now = Date.now();
  const time = offerTiming(msg, o.receivedAt, now);
  card.querySelector(".offer-title").textContent = t("offer.title");
  card.querySelector(".offer-countdown").textContent = time.left > 0 ? t("offer.expires", { s: Math.ceil(time.left / 1000) }) : t("offer.expiring");
  card.querySelector(".offer-bar span").style.width = (100 * time.fraction).toFixed(1) + "%";
  card.classList.toggle("urgent", time.urgent);
  card.querySelector(".chips").replaceChildren(...[
    el("span", { class: "chip topic", text: topicName(msg.topic) }),
    el("span", { class: "chip", text: langName(msg.language) }),
    msg.priority > 0 ? el("span", { class: "chip prio", text: `${t("offer.priority")} ${msg.priority}` }) : null
  ].filter(Boolean));
  card.querySelector(".offer-waited").textContent = `${t("offer.waited")} ${fmtDuration((msg.waitedMs || 0) + (now - o.receivedAt))}`;
  const transfer = card.querySelector("[data-testid=desk-offer-transfer]");
  if (transfer) transfer.textContent = t("offer.transferFrom", { name: msg.transfer.from });
  const origin = card.querySelector("[data-testid=desk-offer-origin]");
  if (origin) origin.textContent = originText(msg.origin);
  const brief = briefOf(briefCallId(msg));
  const summary = card.querySelector(".offer-brief");
  summary.textContent = briefSummary(brief) || "";
  summary.hidden = !summary.textContent;
  const handover = card.querySelector(".offer-handover");
  handover.textContent = handoverText(msg.transfer ? brief?.handover : null);
  handover.hidden = !handover.textContent;
  const ctx = card.querySelector(".ctx");
  const entries = customerContext(msg.context);
  ctx.replaceChildren(...entries.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: String(v) })]));
  ctx.hidden = entries.length === 0;
  const [decline, accept] = card.querySelectorAll(".offer-actions button");
  accept.textContent = t("accept");
  decline.textContent = t("decline");
  accept.disabled = decline.disabled = o.busy || !online();
  if (time.forget) {
    removeOffer(msg.requestId);
    queueMicrotask(render);
  }
}

/** "From the livestream “title” · card name · watched 12:34": where a viewer's consultation came from. */
export function originText(origin) {
  const parts = [t("offer.fromLive", { title: origin.title })];
  if (origin.card) parts.push(t("offer.fromCard", { name: origin.card.name }));
  parts.push(t("offer.watched", { time: fmtDuration(origin.watchedMs) }));
  return parts.join(" · ");
}

export function renderOffers() {
  for (const o of [...offers.values()]) renderOffer(o);
}

export function removeOffer(id) {
  const o = offers.get(id);
  if (!o) return;
  offers.delete(id);
  o.el.remove();
}

export function removeAllOffers() {
  for (const id of [...offers.keys()]) removeOffer(id);
}

export function onRevoked(msg) {
  if (!offers.has(msg.requestId)) return;
  removeOffer(msg.requestId);
  toast(t(msg.reason === "cancelled" ? "offer.revoked.cancelled" : "offer.revoked.timeout"));
  render();
}

async function acceptOffer(id) {
  const o = offers.get(id);
  if (!o || o.busy) return;
  o.busy = true;
  accepting = id;
  renderOffer(o);
  try {
    await desk.session.request("offer.accept", { requestId: id }); // reply is call.started (handled in desk.js)
  } catch (err) {
    errorToast(err);
    if (GONE.has(err.code)) removeOffer(id);
    else if (offers.has(id)) o.busy = false;
    render();
  } finally {
    if (accepting === id) accepting = null;
  }
}

async function declineOffer(id) {
  const o = offers.get(id);
  if (!o || o.busy) return;
  o.busy = true;
  renderOffer(o);
  try {
    await desk.session.request("offer.decline", { requestId: id });
    toast(t("offer.declined"));
  } catch (err) {
    if (err.code !== "offer_expired" && err.code !== "not_found") errorToast(err);
  }
  removeOffer(id);
  render();
}
