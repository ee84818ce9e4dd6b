// The host's studio: create a broadcast, go live with the camera, watch the count and the viewers, moderate
// the chat, pin product cards, put colleagues on stage. Shown to tokens with the `livestream` permission;
// a colleague put on stage gets a prompt to join with their camera. The broadcast's media is one
// RTCPeerConnection to the bridge (client/call.js), offered by this page like a bridged call's leg.
import { t } from "../i18n.js";
import { el } from "../../client/dom.js";
import { createCall } from "../../client/call.js";
import { desk, api, online } from "../store.js";
import { errText, topicName } from "../names.js";
import { $, toast } from "../ui.js";

const MAX_CHAT = 200;

const studio = {
  broadcast: null,     // the record from the REST API
  state: "idle",       // idle | created | live | ended
  joined: false,
  media: null,         // client/call.js for our stage leg
  lastMedia: null,
  viewers: 0,
  likes: 0,
  viewerList: [],
  chat: [],
  card: null,
  stage: [],
  invitation: null     // {broadcastId, title} when a colleague put us on stage
};

let built = false;

/** Whether the signed-in token may host broadcasts. */
function mayHost() {
  const p = desk.claims?.permissions;
  return Array.isArray(p) && p.includes("livestream");
}

function request(type, fields) {
  return desk.session.request(type, fields).catch((e) => { toast(errText(e), "error"); throw e; });
}

const field = (label, input) => el("label", { class: "studio-field" }, el("span", { text: label }), input);

function build() {
  const card = $("studio-card");
  const topics = () => [...desk.topics.keys()].map((id) => el("option", { value: id, text: topicName(id) }));
  const languages = () => (desk.me?.languages || ["en", "zh"]).map((l) => el("option", { value: l, text: l }));
  const when = new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  card.replaceChildren(
    el("h2", { id: "studio-heading" }),
    el("p", { class: "muted small", id: "studio-state", "data-testid": "studio-state", role: "status" }),
    el("form", { id: "studio-form", class: "studio-form", onsubmit: create },
      field(t("studio.titleLabel"), el("input", { id: "studio-title", "data-testid": "studio-title", maxlength: "120", required: true })),
      field(t("studio.description"), el("textarea", { id: "studio-description", rows: "2", maxlength: "2000" })),
      field(t("studio.language"), el("select", { id: "studio-language", "data-testid": "studio-language" }, languages())),
      field(t("studio.topic"), el("select", { id: "studio-topic", "data-testid": "studio-topic" }, topics())),
      field(t("studio.when"), el("input", { id: "studio-when", type: "datetime-local", value: when })),
      field(t("studio.cover"), el("input", { id: "studio-cover", type: "url", maxlength: "2048" })),
      el("button", { type: "submit", class: "btn primary", "data-testid": "studio-create", text: t("studio.create") })),
    el("div", { id: "studio-live", hidden: true },
      el("p", {}, el("span", { text: t("studio.link") + ": " }), el("a", { id: "studio-link", "data-testid": "studio-link", target: "_blank", rel: "noopener" })),
      el("div", { class: "studio-preview" },
        el("video", { id: "studio-preview", "data-testid": "studio-preview", autoplay: true, playsinline: true, muted: true }),
        el("div", { id: "studio-stage", "data-testid": "studio-stage", class: "tiles" })),
      el("div", { class: "row" },
        el("button", { type: "button", class: "btn primary", id: "studio-golive", "data-testid": "studio-golive", onclick: goLive, text: t("studio.golive") }),
        el("button", { type: "button", class: "btn danger", id: "studio-end", "data-testid": "studio-end", onclick: end, text: t("studio.end") })),
      el("p", { id: "studio-count", "data-testid": "studio-count", "aria-live": "polite" }),
      el("p", { id: "studio-stage-names", class: "muted small" }),
      el("h3", { text: t("studio.card") }),
      el("p", { id: "studio-card-current", "data-testid": "studio-card-current", class: "muted small" }),
      el("form", { class: "studio-form", onsubmit: pin },
        field(t("studio.cardName"), el("input", { id: "studio-card-name", "data-testid": "studio-card-name", maxlength: "80" })),
        field(t("studio.cardLine"), el("input", { id: "studio-card-line", "data-testid": "studio-card-line", maxlength: "160" })),
        field(t("studio.cardUrl"), el("input", { id: "studio-card-url", "data-testid": "studio-card-url", type: "url" })),
        field(t("studio.cardTopic"), el("select", { id: "studio-card-topic", "data-testid": "studio-card-topic" },
          el("option", { value: "", text: t("studio.cardBroadcastTopic") }), topics())),
        el("div", { class: "row" },
          el("button", { type: "submit", class: "btn", "data-testid": "studio-card-pin", text: t("studio.pin") }),
          el("button", { type: "button", class: "btn", "data-testid": "studio-card-unpin", text: t("studio.unpin"),
            onclick: () => request("broadcast.card.unpin", { broadcastId: studio.broadcast.id }).catch(() => {}) }))),
      el("form", { class: "row", onsubmit: addCoHost },
        field(t("studio.cohost"), el("input", { id: "studio-cohost-id", "data-testid": "studio-cohost-id", maxlength: "64" })),
        el("button", { type: "submit", class: "btn", "data-testid": "studio-cohost-add", text: t("studio.cohostAdd") })),
      el("div", { class: "card-head" }, el("h3", { text: t("studio.viewers") }),
        el("button", { type: "button", class: "link-btn", "data-testid": "studio-viewers-refresh", text: t("studio.refresh"), onclick: loadViewers })),
      el("ul", { id: "studio-viewers", "data-testid": "studio-viewers", class: "recent-list" }),
      el("h3", { text: t("studio.chat") }),
      el("ol", { id: "studio-chat", "data-testid": "studio-chat", class: "studio-chat", "aria-live": "polite" }),
      el("form", { class: "row", onsubmit: say },
        el("input", { id: "studio-chat-input", "data-testid": "studio-chat-input", maxlength: "500", placeholder: t("studio.say") }),
        el("button", { type: "submit", class: "btn", "data-testid": "studio-chat-send", text: t("studio.send") }))));
  built = true;
}

