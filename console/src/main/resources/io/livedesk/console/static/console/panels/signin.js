// Signing in (a token, or a demo identity minted with the admin key) and out; the session's life.
import { openWallboard, resetWallboard } from "./wallboard.js";
import { t } from "../i18n.js";
import { Session, TRANSIENT } from "../../client/session.js";
import { desk, api, render } from "../store.js";
import { errText, errCode, mintErrKey } from "../names.js";
import { el } from "../../client/dom.js";
import { $ } from "../ui.js";
import { applyPresence } from "./presence.js";
import { removeAllOffers } from "./offers.js";
import { startCall, endCall } from "./call.js";
import { resetCaptions } from "./captions.js";
import { loadRecent, resetHistory } from "./history.js";
import { loadCallbacks, resetCallbacks } from "./callbacks.js";
import { loadLive } from "./live.js";
import { loadBridges, resetBridges } from "./bridges.js";
import { clearAlerts } from "./alerts.js";
import { closeTranscript } from "./transcript.js";
import { onStudioWelcome, resetStudio } from "./studio.js";

export const TOKEN_KEY = "livedesk.desk.token";
export const ADMIN_KEY = "livedesk.desk.adminKey";
const STAFF_ROLES = new Set(["staff", "supervisor"]);

/** The token's payload, for display only (the server checks the token). */
export function decodeClaims(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const json = decodeURIComponent(escape(atob(part + "===".slice((part.length + 3) % 4))));
    const c = JSON.parse(json);
    return c && typeof c === "object" ? c : {};
  } catch { return {}; }
}

/** A subject id for a demo name: a readable slug, or a hash for a name with no Latin letters. */
export function slug(name) {
  let s = name.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40);
  if (!s) {
    let h = 2166136261;
    for (const ch of name) { h ^= ch.codePointAt(0); h = Math.imul(h, 16777619) >>> 0; }
    s = "u" + h.toString(36);
  }
  return s;
}

/** What the sign-in page says when a session ends or never started. */
export function endMessage(err) {
  return err.code === "session_replaced" ? t("err.session_replaced")
    : err.code === "invalid_token" ? t("err.invalid_token") : errText(err);
}

/** @param code shown in small print for IT support, under the plain words */
function showSigninError(text, code = "") {
  $("signin-error").replaceChildren(text || "",
    ...(code ? [el("small", { class: "error-code", text: t("err.code", { code }) })] : []));
}

function setSigninBusy(busy) {
  for (const id of ["token-form", "demo-form"]) $(id).querySelector("button[type=submit]").disabled = busy;
}

function remember(key, value) {
  try { if (value === null) sessionStorage.removeItem(key); else sessionStorage.setItem(key, value); } catch { /* storage unavailable */ }
}

export function recalled(key) {
  try { return sessionStorage.getItem(key); } catch { return null; }
}

/** @param {string} token  @param {(msg:object)=>void} onMessage  every server message */
export function signIn(token, onMessage) {
  stopSession();
  desk.token = token;
  desk.claims = decodeClaims(token);
  setSigninBusy(true);
  showSigninError("");
  const session = new Session({
    token,
    onMessage,
    onWelcome,
    onStatus: (s) => {
      if (session !== desk.session) return;
      desk.conn = s;
      render();
    },
    onFatal: (err) => { if (session === desk.session) signOut(endMessage(err), false); }
  });
  desk.session = session;
  // Never got in: say why on the sign-in page instead of retrying silently. A refused token is forgotten;
  // one that met a busy or unreachable server is kept for the next reload.
  session.start().catch((err) => {
    if (session !== desk.session || err.code === "closed") return;
    if (err.code !== "network" && !TRANSIENT.has(err.code)) { signOut(endMessage(err), false); return; }
    stopSession();
    setSigninBusy(false);
    showSigninError(errText(err), errCode(err));
  });
}

