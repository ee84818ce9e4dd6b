/*
 * LiveDesk livestream viewer page (ES module), served at /live/{broadcastId}: one WebSocket session
 * (client/session.js), the broadcast's receive-only media (client/broadcast.js over client/call.js), the chat,
 * the count and likes, the pinned card, and "consult now", which queues the viewer as a customer and turns
 * into a call on the same page (client/call.js, as in the widget); hanging up returns to the broadcast.
 * What the page shows is the plain data of model.js; this file wires it to the server and the DOM.
 *
 * The token: a bank's page passes one in the address's fragment (#token=…, which no server sees in a URL;
 * live.js does this); otherwise, where the demo is on, the page mints an anonymous viewer token at
 * /demo/api/viewer-token. Either is kept in sessionStorage with its subject, so a reload keeps the same
 * identity (and a consultation's place in the queue). An anonymous viewer is asked for a name before a
 * consultation; the name is kept for this tab too.
 *
 * Test hooks (data-testid): live-page (data-state = connecting|waiting|live|ended|removed|error),
 * live-banner (reconnecting), live-video, live-sound, live-state, live-title, live-stage, live-badge,
 * live-count, live-like, live-likes, live-lang, live-notice, live-card (live-card-name, live-card-line,
 * live-card-link, live-card-consult), live-consult, live-consult-error, live-description, live-chat-list
 * (items live-chat-msg, data-message-id, data-from-stage), live-chat-input, live-chat-send, live-chat-error,
 * live-name-form (dialog: live-name, live-name-error, live-name-submit, live-name-cancel), live-queue
 * (live-queue-text, live-cancel), live-call (live-call-remote, live-call-local, live-mute, live-camera,
 * live-hangup).
 * Script API: window.LiveDeskLive = { state(), model(), peerConnection(), callPeerConnection() }:
 * peerConnection() is the stream's (null while paused), callPeerConnection() the last consultation call's.
 */
import { Session } from "../client/session.js";
import { createCall } from "../client/call.js";
import { broadcastMedia, stageNames, watchViewSize } from "../client/broadcast.js";
import { createApi } from "../client/api.js";
import { el } from "../client/dom.js";
import { setIcon, renderMediaToggles } from "../client/icons.js";
import { lookup, normLang, browserLang } from "../client/i18n.js";
import { STRINGS } from "./strings.js";
import * as M from "./model.js";

const KEYS = { token: "livedesk.live.token", subject: "livedesk.live.subject", minted: "livedesk.live.minted",
  name: "livedesk.live.name" };
const HANGUP_WAIT_MS = 4000;
const FULL_RETRY_MS = 8000;   // broadcast_full: try again after this (and up to as much again, spread out)
const $ = (id) => document.getElementById(id);

const params = new URLSearchParams(location.search);
const broadcastId = M.broadcastIdOf(location.pathname) || (/^[A-Za-z0-9_-]{1,64}$/.test(params.get("b") || "") ? params.get("b") : null);
let lang = normLang(params.get("lang")) || browserLang();
let model = M.initialModel(broadcastId);
let session = null;
let welcome = null;
let joined = false;      // broadcast.joined on the current connection
let stream = null;       // the broadcast's receive-only media while it plays
let unwatchView = null;  // stops reporting the video's size
let call = null;         // the consultation call's media
let lastCall = null;
let callMedia = { micOn: true, camOn: true, error: false };
let pendingConsult = null;
let retryTimer = null;
const api = createApi();

const t = (key, vars) => lookup(STRINGS, lang, key, vars);

function remember(key, value) {
  try { if (value === null) sessionStorage.removeItem(key); else sessionStorage.setItem(key, value); } catch { /* private mode */ }
}

function recall(key) {
  try { return sessionStorage.getItem(key); } catch { return null; }
}

// ---- the token ----

