// The widget's DOM: built once inside an open shadow root (build), then brought up to date from the
// widget's state (render). Test hooks are the data-testid attributes listed in ../widget.js.
import { el } from "../client/dom.js";
import { icon, renderMediaToggles, setIcon } from "../client/icons.js";
import { fmtDuration, initials, endTone } from "../client/format.js";
import { STRINGS, LANG_NAMES } from "./strings.js";
import { CSS } from "./styles.js";

export function build(w) {
  const host = el("div", { id: "livedesk-widget", "data-testid": "ld-host", "data-state": "idle" });
  w.host = host;
  w.root = host.attachShadow({ mode: "open" });
  w.root.appendChild(el("style", { text: CSS }));
  const E = w.el = {};
  const on = (fn) => (e) => fn.call(w, e);

  E.launch = el("button", { class: "launch", type: "button", "data-testid": "ld-launch", "aria-haspopup": "dialog",
    "aria-expanded": "false", "aria-controls": "ld-panel", onclick: on(w.open) },
    icon("video"), E.launchText = el("span"), E.badge = el("span", { class: "badge", hidden: true }));
  if (w.opts.launcher === false) E.launch.hidden = true;

  // header
  E.status = el("p", { class: "status", id: "ld-status", "data-testid": "ld-status", "data-state": "idle", role: "status", "aria-live": "polite" },
    el("span", { class: "dot", "aria-hidden": "true" }), E.statusText = el("span"));
  E.langBtn = el("button", { class: "icon-btn", type: "button", "data-testid": "ld-lang-toggle", onclick: on(function () { w.setLang(w.lang === "zh" ? "en" : "zh"); }) });
  E.minBtn = el("button", { class: "icon-btn", type: "button", "data-testid": "ld-minimize", onclick: on(w.close) }, icon("minimize"));
  const head = el("header", { class: "head" },
    el("div", { class: "head-main" }, el("div", { class: "logo" }, icon("video")),
      el("div", { style: "min-width:0" }, E.title = el("h2", { id: "ld-title" }), E.status)),
    el("div", { class: "head-actions" }, E.langBtn, E.minBtn));
  E.banner = el("div", { class: "banner", role: "alert", "data-testid": "ld-banner", hidden: true });

  // form
  E.name = el("input", { id: "ld-name", "data-testid": "ld-name", type: "text", autocomplete: "name", maxlength: "80", required: true });
  if (w.opts.name) E.name.value = String(w.opts.name);
  E.nameField = el("div", { class: "field" }, E.nameLabel = el("label", { for: "ld-name" }), E.name);
  if (!w.opts.askName) E.nameField.hidden = true;
  E.topic = el("select", { id: "ld-topic", "data-testid": "ld-topic", required: true });
  E.topic.addEventListener("change", function () { w.topicChosen = true; });
  E.topicField = el("div", { class: "field" }, E.topicLabel = el("label", { for: "ld-topic" }), E.topic);
  E.language = el("select", { id: "ld-language", "data-testid": "ld-language" });
  E.languageField = el("div", { class: "field" }, E.languageLabel = el("label", { for: "ld-language" }), E.language);
  E.formError = el("p", { class: "form-error", "data-testid": "ld-form-error", role: "alert" });
  E.start = el("button", { class: "btn primary block", type: "submit", "data-testid": "ld-start" }, icon("video"), E.startText = el("span"));
  E.form = el("form", { class: "view", novalidate: true, onsubmit: on(function (e) { e.preventDefault(); w.start(); }) },
    E.formNotice = el("p", { class: "form-notice", "data-testid": "ld-notice", role: "status" }),
    E.intro = el("p", { class: "intro" }), E.nameField, E.topicField, E.languageField, E.formError, E.start,
    el("p", { class: "note" }, icon("shield"), E.privacy = el("span")));

  // waiting (connecting / queued / ringing)
  E.ring = el("div", { class: "ring", "aria-hidden": "true" });
  E.queue = el("p", { class: "queue", id: "ld-queue", "data-testid": "ld-queue", "aria-live": "polite" });
  E.eta = el("p", { class: "eta", "data-testid": "ld-eta" });
  E.waitSub = el("p", { class: "sub" });
  E.cancel = el("button", { class: "btn secondary", type: "button", "data-testid": "ld-cancel", onclick: on(w.cancel) });
  E.wait = el("div", { class: "view center" }, E.ring, E.queue, E.eta, E.waitSub, E.cancel);

  // before queueing: nobody free or closed (or the maximum wait reached): wait, or ask for a callback
  E.choiceTitle = el("p", { class: "queue", "data-testid": "ld-choice-reason" });
  E.choiceSub = el("p", { class: "sub", "data-testid": "ld-choice-sub" });
  E.choiceWait = el("button", { class: "btn secondary", type: "button", "data-testid": "ld-choice-wait", onclick: on(w.waitAnyway) });
  E.choiceCallback = el("button", { class: "btn primary", type: "button", "data-testid": "ld-choice-callback", onclick: on(w.toCallbackForm) });
  E.choiceBack = el("button", { class: "btn link", type: "button", "data-testid": "ld-choice-back", onclick: on(w.restart) });
  E.choice = el("div", { class: "view center", "data-testid": "ld-choice" }, el("div", { class: "big-icon neutral" }, icon("info")),
    E.choiceTitle, E.choiceSub, el("div", { class: "actions" }, E.choiceCallback, E.choiceWait), E.choiceBack);

  // the callback request form
  E.cbName = el("input", { id: "ld-cb-name", "data-testid": "ld-cb-name", type: "text", autocomplete: "name", maxlength: "100" });
  E.cbPhone = el("input", { id: "ld-cb-phone", "data-testid": "ld-cb-phone", type: "tel", autocomplete: "tel", inputmode: "tel", maxlength: "32" });
  E.cbWhen = el("input", { id: "ld-cb-when", "data-testid": "ld-cb-when", type: "text", maxlength: "100" });
  E.cbNote = el("textarea", { id: "ld-cb-note", "data-testid": "ld-cb-note", rows: "2", maxlength: "500" });
  E.cbError = el("p", { class: "form-error", "data-testid": "ld-cb-error", role: "alert" });
  E.cbSend = el("button", { class: "btn primary block", type: "submit", "data-testid": "ld-cb-send" }, icon("headset"), E.cbSendText = el("span"));
  E.cbBack = el("button", { class: "btn link", type: "button", "data-testid": "ld-cb-back", onclick: on(w.restart) });
  E.cbForm = el("form", { class: "view", novalidate: true, "data-testid": "ld-cb-form", onsubmit: on(function (e) { e.preventDefault(); w.sendCallback(); }) },
    E.cbTitle = el("h3"), E.cbIntro = el("p", { class: "intro" }),
    el("div", { class: "field" }, E.cbNameLabel = el("label", { for: "ld-cb-name" }), E.cbName),
    el("div", { class: "field" }, E.cbPhoneLabel = el("label", { for: "ld-cb-phone" }), E.cbPhone),
    el("div", { class: "field" }, E.cbWhenLabel = el("label", { for: "ld-cb-when" }), E.cbWhen),
    el("div", { class: "field" }, E.cbNoteLabel = el("label", { for: "ld-cb-note" }), E.cbNote),
    E.cbError, E.cbSend, E.cbBack);

  // the callback request was taken
  E.cbSentText = el("p", { class: "msg", "data-testid": "ld-cb-sent" });
  E.cbSentWhen = el("p", { class: "msg", style: "color:#5b6b7f" });
  E.cbDone = el("button", { class: "btn secondary", type: "button", "data-testid": "ld-cb-done", onclick: on(function () { w.restart(); w.close(); }) });
  E.cbSentView = el("div", { class: "view center" }, el("div", { class: "big-icon ok" }, icon("check")),
    E.cbSentTitle = el("h3"), E.cbSentText, E.cbSentWhen, el("div", { class: "actions" }, E.cbDone));

  // call
  E.remote = el("video", { class: "remote", "data-testid": "ld-remote-video", id: "ld-remote-video", autoplay: true, playsinline: true });
  E.local = el("video", { class: "local", "data-testid": "ld-local-video", id: "ld-local-video", autoplay: true, playsinline: true });
  E.local.muted = true;
  E.avatar = el("div", { class: "avatar", "aria-hidden": "true" });
  E.placeholderText = el("span");
  E.placeholder = el("div", { class: "placeholder" }, E.avatar, E.placeholderText);
  E.peer = el("div", { class: "peer" });
  E.timer = el("div", { class: "timer", "aria-hidden": "true" });
  E.sound = el("button", { class: "sound", type: "button", hidden: true, onclick: on(function () {
    w.el.remote.muted = false; w.el.remote.play().catch(function () {}); w.el.sound.hidden = true; }) });
  E.mediaError = el("div", { class: "media-error", role: "alert", hidden: true });
  E.mute = el("button", { class: "round", type: "button", "data-testid": "ld-mute", "aria-pressed": "false", onclick: on(w.toggleMic) });
  E.camera = el("button", { class: "round", type: "button", "data-testid": "ld-camera", "aria-pressed": "false", onclick: on(w.toggleCam) });
  E.hangup = el("button", { class: "round hang", type: "button", "data-testid": "ld-hangup", onclick: on(w.hangup) }, icon("hang"));
  E.note = el("p", { class: "call-note", "data-testid": "ld-call-note", role: "status", "aria-live": "polite", hidden: true });
  E.peerLost = el("div", { class: "peer-lost", "data-testid": "ld-peer-status", role: "status", "aria-live": "polite", hidden: true },
    el("div", { class: "spinner", "aria-hidden": "true" }), E.peerLostText = el("span"));
  E.callView = el("div", { class: "view call" },
    E.stage = el("div", { class: "stage" }, E.placeholder, E.remote, E.peerLost,
      el("div", { class: "overlay" }, E.peer, E.timer), E.local, E.sound),
    E.note, E.mediaError,
    el("div", { class: "controls" }, E.mute, E.camera, E.hangup));

  // ended
  E.endReason = el("p", { class: "msg", "data-testid": "ld-end-reason" });
  E.endDuration = el("p", { class: "msg", style: "color:#5b6b7f" });
  E.restart = el("button", { class: "btn primary", type: "button", "data-testid": "ld-restart", onclick: on(w.restart) });
  E.closeBtn = el("button", { class: "btn secondary", type: "button", "data-testid": "ld-close", onclick: on(function () { w.restart(); w.close(); }) });
  E.endIcon = el("div", { class: "big-icon ok", "data-testid": "ld-end-icon" });
  E.end = el("div", { class: "view center" }, E.endIcon,
    E.endTitle = el("h3"), E.endReason, E.endDuration, E.thanks = el("p", { class: "msg", style: "color:#5b6b7f" }),
    el("div", { class: "actions" }, E.restart, E.closeBtn));

  // error
  E.error = el("p", { class: "msg", "data-testid": "ld-error", role: "alert" });
  E.retry = el("button", { class: "btn primary", type: "button", "data-testid": "ld-retry", onclick: on(w.restart) });
  E.errView = el("div", { class: "view center" }, el("div", { class: "big-icon bad" }, icon("alert")),
    E.errTitle = el("h3"), E.error, el("div", { class: "actions" }, E.retry));

  E.panel = el("section", { class: "panel", id: "ld-panel", "data-testid": "ld-panel", role: "dialog", "aria-labelledby": "ld-title", hidden: true,
    onkeydown: on(function (e) { if (e.key === "Escape") w.close(); }) },
    head, E.banner,
    el("div", { class: "body" }, E.form, E.choice, E.cbForm, E.cbSentView, E.wait, E.callView, E.end, E.errView),
    el("footer", { class: "foot" }, icon("lock"), E.secure = el("span")));

  E.wrap = el("div", { class: "root" }, E.launch, E.panel);
  w.root.appendChild(E.wrap);
  (document.body || document.documentElement).appendChild(host);
  renderTopics(w);
  render(w);
}

