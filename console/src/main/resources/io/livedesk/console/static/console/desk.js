/*
 * LiveDesk staff desk (ES module). Served at /console/; talks to /ws (protocol v1) and /api/*.
 *
 * Test hooks (data-testid):
 *   sign-in:  desk-token (textarea), desk-signin (token sign-in button), desk-signin-error,
 *             demo form: desk-demo-name, desk-skill-{accounts|cards|loans|wealth}, desk-language-{en|zh},
 *             desk-admin-key (pre-filled from the URL fragment #key=...), desk-demo-signin
 *   header:   desk-name, desk-status (group; data-status = available|away|busy), desk-status-available,
 *             desk-status-away, desk-busy (shown when the server says busy), desk-lang, desk-signout
 *   state:    desk-state, data-state = signed-out|away|available|busy|ringing|in-call|ended
 *             desk-banner (reconnecting notice), desk-toasts, desk-go-available
 *   offers:   desk-offer (one per offer, data-request-id), inside it desk-accept, desk-decline,
 *             desk-offer-countdown, desk-offer-customer
 *   call:     desk-remote-video, desk-local-video, desk-hangup, desk-mute, desk-camera, desk-call-timer,
 *             desk-conn, desk-customer (panel), desk-customer-name, desk-customer-context
 *             desk-remote-tiles (one video per further participant), desk-participants (who is in the call),
 *             transfer: desk-transfer-topic (select), desk-transfer (button), desk-transfer-status
 *   ended:    desk-ended, desk-end-reason, desk-back
 *   supervisor: desk-live (panel), desk-live-calls (list; items desk-live-call with data-call-id), inside
 *             an item desk-join (listen in, unannounced) and desk-barge (join with camera and microphone),
 *             desk-live-refresh
 *   history:  desk-recent (list; items desk-recent-item with data-call-id), desk-recent-refresh,
 *             inside an item desk-transcript-open (for answered calls)
 *   captions: desk-captions (panel in the call, staff and supervisors), desk-captions-status, lines
 *             desk-caption with data-speaker (customer|staff|supervisor), data-speaker-id and
 *             data-final (true|false; a partial line is replaced by its final)
 *   transcript: desk-transcript (dialog), desk-transcript-lines (items desk-transcript-line with
 *             data-speaker, data-seq), desk-transcript-note, desk-transcript-download, desk-transcript-close
 *   alerts:   desk-alerts (panel, supervisors), items desk-alert (data-alert-id, data-call-id) with
 *             desk-alert-rule, desk-alert-time, desk-alert-text, desk-alert-people, desk-alert-join
 *             (listen in: call.join mode monitor); desk-alerts-clear
 * Script API: window.LiveDeskDesk = { state(), peerConnection(), offers(), captions(), alerts() }; the last
 * RTCPeerConnection stays reachable after a call ends, until the next call starts. captions() returns the
 * rendered caption lines [{speaker, speakerId, text, final}] in display order; alerts() the alerts
 * received, newest first [{alertId, callId, rule, ruleId, text, speaker, at, staff, customer}].
 */
import { t, getLang, setLang, onLangChange, translate, has } from "/console/i18n.js";
import { Session } from "/console/client.js";
import { createCall } from "/console/rtc.js";

const TOKEN_KEY = "livedesk.desk.token";
const ADMIN_KEY = "livedesk.desk.adminKey";
const ENDED_SHOW_MS = 6000;
const $ = (id) => document.getElementById(id);

const ICON = {
  mic: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><rect x="9" y="2" width="6" height="12" rx="3"/><path d="M5 11a7 7 0 0 0 14 0M12 18v4"/></svg>',
  micOff: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M15 10V5a3 3 0 0 0-5.7-1.3M9 9v2a3 3 0 0 0 5 2.2M5 11a7 7 0 0 0 11.5 5.4M19 11a7 7 0 0 1-.5 2.6M12 18v4M2 2l20 20"/></svg>',
  cam: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><rect x="2" y="6" width="14" height="12" rx="2.5"/><path d="M16 10.5l5-3v9l-5-3z"/></svg>',
  camOff: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M16 16v1.5A2.5 2.5 0 0 1 13.5 20h-9A2.5 2.5 0 0 1 2 17.5v-9A2.5 2.5 0 0 1 4.5 6H6m4 0h3.5A2.5 2.5 0 0 1 16 8.5V11l5-3v9"/><path d="M2 2l20 20"/></svg>',
  phone: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><rect x="2" y="6" width="14" height="12" rx="2.5"/><path d="M16 10.5l5-3v9l-5-3z"/></svg>'
};

const app = {
  session: null,
  token: null,
  me: null,                    // the welcome message
  claims: {},                  // the token's payload (display only)
  presence: { status: "away", load: 0, capacity: 1 },
  topics: new Map(),           // id -> {en, zh}
  offers: new Map(),           // requestId -> {msg, receivedAt, el, busy}
  accepting: null,
  call: null,
  callInfo: null,              // {callId, peer, offer}
  lastPc: null,
  ended: null,                 // {reason, talkMs, until}
  conn: "online",
  micOn: true,
  camOn: true,
  presenceBusy: false,
  recent: { items: null, error: false },
  live: { items: null, error: false },   // supervisors: calls in progress
  transfer: null,              // {callId, topic} while a transfer of our call waits for a colleague
  participants: null,          // the last call.participants of our call
  captions: { callId: null, status: null },  // live captions of our call (the lines live in the DOM)
  alerts: [],                  // supervisors: alert events, newest first
  transcript: null,            // the transcript dialog: {callId, name, when, lines, error, opener}
  baseTitle: document.title
};