/** The bank's token from the fragment, else the one kept for this tab, else a demo one (renew: a new one). */
async function viewerToken(renew = false) {
  const fragment = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fragment) {
    history.replaceState(null, "", location.pathname + location.search);
    remember(KEYS.token, fragment);
    remember(KEYS.subject, null);
    remember(KEYS.minted, null);
    return fragment;
  }
  const kept = recall(KEYS.token);
  if (kept && !renew) return kept;
  if (kept && renew && !recall(KEYS.minted)) throw { code: "token" }; // the bank's token: only its page can renew it
  const minted = await api.post("/demo/api/viewer-token", {}, { auth: false });
  if (!minted || typeof minted.token !== "string") throw { code: "token" };
  remember(KEYS.token, minted.token);
  remember(KEYS.subject, typeof minted.subject === "string" ? minted.subject : null);
  remember(KEYS.minted, "1");
  return minted.token;
}

// ---- the session ----

async function start(retried = false) {
  if (!broadcastId) { model = M.joinFailed(model, "not_found"); render(); return; }
  if (!window.RTCPeerConnection) { model = { ...model, state: "error", error: "err.webrtc" }; render(); return; }
  let token;
  try { token = await viewerToken(); } catch (e) { end(e?.code === "network" ? "network" : "token"); return; }
  const s = new Session({
    token,
    renewToken: () => viewerToken(true),
    onMessage: (msg) => { if (s === session) onMessage(msg); },
    onWelcome: (w) => { if (s !== session) return; welcome = w; restore(); join(); },
    onStatus: (st) => { if (s === session) onStatus(st); },
    onFatal: (err) => { if (s === session) end(err.code); }
  });
  session = s;
  try {
    await s.start();
  } catch (err) {
    if (s !== session) return;
    // A token kept from long ago may have expired: a demo page mints a new one, once.
    if (err.code === "invalid_token" && recall(KEYS.minted) && !retried) { remember(KEYS.token, null); start(true); return; }
    if (err.code === "overloaded") {
      model = M.joinFailed(model, err.code);
      render();
      retryLater(() => start(retried), err.retryAfterMs);
      return;
    }
    end(err.code);
  }
}

function onStatus(status) {
  if (status === "online") { model = { ...model, conn: "online" }; render(); return; }
  if (status === "reconnecting" || status === "restarting") {
    joined = false;
    stopStream(); // the server lets the broadcast's media go with the connection; it is offered again on return
    model = { ...model, conn: "reconnecting" };
    render();
  }
}

/** The session is over for good: say why. */
function end(code) {
  clearTimeout(retryTimer);
  stopStream();
  closeCall();
  joined = false;
  model = M.sessionEnded(model, code);
  render();
}

async function join() {
  clearTimeout(retryTimer);
  const name = welcome?.name ? null : recall(KEYS.name);
  let reply;
  try {
    reply = await session.request("broadcast.join", name ? { broadcastId, name } : { broadcastId });
  } catch (err) {
    if (err.code === "network") return; // the session reconnects and joins again
    model = M.joinFailed(model, err.code);
    if (err.code === "broadcast_full") retryLater(join);
    if (err.code === "overloaded") retryLater(join, err.retryAfterMs);
    render();
    return;
  }
  joined = true;
  model = M.apply(model, reply);
  render();
  syncStream();
}

/** A consultation still open from before a reload or a reconnect comes back with the welcome; one it forgot ends. */
function restore() {
  if (welcome?.call) { startCall({ ...welcome.call, type: "call.started" }, true); return; }
  if (call) finishCall();
  if (welcome?.request) model = M.apply(model, { ...welcome.request, type: "request.queued" });
  else if (model.queue) model = M.apply(model, { type: "request.cancelled", reason: "lost" });
  render();
}

/** Tries again after about {@code baseMs} (and up to as much again, so refused viewers do not all come back at once). */
function retryLater(fn, baseMs = FULL_RETRY_MS) {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(fn, (Number(baseMs) || FULL_RETRY_MS) * (1 + Math.random()));
}

