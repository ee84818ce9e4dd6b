// The side cards: the customer of the call (what their page sent along) and the signed-in staff profile.
import { t } from "../i18n.js";
import { el } from "../../client/dom.js";
import { fmtDuration, initials } from "../../client/format.js";
import { desk } from "../store.js";
import { topicName, langName, customerContext } from "../names.js";
import { $ } from "../ui.js";
import { originText } from "./offers.js";
import { briefOf, handoverText, pastCallItems, watchedItems } from "./brief.js";

function facts(rows) {
  return rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: String(v) })]);
}

/** The customer's name for a call: from the call, else from its offer, else "Customer". */
export function customerName(info) {
  return info?.peer?.name || info?.offer?.customer?.name || t("call.customer");
}

export function renderCustomer() {
  const show = !!(desk.call || desk.ended) && !!desk.callInfo;
  $("customer-card").hidden = !show;
  if (!show) return;
  const offer = desk.callInfo.offer || {};
  const name = customerName(desk.callInfo);
  $("cust-avatar").textContent = initials(name);
  $("cust-name").textContent = name;
  $("cust-sub").textContent = offer.topic ? topicName(offer.topic) : "";
  const rows = [];
  if (offer.topic) rows.push([t("offer.topic"), topicName(offer.topic)]);
  if (offer.language) rows.push([t("offer.language"), langName(offer.language)]);
  if (offer.priority !== undefined) rows.push([t("offer.priority"), String(offer.priority)]);
  // The wait as the server defines it (until the answer), the same number as in the history.
  const waited = desk.callInfo.times?.waitMs ?? offer.waitedMs;
  if (waited !== undefined) rows.push([t("offer.waited"), fmtDuration(waited)]);
  $("cust-facts").replaceChildren(...facts(rows));
  // Where a livestream consultation came from, set by the server (never the customer's own words).
  let origin = $("cust-origin");
  if (!origin) {
    origin = el("p", { id: "cust-origin", class: "muted", "data-testid": "desk-customer-origin" });
    $("cust-facts").after(origin);
  }
  origin.hidden = !offer.origin;
  origin.textContent = offer.origin ? originText(offer.origin) : "";
  const brief = briefOf(desk.callInfo.callId);
  // The brief has the context the customer's page sent, also for a call that came by transfer.
  const ctx = customerContext(brief?.context || offer.context);
  $("cust-context").replaceChildren(...(ctx.length ? facts(ctx) : [el("dd", { class: "muted", text: t("call.noContext") })]));
  const handover = $("cust-handover");
  handover.textContent = handoverText(brief?.handover);
  handover.hidden = !handover.textContent;
  const items = pastCallItems(brief);
  $("cust-history").replaceChildren(...items);
  const watched = watchedItems(brief);
  $("cust-watched").replaceChildren(...watched);
  $("cust-watched-title").hidden = watched.length === 0;
  $("cust-history-note").textContent = !brief ? "" : !brief.identified ? t("brief.anonymous")
    : items.length === 0 ? t("brief.first") : "";
}

export function renderProfile() {
  if (!desk.me) return;
  const c = desk.claims || {};
  const rows = [];
  if (Array.isArray(c.skills)) rows.push([t("profile.skills"), c.skills.map(topicName).join(" · ")]);
  if (Array.isArray(c.languages)) rows.push([t("profile.languages"), c.languages.map(langName).join(" · ")]);
  rows.push([t("profile.capacity"), t("profile.load", { load: desk.presence.load ?? 0, capacity: desk.presence.capacity ?? 1 })]);
  if (desk.me.node) rows.push([t("profile.node"), desk.me.node]);
  $("profile-facts").replaceChildren(...facts(rows));
}
