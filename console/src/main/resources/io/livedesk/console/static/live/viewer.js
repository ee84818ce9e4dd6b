/*
 * LiveDesk livestream viewer page (ES module), served at /live/{broadcastId}: one WebSocket session
 * (client/session.js) and one receive-only RTCPeerConnection to the bridge (client/call.js), plus the chat,
 * the count, the pinned card and "consult now", which turns into a call on the same page.
 *
 * The token: the bank's page passes one in the address's fragment (#token=…, never sent to any server in
 * the URL); otherwise, where the demo is on, the page asks /demo/api/viewer-token for an anonymous one.
 * Either is kept in sessionStorage, so a reload keeps the same identity (and a place in the queue).
 *
 * Test hooks (data-testid): live-page (data-state = connecting|waiting|live|ended|removed|error),
 * live-video, live-state, live-title, live-badge, live-count, live-like, live-likes, live-lang, live-card,
 * live-card-name, live-card-consult, live-consult, live-chat-list (items live-chat-msg, data-message-id),
 * live-chat-input, live-chat-send, live-chat-error, live-name-form, live-name, live-name-submit,
 * live-queue, live-cancel, live-call, live-call-remote, live-call-local, live-hangup.
 * Script API: window.LiveDeskLive = { state(), model(), peerConnection(), callPeerConnection() }.
 */
import { Session } from "../client/session.js";
import { createCall } from "../client/call.js";
import { createApi } from "../client/api.js";
import { el } from "../client/dom.js";
import { lookup, normLang, browserLang } from "../client/i18n.js";
import { STRINGS } from "./strings.js";
import { initialModel, apply, watching, broadcastIdOf } from "./model.js";

const TOKEN_KEY = "ld-live-token";
const NAME_KEY = "ld-live-name";
const $ = (id) => document.getElementById(id);

const broadcastId = broadcastIdOf(location.pathname) || new URLSearchParams(location.search).get("b");
let lang = normLang(new URLSearchParams(location.search).get("lang")) || browserLang();
let model = initialModel(broadcastId);
let session = null;
let welcome = null;
let stream = null;     // the receive-only media of the broadcast
let call = null;       // the consultation call's media
let lastCall = null;
let pendingConsult = null;

const t = (key, vars) => lookup(STRINGS, lang, key, vars);

function remember(key, value) {
  try { if (value === null) sessionStorage.removeItem(key); else sessionStorage.setItem(key, value); } catch { /* private mode */ }
}

function recall(key) {
  try { return sessionStorage.getItem(key); } catch { return null; }
}

async function viewerToken() {
  const fragment = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fragment) {
    remember(TOKEN_KEY, fragment);
    history.replaceState(null, "", location.pathname + location.search);
    return fragment;
  }
  const kept = recall(TOKEN_KEY);
  if (kept) return kept;
  const minted = await createApi().post("/demo/api/viewer-token", {}, { auth: false });
  remember(TOKEN_KEY, minted.token);
  return minted.token;
}

// ---- the session ----

async function start() {
  if (!broadcastId) { fail("not_found"); return; }
  let token;
  try { token = await viewerToken(); } catch (e) { fail(e.code || "network"); return; }
  session = new Session({
    token,
    onMessage,
    onWelcome: (w) => { welcome = w; join(); },
    onStatus: (s) => { if (s === "reconnecting") { stopStream(); showError("network"); } },
    onFatal: (e) => fail(e.code)
  });
  try {
    await session.start();
  } catch (e) {
    if (e.code === "invalid_token") remember(TOKEN_KEY, null);
    fail(e.code);
  }
}

async function join() {
  try {
    const joined = await session.request("broadcast.join", { broadcastId, name: recall(NAME_KEY) || undefined });
    model = apply(model, joined);
    showError(null);
    // A consultation still open from before a reload: its request or call comes back with the welcome.
    if (welcome?.request) model = apply(model, { type: "request.queued", ...welcome.request });
    if (welcome?.call) startCall(welcome.call);
  } catch (e) {
    if (e.code === "forbidden") model = { ...model, state: "removed" };
    else fail(e.code);
  }
  render();
  syncStream();
}