// ------------------------------------------------------------------------ helpers
function el(tag, props = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of kids.flat()) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}
function setIcon(btn, name) {
  if (btn.dataset.icon === name) return;
  btn.innerHTML = ICON[name]; // static, trusted markup
  btn.dataset.icon = name;
}
function fmtDur(ms) {
  const s = Math.max(0, Math.floor((ms || 0) / 1000));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const p = (n) => String(n).padStart(2, "0");
  return h ? `${h}:${p(m)}:${p(r)}` : `${m}:${p(r)}`;
}
function initials(name) {
  const s = String(name || "").trim();
  if (!s) return "?";
  const parts = s.split(/\s+/);
  if (parts.length > 1 && /^[\x00-\x7f]/.test(s)) return (parts[0][0] + parts.at(-1)[0]).toUpperCase();
  return Array.from(s)[0].toUpperCase();
}
function topicName(id) {
  const n = app.topics.get(id);
  if (n) return n[getLang()] || n.en || id;
  return has("skill." + id) ? t("skill." + id) : String(id ?? "");
}
function langName(code) {
  return has("lang." + code) ? t("lang." + code) : String(code ?? "");
}
function reasonText(reason) {
  return has("reason." + reason) ? t("reason." + reason) : t("reason.other");
}
// What the customer's page sent along: their own words, shown as text and never as LiveDesk's own fields.
function customerContext(context) {
  return Object.entries(context || {});
}
function errText(err) {
  const code = err?.code || "network";
  if (has("err." + code)) return t("err." + code);
  return t("err.generic", { code });
}
function decodeClaims(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const json = decodeURIComponent(escape(atob(part + "===".slice((part.length + 3) % 4))));
    const c = JSON.parse(json);
    return c && typeof c === "object" ? c : {};
  } catch { return {}; }
}
function toast(text, kind = "info") {
  const box = $("toasts");
  const item = el("div", { class: "toast " + kind, role: kind === "error" ? "alert" : "status", text });
  box.append(item);
  setTimeout(() => item.classList.add("out"), 4500);
  setTimeout(() => item.remove(), 5000);
}
function slug(name) {
  let s = name.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40);
  if (!s) {
    let h = 2166136261;
    for (const ch of name) { h ^= ch.codePointAt(0); h = Math.imul(h, 16777619) >>> 0; }
    s = "u" + h.toString(36);
  }
  return s;
}

// ------------------------------------------------------------------------ state
function deskState() {
  if (!app.me) return "signed-out";
  if (app.call) return "in-call";
  if (app.offers.size) return "ringing";
  if (app.ended) return "ended";
  const s = app.presence.status;
  return s === "available" || s === "busy" ? s : "away";
}

function render() {
  const st = deskState();
  const signedIn = !!app.me;
  const bar = $("state-bar");
  bar.dataset.state = st;
  $("state-text").textContent = t("state." + st);

  $("signin-view").hidden = signedIn;
  $("desk-view").hidden = !signedIn;
  $("me").hidden = !signedIn;
  $("status-switch").hidden = !signedIn;
  $("signout").hidden = !signedIn;
  $("lang-toggle").textContent = t("lang.toggle");
  $("lang-toggle").setAttribute("aria-label", t("lang.toggleLabel"));
  $("lang-toggle").title = t("lang.toggleLabel");

  if (signedIn) {
    $("me-name").textContent = app.me.name || app.me.subject || "";
    $("me-avatar").textContent = initials(app.me.name || app.me.subject);
  }
  const status = app.presence.status || "away";
  const sw = $("status-switch");
  sw.dataset.status = status;
  for (const b of sw.querySelectorAll("button")) {
    b.setAttribute("aria-pressed", String(b.dataset.status === status));
    b.disabled = app.presenceBusy || !app.session?.online;
  }
  $("busy-pill").hidden = !(signedIn && status === "busy");

  // banner
  const banner = $("banner");
  const bannerKey = app.conn === "reconnecting" ? "reconnecting" : app.conn === "restarting" ? "restarting" : null;
  banner.hidden = !(signedIn && bannerKey);
  banner.textContent = bannerKey ? t(bannerKey) : "";

  // main area
  const showIdle = signedIn && !app.call && !app.ended && app.offers.size === 0;
  $("idle-panel").hidden = !showIdle;
  if (showIdle) {
    const k = status === "available" ? "available" : status === "busy" ? "busy" : "away";
    $("idle-panel").dataset.kind = k;
    $("idle-title").textContent = t(`idle.${k}.title`);
    $("idle-body").textContent = t(`idle.${k}.body`);
    $("go-available").hidden = k !== "away";
  }
  $("call-panel").hidden = !app.call;
  $("captions").hidden = !app.call;
  $("ended-panel").hidden = !(app.ended && !app.call);
  renderCall();
  renderEnded();
  renderCustomer();
  renderProfile();
  renderRecent();
  renderLive();
  renderAlerts();
  renderCaptionsMeta();
  renderTranscript();
  for (const o of app.offers.values()) renderOffer(o);

  document.title = st === "ringing" ? t("title.ringing") : t("app.title");
}

// ------------------------------------------------------------------------ sign-in
function showSigninError(text) {
  $("signin-error").textContent = text || "";
}
function setSigninBusy(busy) {
  for (const id of ["token-form", "demo-form"]) {
    const btn = $(id).querySelector("button[type=submit]");
    btn.disabled = busy;
  }
}

function signIn(token) {
  stopSession();
  app.token = token;
  app.claims = decodeClaims(token);
  setSigninBusy(true);
  showSigninError("");
  const session = new Session({
    token,
    pingMs: 15000,
    onMessage,
    onWelcome,
    onStatus: (s) => {
      if (session !== app.session) return;
      if (!session.everWelcomed && s === "connecting" && session.retries > 0) {
        // never got in: report instead of retrying silently on the sign-in page
        session.stop();
        app.session = null;
        setSigninBusy(false);
        showSigninError(t("err.network"));
        return;
      }
      app.conn = s === "online" ? "online" : s;
      render();
    },
    onFatal: (err) => {
      if (session !== app.session) return;
      signOut(err.code === "session_replaced" ? t("err.session_replaced")
        : err.code === "invalid_token" ? t("err.invalid_token") : errText(err), false);
    }
  });
  app.session = session;
  session.start();
}

function onWelcome(w, resumed) {
  if (w.role !== "staff" && w.role !== "supervisor") {
    signOut(t("err.not_staff"), false);
    return;
  }
  try { sessionStorage.setItem(TOKEN_KEY, app.token); } catch { /* ignore */ }
  setSigninBusy(false);
  app.me = w;
  if (Array.isArray(w.topics)) {
    for (const tp of w.topics) if (tp && tp.id) app.topics.set(tp.id, tp.names || {});
  }
  if (w.presence) applyPresence(w.presence);
  if (resumed) {
    // offers are not restored by the server: drop the cards; live offers ring again or time out
    for (const id of [...app.offers.keys()]) removeOffer(id);
  }
  if (w.call) {
    startCall(w.call);
  } else if (app.call) {
    endCall("staff_disconnected");
  }
  render();
  loadRecent();
  loadLive();
}