function onMessage(msg) {
  if (stream?.onMessage(msg)) return;
  switch (msg.type) {
    case "call.signal":
      if (call && msg.callId === call.callId) call.handleSignal(msg);
      return;
    case "call.renegotiate":
      if (call && msg.callId === call.callId) call.renegotiate(msg.receive, msg.iceRestart);
      return;
    case "call.started":
      startCall(msg, false);
      return;
    case "call.ended":
      if (call && msg.callId === call.callId) finishCall(msg);
      return;
    case "call.transferred":
      if (model.call && msg.callId === model.call.callId) model = { ...model, call: { ...model.call, peer: msg.peer || {} } };
      break;
    case "error":
      return; // replies go to their requests; session_replaced and invalid_token end the session (onFatal)
    default:
      if (msg.broadcastId && msg.broadcastId !== broadcastId) return;
      model = M.apply(model, msg);
  }
  if (msg.type === "broadcast.removed") joined = false;
  syncStream();
  render();
}

// ---- the broadcast's media ----

/** Plays the stream while the broadcast is live, joined and the viewer not in a call; stops it otherwise. */
function syncStream() {
  const want = joined && M.watching(model) && model.conn === "online";
  if (want && !stream) startStream();
  else if (!want && stream) stopStream();
}

function startStream() {
  const video = $("stream");
  stream = broadcastMedia({ broadcastId, request: (type, fields) => session.request(type, fields), receiveOnly: true }, {
    remote: (s) => {
      if (video.srcObject !== s) video.srcObject = s;
      play(video, $("sound"));
    },
    refused: (err) => {
      stopStream();
      if (err.code === "broadcast_full") {
        model = { ...model, error: "err.broadcast_full" };
        retryLater(() => { model = { ...model, error: null }; syncStream(); render(); });
        render();
      } else if (err.code !== "invalid_state") {
        console.warn("[LiveDesk] the broadcast's media was refused:", err.code);
      }
    },
    error: (e) => console.warn("[LiveDesk] broadcast media", e?.name || "error")
  });
  // The bridge sends a layer no taller than the picture is shown: a phone saves its data and its battery.
  unwatchView = watchViewSize(video, (maxHeight) => {
    session.request("broadcast.view", { broadcastId, maxHeight }).catch(() => { /* the next resize tells again */ });
  });
}

function stopStream() {
  if (!stream) return;
  unwatchView?.();
  unwatchView = null;
  stream.close();
  stream = null;
  $("stream").srcObject = null;
  $("sound").hidden = true;
}

/** Plays with sound if the browser allows it, else muted with a button to turn the sound on. */
function play(video, soundButton) {
  video.play().catch(() => {
    video.muted = true;
    video.play().catch(() => {});
    if (soundButton) soundButton.hidden = false;
  });
}

// ---- "consult now" and the call ----

function consult(cardId) {
  if (!M.canConsult(model)) return;
  const saved = recall(KEYS.name);
  if (M.needsName(welcome, saved)) {
    pendingConsult = { cardId };
    $("name-error").textContent = "";
    $("name-input").removeAttribute("aria-invalid");
    $("name-dialog").showModal();
    $("name-input").focus();
    return;
  }
  sendConsult(cardId, welcome?.name ? null : saved);
}

async function sendConsult(cardId, name) {
  const fields = { broadcastId };
  if (cardId) fields.cardId = cardId;
  if (name) fields.name = name;
  model = { ...model, consultError: null, notice: null };
  render();
  try {
    model = M.apply(model, await session.request("broadcast.consult", fields));
  } catch (err) {
    model = M.failed(model, "consult", err.code);
  }
  render();
}