/** How our call ended while we were away, when the welcome says (ended.callId is that call). */
export function endedReason(welcome, callId) {
  const e = welcome && welcome.ended;
  return e && e.callId === callId && typeof e.reason === "string" ? e.reason : null;
}

function onWelcome(w, resumed) {
  if (!STAFF_ROLES.has(w.role)) {
    signOut(t("err.not_staff"), false);
    return;
  }
  remember(TOKEN_KEY, desk.token);
  setSigninBusy(false);
  desk.me = w;
  if (Array.isArray(w.topics)) {
    for (const tp of w.topics) if (tp && tp.id) desk.topics.set(tp.id, tp.names || {});
  }
  if (w.presence) applyPresence(desk.presence, w.presence);
  // drop the cards: the server sends the offers still ringing again right after welcome, with their time left
  if (resumed) removeAllOffers();
  if (w.call) startCall(w.call);
  else if (desk.call) endCall(endedReason(w, desk.call.callId) || "staff_disconnected");
  render();
  loadRecent();
  loadCallbacks();
  loadLive();
  loadBridges();
  openWallboard();
  onStudioWelcome(resumed);
}

function stopSession() {
  const session = desk.session;
  desk.session = null;
  session?.stop();
}

export async function signOut(message, clean = true) {
  if (clean && desk.session?.online) {
    if (desk.call) await desk.session.request("call.hangup", { callId: desk.call.callId }).catch(() => {});
    await desk.session.request("presence.set", { status: "away" }).catch(() => {});
  }
  stopSession();
  if (desk.call) endCall("staff_hangup", true);
  removeAllOffers();
  remember(TOKEN_KEY, null);
  desk.me = null;
  desk.token = null;
  desk.ended = null;
  desk.presence = { status: "away", load: 0, capacity: 1 };
  resetHistory();
  resetCallbacks();
  resetBridges();
  resetWallboard();
  clearAlerts();
  resetCaptions(null);
  closeTranscript();
  resetStudio();
  setSigninBusy(false);
  showSigninError(message || "");
  render();
}

export function onTokenSubmit(e, onMessage) {
  e.preventDefault();
  const token = $("token-input").value.trim().replace(/^Bearer\s+/i, "");
  if (!token) { showSigninError(t("err.token_required")); $("token-input").focus(); return; }
  signIn(token, onMessage);
}

export async function onDemoSubmit(e, onMessage) {
  e.preventDefault();
  const name = $("demo-name").value.trim();
  const skills = [...document.querySelectorAll("#demo-form input[name=skill]:checked")].map((i) => i.value);
  const languages = [...document.querySelectorAll("#demo-form input[name=language]:checked")].map((i) => i.value);
  const permissions = [...document.querySelectorAll("#demo-form input[name=permission]:checked")].map((i) => i.value);
  const key = $("demo-key").value.trim();
  const role = document.querySelector("#demo-form input[name=role]:checked")?.value === "supervisor" ? "supervisor" : "staff";
  if (!name) { showSigninError(t("err.name_required")); $("demo-name").focus(); return; }
  // A supervisor watches and joins calls; skills only matter for those who take them.
  if (!skills.length && role === "staff") { showSigninError(t("err.skills_required")); return; }
  if (!languages.length) { showSigninError(t("err.languages_required")); return; }
  if (!key) { showSigninError(t("err.key_required")); $("demo-key").focus(); return; }
  remember(ADMIN_KEY, key);
  setSigninBusy(true);
  showSigninError("");
  try {
    const body = await api.post("/api/dev/tokens",
      { role, subject: (role === "supervisor" ? "sup-" : "staff-") + slug(name), name, skills, languages, capacity: 1, permissions },
      { auth: false, headers: { "X-Admin-Key": key } });
    if (!body?.token) throw { code: "HTTP 200" };
    signIn(body.token, onMessage);
  } catch (err) {
    setSigninBusy(false);
    showSigninError(t(mintErrKey(err.code)), errCode(err));
  }
}