function stopSession() {
  if (app.session) app.session.stop();
  app.session = null;
}

async function signOut(message, clean = true) {
  if (clean && app.session?.online) {
    if (app.call) await app.session.request("call.hangup", { callId: app.call.callId }).catch(() => {});
    await app.session.request("presence.set", { status: "away" }).catch(() => {});
  }
  stopSession();
  if (app.call) endCall("staff_hangup", true);
  for (const id of [...app.offers.keys()]) removeOffer(id);
  try { sessionStorage.removeItem(TOKEN_KEY); } catch { /* ignore */ }
  app.me = null;
  app.token = null;
  app.ended = null;
  app.recent = { items: null, error: false };
  app.alerts = [];
  resetCaptions(null);
  closeTranscript();
  app.presence = { status: "away", load: 0, capacity: 1 };
  setSigninBusy(false);
  showSigninError(message || "");
  render();
}

function onTokenSubmit(e) {
  e.preventDefault();
  let token = $("token-input").value.trim().replace(/^Bearer\s+/i, "");
  if (!token) { showSigninError(t("err.token_required")); $("token-input").focus(); return; }
  signIn(token);
}

async function onDemoSubmit(e) {
  e.preventDefault();
  const name = $("demo-name").value.trim();
  const skills = [...document.querySelectorAll("#demo-form input[name=skill]:checked")].map((i) => i.value);
  const languages = [...document.querySelectorAll("#demo-form input[name=language]:checked")].map((i) => i.value);
  const key = $("demo-key").value.trim();
  if (!name) { showSigninError(t("err.name_required")); $("demo-name").focus(); return; }
  if (!skills.length) { showSigninError(t("err.skills_required")); return; }
  if (!languages.length) { showSigninError(t("err.languages_required")); return; }
  if (!key) { showSigninError(t("err.key_required")); $("demo-key").focus(); return; }
  try { sessionStorage.setItem(ADMIN_KEY, key); } catch { /* ignore */ }
  setSigninBusy(true);
  showSigninError("");
  try {
    const res = await fetch("/api/dev/tokens", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Admin-Key": key },
      body: JSON.stringify({ role: "staff", subject: "staff-" + slug(name), name, skills, languages, capacity: 1 })
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok || !body.token) throw { code: body.code || "HTTP " + res.status };
    signIn(body.token);
  } catch (err) {
    setSigninBusy(false);
    showSigninError(err?.code ? t("err.mint", { code: err.code }) : t("err.network"));
  }
}

// ------------------------------------------------------------------------ presence
function applyPresence(p) {
  if (!p) return;
  if (typeof p.status === "string") app.presence.status = p.status;
  if (typeof p.load === "number") app.presence.load = p.load;
  if (typeof p.capacity === "number") app.presence.capacity = p.capacity;
}

async function setStatus(status) {
  if (!app.session?.online || app.presenceBusy) return;
  app.presenceBusy = true;
  render();
  try {
    const r = await app.session.request("presence.set", { status });
    applyPresence(r);
  } catch (err) {
    toast(errText(err), "error");
  } finally {
    app.presenceBusy = false;
    render();
  }
}

// ------------------------------------------------------------------------ messages
function onMessage(msg) {
  switch (msg.type) {
    case "presence":
      applyPresence(msg);
      render();
      break;
    case "offer":
      addOffer(msg);
      break;
    case "offer.revoked":
      if (app.offers.has(msg.requestId)) {
        removeOffer(msg.requestId);
        toast(t(msg.reason === "cancelled" ? "offer.revoked.cancelled" : "offer.revoked.timeout"));
        render();
      }
      break;
    case "call.started":
      startCall(msg);
      break;
    case "call.signal":
      if (app.call && msg.callId === app.call.callId) app.call.handleSignal(msg);
      break;
    case "call.renegotiate":
      // Bridge mode: the others' tracks changed; offer our leg again to receive them.
      if (app.call && msg.callId === app.call.callId) app.call.renegotiate(msg.receive, msg.iceRestart);
      break;
    case "call.transfer.failed":
      if (app.call && msg.callId === app.call.callId) {
        app.transfer = null;
        toast(t(msg.reason === "declined" ? "transfer.declined" : "transfer.timeout"), "error");
        loadColleagues();
        render();
      }
      break;
    case "call.participants":
      if (app.call && msg.callId === app.call.callId) { app.participants = msg.participants || []; render(); }
      break;
    case "call.restart":
      // The customer's page came back on a new connection: offer the media to it afresh.
      if (app.call && msg.callId === app.call.callId && app.callStart) {
        const start = app.callStart;
        endCall("restart", true);
        startCall(start);
      }
      break;
    case "call.ended":
      if (app.call && msg.callId === app.call.callId) endCall(msg.reason);
      break;
    case "call.caption":
      onCaption(msg);
      break;
    case "call.caption.status":
      onCaptionStatus(msg);
      break;
    case "alert":
      onAlert(msg);
      break;
    case "error":
      if (msg.code !== "rate_limited") console.warn("[LiveDesk]", msg.code, msg.message);
      toast(errText(msg), "error");
      break;
    default:
      break;
  }
}

// ------------------------------------------------------------------------ offers
function addOffer(msg) {
  if (!msg.requestId) return;
  removeOffer(msg.requestId);
  const o = { msg, receivedAt: Date.now(), busy: false };
  const id = msg.requestId;
  const accept = el("button", { type: "button", class: "btn accept", "data-testid": "desk-accept", onclick: () => acceptOffer(id) });
  const decline = el("button", { type: "button", class: "btn decline", "data-testid": "desk-decline", onclick: () => declineOffer(id) });
  const name = msg.customer?.name || "—";
  const ctx = el("dl", { class: "facts ctx" });
  const card = el("article", { class: "offer", "data-testid": "desk-offer", "data-request-id": id, "aria-label": t("offer.title") },
    el("div", { class: "offer-top" },
      el("span", { class: "offer-icon", "aria-hidden": "true" }),
      el("span", { class: "offer-title" }),
      el("span", { class: "offer-countdown", "data-testid": "desk-offer-countdown" })),
    el("div", { class: "offer-body" },
      el("div", { class: "offer-who" },
        el("span", { class: "avatar lg", "aria-hidden": "true", text: initials(name) }),
        el("div", {},
          el("strong", { class: "offer-name", "data-testid": "desk-offer-customer", text: name }),
          msg.transfer ? el("p", { class: "offer-transfer", "data-testid": "desk-offer-transfer" }) : null,
          el("div", { class: "chips" }),
          el("p", { class: "offer-waited", "data-testid": "desk-offer-waited" }))),
      ctx),
    el("div", { class: "offer-bar" }, el("span")),
    el("div", { class: "offer-actions" }, decline, accept));
  card.querySelector(".offer-icon").innerHTML = ICON.phone;
  o.el = card;
  app.offers.set(id, o);
  $("offers").prepend(card);
  render();
  const active = document.activeElement;
  if (!active || active === document.body || !/^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName)) accept.focus();
}

