// The customer widget: the start form, the queue, the call and its end, on the shared session and call
// client. widget.js (the one script tag on the bank's page) imports this module and hands it the calls
// that the page made meanwhile; the DOM is in view.js.
import { Session, wsUrl } from "../client/session.js";
import { createCall } from "../client/call.js";
import { createRemoteView } from "../client/remoteVideo.js";
import { createApi } from "../client/api.js";
import { lookup, normLang, browserLang } from "../client/i18n.js";
import { STRINGS } from "./strings.js";
import { build, render, renderTopics, renderTimer } from "./view.js";
import { isActive, errKey, requestContext, offeredTopics, suggestedTopic, queueChoice, callbackRequest, QUEUE_STATES } from "./logic.js";

const HANGUP_WAIT_MS = 4000;
// About two minutes of backoff: by then the server has let the request or call go.
const MAX_RETRIES = 11;

function warn(...args) {
  console.warn("[LiveDesk]", ...args);
}

class Widget {
  constructor(opts, server) {
    this.opts = opts;
    this.server = String(opts.server || server).replace(/\/+$/, "");
    this.lang = normLang(opts.lang) || browserLang();
    this.state = "idle";
    this.session = null;          // the Session while connected
    this.welcome = null;          // its welcome message, while it is online
    this.requestId = null;
    this.queue = { position: null, etaSeconds: null };
    this.call = null;
    this.callInfo = null;
    this.lastPc = null;
    this.peerName = "";
    this.peerStatus = null;       // "reconnecting" while the advisor has dropped, else null
    this.topics = null;           // [{id, names}]
    this.openedWith = null;       // {topic, product} given to LiveDesk.open
    this.topicChosen = false;     // the customer picked a topic themselves: no suggestion overrides it
    this.languages = null;        // ["en", "zh"]
    this.endReason = null;
    this.endDuration = null;
    this.errorKey = null;
    this.notice = null;
    this.choice = null;           // why the customer is asked before (or instead of) queueing: {reason, opensAt, etaSeconds}
    this.skipCheck = false;       // they chose to wait anyway: queue without asking the status again
    this.callbackSent = null;     // {name, preferredTime, already} once a callback request is stored
    this.cbErrorKey = null;
    this.cbSending = false;
    this.noReconnect = false;
    this.tickTimer = null;
    this.token = null;
    this.micOn = true;
    this.camOn = true;
    this.api = createApi({ base: this.server });
    build(this);
    this.loadTopics();
  }

  t(key, vars) { return lookup(STRINGS, this.lang, key, vars); }
  render() { render(this); }
  renderTopics() { renderTopics(this); }
  suggestedTopic() { return suggestedTopic(this.opts, location.pathname, this.topics, this.openedWith); }
  renderTimer() { renderTimer(this); }
  isActive() { return isActive(this.state); }

  setState(s) {
    this.state = s;
    this.render();
  }

  // Topics for the start form: GET /api/topics first (so one form can ask everything before a token
  // exists); if that fails (e.g. no CORS on a third-party page), topics come from `welcome`.
  loadTopics() {
    this.api.get("/api/topics", { auth: false, credentials: "omit" }).then((j) => {
      const topics = Array.isArray(j) ? j : j?.topics;
      if (Array.isArray(topics) && !this.topics) this.setTopics(topics, Array.isArray(j?.languages) ? j.languages : null);
    }, () => { /* topics will come with welcome */ });
  }

  setTopics(topics, languages) {
    this.topics = offeredTopics(topics, this.opts.topics);
    if (Array.isArray(languages) && languages.length) this.languages = languages.map(String);
    else if (!this.languages) this.languages = ["en", "zh"];
    this.renderTopics();
    this.render();
  }

  topicName(id) {
    const t = (this.topics || []).find((x) => x.id === id);
    if (!t) return id || "";
    return t.names[this.lang] || t.names.en || t.id;
  }

