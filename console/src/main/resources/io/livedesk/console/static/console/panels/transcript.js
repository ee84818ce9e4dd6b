// The transcript dialog of a past call. Fetched with the bearer token in a header, never in a URL; the
// download is a blob of the text format.
import { t } from "../i18n.js";
import { el } from "../../client/dom.js";
import { fmtDuration } from "../../client/format.js";
import { api } from "../store.js";
import { speakerLabel, locale } from "../names.js";
import { $, toast } from "../ui.js";

const REVOKE_AFTER_MS = 10000;

let transcript = null; // {callId, name, when, lines, error, opener} while the dialog is open

export function transcriptPath(callId) {
  return "/api/calls/" + encodeURIComponent(callId) + "/transcript";
}

/** A file name for the download that no file system objects to. */
export function transcriptFileName(callId) {
  return "transcript-" + callId.replace(/[^A-Za-z0-9._-]/g, "_") + ".txt";
}

export async function openTranscript(r, opener) {
  if (!r.callId) return;
  transcript = { callId: r.callId, name: r.customer?.name || r.customer?.id || "", when: r.answeredAt || r.enqueuedAt,
    lines: null, error: false, opener };
  renderTranscript();
  const dialog = $("transcript-dialog");
  if (!dialog.open) dialog.showModal();
  try {
    const j = await api.get(transcriptPath(r.callId));
    if (transcript?.callId !== r.callId) return;
    transcript.lines = Array.isArray(j?.lines) ? j.lines : [];
  } catch (e) {
    if (transcript?.callId !== r.callId) return;
    transcript.error = true;
  }
  renderTranscript();
}

export function renderTranscript() {
  const tr = transcript;
  if (!tr) return;
  const loc = locale();
  const when = tr.when ? new Date(tr.when) : null;
  $("transcript-sub").textContent = t("transcript.sub", { name: tr.name || "—",
    time: when && !isNaN(when) ? when.toLocaleString(loc, { dateStyle: "medium", timeStyle: "short" }) : "" });
  $("transcript-note").textContent = tr.error ? t("transcript.error") : !tr.lines ? t("transcript.loading")
    : tr.lines.length === 0 ? t("transcript.empty") : "";
  $("transcript-download").disabled = !tr.lines || tr.lines.length === 0;
  $("transcript-lines").replaceChildren(...(tr.lines || []).map((l) => {
    const stamp = typeof l.offsetMs === "number" ? fmtDuration(l.offsetMs)
      : l.startedAt ? new Date(l.startedAt).toLocaleTimeString(loc) : "";
    return el("li", { class: "transcript-line", "data-testid": "desk-transcript-line", "data-speaker": l.speaker || "", "data-seq": l.seq },
      el("span", { class: "tl-time", text: stamp }),
      el("span", { class: "cap-who", text: speakerLabel(l.speaker, l.speakerId) }),
      el("span", { class: "tl-text", text: l.text || "" }));
  }));
}

export async function downloadTranscript() {
  const tr = transcript;
  if (!tr) return;
  $("transcript-download").disabled = true;
  try {
    const url = URL.createObjectURL(await api.blob(transcriptPath(tr.callId) + "?format=text"));
    const a = el("a", { href: url, download: transcriptFileName(tr.callId), hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
  } catch (e) {
    toast(t("transcript.downloadError"), "error");
  } finally {
    renderTranscript();
  }
}

export function closeTranscript() {
  const dialog = $("transcript-dialog");
  if (dialog.open) dialog.close();
}

/** The dialog closed: focus goes back to the button that opened it. */
export function onTranscriptClosed() {
  const opener = transcript?.opener;
  transcript = null;
  if (opener?.isConnected) opener.focus();
}
