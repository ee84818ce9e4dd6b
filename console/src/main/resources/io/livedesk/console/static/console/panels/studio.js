// The livestream studio: for a token with the `livestream` permission, the host's own broadcasts, a new one
// (POST /api/broadcasts), a camera or screen preview, going live (REST, then broadcast.join and the camera on
// stage) and ending (REST); on stage: the count, the viewers page by page, the chat with moderation, the
// pinned product card, co-hosts. A colleague put on stage (broadcast.onstage) is asked to join with their
// camera and then runs the same studio as a co-host (no going live, ending or co-hosts: those are the host's).
// The stage's media is client/broadcast.js (one RTCPeerConnection to the bridge); the rules that need no DOM
// are in studio-state.js.
import { t, translate, getLang } from "../i18n.js";
import { el } from "../../client/dom.js";
import { broadcastMedia, stageNames } from "../../client/broadcast.js";
import { desk, api, online } from "../store.js";
import { errText, topicName, langName, locale } from "../names.js";
import { $, toast, errorToast } from "../ui.js";
import * as S from "./studio-state.js";

const END_CONFIRM_MS = 4000;
const VIEWERS_REFRESH_MS = 5000;  // the viewers' page follows the count, at most this often

let stage = null;          // S.stageOf(...): the broadcast this studio runs (host) or is on stage in (co-host)
let own = { items: null, error: false, subject: null };  // the host's own broadcasts (records)
let media = null;          // our stage leg (client/broadcast.js) while on stage
let lastMedia = null;
let source = null;         // {kind: camera|screen, stream}: what the page captured to preview and send
let invitation = null;     // {broadcastId, title} while a colleague's invitation to the stage waits
let creating = false;      // the new-broadcast form is open
let endArmed = 0;          // until when a second press of "end" ends the broadcast
let built = false;
let busy = false;          // going live: one press at a time
let recordTimer = null;
let viewersTimer = null;
const drawn = new Map();   // what each list was last drawn from (see changed())

/** Whether the signed-in token may host broadcasts. */
export function mayHost() {
  const p = desk.claims?.permissions;
  return Array.isArray(p) && p.includes("livestream");
}

function request(type, fields) {
  if (!desk.session) return Promise.reject({ code: "network" });
  return desk.session.request(type, fields).catch((e) => { errorToast(e); throw e; });
}

const ignore = () => {};

// ---- the host's own broadcasts ----

function ownIds() {
  try { return JSON.parse(localStorage.getItem(S.ownKey(desk.me.subject)) || "[]"); } catch { return []; }
}

function keepOwn(ids) {
  try { localStorage.setItem(S.ownKey(desk.me.subject), JSON.stringify(ids)); } catch { /* storage unavailable */ }
}

export async function loadOwn() {
  if (!desk.me || !mayHost()) return;
  const subject = desk.me.subject;
  const ids = ownIds();
  const records = await Promise.all(ids.map((id) => api.get(`/api/broadcasts/${encodeURIComponent(id)}/record`)
    .then((r) => r, (e) => (e.code === "not_found" || e.code === "forbidden" ? { gone: id } : { failed: id, code: e.code }))));
  if (!desk.me || desk.me.subject !== subject) return;
  if (records.some((r) => r.failed && r.code === "stale")) return;
  const gone = new Set(records.filter((r) => r.gone).map((r) => r.gone));
  if (gone.size) keepOwn(ids.filter((id) => !gone.has(id)));
  own = { items: S.ownList(records.filter((r) => r.id)), error: records.some((r) => r.failed), subject };
  // The one on stage shows its record's latest counters and co-hosts.
  const mine = stage && stage.role === "host" && own.items.find((r) => r.id === stage.broadcast.id);
  if (mine) stage = { ...stage, broadcast: { ...stage.broadcast, ...mine } };
  renderStudio();
}

/** The host's record again (co-hosts, counters) soon after the stage changed; one request for a burst. */
function refreshRecordSoon() {
  clearTimeout(recordTimer);
  recordTimer = setTimeout(async () => {
    if (!stage || stage.role !== "host") return;
    const id = stage.broadcast.id;
    try {
      const record = await api.get(`/api/broadcasts/${encodeURIComponent(id)}/record`);
      if (stage?.broadcast.id === id) { stage = { ...stage, broadcast: { ...stage.broadcast, ...record } }; renderStudio(); }
    } catch { /* the list's refresh shows it later */ }
  }, 500);
}

function open(record) {
  if (stage?.joined && stage.broadcast.id !== record.id) { toast(t("studio.busy"), "error"); return; }
  if (stage?.broadcast.id === record.id) return;
  stopSource();
  stage = S.stageOf(record, "host");
  creating = false;
  renderStudio();
}

/**
 * Marks the form's field that `error` names (fields: error name -> element id) and says why under the form;
 * true when there is nothing to fix.
 */