  setLang(lang) {
    const l = normLang(lang);
    if (!l || l === this.lang) return;
    const E = this.el;
    // the conversation language follows the UI language unless the customer picked another one
    const followUi = !E.language.value || E.language.value === this.lang;
    this.lang = l;
    if (followUi && (this.languages || []).includes(l)) E.language.value = l;
    this.renderTopics();
    this.render();
  }

  /** Opens the panel; a hint from the page's button ({topic, product}) pre-selects its topic while idle. */
  openWith(hint) {
    if (hint && typeof hint === "object" && this.state === "idle") {
      this.openedWith = { topic: hint.topic ? String(hint.topic) : null, product: hint.product ? String(hint.product) : null };
      this.topicChosen = false;
      this.renderTopics();
    }
    this.open();
  }

  open() {
    const E = this.el;
    E.panel.hidden = false;
    E.launch.setAttribute("aria-expanded", "true");
    this.render();
    const s = this.state;
    const focus = s === "idle" ? (this.opts.askName && !E.name.value ? E.name : E.start)
      : s === "in-call" ? E.hangup : s === "ended" ? E.restart : s === "error" ? E.retry
      : s === "choice" ? E.choiceCallback : s === "callback" ? E.cbName : s === "callback-sent" ? E.cbDone : E.cancel;
    setTimeout(() => { try { focus.focus(); } catch { /* ignore */ } }, 30);
  }

  close() {
    const E = this.el;
    E.panel.hidden = true;
    E.launch.setAttribute("aria-expanded", "false");
    this.render();
    if (!E.launch.hidden) E.launch.focus();
  }

  // ---------------------------------------------------------------- session
  async getToken() {
    let tok = this.opts.token;
    const name = this.el.name.value.trim() || (this.opts.name ? String(this.opts.name) : "");
    if (typeof tok === "function") tok = await tok({ name });
    if (typeof tok !== "string" || !tok) throw { code: "token" };
    return tok;
  }

  // Opens the session; resolves with the first welcome. Resumes only while a request or call is live.
  connect() {
    const session = new Session({
      url: wsUrl(this.server),
      token: this.token,
      renewToken: typeof this.opts.token === "function" ? () => this.getToken() : undefined,
      shouldResume: () => this.isActive() && !this.noReconnect,
      maxRetries: MAX_RETRIES,
      onMessage: (msg) => { if (session === this.session) this.onMessage(msg); },
      onWelcome: (welcome, resumed) => {
        if (session !== this.session) return;
        this.welcome = welcome;
        if (resumed) { this.notice = null; this.restore(welcome); }
      },
      onStatus: (s) => {
        if (session !== this.session) return;
        if (s !== "online") this.welcome = null;
        if (s === "reconnecting" || s === "restarting") {
          this.notice = s === "restarting" || this.notice === "restarting" ? "restarting" : "reconnecting";
          this.render();
        }
      },
      onFatal: (err) => {
        if (session !== this.session) return;
        if (err.code === "session_replaced") this.noReconnect = true;
        this.fail(errKey(err));
      }
    });
    this.session = session;
    return session.start();
  }

  send(type, fields) {
    return this.session ? this.session.request(type, fields) : Promise.reject({ code: "network" });
  }

  disconnect() {
    const session = this.session;
    this.session = null;
    this.welcome = null;
    session?.stop();
  }

  // After a reconnect: continue what the server still knows about, end what it forgot.
  restore(welcome) {
    this.absorbWelcome(welcome);
    if (welcome.call) {
      if (this.call && this.call.callId === welcome.call.callId && !this.call.closed) { this.setState("in-call"); return; }
      this.startCall(welcome.call);
    } else if (welcome.request) {
      if (this.call) this.endCall("customer_disconnected");
      this.requestId = welcome.request.requestId;
      this.onQueued(welcome.request);
    } else if (welcome.ended && this.isActive() && (!this.call || this.call.callId === welcome.ended.callId)) {
      // It ended while we were away (or was answered and ended): say how, not that we dropped.
      this.endCall(welcome.ended.reason);
    } else if (this.state === "in-call") {
      this.endCall("customer_disconnected");
    } else if (this.isActive()) {
      this.finish("lost");
    } else {
      this.render();
    }
  }