async function create(e) {
  e.preventDefault();
  const title = $("studio-title").value.trim();
  if (!title) { $("studio-title").focus(); return; }
  const when = $("studio-when").value ? new Date($("studio-when").value) : new Date();
  const body = { title, language: $("studio-language").value, topic: $("studio-topic").value,
    scheduledAt: when.toISOString().replace(/\.\d{3}Z$/, "Z") };
  const description = $("studio-description").value.trim();
  const cover = $("studio-cover").value.trim();
  if (description) body.description = description;
  if (cover) body.coverImageUrl = cover;
  try {
    studio.broadcast = await api.post("/api/broadcasts", body);
    studio.state = "created";
    Object.assign(studio, { viewers: 0, likes: 0, viewerList: [], chat: [], card: null, stage: [] });
  } catch (err) {
    toast(errText(err), "error");
  }
  renderStudio();
}

async function goLive() {
  const id = studio.broadcast?.id;
  if (!id) return;
  try {
    if (studio.state !== "live") await api.post(`/api/broadcasts/${encodeURIComponent(id)}/live`);
    studio.state = "live";
    await joinStage(id);
  } catch (err) {
    toast(errText(err), "error");
  }
  renderStudio();
}

/** Joins the broadcast's stage and publishes the camera (the host, or a colleague put on stage). */
async function joinStage(id) {
  const joined = await request("broadcast.join", { broadcastId: id });
  studio.joined = true;
  studio.viewers = joined.viewers;
  studio.likes = joined.likes;
  studio.card = joined.card ?? null;
  studio.stage = joined.broadcast?.stage || [];
  studio.chat = (joined.chat || []).slice(-MAX_CHAT);
  studio.media?.close();
  studio.media = createCall({ callId: id, media: "bridge", initiator: true, iceServers: [] }, {
    signal: (p) => request("broadcast.signal", { broadcastId: id, sdp: p.sdp }).catch(() => {}),
    local: (s) => { $("studio-preview").srcObject = s; },
    remote: (s, track, from) => showStageTrack(track, from),
    mediaError: () => toast(t("call.mediaError"), "error"),
    error: (e) => console.warn("[LiveDesk] studio", e?.message || e)
  });
  studio.lastMedia = studio.media;
}