export function renderTopics(w) {
  const E = w.el;
  const chosenTopic = E.topic.value, chosenLang = E.language.value;
  while (E.topic.firstChild) E.topic.removeChild(E.topic.firstChild);
  while (E.language.firstChild) E.language.removeChild(E.language.firstChild);
  (w.topics || []).forEach(function (t) {
    E.topic.appendChild(el("option", { value: t.id, text: w.topicName(t.id) }));
  });
  (w.languages || []).forEach(function (l) {
    E.language.appendChild(el("option", { value: l, text: LANG_NAMES[l] || l }));
  });
  const suggested = w.suggestedTopic();
  if (suggested && !w.topicChosen) E.topic.value = suggested;
  else if (chosenTopic && (w.topics || []).some(function (t) { return t.id === chosenTopic; })) E.topic.value = chosenTopic;
  const langs = w.languages || [];
  if (chosenLang && langs.indexOf(chosenLang) >= 0) E.language.value = chosenLang;
  else if (langs.indexOf(w.lang) >= 0) E.language.value = w.lang;
}

export function render(w) {
  const E = w.el, s = w.state, t = w.t.bind(w);
  const opened = !E.panel.hidden;
  w.host.setAttribute("data-state", s);
  const peerLost = s === "in-call" && w.peerStatus === "reconnecting";
  w.host.setAttribute("data-peer", peerLost ? "reconnecting" : "connected");
  w.host.setAttribute("lang", w.lang);
  E.wrap.setAttribute("lang", w.lang === "zh" ? "zh-CN" : "en");

  E.launchText.textContent = t("launch");
  E.launch.setAttribute("aria-label", t("launch"));
  E.launch.classList.toggle("open", opened);
  E.badge.hidden = !(s === "queued" || s === "ringing" || s === "in-call");
  E.badge.classList.toggle("live", s === "in-call");
  E.badge.textContent = s === "in-call" ? t("badgeCall") : s === "ringing" ? "…" : t("badgeQueued", { n: w.queue.position || "…" });

  E.title.textContent = t("title");
  E.status.setAttribute("data-state", s);
  E.statusText.textContent = s === "in-call" && w.peerName ? t("status.in-call.with", { name: w.peerName }) : t("status." + s);
  E.langBtn.textContent = t("langToggle");
  E.langBtn.setAttribute("aria-label", t("langToggleLabel"));
  E.langBtn.setAttribute("title", t("langToggleLabel"));
  E.minBtn.setAttribute("aria-label", t("minimize"));
  E.minBtn.setAttribute("title", t("minimize"));
  E.secure.textContent = t("secure");
  E.panel.classList.toggle("wide", s === "in-call");

  // banner
  E.banner.hidden = !w.notice;
  E.banner.textContent = w.notice ? t(w.notice) : "";

  // views
  E.form.hidden = s !== "idle";
  E.wait.hidden = !(s === "connecting" || s === "queued" || s === "ringing");
  E.callView.hidden = s !== "in-call";
  E.end.hidden = s !== "ended";
  E.errView.hidden = s !== "error";

  E.choice.hidden = s !== "choice";
  E.cbForm.hidden = s !== "callback";
  E.cbSentView.hidden = s !== "callback-sent";
  renderChoice(w, t);
  renderCallback(w, t);

  // form
  const haveTopics = !!(w.topics && w.topics.length);
  E.intro.textContent = t("intro");
  E.nameLabel.textContent = t("name");
  E.name.setAttribute("placeholder", t("namePh"));
  E.topicLabel.textContent = t("topic");
  E.languageLabel.textContent = t("language");
  E.topicField.hidden = !haveTopics;
  E.languageField.hidden = !haveTopics;
  E.startText.textContent = haveTopics || w.welcome ? t("start") : t("continue");
  E.privacy.textContent = t("privacy");
  E.formError.textContent = w.formErrorKey ? t(w.formErrorKey) : "";
  E.formNotice.hidden = !w.formNoticeKey;
  E.formNotice.textContent = w.formNoticeKey ? t(w.formNoticeKey) : "";

  // waiting
  E.wait.classList.toggle("ringing", s === "ringing");
  while (E.ring.firstChild) E.ring.removeChild(E.ring.firstChild);
  if (s === "connecting") {
    E.ring.appendChild(el("div", { class: "spinner" }));
    E.queue.textContent = t("connectingGeneric");
    E.eta.textContent = "";
    E.waitSub.textContent = "";
  } else if (s === "ringing") {
    E.ring.appendChild(icon("headset"));
    E.queue.textContent = t("ringing");
    E.eta.textContent = "";
    E.waitSub.textContent = t("ringingSub");
  } else if (s === "queued") {
    const p = w.queue.position;
    E.ring.appendChild(el("span", { class: "pos", text: p ? String(p) : "…" }));
    E.queue.textContent = p === 1 ? t("positionNext") : t("position", { n: p || "…" });
    const eta = w.queue.etaSeconds;
    E.eta.textContent = typeof eta === "number" ? t("eta", { t: eta < 60 ? t("etaSoon") : t("etaMin", { n: Math.round(eta / 60) }) }) : "";
    E.waitSub.textContent = t("queuedSub");
  }
  E.cancel.textContent = t("cancel");
  E.cancel.hidden = s === "connecting";

  // call
  E.avatar.textContent = initials(w.peerName);
  E.placeholderText.textContent = w.call && !w.call.localStream && !w.mediaErrorShown ? t("startingCamera") : t("waitingVideo");
  E.peer.textContent = w.peerName || t("advisor");
  E.sound.textContent = t("tapSound");
  E.mediaError.textContent = t("mediaError");
  E.peerLost.hidden = !peerLost;
  E.peerLostText.textContent = peerLost ? t("peerReconnecting") : "";
  renderMediaToggles(E.mute, E.camera, w.micOn, w.camOn, t);
  E.hangup.setAttribute("aria-label", t("hangup"));
  E.hangup.setAttribute("title", t("hangup"));
  renderTimer(w);

  // ended / error
  const tone = endTone(w.endReason);
  E.endIcon.className = "big-icon " + tone;
  setIcon(E.endIcon, tone === "ok" ? "check" : "info");
  E.endTitle.textContent = s === "ended" && w.endReason === "customer_cancelled" ? t("status.ended") : t("endedTitle");
  E.endReason.textContent = w.endReason ? (STRINGS.en["reason." + w.endReason] ? t("reason." + w.endReason) : t("reason.other")) : "";
  E.endDuration.textContent = w.endDuration != null ? t("duration", { d: fmtDuration(w.endDuration) }) : "";
  E.thanks.textContent = t("thanks");
  E.restart.textContent = t("restart");
  E.closeBtn.textContent = t("close");
  E.errTitle.textContent = t("status.error");
  E.error.textContent = w.errorKey ? t(w.errorKey) : t("err.generic");
  E.retry.textContent = t("retry");
}