  absorbWelcome(welcome) {
    if (Array.isArray(welcome.topics) && welcome.topics.length) {
      const had = this.topics && this.topics.length;
      this.setTopics(welcome.topics, welcome.languages);
      return !had;
    }
    return false;
  }

  // ---------------------------------------------------------------- user actions
  async start() {
    const E = this.el;
    if (this.state !== "idle") return;
    this.formErrorKey = null;
    this.formNoticeKey = null;
    E.name.removeAttribute("aria-invalid");
    if (this.opts.askName && !E.name.value.trim()) {
      this.formErrorKey = "needName";
      E.name.setAttribute("aria-invalid", "true");
      this.render();
      E.name.focus();
      return;
    }
    if (!window.RTCPeerConnection || !navigator.mediaDevices) { this.fail("err.webrtc"); return; }
    const hadTopics = !!(this.topics && this.topics.length);
    if (hadTopics && !E.topic.value) { this.formErrorKey = "needTopic"; this.render(); E.topic.focus(); return; }
    this.noReconnect = false;
    this.notice = null;
    this.setState("connecting");
    if (hadTopics && !this.skipCheck && !this.welcome?.request && !this.welcome?.call) {
      // Say so before queueing when nobody can answer now or the queue is closed, and offer a callback.
      const choice = queueChoice(await this.status(), E.topic.value, E.language.value || this.lang);
      if (this.state !== "connecting") return;
      if (choice) { this.choice = choice; this.setState("choice"); return; }
    }
    this.skipCheck = false;
    let welcome = this.welcome;
    try {
      if (!welcome) {
        this.token = await this.getToken();
        welcome = await this.connect();
      }
    } catch (err) {
      if (err?.code === "closed") return; // unmounted or reset meanwhile
      this.disconnect();
      this.fail(errKey(err));
      return;
    }
    const fresh = this.absorbWelcome(welcome);
    if (welcome.call) { this.startCall(welcome.call); return; }
    if (welcome.request) { this.requestId = welcome.request.requestId; this.onQueued(welcome.request); return; }
    if (!hadTopics || fresh || !E.topic.value) {
      // topics only became known now: let the customer choose, the connection stays open
      this.setState("idle");
      E.topic.focus();
      return;
    }
    const req = { topic: E.topic.value, language: E.language.value || this.lang, context: requestContext(this.opts.context, location.pathname,
      this.openedWith?.product || this.opts.product) };
    if (typeof this.opts.priority === "number") req.priority = this.opts.priority;
    try {
      const queued = await this.send("request.create", req);
      if (queued.type === "request.queued" && this.state === "connecting") {
        this.requestId = queued.requestId;
        this.onQueued(queued);
      }
    } catch (err) {
      if (this.state !== "connecting") return;
      if (err?.code === "closed") {
        // Closed since the status was read: say when it opens, and offer the callback.
        const c = queueChoice(await this.status(), req.topic, req.language);
        this.choice = c && c.reason === "closed" ? c : { reason: "closed", opensAt: null };
        this.setState("choice");
        return;
      }
      this.disconnect();
      this.fail(errKey(err));
    }
  }

  /** GET /api/status, public; null when it cannot be read (then the customer simply queues). */
  status() {
    return this.api.get("/api/status", { auth: false, credentials: "omit" }).catch(() => null);
  }

  waitAnyway() {
    if (this.state !== "choice") return;
    this.choice = null;
    this.skipCheck = true;
    this.setState("idle");
    this.start();
  }

  toCallbackForm() {
    const E = this.el;
    if (!E.cbName.value) E.cbName.value = E.name.value.trim() || (this.opts.name ? String(this.opts.name) : "");
    this.cbErrorKey = null;
    this.setState("callback");
    setTimeout(() => { try { (E.cbName.value ? E.cbPhone : E.cbName).focus(); } catch { /* ignore */ } }, 30);
  }