function renderOffer(o) {
  const { msg, el: card } = o;
  const now = Date.now();
  const left = Math.max(0, (msg.expiresInMs || 0) - (now - o.receivedAt));
  const total = Math.max(1, msg.expiresInMs || 1);
  card.querySelector(".offer-title").textContent = t("offer.title");
  card.querySelector(".offer-countdown").textContent = left > 0 ? t("offer.expires", { s: Math.ceil(left / 1000) }) : t("offer.expiring");
  card.querySelector(".offer-bar span").style.width = (100 * left / total).toFixed(1) + "%";
  card.classList.toggle("urgent", left < 6000);
  const chips = card.querySelector(".chips");
  chips.replaceChildren(...[
    el("span", { class: "chip topic", text: topicName(msg.topic) }),
    el("span", { class: "chip", text: langName(msg.language) }),
    msg.priority > 0 ? el("span", { class: "chip prio", text: `${t("offer.priority")} ${msg.priority}` }) : null
  ].filter(Boolean));
  card.querySelector(".offer-waited").textContent = `${t("offer.waited")} ${fmtDur((msg.waitedMs || 0) + (now - o.receivedAt))}`;
  const transfer = card.querySelector(".offer-transfer");
  if (transfer) transfer.textContent = t("offer.transferFrom", { name: msg.transfer.from });
  const ctx = card.querySelector(".ctx");
  const entries = customerContext(msg.context);
  ctx.replaceChildren(...entries.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: String(v) })]));
  ctx.hidden = entries.length === 0;
  const [decline, accept] = card.querySelectorAll(".offer-actions button");
  accept.textContent = t("accept");
  decline.textContent = t("decline");
  accept.disabled = decline.disabled = o.busy || !app.session?.online;
  // a card that rang out and was never revoked goes away on its own
  if (left === 0 && now - o.receivedAt > total + 5000) {
    removeOffer(msg.requestId);
    queueMicrotask(render);
  }
}

function removeOffer(id) {
  const o = app.offers.get(id);
  if (!o) return;
  app.offers.delete(id);
  o.el.remove();
}

async function acceptOffer(id) {
  const o = app.offers.get(id);
  if (!o || o.busy) return;
  o.busy = true;
  app.accepting = id;
  renderOffer(o);
  try {
    await app.session.request("offer.accept", { requestId: id }); // reply is call.started (handled in onMessage)
  } catch (err) {
    toast(errText(err), "error");
    if (err.code === "offer_expired" || err.code === "not_found" || err.code === "invalid_state") removeOffer(id);
    else if (app.offers.has(id)) o.busy = false;
    render();
  } finally {
    if (app.accepting === id) app.accepting = null;
  }
}

async function declineOffer(id) {
  const o = app.offers.get(id);
  if (!o || o.busy) return;
  o.busy = true;
  renderOffer(o);
  try {
    await app.session.request("offer.decline", { requestId: id });
    toast(t("offer.declined"));
  } catch (err) {
    if (err.code !== "offer_expired" && err.code !== "not_found") toast(errText(err), "error");
  }
  removeOffer(id);
  render();
}

// ------------------------------------------------------------------------ calls
function startCall(msg) {
  if (app.call && app.call.callId === msg.callId && !app.call.closed) return;
  if (app.call) endCall("staff_hangup", true);
  const offer = app.offers.get(msg.callId)?.msg || app.offers.get(app.accepting)?.msg
    || (app.callInfo?.callId === msg.callId ? app.callInfo.offer : null);
  removeOffer(msg.callId);
  if (app.accepting) removeOffer(app.accepting);
  app.callInfo = { callId: msg.callId, peer: msg.peer || {}, offer, supervising: msg.supervising || null };
  app.callStart = msg;
  app.transfer = null;
  app.participants = null;
  if (app.captions.callId !== msg.callId) resetCaptions(msg.callId); // a restarted call keeps its captions
  $("remote-tiles").replaceChildren();
  app.ended = null;
  app.micOn = true;
  app.camOn = true;
  app.connState = "new";
  app.mediaError = false;
  const remote = $("remote-video"), local = $("local-video");
  remote.srcObject = null;
  local.srcObject = null;
  local.muted = true;
  $("hangup").disabled = false;
  let call;
  call = createCall(msg, {
    signal: (p) => {
      app.session?.request("call.signal", { callId: call.callId, ...p }).catch((err) => {
        if (err.code !== "network") console.warn("[LiveDesk] signal", err.code, err.message);
      });
    },
    local: (stream) => { local.srcObject = stream; local.play().catch(() => {}); render(); },
    remote: (stream, track, from) => showRemote(stream, from),
    mediaError: (e) => { console.warn("[LiveDesk] media", e?.name); app.mediaError = true; render(); },
    state: (s) => { app.connState = s; render(); },
    error: (e) => console.warn("[LiveDesk] webrtc", e)
  });
  app.call = call;
  app.lastPc = call.pc;
  $("remote-placeholder").hidden = false;
  render();
  $("hangup").focus();
}

// The first participant's media fills the stage; each further one (a supervisor's view of both parties,
// or a supervisor who joined) gets a tile of its own, keyed by the sender's stream.
function showRemote(all, from) {
  const remote = $("remote-video");
  const main = app.mainStreamId ??= from?.id ?? "all";
  if (!from || from.id === main) {
    if (remote.srcObject !== all && !from) remote.srcObject = all;
    if (from && remote.srcObject !== from) remote.srcObject = from;
    $("remote-placeholder").hidden = (remote.srcObject?.getVideoTracks().length || 0) > 0;
    remote.play().catch(() => { remote.muted = true; remote.play().catch(() => {}); });
    return;
  }
  const tiles = $("remote-tiles");
  let tile = [...tiles.children].find((v) => v.dataset.stream === from.id);
  if (!tile) {
    tile = el("video", { class: "tile", autoplay: "", playsinline: "", "data-stream": from.id });
    tiles.append(tile);
  }
  if (tile.srcObject !== from) tile.srcObject = from;
  tile.play().catch(() => { tile.muted = true; tile.play().catch(() => {}); });
}

