// Callback requests: customers who asked to be called back (nobody free, the queue closed, or the maximum
// wait). Staff see the open ones of their queues, take one, call the customer and close it with an outcome;
// the server says callbacks.changed whenever anyone's list changed.
import { t } from "../i18n.js";
import { el } from "../../client/dom.js";
import { desk } from "../store.js";
import { topicName, langName } from "../names.js";
import { $, toast, errorToast } from "../ui.js";

let lists = { open: [], mine: [], error: false, loaded: false };
let loading = null;

export const OUTCOMES = ["reached", "no_answer", "not_needed"];

export function resetCallbacks() {
  lists = { open: [], mine: [], error: false, loaded: false };
}

/** Asks for the lists again (on welcome and whenever the server says they changed); one request at a time. */
export function loadCallbacks() {
  if (!desk.session || loading) return loading;
  const session = desk.session;
  loading = session.request("callbacks.list", {}).then((m) => {
    lists = { open: m.open || [], mine: m.mine || [], error: false, loaded: true };
  }, () => {
    lists = { ...lists, error: true };
  }).finally(() => {
    loading = null;
    renderCallbacks();
  });
  return loading;
}

/** "Harbour Bank › /loans/mortgage", the page a request came from, or "" when it says nothing. */
export function contextText(context) {
  if (!context || typeof context !== "object") return "";
  return [context.product, context.page].filter(Boolean).map(String).join(" · ");
}

function age(createdAt, nowMs) {
  const min = Math.max(0, Math.floor((nowMs - createdAt) / 60000));
  return min < 60 ? t("cb.ageMin", { n: min }) : t("cb.ageHours", { n: Math.floor(min / 60) });
}

async function take(cb, button) {
  button.disabled = true;
  try {
    await desk.session.request("callback.take", { callbackId: cb.callbackId });
  } catch (err) {
    if (err?.code === "invalid_state") toast(t("cb.takenByOther"), "error");
    else errorToast(err);
  }
  loadCallbacks();
}

async function close(cb, form) {
  const outcome = form.querySelector("select").value;
  const note = form.querySelector("input").value;
  form.querySelector("button").disabled = true;
  try {
    await desk.session.request("callback.close", { callbackId: cb.callbackId, outcome, note });
  } catch (err) {
    errorToast(err);
  }
  loadCallbacks();
}

function item(cb, mine, nowMs) {
  const when = cb.preferredTime ? el("span", { class: "cb-when", text: t("cb.prefers", { when: cb.preferredTime }) }) : null;
  const context = contextText(cb.context);
  const head = el("div", { class: "ri-line" }, el("strong", { text: cb.name || "—" }),
    el("span", { class: "ri-time", text: age(cb.createdAt, nowMs) }));
  const meta = el("div", { class: "ri-meta" }, el("span", { text: topicName(cb.topic) }), el("span", { text: langName(cb.language) }), when);
  const details = [];
  if (context) details.push(el("div", { class: "ri-meta", "data-testid": "desk-callback-context", text: context }));
  if (cb.note) details.push(el("p", { class: "cb-note", text: cb.note }));
  if (mine) {
    if (cb.phone) {
      details.push(el("a", { class: "cb-phone", href: "tel:" + cb.phone.replace(/[^0-9+]/g, ""), "data-testid": "desk-callback-phone", text: cb.phone }));
    }
    const outcome = el("select", { "aria-label": t("cb.outcome"), "data-testid": "desk-callback-outcome" },
      ...OUTCOMES.map((o) => el("option", { value: o, text: t("cb.outcome." + o) })));
    const note = el("input", { type: "text", maxlength: "500", placeholder: t("cb.closeNote"), "aria-label": t("cb.closeNote") });
    const form = el("form", { class: "cb-close" }, outcome, note,
      el("button", { type: "submit", class: "btn secondary", "data-testid": "desk-callback-close", text: t("cb.close") }));
    form.addEventListener("submit", (e) => { e.preventDefault(); close(cb, form); });
    details.push(form);
  } else {
    const button = el("button", { type: "button", class: "btn secondary", "data-testid": "desk-callback-take", text: t("cb.take") });
    button.addEventListener("click", () => take(cb, button));
    details.push(button);
  }
  return el("li", { class: "recent-item callback", "data-testid": mine ? "desk-callback-mine" : "desk-callback-open",
    "data-callback-id": cb.callbackId },
  el("div", { class: "ri-main" }, head, meta, ...details));
}

export function renderCallbacks() {
  const card = $("callbacks-card");
  if (!card) return;
  card.hidden = !desk.session && !lists.loaded;
  const now = Date.now();
  $("callbacks-mine").replaceChildren(...lists.mine.map((cb) => item(cb, true, now)));
  $("callbacks-open").replaceChildren(...lists.open.map((cb) => item(cb, false, now)));
  $("callbacks-mine-title").hidden = lists.mine.length === 0;
  $("callbacks-note").textContent = lists.error ? t("cb.loadError")
    : lists.loaded && lists.open.length === 0 && lists.mine.length === 0 ? t("cb.empty") : "";
  $("callbacks-count").textContent = lists.open.length ? String(lists.open.length) : "";
}

/** For tests and the page: the lists as last loaded. */
export function callbackLists() {
  return lists;
}