function onMessage(msg) {
  switch (msg.type) {
    case "broadcast.signal": stream?.handleSignal({ sdp: msg.sdp }); return;
    case "broadcast.renegotiate": stream?.renegotiate(msg.receive); return;
    case "call.signal": call?.handleSignal(msg); return;
    case "call.renegotiate": call?.renegotiate(msg.receive, msg.iceRestart); return;
    case "call.started": startCall(msg); break;
    case "call.ended": endCall(); break;
    case "error":
      if (msg.code === "broadcast_full") { stopStream(); showError("broadcast_full"); }
      break;
    default: break;
  }
  model = apply(model, msg);
  if (msg.type === "broadcast.state" || msg.type === "broadcast.removed") syncStream();
  render();
}

// ---- the broadcast's media ----

/** Plays the stream when the broadcast is live and the viewer is not in a call; stops it otherwise. */
function syncStream() {
  if (watching(model) && !stream) {
    stream = createCall({ callId: broadcastId, media: "bridge", receiveOnly: true, iceServers: [] }, {
      signal: (p) => session.request("broadcast.signal", { broadcastId, sdp: p.sdp }).catch((e) => showError(e.code)),
      local: () => {},
      remote: (s) => { const v = $("stream"); if (v.srcObject !== s) v.srcObject = s; v.play?.().catch(() => {}); },
      mediaError: () => {},
      error: (e) => console.warn("[LiveDesk] stream", e?.message || e)
    });
  } else if (!watching(model) && stream) {
    stopStream();
  }
}

function stopStream() {
  stream?.close();
  stream = null;
  const v = $("stream");
  if (v) v.srcObject = null;
}

// ---- "consult now" and the call ----

function consult(cardId) {
  const name = welcome?.name || recall(NAME_KEY);
  if (!name) {
    pendingConsult = { cardId };
    $("name-dialog").showModal();
    $("name-input").focus();
    return;
  }
  send("broadcast.consult", { broadcastId, cardId: cardId || undefined, name });
}

async function send(type, fields) {
  try {
    const reply = await session.request(type, fields);
    model = apply(model, reply);
    showError(null);
    render();
    return reply;
  } catch (e) {
    showError(e.code);
    return null;
  }
}

function startCall(info) {
  if (call && call.callId === info.callId) return;
  stopStream(); // the stream pauses while the viewer talks to the advisor
  call?.close();
  call = createCall(info, {
    signal: (p) => session.request("call.signal", { callId: info.callId, ...p }).catch(() => {}),
    local: (s) => { $("call-local").srcObject = s; },
    remote: (s) => { const v = $("call-remote"); if (v.srcObject !== s) v.srcObject = s; v.play?.().catch(() => {}); },
    mediaError: () => {},
    error: (e) => console.warn("[LiveDesk] call", e?.message || e)
  });
  lastCall = call;
  model = apply(model, info);
  render();
}

function endCall() {
  call?.close();
  call = null;
  model = apply(model, { type: "call.ended" });
  render();
  syncStream(); // back to the broadcast
}

// ---- drawing ----

function fail(code) {
  model = { ...model, state: model.state === "removed" ? "removed" : "error" };
  showError(code);
  render();
}

function showError(code) {
  model = { ...model, error: code || null };
  const e = $("chat-error");
  if (!code) { e.textContent = ""; return; }
  const key = "err." + code;
  e.textContent = STRINGS.en[key] ? t(key) : t("err.generic", { code });
}

function eta(seconds) {
  const min = Math.round((seconds || 0) / 60);
  return min < 1 ? t("lessThanMinute") : t("minutes", { n: min });
}