function formChecked(fields, error, messageId, keyPrefix) {
  for (const id of Object.values(fields)) $(id).removeAttribute("aria-invalid");
  $(messageId).textContent = error ? t(keyPrefix + error) : "";
  if (!error) return true;
  const input = $(fields[error]);
  input.setAttribute("aria-invalid", "true");
  input.focus();
  return false;
}

// ---- a new broadcast ----

async function create(e) {
  e.preventDefault();
  const form = {
    title: $("studio-title").value, description: $("studio-description").value, language: $("studio-language").value,
    topic: $("studio-topic").value, when: $("studio-when").value, cover: $("studio-cover").value
  };
  const { body, error } = S.broadcastRequest(form);
  const fields = { title: "studio-title", description: "studio-description", language: "studio-language", topic: "studio-topic",
    when: "studio-when", cover: "studio-cover" };
  if (!formChecked(fields, error, "studio-form-error", "studio.invalid.")) return;
  const button = $("studio-create");
  button.disabled = true;
  try {
    const record = await api.post("/api/broadcasts", body);
    keepOwn(S.withOwn(ownIds(), record.id));
    $("studio-form").reset();
    $("studio-when").value = S.localInputValue(Date.now());
    stopSource();
    stage = S.stageOf(record, "host");
    creating = false;
    own = { ...own, items: S.ownList([record, ...(own.items || []).filter((r) => r.id !== record.id)]) };
  } catch (err) {
    $("studio-form-error").textContent = errText(err);
  } finally {
    button.disabled = false;
  }
  renderStudio();
}

// ---- camera, screen, going live, ending ----

/** Captures the camera (with the microphone) or a screen (with the microphone's sound) to preview and send. */
async function capture(kind) {
  const md = navigator.mediaDevices;
  let stream;
  try {
    if (kind === "screen") {
      const screen = await md.getDisplayMedia({ video: true, audio: false });
      const mic = await md.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } }).catch(() => null);
      stream = new MediaStream([...screen.getVideoTracks(), ...(mic ? mic.getAudioTracks() : [])]);
    } else {
      stream = await md.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true },
        video: { width: { ideal: 1280 }, height: { ideal: 720 } } });
    }
  } catch (e) {
    console.warn("[LiveDesk] studio capture:", e?.name);
    toast(t(kind === "screen" ? "studio.screenError" : "studio.cameraError"), "error");
    return;
  }
  const old = source;
  source = { kind, stream };
  const video = stream.getVideoTracks()[0];
  if (video && kind === "screen") video.addEventListener("ended", () => { if (source?.stream === stream) capture("camera"); });
  // On stage already: the viewers see the new picture at once (same transceivers, no new offer). What is no
  // longer sent (the last source's tracks, or the camera the stage leg opened itself) is let go.
  if (media) {
    await replaceTracks(media.pc, stream);
    const sent = new Set(media.pc.getSenders().map((x) => x.track));
    for (const tr of [...(old?.stream.getTracks() || []), ...(media.localStream?.getTracks() || [])]) if (!sent.has(tr)) tr.stop();
  } else {
    old?.stream.getTracks().forEach((tr) => tr.stop());
  }
  showPreview();
  renderStudio();
}

async function replaceTracks(pc, stream) {
  for (const sender of pc.getSenders()) {
    const next = sender.track && stream.getTracks().find((tr) => tr.kind === sender.track.kind);
    if (next) await sender.replaceTrack(next).catch((e) => console.warn("[LiveDesk] studio replaceTrack:", e?.name));
  }
}

function showPreview() {
  const v = $("studio-preview");
  if (!v) return;
  const s = source?.stream || media?.localStream || null;
  if (v.srcObject !== s) v.srcObject = s;
  if (s) v.play().catch(ignore);
}

function stopSource() {
  source?.stream.getTracks().forEach((tr) => tr.stop());
  source = null;
  showPreview();
}

async function goLive() {
  if (!stage || stage.role !== "host" || busy) return;
  const id = stage.broadcast.id;
  busy = true;
  renderStudio();
  try {
    if (stage.state !== "live") {
      const record = await api.post(`/api/broadcasts/${encodeURIComponent(id)}/live`);
      if (stage?.broadcast.id !== id) return;
      stage = { ...stage, broadcast: { ...stage.broadcast, ...record }, state: "live" };
      loadOwn();
    }
    await joinStage();
  } catch (err) {
    if (err?.code) errorToast(err);
  } finally {
    busy = false;
  }
  renderStudio();
}

/** On stage: broadcast.join, then our camera (or the captured source) to the bridge. */
async function joinStage() {
  const id = stage.broadcast.id;
  const joined = await request("broadcast.join", { broadcastId: id });
  if (stage?.broadcast.id !== id) return;
  stage = S.onStageMessage(stage, joined);
  startMedia(id);
  loadViewers(0);
}