/** When a closed queue opens, in the customer's words: "today at 09:00", or a weekday and time. */
function whenText(iso, lang) {
  const at = new Date(iso);
  if (isNaN(at.getTime())) return null;
  const locale = lang === "zh" ? "zh-CN" : "en-GB";
  const sameDay = at.toDateString() === new Date().toDateString();
  const time = at.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
  return sameDay ? (lang === "zh" ? "今天 " + time : "today at " + time)
    : at.toLocaleDateString(locale, { weekday: "long" }) + (lang === "zh" ? " " : " at ") + time;
}

function renderChoice(w, t) {
  const E = w.el, c = w.choice;
  if (!c) return;
  E.choiceWait.hidden = c.reason === "closed";
  E.choiceWait.textContent = c.reason === "maxWait" ? t("choice.waitAgain") : t("choice.wait");
  E.choiceCallback.textContent = t("choice.callback");
  E.choiceBack.textContent = t("choice.back");
  if (c.reason === "closed") {
    const when = c.opensAt ? whenText(c.opensAt, w.lang) : null;
    E.choiceTitle.textContent = t("choice.closed");
    E.choiceSub.textContent = when ? t("choice.closedAt", { when }) : t("choice.closedNoTime");
  } else if (c.reason === "maxWait") {
    E.choiceTitle.textContent = t("choice.maxWait");
    E.choiceSub.textContent = t("choice.maxWaitSub");
  } else {
    const eta = c.etaSeconds;
    E.choiceTitle.textContent = t("choice.busy");
    E.choiceSub.textContent = t("choice.busyEta", { t: typeof eta === "number" && eta >= 60 ? t("etaMin", { n: Math.round(eta / 60) }) : t("etaSoon") });
  }
}