async function cancelQueue() {
  const q = model.queue;
  if (!q) return;
  $("queue-cancel").disabled = true;
  try {
    model = M.apply(model, await session.request("request.cancel", { requestId: q.requestId }));
  } catch {
    // not_found / invalid_state: already gone (a call.started may be on its way); network: the server ends it
    if (model.queue?.requestId === q.requestId && !model.call) model = { ...model, queue: null };
  }
  $("queue-cancel").disabled = false;
  render();
}

/** The consultation call (client/call.js, bridge mode as for the widget); the stream pauses meanwhile. */
function startCall(info, resumed) {
  // In bridge mode the party who came back offers a new leg itself: a resumed call starts its media afresh.
  if (call && call.callId === info.callId && !resumed) return;
  closeCall();
  stopStream();
  callMedia = { micOn: true, camOn: true, error: false };
  const remote = $("call-remote"), local = $("call-local");
  $("call-wait").hidden = false;
  const c = createCall(info, {
    signal: (p) => session.request("call.signal", { callId: info.callId, ...p }).catch((err) => {
      if (err.code !== "network") console.warn("[LiveDesk] call signal refused:", err.code);
    }),
    local: (s) => { local.srcObject = s; local.play().catch(() => {}); render(); },
    remote: (s) => {
      if (remote.srcObject !== s) remote.srcObject = s;
      $("call-wait").hidden = s.getVideoTracks().length > 0;
      play(remote, null);
    },
    mediaError: (e) => { console.warn("[LiveDesk] camera or microphone:", e?.name); callMedia.error = true; render(); },
    error: (e) => console.warn("[LiveDesk] call media", e?.name || "error")
  });
  call = c;
  lastCall = c;
  model = M.apply(model, { ...info, type: "call.started" });
  render();
  $("hangup").focus();
}

function closeCall() {
  if (!call) return;
  call.close();
  call = null;
  $("call-remote").srcObject = null;
  $("call-local").srcObject = null;
}

/** The call is over (call.ended, or our hang-up went unanswered): back to the broadcast. */
function finishCall(msg) {
  const callId = call?.callId;
  closeCall();
  model = M.apply(model, { type: "call.ended", callId, reason: msg?.reason });
  render();
  syncStream();
  $("consult").focus();
}

function hangup() {
  if (!call) return;
  const callId = call.callId;
  $("hangup").disabled = true;
  const endHere = () => { if (call && call.callId === callId) finishCall(); };
  session.request("call.hangup", { callId }).catch(endHere); // the reply call.ended comes through onMessage
  setTimeout(endHere, HANGUP_WAIT_MS);
}

// ---- chat and likes ----

async function sendChat(e) {
  e.preventDefault();
  const input = $("chat-input");
  const text = input.value.trim();
  if (!text || !M.canChat(model)) return;
  if (text.length > 500) { model = M.failed(model, "chat", "bad_message"); render(); return; }
  try {
    await session.request("chat.send", { broadcastId, text });
    input.value = "";
    model = { ...model, chatError: null };
  } catch (err) {
    model = M.failed(model, "chat", err.code);
  }
  render();
}

function like() {
  session?.request("broadcast.like", { broadcastId }).catch(() => { /* a like that did not count needs no word */ });
  const b = $("like");
  b.classList.remove("pop");
  void b.offsetWidth; // restart the animation
  b.classList.add("pop");
}

// ---- drawing ----