function startMedia(id) {
  media?.close();
  $("studio-stage")?.replaceChildren();
  media = broadcastMedia({ broadcastId: id, request: (type, fields) => desk.session.request(type, fields), stream: source?.stream || null }, {
    local: () => showPreview(),
    remote: (s, track, from) => showStageMember(from || s),
    mediaError: (e) => { console.warn("[LiveDesk] studio camera:", e?.name); toast(t("studio.cameraError"), "error"); },
    refused: (err) => errorToast(err),
    error: (e) => console.warn("[LiveDesk] studio media", e?.name || "error")
  });
  lastMedia = media;
  renderStudio();
}

/** The other stage members' pictures (and sound), one tile per member's stream. */
function showStageMember(stream) {
  const tiles = $("studio-stage");
  if (!tiles) return;
  let tile = [...tiles.children].find((v) => v.dataset.stream === stream.id);
  if (!tile) {
    tile = el("video", { class: "tile", autoplay: true, playsinline: true, "data-stream": stream.id, "data-testid": "studio-stage-video" });
    tiles.append(tile);
    for (const tr of stream.getTracks()) tr.addEventListener("ended", () => { if (!stream.getTracks().some((x) => x.readyState === "live")) tile.remove(); });
  }
  if (tile.srcObject !== stream) tile.srcObject = stream;
  tile.play().catch(() => { tile.muted = true; tile.play().catch(ignore); });
}

function stopMedia() {
  media?.close();
  media = null;
  if (stage) stage = { ...stage, joined: false };
  $("studio-stage")?.replaceChildren();
  showPreview();
}

async function end() {
  if (!stage || stage.role !== "host") return;
  if (Date.now() > endArmed) {
    endArmed = Date.now() + END_CONFIRM_MS;
    renderStudio();
    setTimeout(renderStudio, END_CONFIRM_MS + 50);
    return;
  }
  endArmed = 0;
  const id = stage.broadcast.id;
  try {
    const record = await api.post(`/api/broadcasts/${encodeURIComponent(id)}/end`);
    if (stage?.broadcast.id === id) {
      stopMedia();
      stopSource();
      stage = { ...stage, state: "ended", broadcast: { ...stage.broadcast, ...record } };
    }
    loadOwn();
  } catch (err) {
    errorToast(err);
  }
  renderStudio();
}

async function leaveStage() {
  if (!stage || stage.role !== "cohost") return;
  const id = stage.broadcast.id;
  await request("broadcast.stage.leave", { broadcastId: id }).catch(ignore);
  offStage(id);
}

function offStage(id) {
  if (stage?.broadcast.id !== id) return;
  stopMedia();
  stopSource();
  stage = null;
  renderStudio();
}

// ---- a colleague's invitation ----

async function acceptInvitation() {
  const inv = invitation;
  if (!inv) return;
  if (stage?.joined) { toast(t("studio.busy"), "error"); return; }
  invitation = null;
  stopSource();
  stage = S.stageOf({ id: inv.broadcastId, title: inv.title, state: "live" }, "cohost");
  renderStudio();
  try {
    await joinStage();
  } catch {
    stage = null;
  }
  renderStudio();
}

async function declineInvitation() {
  const inv = invitation;
  if (!inv) return;
  invitation = null;
  renderStudio();
  await request("broadcast.stage.leave", { broadcastId: inv.broadcastId }).catch(ignore);
}

// ---- card, co-hosts, chat, viewers ----

async function pin(e) {
  e.preventDefault();
  const { card, error } = S.cardRequest({ name: $("studio-card-name").value, line: $("studio-card-line").value,
    url: $("studio-card-url").value, topic: $("studio-card-topic").value });
  const fields = { name: "studio-card-name", line: "studio-card-line", url: "studio-card-url" };
  if (!formChecked(fields, error, "studio-card-error", "studio.invalid.card.")) return;
  try {
    await request("broadcast.card.pin", { broadcastId: stage.broadcast.id, card });
    $("studio-card-form").reset();
  } catch { /* toasted */ }
}

async function addCoHost(e) {
  e.preventDefault();
  const input = $("studio-cohost-id");
  const staffId = input.value.trim();
  if (!staffId) { input.focus(); return; }
  try {
    await request("broadcast.stage.add", { broadcastId: stage.broadcast.id, staffId });
    input.value = "";
    toast(t("studio.cohostInvited", { id: staffId }));
    refreshRecordSoon();
  } catch { /* toasted */ }
}

async function removeCoHost(staffId) {
  try {
    await request("broadcast.stage.remove", { broadcastId: stage.broadcast.id, staffId });
    refreshRecordSoon();
  } catch { /* toasted */ }
}

