// Live captions of our call (staff, or a supervisor in it). Finished lines are appended and announced
// (aria-live); each speaker's partial line sits below them, aria-hidden while it changes, and is replaced
// by its final. The DOM is changed in place, never rebuilt, so screen readers hear each line once.
import { t, has } from "../i18n.js";
import { el } from "../../client/dom.js";
import { desk } from "../store.js";
import { speakerLabel } from "../names.js";
import { $ } from "../ui.js";

export const CAPTION_LINES_KEPT = 100;
const NEAR_BOTTOM_PX = 40;

let captions = { callId: null, status: null };

export function captionKey(msg) {
  return (msg.speaker || "") + "|" + (msg.speakerId || "");
}

/** The status line's content for a call.caption.status, or null while captions work. */
export function captionStatus(msg) {
  return msg.status === "active" ? null : { status: msg.status, speaker: msg.speaker || null };
}

export function captionsCallId() {
  return captions.callId;
}

export function resetCaptions(callId) {
  captions = { callId, status: null };
  $("caption-list").replaceChildren();
  renderCaptions();
}

function item(msg, final) {
  return el("li", {
    class: "caption" + (final ? "" : " partial"), "data-testid": "desk-caption", "data-speaker": msg.speaker || "",
    "data-speaker-id": msg.speakerId || "", "data-final": String(final), "data-key": captionKey(msg),
    "aria-hidden": final ? null : "true"
  }, el("span", { class: "cap-who", text: speakerLabel(msg.speaker, msg.speakerId) }),
  el("span", { class: "cap-text", text: String(msg.text || "") }));
}

function forOurCall(msg) {
  if (!desk.call || msg.callId !== desk.call.callId) return false;
  if (captions.callId !== msg.callId) resetCaptions(msg.callId);
  return true;
}

export function onCaption(msg) {
  if (typeof msg.text !== "string" || !forOurCall(msg)) return;
  const list = $("caption-list");
  const box = $("caption-scroll");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < NEAR_BOTTOM_PX;
  const key = captionKey(msg);
  const partial = [...list.querySelectorAll("li.partial")].find((li) => li.dataset.key === key);
  if (msg.final === true) {
    partial?.remove();
    list.insertBefore(item(msg, true), list.querySelector("li.partial"));
    const finals = list.querySelectorAll("li:not(.partial)");
    for (let i = 0; i < finals.length - CAPTION_LINES_KEPT; i++) finals[i].remove();
  } else if (partial) {
    partial.querySelector(".cap-text").textContent = msg.text;
  } else {
    list.append(item(msg, false));
  }
  renderCaptions();
  if (atBottom) box.scrollTop = box.scrollHeight;
}

export function onCaptionStatus(msg) {
  if (!forOurCall(msg)) return;
  captions.status = captionStatus(msg);
  renderCaptions();
}

// Labels (they follow the language) and the status line; the lines themselves are kept as they are.
export function renderCaptions() {
  $("captions").hidden = !desk.call;
  const list = $("caption-list");
  for (const li of list.children) {
    li.querySelector(".cap-who").textContent = speakerLabel(li.dataset.speaker, li.dataset.speakerId);
  }
  $("captions-empty").hidden = list.children.length > 0;
  const st = captions.status;
  const status = $("captions-status");
  if (!st) {
    status.textContent = "";
  } else {
    const text = has("captions.status." + st.status) ? t("captions.status." + st.status) : String(st.status);
    status.textContent = st.speaker ? t("captions.status.for", { who: speakerLabel(st.speaker), status: text }) : text;
  }
  status.dataset.status = st?.status || "";
}

/** The rendered caption lines, in display order (window.LiveDeskDesk.captions()). */
export function captionLines() {
  return [...$("caption-list").children].map((li) => ({
    speaker: li.dataset.speaker, speakerId: li.dataset.speakerId || null,
    text: li.querySelector(".cap-text").textContent, final: li.dataset.final === "true"
  }));
}