async function transferCall(e) {
  e.preventDefault();
  const call = app.call;
  const [kind, id] = ($("transfer-topic").value || "").split(/:(.*)/s);
  if (!call || !id || app.transfer) return;
  $("transfer-go").disabled = true;
  const to = kind === "staff" ? { staffId: id }
    : { topic: id, language: app.callInfo?.offer?.language || app.me?.languages?.[0] || "en" };
  try {
    await app.session.request("call.transfer", { callId: call.callId, ...to });
    if (app.call === call) {
      app.transfer = kind === "staff"
        ? { callId: call.callId, staffName: (app.colleagues || []).find((c) => c.id === id)?.name || id }
        : { callId: call.callId, topic: id };
    }
  } catch (err) {
    toast(errText(err), "error");
  } finally {
    $("transfer-go").disabled = false;
    render();
  }
}

async function hangup() {
  const call = app.call;
  if (!call) return;
  $("hangup").disabled = true;
  const fallback = setTimeout(() => { if (app.call === call) endCall("staff_hangup"); }, 4000);
  try {
    await app.session.request("call.hangup", { callId: call.callId }); // reply call.ended → onMessage
  } catch (err) {
    if (app.call === call) endCall("staff_hangup");
  } finally {
    clearTimeout(fallback);
  }
}

function endCall(reason, silent = false) {
  const call = app.call;
  if (!call) return;
  call.close();
  app.lastPc = call.pc;
  app.call = null;
  app.mainStreamId = undefined;
  app.transfer = null;
  $("remote-tiles").replaceChildren();
  $("remote-video").srcObject = null;
  $("local-video").srcObject = null;
  if (!silent) {
    app.ended = { reason: reason || "other", talkMs: Date.now() - call.startedAt, until: Date.now() + ENDED_SHOW_MS };
    setTimeout(loadRecent, 700);
  }
  render();
  if (!silent) $("back-to-desk").focus();
}

function renderCall() {
  if (!app.call) return;
  const info = app.callInfo || {};
  const name = info.peer?.name || info.offer?.customer?.name || t("call.customer");
  $("call-peer").textContent = name;
  $("remote-avatar").textContent = initials(name);
  $("remote-placeholder-text").textContent = app.call.localStream || app.mediaError ? t("call.waitingVideo") : t("call.startingCamera");
  $("call-timer").textContent = fmtDur(Date.now() - app.call.startedAt);
  const cs = app.connState || "new";
  $("call-conn").textContent = has("conn." + cs) ? t("conn." + cs) : cs;
  $("call-conn").dataset.conn = cs;
  $("media-error").hidden = !app.mediaError;
  const sup = app.callInfo?.supervising;
  const note = $("call-note");
  const people = (app.participants || []).filter((p) => p.role !== "customer" || sup);
  note.textContent = sup === "monitor" ? t("call.monitoring")
    : people.length > 2 || sup ? t("call.participants", { list: people.map((p) => p.name || t("role." + p.role)).join(" · ") }) : "";
  note.hidden = !note.textContent;
  renderTransfer(!sup);
  const mute = $("mute"), cam = $("camera");
  setIcon(mute, app.micOn ? "mic" : "micOff");
  mute.setAttribute("aria-pressed", String(!app.micOn));
  mute.setAttribute("aria-label", t(app.micOn ? "mute" : "unmute"));
  mute.title = t(app.micOn ? "mute" : "unmute");
  setIcon(cam, app.camOn ? "cam" : "camOff");
  cam.setAttribute("aria-pressed", String(!app.camOn));
  cam.setAttribute("aria-label", t(app.camOn ? "camOff" : "camOn"));
  cam.title = t(app.camOn ? "camOff" : "camOn");
}

// Where a call can go: another topic's queue ("topic:<id>") or a colleague who can take it now ("staff:<id>").
function renderTransfer(allowed) {
  const form = $("transfer-form");
  form.hidden = !allowed || !app.call?.bridge;
  if (form.hidden) return;
  const select = $("transfer-topic");
  const current = app.callInfo?.offer?.topic;
  const topics = [...app.topics.keys()].filter((id) => id !== current);
  const colleagues = (app.colleagues || []).filter((c) => c.id !== app.me?.subject);
  const key = topics.join(",") + "|" + colleagues.map((c) => c.id).join(",") + "|" + getLang();
  if (select.dataset.key !== key) {
    const chosen = select.value;
    select.replaceChildren(
      el("optgroup", { label: t("transfer.queues") }, ...topics.map((id) => el("option", { value: "topic:" + id, text: topicName(id) }))),
      ...(colleagues.length ? [el("optgroup", { label: t("transfer.colleagues") },
        ...colleagues.map((c) => el("option", { value: "staff:" + c.id, text: c.name || c.id })))] : []));
    select.dataset.key = key;
    if ([...select.options].some((o) => o.value === chosen)) select.value = chosen;
  }
  $("transfer-go").disabled = !!app.transfer || select.options.length === 0;
  $("transfer-status").textContent = !app.transfer ? ""
    : app.transfer.staffName ? t("transfer.waitingFor", { name: app.transfer.staffName })
    : t("transfer.waiting", { topic: topicName(app.transfer.topic) });
}

// Colleagues who can take a call now, for a transfer to a named person.
async function loadColleagues() {
  if (!app.token) return;
  try {
    const res = await fetch("/api/staff", { headers: { Authorization: "Bearer " + app.token } });
    if (!res.ok) return;
    const j = await res.json();
    app.colleagues = (Array.isArray(j?.staff) ? j.staff : [])
      .filter((c) => c.connected && c.status === "available" && c.load < c.capacity);
    renderCall();
  } catch { /* the queues still work */ }
}

// ------------------------------------------------------------------------ supervisors: live calls
async function loadLive() {
  if (!app.token || app.me?.role !== "supervisor") return;
  const token = app.token;
  try {
    const res = await fetch("/api/calls?limit=50", { headers: { Authorization: "Bearer " + token } });
    if (!res.ok) throw new Error("HTTP " + res.status);
    const j = await res.json();
    if (token !== app.token) return;
    const items = (Array.isArray(j?.calls) ? j.calls : []).filter((c) => c.state === "connecting" || c.state === "active");
    app.live = { items, error: false };
  } catch (e) {
    if (token !== app.token) return;
    app.live = { items: app.live.items, error: true };
  }
  renderLive();
}