async function say(e) {
  e.preventDefault();
  const input = $("studio-chat-input");
  const text = input.value.trim();
  if (!text) return;
  try {
    await request("chat.send", { broadcastId: stage.broadcast.id, text });
    input.value = "";
  } catch { /* toasted */ }
}

/** The viewers' page again once the count changed, at most every VIEWERS_REFRESH_MS. */
function refreshViewersSoon() {
  if (viewersTimer) return;
  viewersTimer = setTimeout(() => { viewersTimer = null; loadViewers(); }, VIEWERS_REFRESH_MS);
}

export async function loadViewers(offset = stage?.viewerPage.offset ?? 0) {
  if (!stage?.joined || !online()) return;
  try {
    const page = await request("broadcast.viewers", { broadcastId: stage.broadcast.id, offset, limit: S.VIEWERS_PAGE });
    stage = S.onStageMessage(stage, page);
  } catch { /* toasted */ }
  renderStudio();
}

async function moderate(type, fields) {
  try {
    await request(type, { broadcastId: stage.broadcast.id, ...fields });
    if (type !== "chat.delete") stage = S.moderated(stage, type, fields.viewerId, fields.muted);
    if (type === "viewer.mute") toast(t(fields.muted ? "studio.mutedDone" : "studio.unmutedDone"));
    if (type === "viewer.remove") toast(t("studio.removedDone"));
  } catch { /* toasted */ }
  renderStudio();
}

// ---- the server's messages ----

/** Livestream messages for the studio; true when the message was one. */
export function onStudioMessage(msg) {
  if (media?.onMessage(msg)) return true;
  switch (msg.type) {
    case "broadcast.onstage":
      if (msg.onStage) {
        if (stage?.broadcast.id !== msg.broadcastId) {
          invitation = { broadcastId: msg.broadcastId, title: String(msg.title || "") };
          toast(t("studio.onstage", { title: invitation.title }));
        }
      } else {
        if (invitation?.broadcastId === msg.broadcastId) invitation = null;
        if (stage?.role === "cohost" && stage.broadcast.id === msg.broadcastId) { offStage(msg.broadcastId); toast(t("studio.offstage")); }
      }
      break;
    case "broadcast.state":
      if (stage?.broadcast.id === msg.broadcastId) {
        stage = S.onStageMessage(stage, msg);
        if (stage.state === "ended") { stopMedia(); stopSource(); loadOwn(); }
        else if (stage.role === "host") refreshRecordSoon();
      }
      if (msg.state === "ended" && invitation?.broadcastId === msg.broadcastId) invitation = null;
      break;
    case "broadcast.stats": {
      const before = stage?.viewers;
      stage = S.onStageMessage(stage, msg);
      if (stage && stage.viewers !== before) refreshViewersSoon();
      break;
    }
    case "broadcast.joined": case "chat.batch": case "broadcast.card": case "broadcast.viewers":
      stage = S.onStageMessage(stage, msg);
      break;
    default:
      return false;
  }
  renderStudio();
  return true;
}

/** After a reconnect the server has let our stage leg go: join again with the same camera. */
export function onStudioWelcome(resumed) {
  if (!resumed) { loadOwn(); return; }
  if (stage?.joined) {
    media?.close();
    media = null;
    stage = { ...stage, joined: false };
    if (stage.state === "live") joinStage().catch(() => renderStudio());
  }
  loadOwn();
}

/** Signed out: nothing of the last host's studio stays. */
export function resetStudio() {
  stopMedia();
  stopSource();
  stage = null;
  invitation = null;
  creating = false;
  own = { items: null, error: false, subject: null };
  clearTimeout(recordTimer);
  clearTimeout(viewersTimer);
  viewersTimer = null;
  drawn.clear();
  if (built) { $("studio-form")?.reset(); $("studio-chat")?.replaceChildren(); }
}

// ---- drawing ----

const field = (key, input) => el("label", { class: "studio-field" }, el("span", { "data-i18n": key }), input);
const btn = (props, key) => el("button", { type: "button", class: "btn small", ...props, "data-i18n": key });

