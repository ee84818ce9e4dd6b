// The header and the idle panel: who is signed in, the available/away switch, the busy pill, the
// reconnecting banner and the state bar.
import { t } from "../i18n.js";
import { initials } from "../../client/format.js";
import { desk, render, online } from "../store.js";
import { $, errorToast } from "../ui.js";

let changing = false; // a presence.set is on its way

/** Merges a presence message (or reply) into the desk's presence. */
export function applyPresence(presence, p) {
  if (!p) return presence;
  if (typeof p.status === "string") presence.status = p.status;
  if (typeof p.load === "number") presence.load = p.load;
  if (typeof p.capacity === "number") presence.capacity = p.capacity;
  return presence;
}

export async function setStatus(status) {
  if (!online() || changing) return;
  changing = true;
  render();
  try {
    applyPresence(desk.presence, await desk.session.request("presence.set", { status }));
  } catch (err) {
    errorToast(err);
  } finally {
    changing = false;
    render();
  }
}

/** Which banner the connection state asks for, if any. */
export function bannerKey(conn) {
  return conn === "reconnecting" || conn === "restarting" ? conn : null;
}

export function renderHeader(state) {
  const signedIn = !!desk.me;
  $("state-bar").dataset.state = state;
  $("state-text").textContent = t("state." + state);
  $("signin-view").hidden = signedIn;
  $("desk-view").hidden = !signedIn;
  $("me").hidden = !signedIn;
  $("status-switch").hidden = !signedIn;
  $("signout").hidden = !signedIn;
  $("lang-toggle").textContent = t("lang.toggle");
  $("lang-toggle").setAttribute("aria-label", t("lang.toggleLabel"));
  $("lang-toggle").title = t("lang.toggleLabel");
  if (signedIn) {
    $("me-name").textContent = desk.me.name || desk.me.subject || "";
    $("me-avatar").textContent = initials(desk.me.name || desk.me.subject);
  }
  const status = desk.presence.status || "away";
  const sw = $("status-switch");
  sw.dataset.status = status;
  for (const b of sw.querySelectorAll("button")) {
    b.setAttribute("aria-pressed", String(b.dataset.status === status));
    b.disabled = changing || !online();
  }
  $("busy-pill").hidden = !(signedIn && status === "busy");

  const banner = $("banner");
  const key = bannerKey(desk.conn);
  banner.hidden = !(signedIn && key);
  banner.textContent = key ? t(key) : "";
}

export function renderIdle(offerCount) {
  const show = !!desk.me && !desk.call && !desk.ended && offerCount === 0;
  $("idle-panel").hidden = !show;
  if (!show) return;
  const status = desk.presence.status;
  const k = status === "available" ? "available" : status === "busy" ? "busy" : "away";
  $("idle-panel").dataset.kind = k;
  $("idle-title").textContent = t(`idle.${k}.title`);
  $("idle-body").textContent = t(`idle.${k}.body`);
  $("go-available").hidden = k !== "away";
}