async function joinCall(callId, mode) {
  if (app.call) return;
  try {
    await app.session.request("call.join", { callId, mode }); // reply is call.started (handled in onMessage)
  } catch (err) {
    toast(errText(err), "error");
    loadLive();
  }
}

function renderLive() {
  const supervisor = app.me?.role === "supervisor";
  $("live-card").hidden = !supervisor;
  if (!supervisor) return;
  const { items, error } = app.live;
  $("live-note").textContent = error ? t("recent.error") : items && items.length === 0 ? t("live.empty") : "";
  const busy = !!app.call || !app.session?.online;
  $("live-list").replaceChildren(...(items || []).map((c) => {
    const name = c.customer?.name || "—";
    const join = el("button", { type: "button", class: "btn small", "data-testid": "desk-join", text: t("live.monitor"),
      onclick: () => joinCall(c.callId, "monitor") });
    const barge = el("button", { type: "button", class: "btn small", "data-testid": "desk-barge", text: t("live.barge"),
      onclick: () => joinCall(c.callId, "barge") });
    join.disabled = barge.disabled = busy;
    return el("li", { class: "recent-item", "data-testid": "desk-live-call", "data-call-id": c.callId || "" },
      el("span", { class: "avatar sm", "aria-hidden": "true", text: initials(name) }),
      el("div", { class: "ri-main" },
        el("div", { class: "ri-line" }, el("strong", { text: name }), el("span", { class: "ri-time", text: topicName(c.topic) })),
        el("div", { class: "ri-meta" }, el("span", { text: t("live.with", { name: c.staff?.name || "—" }) }))),
      el("div", { class: "live-actions" }, join, barge));
  }));
}

function renderEnded() {
  if (!app.ended || app.call) return;
  $("ended-reason").textContent = reasonText(app.ended.reason);
  $("ended-talk").textContent = t("ended.talk", { d: fmtDur(app.ended.talkMs) });
  $("ended-countdown").textContent = t("ended.returning", { s: Math.max(0, Math.ceil((app.ended.until - Date.now()) / 1000)) });
}

function renderCustomer() {
  const show = !!(app.call || app.ended) && !!app.callInfo;
  $("customer-card").hidden = !show;
  if (!show) return;
  const info = app.callInfo;
  const offer = info.offer || {};
  const name = info.peer?.name || offer.customer?.name || t("call.customer");
  $("cust-avatar").textContent = initials(name);
  $("cust-name").textContent = name;
  $("cust-sub").textContent = offer.topic ? topicName(offer.topic) : "";
  const facts = [];
  if (offer.topic) facts.push([t("offer.topic"), topicName(offer.topic)]);
  if (offer.language) facts.push([t("offer.language"), langName(offer.language)]);
  if (offer.priority !== undefined) facts.push([t("offer.priority"), String(offer.priority)]);
  if (offer.waitedMs !== undefined) facts.push([t("offer.waited"), fmtDur(offer.waitedMs)]);
  $("cust-facts").replaceChildren(...facts.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]));
  const ctx = customerContext(offer.context);
  $("cust-context").replaceChildren(...(ctx.length
    ? ctx.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: String(v) })])
    : [el("dd", { class: "muted", text: t("call.noContext") })]));
}

function renderProfile() {
  if (!app.me) return;
  const c = app.claims || {};
  const rows = [];
  const skills = Array.isArray(c.skills) ? c.skills : null;
  const langs = Array.isArray(c.languages) ? c.languages : null;
  if (skills) rows.push([t("profile.skills"), skills.map(topicName).join(" · ")]);
  if (langs) rows.push([t("profile.languages"), langs.map(langName).join(" · ")]);
  rows.push([t("profile.capacity"), t("profile.load", { load: app.presence.load ?? 0, capacity: app.presence.capacity ?? 1 })]);
  if (app.me.node) rows.push([t("profile.node"), app.me.node]);
  $("profile-facts").replaceChildren(...rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: String(v) })]));
}

// ------------------------------------------------------------------------ recent calls
async function loadRecent() {
  if (!app.token) return;
  const token = app.token;
  try {
    const res = await fetch("/api/calls?limit=20", { headers: { Authorization: "Bearer " + token } });
    if (!res.ok) throw new Error("HTTP " + res.status);
    const j = await res.json();
    if (token !== app.token) return;
    const items = Array.isArray(j) ? j : Array.isArray(j?.calls) ? j.calls : Array.isArray(j?.items) ? j.items : [];
    app.recent = { items, error: false };
  } catch (e) {
    if (token !== app.token) return;
    app.recent = { items: app.recent.items, error: true };
  }
  renderRecent();
}

function renderRecent() {
  const list = $("recent-list");
  const note = $("recent-note");
  const { items, error } = app.recent;
  note.textContent = error ? t("recent.error") : items && items.length === 0 ? t("recent.empty") : "";
  if (!items) { list.replaceChildren(); return; }
  const locale = getLang() === "zh" ? "zh-CN" : "en-GB";
  const today = new Date().toDateString();
  list.replaceChildren(...items.map((r) => {
    const when = new Date(r.answeredAt || r.enqueuedAt || r.endedAt || Date.now());
    const time = isNaN(when) ? "" : when.toDateString() === today
      ? when.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" })
      : when.toLocaleDateString(locale, { month: "short", day: "numeric" }) + " " + when.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
    const reason = r.endReason ? (has("short." + r.endReason) ? t("short." + r.endReason) : String(r.endReason))
      : r.state && r.state !== "ended" ? t("short.active") : "—";
    const name = r.customer?.name || r.customer?.id || "—";
    return el("li", { class: "recent-item", "data-testid": "desk-recent-item", "data-call-id": r.callId || "" },
      el("span", { class: "avatar sm", "aria-hidden": "true", text: initials(name) }),
      el("div", { class: "ri-main" },
        el("div", { class: "ri-line" }, el("strong", { text: name }), el("span", { class: "ri-time", text: time })),
        el("div", { class: "ri-meta" },
          el("span", { text: topicName(r.topic) }),
          el("span", { text: t("recent.wait", { d: fmtDur(r.waitMs) }) }),
          el("span", { text: t("recent.talk", { d: fmtDur(r.talkMs) }) })),
        el("div", { class: "ri-foot" },
          el("span", { class: "pill " + (r.endReason || r.state || ""), "data-testid": "desk-recent-reason", text: reason }),
          r.transcript ? el("button", { type: "button", class: "link-btn", "data-testid": "desk-transcript-open",
            text: t("transcript.open"), onclick: (e) => openTranscript(r, e.currentTarget) }) : null)));
  }));
}