function build() {
  const card = $("studio-card");
  card.replaceChildren(
    el("div", { class: "card-head" },
      el("h2", { id: "studio-heading", "data-i18n": "studio.title" }),
      el("span", { class: "muted small", id: "studio-state", "data-testid": "studio-state", role: "status" })),
    el("section", { id: "studio-own-box", class: "studio-own", "aria-labelledby": "studio-own-title" },
      el("div", { class: "card-head" },
        el("h3", { id: "studio-own-title", "data-i18n": "studio.own" }),
        el("div", {},
          el("button", { type: "button", class: "link-btn", id: "studio-own-refresh", "data-testid": "studio-own-refresh", "data-i18n": "studio.refresh", onclick: loadOwn }),
          el("button", { type: "button", class: "link-btn", id: "studio-new", "data-testid": "studio-new", "data-i18n": "studio.new",
            onclick: () => { creating = true; renderStudio(); $("studio-title").focus(); } }))),
      el("ul", { id: "studio-own", "data-testid": "studio-own", class: "recent-list" }),
      el("p", { id: "studio-own-note", class: "muted small" })),
    el("form", { id: "studio-form", class: "studio-form", novalidate: true, onsubmit: create, "aria-labelledby": "studio-form-title" },
      el("h3", { id: "studio-form-title", "data-i18n": "studio.new" }),
      field("studio.titleLabel", el("input", { id: "studio-title", "data-testid": "studio-title", maxlength: "120", required: true })),
      field("studio.description", el("textarea", { id: "studio-description", "data-testid": "studio-description", rows: "2", maxlength: "2000" })),
      el("div", { class: "studio-pair" },
        field("studio.language", el("select", { id: "studio-language", "data-testid": "studio-language" })),
        field("studio.topic", el("select", { id: "studio-topic", "data-testid": "studio-topic" }))),
      el("div", { class: "studio-pair" },
        field("studio.when", el("input", { id: "studio-when", "data-testid": "studio-when", type: "datetime-local", value: S.localInputValue(Date.now()) })),
        field("studio.cover", el("input", { id: "studio-cover", "data-testid": "studio-cover", type: "url", maxlength: "2048", placeholder: "https://" }))),
      el("p", { class: "form-error", id: "studio-form-error", "data-testid": "studio-form-error", role: "alert" }),
      el("div", { class: "row" },
        el("button", { type: "submit", class: "btn primary", id: "studio-create", "data-testid": "studio-create", "data-i18n": "studio.create" }),
        btn({ id: "studio-form-cancel", onclick: () => { creating = false; renderStudio(); } }, "studio.cancel"))),
    el("section", { id: "studio-live", class: "studio-live", "data-testid": "studio-session", "aria-labelledby": "studio-name", hidden: true },
      el("div", { class: "studio-title-row" },
        el("h3", { id: "studio-name", "data-testid": "studio-name" }),
        el("span", { class: "chip", id: "studio-badge", "data-testid": "studio-badge" })),
      el("p", { class: "small" }, el("span", { "data-i18n": "studio.link" }), ": ",
        el("a", { id: "studio-link", "data-testid": "studio-link", target: "_blank", rel: "noopener" })),
      el("div", { class: "studio-grid" },
        el("div", { class: "studio-col" },
          el("div", { class: "studio-preview" },
            el("video", { id: "studio-preview", "data-testid": "studio-preview", autoplay: true, playsinline: true, muted: true }),
            el("p", { class: "studio-preview-note", id: "studio-preview-note" }),
            el("div", { id: "studio-stage", "data-testid": "studio-stage", class: "studio-tiles" })),
          el("div", { class: "row" },
            btn({ id: "studio-camera", "data-testid": "studio-camera", onclick: () => capture("camera") }, "studio.camera"),
            btn({ id: "studio-screen", "data-testid": "studio-screen", onclick: () => capture("screen") }, "studio.screen"),
            el("button", { type: "button", class: "btn small primary", id: "studio-golive", "data-testid": "studio-golive", onclick: goLive }),
            el("button", { type: "button", class: "btn small danger", id: "studio-end", "data-testid": "studio-end", onclick: end }),
            btn({ id: "studio-leave-stage", "data-testid": "studio-leave-stage", onclick: leaveStage }, "studio.leaveStage")),
          el("p", { class: "studio-stats" },
            el("span", { id: "studio-count", "data-testid": "studio-count", role: "status", "aria-live": "polite", "aria-atomic": "true" }),
            el("span", { id: "studio-likes", "data-testid": "studio-likes", class: "muted" })),
          el("p", { id: "studio-stage-names", "data-testid": "studio-stage-names", class: "muted small" }),
          el("p", { id: "studio-record", "data-testid": "studio-record", class: "muted small" }),
          el("section", { class: "studio-box", "aria-labelledby": "studio-card-title" },
            el("h4", { id: "studio-card-title", "data-i18n": "studio.card" }),
            el("p", { id: "studio-card-current", "data-testid": "studio-card-current", class: "small", role: "status" }),
            el("form", { id: "studio-card-form", class: "studio-form", novalidate: true, onsubmit: pin },
              field("studio.cardName", el("input", { id: "studio-card-name", "data-testid": "studio-card-name", maxlength: "80" })),
              field("studio.cardLine", el("input", { id: "studio-card-line", "data-testid": "studio-card-line", maxlength: "160" })),
              el("div", { class: "studio-pair" },
                field("studio.cardUrl", el("input", { id: "studio-card-url", "data-testid": "studio-card-url", type: "url", placeholder: "https://" })),
                field("studio.cardTopic", el("select", { id: "studio-card-topic", "data-testid": "studio-card-topic" }))),
              el("p", { class: "form-error", id: "studio-card-error", role: "alert" }),
              el("div", { class: "row" },
                el("button", { type: "submit", class: "btn small primary", id: "studio-card-pin", "data-testid": "studio-card-pin", "data-i18n": "studio.pin" }),
                btn({ id: "studio-card-unpin", "data-testid": "studio-card-unpin",
                  onclick: () => request("broadcast.card.unpin", { broadcastId: stage.broadcast.id }).catch(ignore) }, "studio.unpin")))),
          el("section", { class: "studio-box", id: "studio-cohosts-box", "aria-labelledby": "studio-cohosts-title" },
            el("h4", { id: "studio-cohosts-title", "data-i18n": "studio.cohosts" }),
            el("ul", { id: "studio-cohosts", "data-testid": "studio-cohosts", class: "studio-people" }),
            el("form", { class: "row", onsubmit: addCoHost },
              field("studio.cohost", el("input", { id: "studio-cohost-id", "data-testid": "studio-cohost-id", maxlength: "64", autocomplete: "off" })),
              el("button", { type: "submit", class: "btn small", "data-testid": "studio-cohost-add", "data-i18n": "studio.cohostAdd" })))),
        el("div", { class: "studio-col" },
          el("section", { class: "studio-box", "aria-labelledby": "studio-chat-title" },
            el("h4", { id: "studio-chat-title", "data-i18n": "studio.chat" }),
            el("ol", { id: "studio-chat", "data-testid": "studio-chat", class: "studio-chat", "aria-live": "polite", "aria-relevant": "additions" }),
            el("form", { class: "row studio-say", onsubmit: say },
              el("label", { for: "studio-chat-input", class: "sr-only", "data-i18n": "studio.say" }),
              el("input", { id: "studio-chat-input", "data-testid": "studio-chat-input", maxlength: "500", autocomplete: "off",
                "data-i18n-placeholder": "studio.say" }),
              el("button", { type: "submit", class: "btn small", "data-testid": "studio-chat-send", "data-i18n": "studio.send" }))),
          el("section", { class: "studio-box", "aria-labelledby": "studio-viewers-title" },
            el("div", { class: "card-head" },
              el("h4", { id: "studio-viewers-title", "data-i18n": "studio.viewers" }),
              el("button", { type: "button", class: "link-btn", "data-testid": "studio-viewers-refresh", "data-i18n": "studio.refresh",
                onclick: () => loadViewers() })),
            el("ul", { id: "studio-viewers", "data-testid": "studio-viewers", class: "studio-people" }),
            el("div", { class: "row studio-pager" },
              btn({ id: "studio-viewers-prev", "data-testid": "studio-viewers-prev", onclick: () => loadViewers(S.viewerPaging(stage?.viewerPage).prev ?? 0) }, "studio.prev"),
              el("span", { id: "studio-viewers-range", "data-testid": "studio-viewers-range", class: "muted small", "aria-live": "polite" }),
              btn({ id: "studio-viewers-next", "data-testid": "studio-viewers-next", onclick: () => loadViewers(S.viewerPaging(stage?.viewerPage).next ?? 0) }, "studio.next")))))));
  translate(card);
  built = true;
}

