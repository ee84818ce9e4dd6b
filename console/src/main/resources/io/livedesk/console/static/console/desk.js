/*
 * LiveDesk staff desk (ES module). Served at /console/; talks to /ws (protocol v1) and /api/*.
 * This file wires the panels (panels/*.js) to the page and to the server's messages; the session and
 * the call's media are the shared client in /client/, also used by the customer widget.
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
 *             desk-remote-label (who the main video is: "Li Wei · Customer"), desk-remote-tiles (one tile
 *             desk-remote-tile per further participant, data-stream, with its label desk-tile-label),
 *             desk-participants (who is in the call); notices (a supervisor joined or left) are desk-toasts,
 *             transfer: desk-transfer-topic (select), desk-transfer (button), desk-transfer-status
 *             desk-peer-status (shown over the video while the other party reconnects)
 *   ended:    desk-ended, desk-end-reason, desk-back
 *   supervisor: desk-live (panel), desk-live-calls (list; items desk-live-call with data-call-id), inside
 *             an item desk-live-customer, desk-join (listen in, unannounced) and desk-barge (join with camera
 *             and microphone),
 *             desk-live-refresh
 *   bridges:  desk-bridges (panel, supervisors), desk-bridges-list (rows desk-bridge with data-bridge-id and
 *             data-state = up|draining|down|shutting-down, each with desk-bridge-drain or desk-bridge-undrain),
 *             desk-bridges-note (errors and notices), desk-bridges-refresh
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
 *   studio:   studio (the livestream section, for tokens with the livestream permission, and for a colleague on
 *             stage): studio-state; own broadcasts: studio-own (items studio-own-item, data-broadcast-id, data-state,
 *             with studio-own-open), studio-own-refresh, studio-new; the form: studio-title, studio-description,
 *             studio-language, studio-topic, studio-when, studio-cover, studio-form-error, studio-create;
 *             the broadcast: studio-session, studio-name, studio-badge, studio-link, studio-preview, studio-stage
 *             (videos studio-stage-video), studio-camera, studio-screen, studio-golive, studio-end (press twice:
 *             the first arms it), studio-count, studio-likes, studio-stage-names, studio-record; on stage:
 *             studio-card-current, studio-card-name, studio-card-line, studio-card-url, studio-card-topic,
 *             studio-card-pin, studio-card-unpin; studio-cohosts (items studio-cohost, data-staff-id, with
 *             studio-cohost-remove), studio-cohost-id, studio-cohost-add; studio-chat (items studio-chat-msg,
 *             data-message-id, data-viewer-id, with studio-chat-delete, studio-chat-mute, studio-chat-remove),
 *             studio-chat-input, studio-chat-send; studio-viewers (items studio-viewer, data-viewer-id, with
 *             studio-mute, studio-remove), studio-viewers-refresh, studio-viewers-prev, studio-viewers-next,
 *             studio-viewers-range; invited on stage: studio-invitation, studio-join-stage, studio-decline-stage,
 *             then studio-leave-stage; offers from a livestream: desk-offer-origin, desk-customer-origin;
 *             demo sign-in: desk-permission-livestream
 * Script API: window.LiveDeskDesk = { state(), peerStatus(), peerConnection(), offers(), captions(), alerts(),
 * studioPeerConnection(), studioState() }; the last
 * RTCPeerConnection stays reachable after a call ends, until the next call starts. captions() returns the
 * rendered caption lines [{speaker, speakerId, text, final}] in display order; alerts() the alerts
 * received, newest first [{alertId, callId, rule, ruleId, text, speaker, at, staff, customer}].
 */
import { t, getLang, setLang, onLangChange, translate } from "./i18n.js";
import { desk, deskState, render, setRenderers } from "./store.js";
import { $, errorToast } from "./ui.js";
import { applyPresence, setStatus, renderHeader, renderIdle } from "./panels/presence.js";
import { offers, addOffer, onRevoked, renderOffers } from "./panels/offers.js";
import { startCall, restartCall, endCall, hangup, onParticipants, onPeer, peerStatus, toggleMic, toggleCamera, renderCall,
  renderEnded, tickEnded, peerConnection } from "./panels/call.js";
import { transferCall, onTransferFailed, loadColleagues, renderTransfer } from "./panels/transfer.js";
import { renderCustomer, renderProfile } from "./panels/customer.js";
import { onCaption, onCaptionStatus, renderCaptions, captionLines } from "./panels/captions.js";
import { loadRecent, renderRecent } from "./panels/history.js";
import { loadCallbacks, renderCallbacks } from "./panels/callbacks.js";
import { loadLive, renderLive } from "./panels/live.js";
import { loadBridges, renderBridges, BRIDGES_REFRESH_MS } from "./panels/bridges.js";
import { onWallboard, renderWallboard, tickWallboard } from "./panels/wallboard.js";
import { onAlert, clearAlerts, renderAlerts, alertList } from "./panels/alerts.js";
import { renderTranscript, downloadTranscript, closeTranscript, onTranscriptClosed } from "./panels/transcript.js";
import { renderStudio, onStudioMessage, studioPeerConnection, studioState } from "./panels/studio.js";
import { signIn, signOut, onTokenSubmit, onDemoSubmit, recalled, TOKEN_KEY, ADMIN_KEY } from "./panels/signin.js";