// ------------------------------------------------------------------------ live captions
// call.caption events for our call (staff, or a supervisor in it). Finished lines are appended and
// announced (aria-live); each speaker's partial line sits below them, aria-hidden while it changes, and is
// replaced by its final. The DOM is changed in place, never rebuilt, so screen readers hear each line once.
const CAPTION_LINES_KEPT = 100;

function speakerLabel(speaker, speakerId) {
  if (speakerId && speakerId === app.me?.subject) return t("captions.you");
  return has("captions." + speaker) ? t("captions." + speaker) : String(speaker || "");
}

function resetCaptions(callId) {
  app.captions = { callId, status: null };
  $("caption-list").replaceChildren();
  renderCaptionsMeta();
}

function captionKey(msg) {
  return (msg.speaker || "") + "|" + (msg.speakerId || "");
}

function captionItem(msg, final) {
  return el("li", {
    class: "caption" + (final ? "" : " partial"), "data-testid": "desk-caption", "data-speaker": msg.speaker || "",
    "data-speaker-id": msg.speakerId || "", "data-final": String(final), "data-key": captionKey(msg),
    "aria-hidden": final ? null : "true"
  }, el("span", { class: "cap-who", text: speakerLabel(msg.speaker, msg.speakerId) }),
  el("span", { class: "cap-text", text: String(msg.text || "") }));
}

function onCaption(msg) {
  if (!app.call || msg.callId !== app.call.callId || typeof msg.text !== "string") return;
  if (app.captions.callId !== msg.callId) resetCaptions(msg.callId);
  const list = $("caption-list");
  const box = $("caption-scroll");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  const key = captionKey(msg);
  const partial = [...list.querySelectorAll("li.partial")].find((li) => li.dataset.key === key);
  if (msg.final === true) {
    partial?.remove();
    list.insertBefore(captionItem(msg, true), list.querySelector("li.partial"));
    const finals = list.querySelectorAll("li:not(.partial)");
    for (let i = 0; i < finals.length - CAPTION_LINES_KEPT; i++) finals[i].remove();
  } else if (partial) {
    partial.querySelector(".cap-text").textContent = msg.text;
  } else {
    list.append(captionItem(msg, false));
  }
  renderCaptionsMeta();
  if (atBottom) box.scrollTop = box.scrollHeight;
}

function onCaptionStatus(msg) {
  if (!app.call || msg.callId !== app.call.callId) return;
  if (app.captions.callId !== msg.callId) resetCaptions(msg.callId);
  app.captions.status = msg.status === "active" ? null : { status: msg.status, speaker: msg.speaker || null };
  renderCaptionsMeta();
}

// Labels (they follow the language) and the status line; the lines themselves are kept as they are.
function renderCaptionsMeta() {
  const list = $("caption-list");
  for (const li of list.children) {
    li.querySelector(".cap-who").textContent = speakerLabel(li.dataset.speaker, li.dataset.speakerId);
  }
  $("captions-empty").hidden = list.children.length > 0;
  const st = app.captions.status;
  const status = $("captions-status");
  if (!st) {
    status.textContent = "";
  } else {
    const text = has("captions.status." + st.status) ? t("captions.status." + st.status) : String(st.status);
    status.textContent = st.speaker ? t("captions.status.for", { who: speakerLabel(st.speaker), status: text }) : text;
  }
  status.dataset.status = st?.status || "";
}

// ------------------------------------------------------------------------ supervisors: alerts
const ALERTS_KEPT = 50;

function onAlert(msg) {
  if (app.me?.role !== "supervisor" || !msg.callId) return;
  if (app.alerts.some((a) => a.alertId === msg.alertId)) return;
  app.alerts.unshift({
    alertId: msg.alertId, callId: msg.callId, rule: msg.rule, ruleId: msg.ruleId, text: msg.text,
    speaker: msg.speaker, at: msg.at, staff: msg.staff?.name || null, customer: msg.customer?.name || null
  });
  app.alerts.length = Math.min(app.alerts.length, ALERTS_KEPT);
  toast(t("alerts.toast", { rule: msg.rule || "", customer: msg.customer?.name || "—" }), "alert");
  renderAlerts();
}

