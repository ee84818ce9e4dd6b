// The call in progress (video stage, controls, who is in it) and the "call ended" panel after it.
import { t, has } from "../i18n.js";
import { el } from "../../client/dom.js";
import { renderMediaToggles, setIcon } from "../../client/icons.js";
import { fmtDuration, initials, endTone } from "../../client/format.js";
import { createCall } from "../../client/call.js";
import { desk, render } from "../store.js";
import { reasonText } from "../names.js";
import { $, toast } from "../ui.js";
import { offerOf, settle } from "./offers.js";
import { resetCaptions, captionsCallId } from "./captions.js";
import { loadRecent } from "./history.js";
import { resetTransfer } from "./transfer.js";
import { customerName } from "./customer.js";
import { loadBrief } from "./brief.js";
import { showTile, dropTiles, tileStreams, labelTiles, clearTiles } from "./tiles.js";
import { participantLabel, participantOfStream, departedStreams, supervisorChanges, supervisorNotice } from "./people.js";

const ENDED_SHOW_MS = 6000;
const HANGUP_WAIT_MS = 4000;
const RECENT_RELOAD_MS = 700; // the server writes the call's record just after call.ended

const media = { micOn: true, camOn: true, conn: "new", error: false, mainStreamId: undefined };
let lastPc = null;
let callStart = null;  // the call.started of our call, to start it afresh on call.restart
let participants = null;
/** role ("customer", "staff") → "reconnecting", for the parties of our call who dropped and may come back. */
const away = new Map();

/** Our call's RTCPeerConnection, or the last one after it ended (window.LiveDeskDesk.peerConnection()). */
export function peerConnection() {
  return (desk.call ? desk.call.pc : lastPc) || null;
}

/** The note under the video: monitoring, or who is in the call when more than two or a supervisor is. */
export function participantsNote(list, supervising, tr = t) {
  if (supervising === "monitor") return tr("call.monitoring");
  const people = (list || []).filter((p) => p.role !== "customer" || supervising);
  return people.length > 2 || supervising
    ? tr("call.participants", { list: people.map((p) => p.name || tr("role." + p.role)).join(" · ") }) : "";
}

export function startCall(msg) {
  if (desk.call && desk.call.callId === msg.callId && !desk.call.closed) return;
  if (desk.call) endCall("staff_hangup", true);
  const offer = offerOf(msg.callId);
  settle(msg.callId);
  desk.callInfo = { callId: msg.callId, peer: msg.peer || {}, offer, supervising: msg.supervising || null, times: msg.times };
  loadBrief(msg.callId, true);
  callStart = msg;
  resetTransfer();
  participants = null;
  away.clear();
  if (captionsCallId() !== msg.callId) resetCaptions(msg.callId); // a restarted call keeps its captions
  clearTiles();
  desk.ended = null;
  Object.assign(media, { micOn: true, camOn: true, conn: "new", error: false });
  const remote = $("remote-video"), local = $("local-video");
  remote.srcObject = null;
  local.srcObject = null;
  local.muted = true;
  $("hangup").disabled = false;
  const call = createCall(msg, {
    signal: (p) => {
      desk.session?.request("call.signal", { callId: call.callId, ...p }).catch((err) => {
        if (err.code !== "network") console.warn("[LiveDesk] signal", err.code, err.message);
      });
    },
    local: (stream) => { local.srcObject = stream; local.play().catch(() => {}); render(); },
    remote: (stream, track, from) => showRemote(stream, from, track),
    mediaError: (e) => { console.warn("[LiveDesk] media", e?.name); media.error = true; render(); },
    state: (s) => { media.conn = s; render(); },
    error: (e) => console.warn("[LiveDesk] webrtc", e)
  });
  // The talk time counts on from the server's, so every screen shows the same (a resumed call's too).
  call.startedAt = Date.now() - (msg.times?.talkMs || 0);
  desk.call = call;
  lastPc = call.pc;
  $("remote-placeholder").hidden = false;
  if (msg.participants) onParticipants(msg);
  render();
  $("hangup").focus();
}

// The customer's page came back on a new connection: offer the media to it afresh.
export function restartCall(msg) {
  if (!desk.call || msg.callId !== desk.call.callId || !callStart) return;
  const start = callStart;
  const startedAt = desk.call.startedAt; // the talk time goes on
  endCall("restart", true);
  startCall(start);
  if (desk.call) desk.call.startedAt = startedAt;
}

/** Who of the call dropped (page closed, network lost) and is back: the stage says so instead of freezing. */
export function onPeer(msg) {
  if (!desk.call || msg.callId !== desk.call.callId) return;
  if (msg.status === "reconnecting") away.set(msg.role, msg.status);
  else away.delete(msg.role);
  render();
}

/** "reconnecting" while a party of our call is away, else "connected" (window.LiveDeskDesk.peerStatus()). */
export function peerStatus() {
  return desk.call && away.size ? "reconnecting" : "connected";
}