const TICK_MS = 250;
const LIVE_REFRESH_MS = 5000;

const state = () => deskState(desk, offers.size);

setRenderers([
  () => renderHeader(state()),
  () => renderIdle(offers.size),
  renderCall,
  () => { if (desk.call) renderTransfer(); },
  renderCaptions,
  renderEnded,
  renderCustomer,
  renderProfile,
  renderRecent,
  renderCallbacks,
  renderLive,
  renderWallboard,
  renderBridges,
  renderAlerts,
  renderTranscript,
  renderOffers,
  renderStudio,
  () => { document.title = state() === "ringing" ? t("title.ringing") : t("app.title"); }
]);

function onMessage(msg) {
  const ours = desk.call && msg.callId === desk.call.callId;
  switch (msg.type) {
    case "presence": applyPresence(desk.presence, msg); render(); break;
    case "offer": addOffer(msg); break;
    case "offer.revoked": onRevoked(msg); break;
    case "call.started": startCall(msg); break;
    case "call.signal": if (ours) desk.call.handleSignal(msg); break;
    // Bridge mode: the others' tracks changed; offer our leg again to receive them.
    case "call.renegotiate": if (ours) desk.call.renegotiate(msg.receive, msg.iceRestart); break;
    case "call.transfer.failed": onTransferFailed(msg); break;
    case "call.participants": onParticipants(msg); break;
    // A party dropped (page closed, network or media lost) or came back, within the reconnect grace.
    case "call.peer": onPeer(msg); break;
    case "call.restart": restartCall(msg); break;
    case "call.ended": if (ours) endCall(msg.reason, false, msg.times); break;
    case "call.caption": onCaption(msg); break;
    case "call.caption.status": onCaptionStatus(msg); break;
    case "alert": onAlert(msg); break;
    case "wallboard": onWallboard(msg); break;
    case "callbacks.changed": loadCallbacks(); break;
    case "error":
      if (msg.code !== "rate_limited") console.warn("[LiveDesk]", msg.code, msg.message);
      errorToast(msg);
      break;
    default: onStudioMessage(msg); break;
  }
}

function tick() {
  renderOffers();
  if (desk.call) renderCall();
  tickEnded();
  tickWallboard();
}

function init() {
  // Admin key from the console link (#key=...): keep it for this tab, then take it out of the address bar.
  const key = new URLSearchParams(location.hash.replace(/^#/, "")).get("key");
  if (key) {
    try { sessionStorage.setItem(ADMIN_KEY, key); } catch { /* ignore */ }
    history.replaceState(null, "", location.pathname + location.search);
  }
  const savedKey = key || recalled(ADMIN_KEY);
  if (savedKey) $("demo-key").value = savedKey;

  $("token-form").addEventListener("submit", (e) => onTokenSubmit(e, onMessage));
  $("demo-form").addEventListener("submit", (e) => onDemoSubmit(e, onMessage));
  $("lang-toggle").addEventListener("click", () => setLang(getLang() === "zh" ? "en" : "zh"));
  $("signout").addEventListener("click", () => signOut(""));
  for (const b of document.querySelectorAll("#status-switch button")) {
    b.addEventListener("click", () => setStatus(b.dataset.status));
  }
  $("go-available").addEventListener("click", () => setStatus("available"));
  $("hangup").addEventListener("click", hangup);
  $("mute").addEventListener("click", toggleMic);
  $("camera").addEventListener("click", toggleCamera);
  $("back-to-desk").addEventListener("click", () => { desk.ended = null; render(); });
  $("recent-refresh").addEventListener("click", loadRecent);
  $("callbacks-refresh").addEventListener("click", loadCallbacks);
  $("live-refresh").addEventListener("click", loadLive);
  $("bridges-refresh").addEventListener("click", loadBridges);
  $("transfer-form").addEventListener("submit", transferCall);
  $("transfer-topic").addEventListener("focus", loadColleagues);
  $("alerts-clear").addEventListener("click", clearAlerts);
  $("transcript-download").addEventListener("click", downloadTranscript);
  $("transcript-x").addEventListener("click", closeTranscript);
  $("transcript-dialog").addEventListener("close", onTranscriptClosed);
  setInterval(() => { if (!desk.call) loadLive(); }, LIVE_REFRESH_MS);
  setInterval(loadBridges, BRIDGES_REFRESH_MS);
  onLangChange(() => render());

  translate(document);
  render();
  setInterval(tick, TICK_MS);

  const saved = recalled(TOKEN_KEY);
  if (saved) {
    $("token-input").value = "";
    signIn(saved, onMessage);
  }
}

window.LiveDeskDesk = {
  state,
  peerStatus,
  peerConnection,
  offers: () => [...offers.keys()],
  captions: captionLines,
  alerts: alertList,
  studioPeerConnection,
  studioState
};

init();