  async sendCallback() {
    const E = this.el;
    if (this.state !== "callback" || this.cbSending) return;
    const fields = callbackRequest({ name: E.cbName.value, phone: E.cbPhone.value, note: E.cbNote.value, preferredTime: E.cbWhen.value });
    if (typeof fields === "string") { this.cbErrorKey = fields; this.render(); return; }
    this.cbErrorKey = null;
    this.cbSending = true;
    this.render();
    try {
      if (!this.welcome) {
        if (!E.name.value.trim()) E.name.value = fields.name; // the demo token takes its name from the form
        this.token = await this.getToken();
        await this.connect();
      }
      const topic = E.topic.value, language = E.language.value || this.lang;
      const sent = await this.send("callback.request", { topic, language, ...fields,
        context: requestContext(this.opts.context, location.pathname, this.openedWith?.product || this.opts.product) });
      this.callbackSent = { name: fields.name, preferredTime: sent.preferredTime || fields.preferredTime };
      this.disconnect();
      this.setState("callback-sent");
    } catch (err) {
      if (err?.code === "invalid_state") {
        this.callbackSent = { name: fields.name, already: true };
        this.disconnect();
        this.setState("callback-sent");
      } else {
        this.cbErrorKey = errKey(err);
      }
    } finally {
      this.cbSending = false;
      this.render();
    }
  }

  async cancel() {
    if (!QUEUE_STATES.has(this.state)) return;
    const id = this.requestId;
    this.el.cancel.disabled = true;
    try {
      if (id && this.session) await this.send("request.cancel", { requestId: id });
      else throw { code: "network" };
    } catch (err) {
      // not_found / invalid_state: the request is already gone; a call.started may be on its way
      if (err && err.code !== "not_found" && err.code !== "invalid_state" && err.code !== "network") warn("cancel", err.code);
      if (QUEUE_STATES.has(this.state)) this.toIdle("cancelled");
    } finally {
      this.el.cancel.disabled = false;
    }
  }

  hangup() {
    if (!this.call) return;
    const callId = this.call.callId;
    const endHere = () => { if (this.call && this.call.callId === callId) this.endCall("customer_hangup"); };
    this.el.hangup.disabled = true;
    // no server to tell (or the call is already gone): end locally
    this.send("call.hangup", { callId }).catch(endHere);
    // Do not wait forever for the reply.
    setTimeout(endHere, HANGUP_WAIT_MS);
  }

  toggleMic() {
    this.micOn = !this.micOn;
    this.call?.setMic(this.micOn);
    this.render();
  }

  toggleCam() {
    this.camOn = !this.camOn;
    this.call?.setCamera(this.camOn);
    this.render();
  }

  restart() {
    if (this.isActive() || this.state === "connecting") return;
    this.choice = null;
    this.callbackSent = null;
    this.cbErrorKey = null;
    this.endReason = null;
    this.endDuration = null;
    this.errorKey = null;
    this.notice = null;
    this.formNoticeKey = null;
    this.setState("idle");
  }

  toIdle(noticeKey) {
    this.requestId = null;
    this.queue = { position: null, etaSeconds: null };
    this.disconnect();
    this.notice = null;
    this.formErrorKey = null;
    this.formNoticeKey = noticeKey || null;
    this.setState("idle");
  }

  finish(reason) {
    this.requestId = null;
    this.queue = { position: null, etaSeconds: null };
    this.endReason = reason;
    this.disconnect();
    this.notice = null;
    this.setState("ended");
  }

  fail(key) {
    if (this.call) { this.lastPc = this.call.pc; this.call.close(); this.call = null; }
    clearInterval(this.tickTimer);
    this.requestId = null;
    this.errorKey = key || "err.generic";
    this.notice = null;
    this.disconnect();
    this.setState("error");
  }