function renderAlerts() {
  const supervisor = app.me?.role === "supervisor";
  $("alerts-card").hidden = !supervisor;
  if (!supervisor) return;
  $("alerts-empty").hidden = app.alerts.length > 0;
  $("alerts-clear").hidden = app.alerts.length === 0;
  const locale = getLang() === "zh" ? "zh-CN" : "en-GB";
  const busy = !!app.call || !app.session?.online;
  $("alert-list").replaceChildren(...app.alerts.map((a) => {
    const when = new Date(a.at);
    const join = el("button", { type: "button", class: "btn small", "data-testid": "desk-alert-join", text: t("alerts.join"),
      onclick: () => joinCall(a.callId, "monitor") });
    join.disabled = busy;
    return el("li", { class: "alert-item", "data-testid": "desk-alert", "data-alert-id": a.alertId || "", "data-call-id": a.callId },
      el("div", { class: "ri-line" },
        el("span", { class: "chip alert-rule", "data-testid": "desk-alert-rule", text: t("alerts.rule", { rule: a.rule || "" }) }),
        el("span", { class: "ri-time", "data-testid": "desk-alert-time",
          text: isNaN(when) ? "" : when.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit", second: "2-digit" }) })),
      el("p", { class: "alert-text", "data-testid": "desk-alert-text" },
        el("span", { class: "cap-who", text: speakerLabel(a.speaker) }), el("span", { text: a.text || "" })),
      el("div", { class: "ri-meta" },
        el("span", { "data-testid": "desk-alert-people", text: t("alerts.people", { customer: a.customer || "—", staff: a.staff || "—" }) })),
      el("div", { class: "live-actions" }, join));
  }));
}

// ------------------------------------------------------------------------ transcripts of past calls
// Fetched with the bearer token in a header, never in a URL; the download is a blob of the text format.
function transcriptPath(callId) {
  return "/api/calls/" + encodeURIComponent(callId) + "/transcript";
}

async function openTranscript(r, opener) {
  const token = app.token;
  if (!token || !r.callId) return;
  app.transcript = { callId: r.callId, name: r.customer?.name || r.customer?.id || "", when: r.answeredAt || r.enqueuedAt,
    lines: null, error: false, opener };
  renderTranscript();
  const dialog = $("transcript-dialog");
  if (!dialog.open) dialog.showModal();
  try {
    const res = await fetch(transcriptPath(r.callId), { headers: { Authorization: "Bearer " + token } });
    if (!res.ok) throw new Error("HTTP " + res.status);
    const j = await res.json();
    if (app.transcript?.callId !== r.callId) return;
    app.transcript.lines = Array.isArray(j?.lines) ? j.lines : [];
  } catch (e) {
    if (app.transcript?.callId !== r.callId) return;
    app.transcript.error = true;
  }
  renderTranscript();
}

function renderTranscript() {
  const tr = app.transcript;
  if (!tr) return;
  const locale = getLang() === "zh" ? "zh-CN" : "en-GB";
  const when = tr.when ? new Date(tr.when) : null;
  $("transcript-sub").textContent = t("transcript.sub", { name: tr.name || "—",
    time: when && !isNaN(when) ? when.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" }) : "" });
  $("transcript-note").textContent = tr.error ? t("transcript.error") : !tr.lines ? t("transcript.loading")
    : tr.lines.length === 0 ? t("transcript.empty") : "";
  $("transcript-download").disabled = !tr.lines || tr.lines.length === 0;
  $("transcript-lines").replaceChildren(...(tr.lines || []).map((l) => {
    const stamp = typeof l.offsetMs === "number" ? fmtDur(l.offsetMs)
      : l.startedAt ? new Date(l.startedAt).toLocaleTimeString(locale) : "";
    return el("li", { class: "transcript-line", "data-testid": "desk-transcript-line", "data-speaker": l.speaker || "", "data-seq": l.seq },
      el("span", { class: "tl-time", text: stamp }),
      el("span", { class: "cap-who", text: speakerLabel(l.speaker, l.speakerId) }),
      el("span", { class: "tl-text", text: l.text || "" }));
  }));
}

async function downloadTranscript() {
  const tr = app.transcript;
  const token = app.token;
  if (!tr || !token) return;
  $("transcript-download").disabled = true;
  try {
    const res = await fetch(transcriptPath(tr.callId) + "?format=text", { headers: { Authorization: "Bearer " + token } });
    if (!res.ok) throw new Error("HTTP " + res.status);
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: "transcript-" + tr.callId.replace(/[^A-Za-z0-9._-]/g, "_") + ".txt", hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (e) {
    toast(t("transcript.downloadError"), "error");
  } finally {
    renderTranscript();
  }
}

function closeTranscript() {
  const dialog = $("transcript-dialog");
  if (dialog.open) dialog.close();
}

// ------------------------------------------------------------------------ wiring
function tick() {
  for (const o of [...app.offers.values()]) renderOffer(o);
  if (app.call) renderCall();
  if (app.ended && !app.call) {
    if (Date.now() >= app.ended.until) { app.ended = null; render(); }
    else renderEnded();
  }
}

function init() {
  // Admin key from the console link (#key=...): keep it for this tab, then take it out of the address bar.
  const frag = new URLSearchParams(location.hash.replace(/^#/, ""));
  const key = frag.get("key");
  if (key) {
    try { sessionStorage.setItem(ADMIN_KEY, key); } catch { /* ignore */ }
    history.replaceState(null, "", location.pathname + location.search);
  }
  let savedKey = key;
  try { savedKey = savedKey || sessionStorage.getItem(ADMIN_KEY); } catch { /* ignore */ }
  if (savedKey) $("demo-key").value = savedKey;

  $("token-form").addEventListener("submit", onTokenSubmit);
  $("demo-form").addEventListener("submit", onDemoSubmit);
  $("lang-toggle").addEventListener("click", () => setLang(getLang() === "zh" ? "en" : "zh"));
  $("signout").addEventListener("click", () => signOut(""));
  for (const b of document.querySelectorAll("#status-switch button")) {
    b.addEventListener("click", () => setStatus(b.dataset.status));
  }
  $("go-available").addEventListener("click", () => setStatus("available"));
  $("hangup").addEventListener("click", hangup);
  $("mute").addEventListener("click", () => { app.micOn = !app.micOn; app.call?.setMic(app.micOn); renderCall(); });
  $("camera").addEventListener("click", () => { app.camOn = !app.camOn; app.call?.setCamera(app.camOn); renderCall(); });
  $("back-to-desk").addEventListener("click", () => { app.ended = null; render(); });
  $("recent-refresh").addEventListener("click", loadRecent);
  $("live-refresh").addEventListener("click", loadLive);
  $("transfer-form").addEventListener("submit", transferCall);
  $("transfer-topic").addEventListener("focus", loadColleagues);
  $("alerts-clear").addEventListener("click", () => { app.alerts = []; renderAlerts(); });
  $("transcript-download").addEventListener("click", downloadTranscript);
  $("transcript-x").addEventListener("click", closeTranscript);
  $("transcript-dialog").addEventListener("close", () => {
    const opener = app.transcript?.opener;
    app.transcript = null;
    if (opener?.isConnected) opener.focus();
  });
  setInterval(() => { if (!app.call) loadLive(); }, 5000);
  onLangChange(() => render());

  translate(document);
  render();
  setInterval(tick, 250);

  let saved = null;
  try { saved = sessionStorage.getItem(TOKEN_KEY); } catch { /* ignore */ }
  if (saved) {
    $("token-input").value = "";
    signIn(saved);
  }
}

window.LiveDeskDesk = {
  state: () => deskState(),
  peerConnection: () => (app.call ? app.call.pc : app.lastPc) || null,
  offers: () => [...app.offers.keys()],
  captions: () => [...$("caption-list").children].map((li) => ({
    speaker: li.dataset.speaker, speakerId: li.dataset.speakerId || null,
    text: li.querySelector(".cap-text").textContent, final: li.dataset.final === "true"
  })),
  alerts: () => app.alerts.map((a) => ({ ...a }))
};

init();