function render() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  const m = model;
  $("watch").dataset.state = m.state;
  const b = m.broadcast;
  $("title").textContent = b ? b.title : "";
  document.title = (b ? b.title + " — " : "") + t("title");
  $("stage-names").textContent = b && stageNames(b.stage) ? t("stage", { names: stageNames(b.stage) }) : "";
  $("description").textContent = b?.description || "";
  $("lang").textContent = t("langSwitch");
  $("lang").setAttribute("aria-label", t("langSwitchLabel"));
  $("lang").lang = lang === "zh" ? "en" : "zh-CN";

  $("banner").hidden = m.conn !== "reconnecting" || m.state === "error";
  $("banner").textContent = t("reconnecting");

  const badge = $("badge");
  badge.textContent = m.state === "live" ? t("live") : m.state === "ended" ? t("ended") : t("waiting");
  badge.classList.toggle("live", m.state === "live");
  badge.hidden = m.state === "error" || m.state === "removed" || m.state === "connecting";
  $("count").textContent = m.state === "live" ? t("viewers", { n: m.viewers }) : "";
  $("likes").textContent = String(m.likes);
  $("like").setAttribute("aria-label", t("likeLabel", { n: m.likes }));
  $("like").title = t("like");
  $("like").disabled = !joined || (m.state !== "live" && m.state !== "waiting");
  $("sound").textContent = t("tapSound");
  $("overlay").textContent = m.call ? "" : overlayText(m);

  const notice = m.notice;
  $("notice").hidden = !notice;
  $("notice-text").textContent = notice ? t(notice) : "";
  $("notice-close").textContent = t("dismiss");

  renderCard(m);
  const canConsult = M.canConsult(m);
  $("consult").textContent = t("consult");
  $("consult").hidden = m.state !== "live" && m.state !== "waiting";
  $("consult").disabled = !canConsult;
  $("consult-error").textContent = m.consultError ? t(m.consultError) : "";
  renderQueue(m);
  renderCall(m);
  renderChat(m);

  $("name-prompt").textContent = t("namePrompt");
  $("name-label").textContent = t("nameLabel");
  $("name-go").textContent = t("nameGo");
  $("name-cancel").textContent = t("nameCancel");
}

function overlayText(m) {
  if (m.error && (m.state === "error" || m.state === "connecting" || !stream)) return t(m.error);
  switch (m.state) {
    case "connecting": return t("connecting");
    case "waiting": {
      const at = m.broadcast?.scheduledAt ? new Date(m.broadcast.scheduledAt) : null;
      return at && at > Date.now() ? `${t("waitingLong")}\n${t("startsAt", { time: when(at) })}` : t("waitingLong");
    }
    case "ended": return t("endedLong");
    case "removed": return t("removed");
    default: return "";
  }
}

function when(date) {
  return date.toLocaleString(lang === "zh" ? "zh-CN" : "en-GB", { dateStyle: "medium", timeStyle: "short" });
}

function renderCard(m) {
  const card = m.card;
  $("card").hidden = !card || (m.state !== "live" && m.state !== "waiting");
  if (!card) return;
  $("card-label").textContent = t("cardLabel");
  $("card-name").textContent = card.name || "";
  $("card-line").textContent = card.line || "";
  const link = $("card-link");
  const safe = typeof card.url === "string" && /^https?:\/\//i.test(card.url);
  link.hidden = !safe;
  if (safe) link.href = card.url; else link.removeAttribute("href");
  link.textContent = t("cardLink");
  const consult = $("card-consult");
  consult.textContent = t("consultCard");
  consult.setAttribute("aria-label", t("consultCardLabel", { name: card.name || "" }));
  consult.disabled = !M.canConsult(m);
}

function renderQueue(m) {
  const q = m.queue;
  $("queue").hidden = !q || !!m.call;
  $("queue-cancel").textContent = t("cancel");
  if (!q) return;
  if (q.state === "ringing") {
    $("queue-text").textContent = t("ringing");
    $("queue-eta").textContent = "";
    return;
  }
  $("queue-text").textContent = q.position === 1 ? t("queuedNext") : t("queued", { position: q.position ?? "…" });
  const min = M.etaMinutes(q.etaSeconds);
  $("queue-eta").textContent = min === null ? t("queuedSub") : `${min < 1 ? t("etaSoon") : t("eta", { n: min })} · ${t("queuedSub")}`;
}