// Also call.started's list. The staff member hears of a supervisor barging in or leaving; a supervisor's own
// desk does not announce colleagues.
export function onParticipants(msg) {
  if (!desk.call || msg.callId !== desk.call.callId) return;
  const next = Array.isArray(msg.participants) ? msg.participants : [];
  if (!desk.callInfo?.supervising) {
    for (const c of supervisorChanges(participants, next)) toast(supervisorNotice(c, t), "info");
  }
  participants = next;
  dropTiles(departedStreams(tileStreams(), next));
  render();
}

// The customer's media fills the stage (the first participant's, when the server does not say which stream
// is theirs); each further one (a supervisor's view of the staff member, or a supervisor who joined) gets a
// labelled tile of its own, keyed by the sender's stream.
function showRemote(all, from, track) {
  const remote = $("remote-video");
  const main = media.mainStreamId ??= desk.callInfo?.peer?.stream ?? from?.id ?? "all";
  if (!from || from.id === main) {
    if (remote.srcObject !== all && !from) remote.srcObject = all;
    if (from && remote.srcObject !== from) remote.srcObject = from;
    $("remote-placeholder").hidden = (remote.srcObject?.getVideoTracks().length || 0) > 0;
    remote.play().catch(() => { remote.muted = true; remote.play().catch(() => {}); });
    return;
  }
  showTile(from, track);
}

export async function hangup() {
  const call = desk.call;
  if (!call) return;
  $("hangup").disabled = true;
  const fallback = setTimeout(() => { if (desk.call === call) endCall("staff_hangup"); }, HANGUP_WAIT_MS);
  try {
    await desk.session.request("call.hangup", { callId: call.callId }); // reply call.ended → desk.js
  } catch (err) {
    if (desk.call === call) endCall("staff_hangup");
  } finally {
    clearTimeout(fallback);
  }
}

/** @param times the server's final wait and talk time (call.ended), when it sent them */
export function endCall(reason, silent = false, times = null) {
  const call = desk.call;
  if (!call) return;
  call.close();
  lastPc = call.pc;
  desk.call = null;
  away.clear();
  media.mainStreamId = undefined;
  resetTransfer();
  clearTiles();
  $("remote-video").srcObject = null;
  $("local-video").srcObject = null;
  if (!silent) {
    desk.ended = { reason: reason || "other", talkMs: times?.talkMs ?? Date.now() - call.startedAt, until: Date.now() + ENDED_SHOW_MS };
    setTimeout(loadRecent, RECENT_RELOAD_MS);
  }
  render();
  if (!silent) $("back-to-desk").focus();
}

export function toggleMic() {
  media.micOn = !media.micOn;
  desk.call?.setMic(media.micOn);
  renderCall();
}

export function toggleCamera() {
  media.camOn = !media.camOn;
  desk.call?.setCamera(media.camOn);
  renderCall();
}

export function renderCall() {
  $("call-panel").hidden = !desk.call;
  if (!desk.call) return;
  const name = customerName(desk.callInfo);
  $("call-peer").textContent = participantLabel({ role: "customer", ...desk.callInfo?.peer, name }, t);
  labelTiles((stream) => participantLabel(participantOfStream(participants, stream), t));
  $("remote-avatar").textContent = initials(name);
  $("remote-placeholder-text").textContent = desk.call.localStream || media.error ? t("call.waitingVideo") : t("call.startingCamera");
  // While a party is away the call is on hold, not running on.
  const lost = [...away.keys()];
  $("peer-lost").hidden = !lost.length;
  $("peer-lost-text").textContent = lost.length ? t("call.peerReconnecting." + (lost.includes("customer") ? "customer" : "staff")) : "";
  $("call-timer").textContent = lost.length ? t("call.timerReconnecting") : fmtDuration(Date.now() - desk.call.startedAt);
  const cs = media.conn || "new";
  $("call-conn").textContent = has("conn." + cs) ? t("conn." + cs) : cs;
  $("call-conn").dataset.conn = cs;
  $("media-error").hidden = !media.error;
  const note = $("call-note");
  note.textContent = participantsNote(participants, desk.callInfo?.supervising);
  note.hidden = !note.textContent;
  renderMediaToggles($("mute"), $("camera"), media.micOn, media.camOn, t);
}

export function renderEnded() {
  const show = !!desk.ended && !desk.call;
  $("ended-panel").hidden = !show;
  if (!show) return;
  const tone = endTone(desk.ended.reason);
  $("ended-icon").classList.toggle("neutral", tone === "neutral");
  setIcon($("ended-icon"), tone === "ok" ? "check" : "info");
  $("ended-reason").textContent = reasonText(desk.ended.reason);
  $("ended-talk").textContent = t("ended.talk", { d: fmtDuration(desk.ended.talkMs) });
  $("ended-countdown").textContent = t("ended.returning", { s: Math.max(0, Math.ceil((desk.ended.until - Date.now()) / 1000)) });
}

/** Once a second or so: the ended panel counts down, then the desk goes back to idle. */
export function tickEnded() {
  if (!desk.ended || desk.call) return;
  if (Date.now() >= desk.ended.until) { desk.ended = null; render(); }
  else renderEnded();
}
