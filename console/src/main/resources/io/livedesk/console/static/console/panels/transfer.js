// Transfer of our call: to another topic's queue ("topic:<id>") or to a colleague who can take it now
// ("staff:<id>"). Only for a call through the bridge, and not for a supervisor who joined one.
import { t, getLang } from "../i18n.js";
import { el } from "../../client/dom.js";
import { desk, api, render } from "../store.js";
import { topicName } from "../names.js";
import { $, toast, errorToast } from "../ui.js";

let colleagues = [];
let pending = null; // {callId, topic} or {callId, staffName} while a transfer waits for a colleague

/** The call.transfer fields for a choice of the select ("topic:<id>" or "staff:<id>"), or null. */
export function transferTarget(value, language) {
  const [kind, id] = String(value || "").split(/:(.*)/s);
  if (!id) return null;
  return kind === "staff" ? { staffId: id } : { topic: id, language };
}

/** Colleagues in a /api/staff answer who can take a call now. */
export function availableColleagues(j) {
  return (Array.isArray(j?.staff) ? j.staff : []).filter((c) => c.connected && c.status === "available" && c.load < c.capacity);
}

export function resetTransfer() {
  pending = null;
}

export async function loadColleagues() {
  if (!desk.token) return;
  try {
    colleagues = availableColleagues(await api.get("/api/staff"));
    renderTransfer();
  } catch { /* the queues still work */ }
}

export async function transferCall(e) {
  e.preventDefault();
  const call = desk.call;
  const value = $("transfer-topic").value;
  const to = transferTarget(value, desk.callInfo?.offer?.language || desk.me?.languages?.[0] || "en");
  if (!call || !to || pending) return;
  $("transfer-go").disabled = true;
  try {
    const note = $("transfer-note").value.trim();
    await desk.session.request("call.transfer", { callId: call.callId, ...to, ...(note ? { note } : {}) });
    $("transfer-note").value = "";
    if (desk.call === call) {
      pending = to.staffId
        ? { callId: call.callId, staffName: colleagues.find((c) => c.id === to.staffId)?.name || to.staffId }
        : { callId: call.callId, topic: to.topic };
    }
  } catch (err) {
    errorToast(err);
  } finally {
    $("transfer-go").disabled = false;
    render();
  }
}

export function onTransferFailed(msg) {
  if (!desk.call || msg.callId !== desk.call.callId) return;
  pending = null;
  const reasons = { declined: "transfer.declined", interrupted: "transfer.interrupted" };
  toast(t(reasons[msg.reason] || "transfer.timeout"), "error");
  loadColleagues();
  render();
}

export function renderTransfer() {
  const form = $("transfer-form");
  form.hidden = !desk.call || !!desk.callInfo?.supervising || !desk.call.bridge;
  if (form.hidden) return;
  const select = $("transfer-topic");
  const current = desk.callInfo?.offer?.topic;
  const topics = [...desk.topics.keys()].filter((id) => id !== current);
  const others = colleagues.filter((c) => c.id !== desk.me?.subject);
  const key = topics.join(",") + "|" + others.map((c) => c.id).join(",") + "|" + getLang();
  if (select.dataset.key !== key) {
    const chosen = select.value;
    select.replaceChildren(
      el("optgroup", { label: t("transfer.queues") }, ...topics.map((id) => el("option", { value: "topic:" + id, text: topicName(id) }))),
      ...(others.length ? [el("optgroup", { label: t("transfer.colleagues") },
        ...others.map((c) => el("option", { value: "staff:" + c.id, text: c.name || c.id })))] : []));
    select.dataset.key = key;
    if ([...select.options].some((o) => o.value === chosen)) select.value = chosen;
  }
  $("transfer-go").disabled = !!pending || select.options.length === 0;
  $("transfer-status").textContent = !pending ? ""
    : pending.staffName ? t("transfer.waitingFor", { name: pending.staffName })
    : t("transfer.waiting", { topic: topicName(pending.topic) });
}