function renderCall(m) {
  $("call").hidden = !m.call;
  if (!m.call) return;
  $("call-who").textContent = t("inCall", { name: m.call.peer?.name || t("advisor") });
  $("call-wait").textContent = t("waitingVideo");
  $("call-error").hidden = !callMedia.error;
  $("call-error").textContent = t("mediaError");
  renderMediaToggles($("call-mic"), $("call-cam"), callMedia.micOn, callMedia.camOn, t);
  const hang = $("hangup");
  setIcon(hang, "hang");
  hang.setAttribute("aria-label", t("hangup"));
  hang.title = t("hangup");
  hang.disabled = !call;
}

// New messages are appended and deleted ones removed, so that the live region announces only what is new.
function renderChat(m) {
  $("chat-title").textContent = t("chat");
  $("chat-label").textContent = t("chatLabel");
  const list = $("messages");
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 24;
  const keep = new Set(m.chat.map((c) => c.messageId));
  const shown = new Map();
  for (const li of [...list.children]) {
    if (keep.has(li.dataset.messageId)) shown.set(li.dataset.messageId, li);
    else li.remove();
  }
  for (const c of m.chat) {
    if (shown.has(c.messageId)) continue;
    list.append(el("li", { "data-testid": "live-chat-msg", "data-message-id": c.messageId, "data-from-stage": c.fromStage ? "true" : null,
      class: c.fromStage ? "stage" : null },
      el("b", { text: c.name }), c.fromStage ? el("span", { class: "tag", text: t("fromStage") }) : null, " ", el("span", { text: c.text })));
  }
  if (atBottom) list.scrollTop = list.scrollHeight;
  $("chat-empty").textContent = m.chat.length ? "" : t("chatEmpty");
  const input = $("chat-input");
  const open = M.canChat(m);
  input.disabled = !open;
  input.placeholder = m.muted ? t("mutedPh") : t("chatPh");
  $("chat-send").textContent = t("send");
  $("chat-send").disabled = !open;
  $("chat-error").textContent = m.chatError ? t(m.chatError) : "";
}

// ---- wiring ----

function submitName(e) {
  e.preventDefault();
  const input = $("name-input");
  const name = input.value.trim();
  if (!name || name.length > 40) {
    $("name-error").textContent = t(name ? "err.name" : "needName");
    input.setAttribute("aria-invalid", "true");
    input.focus();
    return;
  }
  remember(KEYS.name, name);
  $("name-dialog").close();
  const wanted = pendingConsult;
  pendingConsult = null;
  if (wanted) sendConsult(wanted.cardId, name);
}

$("chat-form").addEventListener("submit", sendChat);
$("like").addEventListener("click", like);
$("consult").addEventListener("click", () => consult(null));
$("card-consult").addEventListener("click", () => consult(model.card?.cardId || null));
$("queue-cancel").addEventListener("click", cancelQueue);
$("hangup").addEventListener("click", hangup);
$("call-mic").addEventListener("click", () => { callMedia.micOn = !callMedia.micOn; call?.setMic(callMedia.micOn); render(); });
$("call-cam").addEventListener("click", () => { callMedia.camOn = !callMedia.camOn; call?.setCamera(callMedia.camOn); render(); });
$("sound").addEventListener("click", () => { const v = $("stream"); v.muted = false; v.play().catch(() => {}); $("sound").hidden = true; });
$("notice-close").addEventListener("click", () => { model = { ...model, notice: null }; render(); });
$("lang").addEventListener("click", () => {
  lang = lang === "zh" ? "en" : "zh";
  const q = new URLSearchParams(location.search);
  q.set("lang", lang);
  history.replaceState(null, "", location.pathname + "?" + q + location.hash);
  render();
});
$("name-form").addEventListener("submit", submitName);
$("name-cancel").addEventListener("click", () => { pendingConsult = null; $("name-dialog").close(); });

window.LiveDeskLive = {
  state: () => model.state,
  model: () => model,
  peerConnection: () => stream?.pc ?? null,
  callPeerConnection: () => lastCall?.pc ?? null
};

render();
start();