function render() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  const page = $("watch");
  page.dataset.state = model.state;
  const b = model.broadcast;
  $("title").textContent = b ? b.title : "";
  document.title = (b ? b.title + " — " : "") + t("title");
  const badge = $("badge");
  badge.textContent = model.state === "live" ? t("live") : model.state === "ended" ? t("ended") : t("waiting");
  badge.classList.toggle("live", model.state === "live");
  $("count").textContent = t("viewers", { n: model.viewers });
  $("likes").textContent = t("likes", { n: model.likes });
  $("like").textContent = "♥ " + t("like");
  $("lang").textContent = t("langSwitch");
  const overlay = { connecting: t("connecting"), waiting: t("waiting"), ended: t("ended"), removed: t("removed"),
    error: "", live: "" }[model.state] ?? "";
  $("overlay").textContent = model.call ? "" : overlay;

  const card = model.card;
  $("card").hidden = !card;
  if (card) {
    const name = $("card-name");
    name.textContent = card.name;
    if (card.url) name.href = card.url; else name.removeAttribute("href");
    $("card-line").textContent = card.line || "";
    $("card-consult").dataset.cardId = card.cardId;
  }
  const canConsult = model.state === "live" && !model.queue && !model.call;
  $("card-consult").textContent = t("consultCard");
  $("card-consult").disabled = !canConsult;
  $("consult").textContent = t("consult");
  $("consult").disabled = !canConsult;

  const queue = model.queue;
  $("queue").hidden = !queue;
  if (queue) {
    $("queue-text").textContent = queue.state === "ringing" ? t("ringing")
      : t("queued", { position: queue.position, eta: eta(queue.etaSeconds) });
  }
  $("queue-cancel").textContent = t("cancel");
  $("call").hidden = !model.call;
  $("call-who").textContent = model.call ? t("inCall", { name: model.call.peer?.name || "" }) : "";
  $("hangup").textContent = t("hangup");

  $("chat-title").textContent = t("chat");
  $("chat-input").placeholder = model.muted ? t("muted") : t("chatPh");
  $("chat-input").disabled = model.muted || model.state === "removed" || model.state === "ended";
  $("chat-send").textContent = t("send");
  renderChat();

  $("name-prompt").textContent = t("namePrompt");
  $("name-label").textContent = t("nameLabel");
  $("name-go").textContent = t("nameGo");
  $("name-cancel").textContent = t("nameCancel");
}

function renderChat() {
  const list = $("messages");
  const ids = model.chat.map((c) => c.messageId).join(",");
  if (list.dataset.ids === ids) return;
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 24;
  list.replaceChildren(...model.chat.map((c) => el("li", { "data-testid": "live-chat-msg", "data-message-id": c.messageId,
    class: c.fromStage ? "stage" : null }, el("b", { text: c.name }), el("span", { text: c.text }))));
  list.dataset.ids = ids;
  if (atBottom) list.scrollTop = list.scrollHeight;
}

// ---- wiring ----

$("chat-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const input = $("chat-input");
  const text = input.value.trim();
  if (!text) return;
  if (await send("chat.send", { broadcastId, text })) input.value = "";
});
$("like").addEventListener("click", () => send("broadcast.like", { broadcastId }));
$("consult").addEventListener("click", () => consult(null));
$("card-consult").addEventListener("click", (e) => consult(e.currentTarget.dataset.cardId));
$("queue-cancel").addEventListener("click", () => model.queue && send("request.cancel", { requestId: model.queue.requestId }));
$("hangup").addEventListener("click", () => model.call && send("call.hangup", { callId: model.call.callId }).then(endCall));
$("lang").addEventListener("click", () => { lang = lang === "zh" ? "en" : "zh"; render(); });
$("name-cancel").addEventListener("click", () => { pendingConsult = null; $("name-dialog").close(); });
$("name-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const name = $("name-input").value.trim();
  if (!name) return;
  remember(NAME_KEY, name);
  $("name-dialog").close();
  const wanted = pendingConsult;
  pendingConsult = null;
  if (wanted) consult(wanted.cardId);
});

window.LiveDeskLive = {
  state: () => model.state,
  model: () => model,
  peerConnection: () => stream?.pc ?? null,
  callPeerConnection: () => lastCall?.pc ?? null
};

render();
start();