// The invitation sits above the studio, also for colleagues who may not host (no studio of their own).
function renderInvitation() {
  let box = $("studio-invitation");
  if (!invitation) { box?.remove(); return; }
  if (!box) {
    box = el("div", { id: "studio-invitation", class: "card studio-invite", "data-testid": "studio-invitation", role: "alert" },
      el("p", { id: "studio-invitation-text" }),
      el("div", { class: "row" },
        el("button", { type: "button", class: "btn primary", "data-testid": "studio-join-stage", id: "studio-join-stage", onclick: acceptInvitation }),
        el("button", { type: "button", class: "btn", "data-testid": "studio-decline-stage", id: "studio-decline-stage", onclick: declineInvitation })));
    $("studio-card").before(box);
  }
  $("studio-invitation-text").textContent = t("studio.onstage", { title: invitation.title });
  $("studio-join-stage").textContent = t("studio.joinStage");
  $("studio-decline-stage").textContent = t("studio.declineStage");
}

/**
 * Whether a list must be drawn again: what it shows (the same arrays are kept while nothing in them changed)
 * or the language changed since it was drawn. Redrawing only then keeps a moderator's focus and an open
 * <select> where they are while counts tick.
 */
function changed(key, ...deps) {
  const now = [getLang(), ...deps];
  const before = drawn.get(key);
  if (before && before.length === now.length && before.every((d, i) => d === now[i])) return false;
  drawn.set(key, now);
  return true;
}