  // ---------------------------------------------------------------- server messages
  onMessage(msg) {
    const mine = this.call && msg.callId === this.call.callId;
    switch (msg.type) {
      case "request.queued":
        if (QUEUE_STATES.has(this.state)) this.onQueued(msg);
        break;
      case "queue.update":
        if (this.requestId && msg.requestId && msg.requestId !== this.requestId) break;
        if (QUEUE_STATES.has(this.state) || this.state === "connecting") this.onQueued(msg);
        break;
      case "request.cancelled":
        if (!(QUEUE_STATES.has(this.state) || this.state === "connecting")) break;
        if (msg.reason === "customer_cancelled") this.toIdle("cancelled");
        else if (msg.reason === "max_wait") {
          // The queue let them go: apologise and offer the callback (or another try) on the same session.
          this.requestId = null;
          this.queue = { position: null, etaSeconds: null };
          this.choice = { reason: "maxWait" };
          this.setState("choice");
        } else this.finish(msg.reason || "other");
        break;
      case "call.started":
        this.startCall(msg);
        break;
      case "call.signal":
        if (!mine) break;
        if (msg.sdp && msg.sdp.type === "offer" && this.call.pc.remoteDescription && this.callInfo) {
          // the other side started its media afresh (e.g. it reloaded): start ours afresh too
          this.startCall(this.callInfo, true);
        }
        this.call.handleSignal(msg);
        break;
      case "call.renegotiate":
        // bridge mode: the others' tracks changed; offer our leg again to receive them
        if (mine) this.call.renegotiate(msg.receive, msg.iceRestart);
        break;
      case "call.transferred":
        // another advisor took over the call; the media carries on over the same connection
        if (mine) {
          this.peerName = msg.peer?.name ? String(msg.peer.name) : "";
          this.showNote(this.t("note.transferred", { name: this.peerName || this.t("advisor") }));
          this.render();
        }
        break;
      case "call.peer":
        // the advisor's page closed or their network dropped; they may come back within the grace period
        if (mine && msg.role === "staff") {
          this.peerStatus = msg.status === "reconnecting" ? "reconnecting" : null;
          this.render();
        }
        break;
      case "call.participants":
        if (mine) {
          const sup = (msg.participants || []).some((p) => p && p.role === "supervisor");
          if (sup) this.showNote(this.t("note.supervisor"));
          else if (this.el.note.textContent === this.t("note.supervisor")) this.showNote("");
        }
        break;
      case "call.ended":
        if (this.call ? mine : this.isActive()) this.endCall(msg.reason, msg.times);
        break;
      case "error":
        // session_replaced and invalid_token end the session (onFatal); replies go to their requests
        warn("server error", msg.code, msg.message);
        break;
      default:
        break;
    }
  }

  onQueued(m) {
    if (typeof m.position === "number") this.queue.position = m.position;
    if (typeof m.etaSeconds === "number") this.queue.etaSeconds = m.etaSeconds;
    this.setState(m.state === "ringing" ? "ringing" : "queued");
  }

  // A line under the video about who is in the call; empty hides it.
  showNote(text) {
    this.el.note.textContent = text || "";
    this.el.note.hidden = !text;
  }