function renderCallback(w, t) {
  const E = w.el;
  E.cbTitle.textContent = t("cb.title");
  E.cbIntro.textContent = t("cb.intro", { topic: w.topicName(E.topic.value) });
  E.cbNameLabel.textContent = t("name");
  E.cbName.setAttribute("placeholder", t("namePh"));
  E.cbPhoneLabel.textContent = t("cb.phone");
  E.cbPhone.setAttribute("placeholder", t("cb.phonePh"));
  E.cbWhenLabel.textContent = t("cb.when");
  E.cbWhen.setAttribute("placeholder", t("cb.whenPh"));
  E.cbNoteLabel.textContent = t("cb.note");
  E.cbError.textContent = w.cbErrorKey ? t(w.cbErrorKey) : "";
  E.cbSendText.textContent = t("cb.send");
  E.cbSend.disabled = !!w.cbSending;
  E.cbBack.textContent = t("choice.back");
  E.cbSentTitle.textContent = t("cb.sentTitle");
  const sent = w.callbackSent;
  E.cbSentText.textContent = sent ? (sent.already ? t("cb.already") : t("cb.sent", { name: sent.name })) : "";
  E.cbSentWhen.textContent = sent && sent.preferredTime ? t("cb.sentWhen", { when: sent.preferredTime }) : "";
  E.cbSentWhen.hidden = !(sent && sent.preferredTime);
  E.cbDone.textContent = t("close");
}

export function renderTimer(w) {
  const E = w.el;
  // While the other party is away the call is on hold, not running on.
  if (w.call && w.peerStatus === "reconnecting") E.timer.textContent = w.t("timerReconnecting");
  else E.timer.textContent = w.call ? fmtDuration(Date.now() - w.call.startedAt) : "";
}