function fillSelect(select, options) {
  const sig = options.map((o) => o.value + "=" + o.textContent).join("|");
  if (select.dataset.options === sig) return;
  const chosen = select.value;
  select.replaceChildren(...options);
  select.dataset.options = sig;
  if (chosen && options.some((o) => o.value === chosen)) select.value = chosen;
}

function when(iso) {
  const d = new Date(iso);
  return isNaN(d) ? "" : d.toLocaleString(locale(), { dateStyle: "medium", timeStyle: "short" });
}

function renderOwn() {
  const items = own.items;
  if (!changed("own", items, stage?.broadcast.id, own.error)) return;
  $("studio-own-note").textContent = own.error ? t("studio.ownError") : items && items.length === 0 ? t("studio.ownEmpty") : "";
  $("studio-own").replaceChildren(...(items || []).map((r) => {
    const current = stage?.broadcast.id === r.id;
    const facts = r.state === "ended"
      ? t("studio.recordLine", { peak: r.peakViewers ?? 0, unique: r.uniqueViewers ?? 0, likes: r.likes ?? 0, asked: r.consultationsRequested ?? 0 })
      : r.state === "live" ? t("studio.liveSince", { time: when(r.startedAt) }) : t("studio.startsAt", { time: when(r.scheduledAt) });
    const openBtn = current || r.state === "ended" ? null : el("button", { type: "button", class: "link-btn", "data-testid": "studio-own-open",
      text: t("studio.open"), "aria-label": t("studio.openLabel", { title: r.title }), onclick: () => open(r) });
    return el("li", { class: "recent-item" + (current ? " current" : ""), "data-testid": "studio-own-item", "data-broadcast-id": r.id, "data-state": r.state },
      el("div", { class: "ri-main" },
        el("div", { class: "ri-line" }, el("strong", { text: r.title }),
          el("span", { class: "chip" + (r.state === "live" ? " prio" : ""), text: t("studio.state." + stateKey(r.state, r.cancelled)) })),
        el("div", { class: "ri-meta" }, el("span", { text: facts }))),
      openBtn);
  }));
}

function stateKey(state, cancelled) {
  return state === "ended" && cancelled ? "cancelled" : state === "live" || state === "ended" ? state : "created";
}

function renderStage() {
  const s = stage;
  const host = s.role === "host";
  const b = s.broadcast;
  $("studio-name").textContent = b.title || "";
  $("studio-badge").textContent = t("studio.state." + stateKey(s.state, b.cancelled));
  $("studio-badge").classList.toggle("prio", s.state === "live");
  const link = $("studio-link");
  link.href = `${location.origin}/live/${encodeURIComponent(b.id)}`;
  link.textContent = link.href;
  const onStage = !!media;
  $("studio-preview-note").textContent = source || media ? "" : host && s.state !== "ended" ? t("studio.previewHint") : "";
  $("studio-camera").hidden = $("studio-screen").hidden = s.state === "ended";
  $("studio-camera").setAttribute("aria-pressed", String(source?.kind === "camera"));
  $("studio-screen").setAttribute("aria-pressed", String(source?.kind === "screen"));
  const goLive = $("studio-golive");
  goLive.hidden = !host || s.state === "ended" || onStage;
  goLive.textContent = t(s.state === "live" ? "studio.rejoin" : "studio.golive");
  goLive.disabled = busy || !online();
  const endBtn = $("studio-end");
  endBtn.hidden = !host || s.state === "ended";
  endBtn.textContent = Date.now() < endArmed ? t("studio.endConfirm") : t(s.state === "live" ? "studio.end" : "studio.cancelBroadcast");
  $("studio-leave-stage").hidden = host || !onStage;
  $("studio-count").textContent = s.state === "live" ? t("studio.count", { n: s.viewers }) : "";
  $("studio-likes").textContent = s.state === "live" ? t("studio.likes", { n: s.likes }) : "";
  $("studio-stage-names").textContent = stageNames(s.stage) ? t("studio.stage", { names: stageNames(s.stage) }) : "";
  $("studio-record").textContent = host && s.state === "ended" && b.peakViewers !== undefined
    ? t("studio.recordLine", { peak: b.peakViewers ?? 0, unique: b.uniqueViewers ?? 0, likes: b.likes ?? 0, asked: b.consultationsRequested ?? 0 }) : "";

  // What needs the stage (a joined connection): the card, co-hosts, chat and viewers.
  for (const box of document.querySelectorAll("#studio-live .studio-box")) box.hidden = !s.joined;
  $("studio-cohosts-box").hidden = !s.joined || !host;
  $("studio-card-current").textContent = s.card ? t("studio.pinned", { name: s.card.name }) : t("studio.noCard");
  $("studio-card-unpin").disabled = !s.card;
  const coHosts = Array.isArray(b.coHosts) ? b.coHosts : [];
  if (changed("cohosts", b.coHosts)) $("studio-cohosts").replaceChildren(...coHosts.map((id) => el("li", { "data-testid": "studio-cohost", "data-staff-id": id },
    el("span", { text: id }),
    el("button", { type: "button", class: "link-btn", "data-testid": "studio-cohost-remove", text: t("studio.cohostRemove"),
      "aria-label": t("studio.cohostRemoveLabel", { id }), onclick: () => removeCoHost(id) }))));
  renderChat(s);
  renderViewers(s);
}