function showStageTrack(track, from) {
  if (track.kind !== "video") return;
  const stream = from || new MediaStream([track]);
  const tile = el("video", { autoplay: true, playsinline: true, muted: true, "data-testid": "studio-stage-video" });
  tile.srcObject = stream;
  $("studio-stage").append(tile);
  track.addEventListener("ended", () => tile.remove());
}

async function end() {
  const id = studio.broadcast?.id;
  if (!id) return;
  try {
    await api.post(`/api/broadcasts/${encodeURIComponent(id)}/end`);
    studio.state = "ended";
    stopMedia();
  } catch (err) {
    toast(errText(err), "error");
  }
  renderStudio();
}

function stopMedia() {
  studio.media?.close();
  studio.media = null;
  studio.joined = false;
  const v = $("studio-preview");
  if (v) v.srcObject = null;
  $("studio-stage")?.replaceChildren();
}

async function pin(e) {
  e.preventDefault();
  const card = { name: $("studio-card-name").value.trim() };
  if (!card.name) { $("studio-card-name").focus(); return; }
  const line = $("studio-card-line").value.trim();
  const url = $("studio-card-url").value.trim();
  const topic = $("studio-card-topic").value;
  if (line) card.line = line;
  if (url) card.url = url;
  if (topic) card.topic = topic;
  try { await request("broadcast.card.pin", { broadcastId: studio.broadcast.id, card }); } catch { /* toasted */ }
}

async function addCoHost(e) {
  e.preventDefault();
  const staffId = $("studio-cohost-id").value.trim();
  if (!staffId) return;
  try {
    await request("broadcast.stage.add", { broadcastId: studio.broadcast.id, staffId });
    $("studio-cohost-id").value = "";
  } catch { /* toasted */ }
}

async function loadViewers() {
  if (!studio.broadcast || !online()) return;
  try {
    const page = await request("broadcast.viewers", { broadcastId: studio.broadcast.id, limit: 100 });
    studio.viewerList = page.viewers || [];
    studio.viewers = page.total;
  } catch { /* toasted */ }
  renderStudio();
}

async function say(e) {
  e.preventDefault();
  const input = $("studio-chat-input");
  const text = input.value.trim();
  if (!text) return;
  try {
    await request("chat.send", { broadcastId: studio.broadcast.id, text });
    input.value = "";
  } catch { /* toasted */ }
}

function moderate(type, fields) {
  request(type, { broadcastId: studio.broadcast.id, ...fields }).then(loadViewers).catch(() => {});
}

/** Applies a chat batch: new messages after the kept ones, deleted ones gone; at most MAX_CHAT kept. */
export function applyChat(list, batch) {
  const deleted = new Set(batch.deleted || []);
  return list.filter((m) => !deleted.has(m.messageId)).concat(batch.messages || []).slice(-MAX_CHAT);
}

/** Livestream messages for the studio; true when the message was one. */
export function onStudioMessage(msg) {
  const ours = studio.broadcast && msg.broadcastId === studio.broadcast.id;
  const stageOf = studio.invitation && msg.broadcastId === studio.invitation.broadcastId;
  switch (msg.type) {
    case "broadcast.signal": if (ours || stageOf) studio.media?.handleSignal({ sdp: msg.sdp }); return true;
    case "broadcast.renegotiate": if (ours || stageOf) studio.media?.renegotiate(msg.receive); return true;
    case "broadcast.stats": if (ours) { studio.viewers = msg.viewers; studio.likes = msg.likes; } break;
    case "chat.batch": if (ours) studio.chat = applyChat(studio.chat, msg); break;
    case "broadcast.card": if (ours) studio.card = msg.card ?? null; break;
    case "broadcast.state":
      if (ours) {
        studio.stage = msg.stage || [];
        if (msg.state === "ended") { studio.state = "ended"; stopMedia(); }
      }
      break;
    case "broadcast.onstage":
      if (msg.onStage) {
        studio.invitation = { broadcastId: msg.broadcastId, title: msg.title };
        toast(t("studio.onstage", { title: msg.title }));
      } else if (stageOf) {
        studio.invitation = null;
        stopMedia();
      }
      break;
    default: return false;
  }
  renderStudio();
  return true;
}