  // ---------------------------------------------------------------- calls
  startCall(info, renew) {
    const E = this.el;
    if (!renew && this.call && this.call.callId === info.callId && !this.call.closed) return;
    const startedAt = renew && this.call ? this.call.startedAt : null;
    if (this.call) this.call.close();
    this.callInfo = info;
    this.requestId = null;
    this.peerName = info.peer?.name ? String(info.peer.name) : "";
    if (!renew) this.peerStatus = null;
    this.micOn = true;
    this.camOn = true;
    this.mediaErrorShown = false;
    E.mediaError.hidden = true;
    if (!renew) this.showNote("");
    E.remote.srcObject = null;
    E.local.srcObject = null;
    E.placeholder.hidden = false;
    E.hangup.disabled = false;
    let call;
    let view;
    try {
      call = createCall(info, {
        signal: (payload) => {
          this.send("call.signal", { callId: call.callId, ...payload })
            .catch((err) => { if (err?.code !== "network") warn("signal", err?.code, err?.message); });
        },
        local: (stream) => { E.local.srcObject = stream; E.local.play().catch(() => {}); this.render(); },
        remote: (stream, track) => {
          view.add(track);
          E.placeholder.hidden = !view.current();
          E.remote.play().catch(() => {
            // autoplay with sound refused: play muted and offer a button
            E.remote.muted = true;
            E.remote.play().catch(() => {});
            E.sound.hidden = false;
          });
        },
        mediaError: (e) => { warn("media", e?.name); this.mediaErrorShown = true; E.mediaError.hidden = false; this.render(); },
        state: () => { /* connectionState is visible through debug.peerConnection() */ },
        error: (e) => warn("webrtc", e)
      });
    } catch (e) {
      warn("webrtc", e);
      this.fail("err.webrtc");
      return;
    }
    // One picture at a time: a later video (the next staff member after a transfer) takes over once it decodes,
    // and the server is told, so the previous one's media may go.
    view = createRemoteView(E.remote, call.pc, () => {
      this.send("call.video.shown", { callId: call.callId }).catch(() => { /* the timeout ends the handover */ });
    });
    this.remoteView?.close();
    this.remoteView = view;
    // The talk time counts on from the server's (a resumed call's too), so both parties see the same.
    call.startedAt = startedAt || Date.now() - (info.times?.talkMs || 0);
    this.call = call;
    this.lastPc = call.pc;
    clearInterval(this.tickTimer);
    this.tickTimer = setInterval(() => this.renderTimer(), 1000);
    this.setState("in-call");
    if (E.panel.hidden) this.open();
  }

  /** @param times the server's final wait and talk time (call.ended), when it sent them */
  endCall(reason, times) {
    const call = this.call;
    if (call) {
      this.endDuration = times?.talkMs ?? Date.now() - call.startedAt;
      call.close();
      this.lastPc = call.pc;
      this.call = null;
    } else {
      this.endDuration = null;
    }
    clearInterval(this.tickTimer);
    this.remoteView?.close();
    this.remoteView = null;
    this.peerStatus = null;
    const E = this.el;
    E.remote.srcObject = null;
    E.local.srcObject = null;
    E.sound.hidden = true;
    this.finish(reason || "other");
  }

  destroy() {
    this.noReconnect = true;
    this.call?.close();
    clearInterval(this.tickTimer);
    this.disconnect();
    this.host.remove();
  }
}

/**
 * The implementation behind window.LiveDesk (see ../widget.js, which checks the options and queues calls).
 * @param {{server:string}} defaults  the origin widget.js came from
 */
export function createWidgetApi(defaults) {
  let instance = null;
  let pendingLang = null;
  return {
    mount(opts) {
      instance?.destroy();
      const go = () => {
        instance = new Widget(opts, defaults.server);
        if (pendingLang) instance.setLang(pendingLang);
      };
      if (document.body) go();
      else document.addEventListener("DOMContentLoaded", go, { once: true });
    },
    /** @param hint optional {topic, product}: what the page's button was about (pre-selects the topic) */
    open(hint) { instance?.openWith(hint); },
    close() { instance?.close(); },
    setLang(l) { pendingLang = l; instance?.setLang(l); },
    unmount() { instance?.destroy(); instance = null; },
    debug: {
      state: () => (instance ? instance.state : "idle"),
      peerStatus: () => (instance && instance.peerStatus) || "connected",
      peerConnection: () => (instance ? (instance.call ? instance.call.pc : instance.lastPc) : null),
      restartIce: () => instance?.call?.restartIce(),
      root: () => (instance ? instance.root : null),
      host: () => (instance ? instance.host : null)
    }
  };
}