function renderChat(s) {
  if (!changed("chat", s.chat)) return;
  const list = $("studio-chat");
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 24;
  list.replaceChildren(...s.chat.map((m) => el("li", { "data-testid": "studio-chat-msg", "data-message-id": m.messageId,
    "data-viewer-id": m.viewerId || null, class: m.fromStage ? "stage" : null },
    el("b", { text: m.name }), " ", el("span", { text: m.text }),
    el("span", { class: "studio-mod" },
      el("button", { type: "button", class: "link-btn", "data-testid": "studio-chat-delete", text: t("studio.delete"),
        "aria-label": t("studio.deleteLabel", { name: m.name }), onclick: () => moderate("chat.delete", { messageId: m.messageId }) }),
      m.viewerId && !m.fromStage ? el("button", { type: "button", class: "link-btn", "data-testid": "studio-chat-mute", text: t("studio.mute"),
        "aria-label": t("studio.muteLabel", { name: m.name }), onclick: () => moderate("viewer.mute", { viewerId: m.viewerId, muted: true }) }) : null,
      m.viewerId && !m.fromStage ? el("button", { type: "button", class: "link-btn danger", "data-testid": "studio-chat-remove", text: t("studio.remove"),
        "aria-label": t("studio.removeLabel", { name: m.name }), onclick: () => moderate("viewer.remove", { viewerId: m.viewerId }) }) : null))));
  if (atBottom) list.scrollTop = list.scrollHeight;
}

function renderViewers(s) {
  const page = S.viewerPaging(s.viewerPage);
  if (changed("viewers", s.viewerPage)) $("studio-viewers").replaceChildren(...s.viewerPage.items.map((v) => el("li", { "data-testid": "studio-viewer", "data-viewer-id": v.viewerId },
    el("span", { text: v.name || v.viewerId }),
    v.muted ? el("span", { class: "chip", text: t("studio.mutedChip") }) : null,
    el("span", { class: "studio-mod" },
      el("button", { type: "button", class: "link-btn", "data-testid": "studio-mute", text: v.muted ? t("studio.unmute") : t("studio.mute"),
        "aria-label": t(v.muted ? "studio.unmuteLabel" : "studio.muteLabel", { name: v.name || v.viewerId }),
        onclick: () => moderate("viewer.mute", { viewerId: v.viewerId, muted: !v.muted }) }),
      el("button", { type: "button", class: "link-btn danger", "data-testid": "studio-remove", text: t("studio.remove"),
        "aria-label": t("studio.removeLabel", { name: v.name || v.viewerId }), onclick: () => moderate("viewer.remove", { viewerId: v.viewerId }) })))));
  $("studio-viewers-range").textContent = page.total ? t("studio.range", page) : t("studio.noViewers");
  $("studio-viewers-prev").disabled = page.prev === null;
  $("studio-viewers-next").disabled = page.next === null;
}

export function renderStudio() {
  const card = $("studio-card");
  if (!card) return;
  renderInvitation();
  const host = !!desk.me && mayHost();
  const show = !!desk.me && (host || !!stage);
  card.hidden = !show;
  if (!show) return;
  if (!built) build();
  const topics = () => [...desk.topics.keys()].map((id) => el("option", { value: id, text: topicName(id) }));
  fillSelect($("studio-language"), (desk.me.languages || ["en", "zh"]).map((l) => el("option", { value: l, text: langName(l) })));
  fillSelect($("studio-topic"), topics());
  fillSelect($("studio-card-topic"), [el("option", { value: "", text: t("studio.cardBroadcastTopic") }), ...topics()]);
  $("studio-state").textContent = stage ? `${stage.broadcast.title || ""} — ${t("studio.state." + stateKey(stage.state, stage.broadcast.cancelled))}`
    : t("studio.state.idle");
  $("studio-own-box").hidden = !host;
  if (host) renderOwn();
  $("studio-new").hidden = creating;
  $("studio-form").hidden = !host || !(creating || !stage);
  $("studio-form-cancel").hidden = !stage;
  $("studio-live").hidden = !stage;
  if (stage) renderStage();
}

/** For tests: the stage leg's RTCPeerConnection and where the studio is (idle, scheduled, live, ended). */
export const studioPeerConnection = () => lastMedia?.pc ?? null;
export const studioState = () => stage?.state ?? "idle";