function renderInvitation() {
  let box = $("studio-invitation");
  if (!studio.invitation) { box?.remove(); return; }
  if (!box) {
    box = el("div", { id: "studio-invitation", class: "card", "data-testid": "studio-invitation" },
      el("p", { id: "studio-invitation-text" }),
      el("video", { id: "studio-guest-preview", autoplay: true, playsinline: true, muted: true }),
      el("button", { type: "button", class: "btn primary", "data-testid": "studio-join-stage", text: t("studio.joinStage"),
        onclick: () => joinStage(studio.invitation.broadcastId).then(() => {
          $("studio-guest-preview").srcObject = studio.media?.localStream ?? null;
        }).catch(() => {}) }),
      el("button", { type: "button", class: "btn", "data-testid": "studio-leave-stage", text: t("studio.leaveStage"),
        onclick: () => request("broadcast.stage.leave", { broadcastId: studio.invitation.broadcastId }).catch(() => {}) }));
    $("studio-card").before(box);
  }
  $("studio-invitation-text").textContent = t("studio.onstage", { title: studio.invitation.title });
}

export function renderStudio() {
  const card = $("studio-card");
  if (!card) return;
  const show = !!desk.me && mayHost();
  card.hidden = !show;
  renderInvitation();
  if (!show) return;
  if (!built) build();
  $("studio-heading").textContent = t("studio.title");
  $("studio-state").textContent = studio.broadcast
    ? `${studio.broadcast.title} — ${t("studio.state." + studio.state)}` : t("studio.state.idle");
  $("studio-form").hidden = studio.state === "live" || studio.state === "created";
  $("studio-live").hidden = !studio.broadcast || studio.state === "idle";
  if (!studio.broadcast) return;
  const link = $("studio-link");
  link.href = `${location.origin}/live/${encodeURIComponent(studio.broadcast.id)}`;
  link.textContent = link.href;
  $("studio-golive").disabled = studio.state === "ended" || (studio.state === "live" && studio.joined);
  $("studio-end").disabled = studio.state === "ended";
  $("studio-count").textContent = t("studio.count", { n: studio.viewers, likes: studio.likes });
  $("studio-stage-names").textContent = studio.stage.length
    ? t("studio.stage", { names: studio.stage.map((s) => s.name).join(", ") }) : "";
  $("studio-card-current").textContent = studio.card ? t("studio.pinned", { name: studio.card.name }) : "";
  $("studio-viewers").replaceChildren(...studio.viewerList.map((v) => el("li", { "data-testid": "studio-viewer", "data-viewer-id": v.viewerId },
    el("span", { text: v.name || v.viewerId }),
    el("button", { type: "button", class: "link-btn", "data-testid": "studio-mute", text: v.muted ? t("studio.unmute") : t("studio.mute"),
      onclick: () => moderate("viewer.mute", { viewerId: v.viewerId, muted: !v.muted }) }),
    el("button", { type: "button", class: "link-btn", "data-testid": "studio-remove", text: t("studio.remove"),
      onclick: () => moderate("viewer.remove", { viewerId: v.viewerId }) }))));
  $("studio-chat").replaceChildren(...studio.chat.map((m) => el("li", { "data-testid": "studio-chat-msg", "data-message-id": m.messageId },
    el("b", { text: m.name + " " }), el("span", { text: m.text }),
    el("button", { type: "button", class: "link-btn", "data-testid": "studio-chat-delete", text: t("studio.delete"),
      onclick: () => request("chat.delete", { broadcastId: studio.broadcast.id, messageId: m.messageId }).catch(() => {}) }),
    m.viewerId && !m.fromStage ? el("button", { type: "button", class: "link-btn", "data-testid": "studio-chat-mute", text: t("studio.mute"),
      onclick: () => moderate("viewer.mute", { viewerId: m.viewerId, muted: true }) }) : null)));
}

/** For tests: the stage leg's RTCPeerConnection and where the studio is. */
export const studioPeerConnection = () => studio.lastMedia?.pc ?? null;
export const studioState = () => studio.state;
