// Test doubles for the browser APIs the client uses: WebSocket, RTCPeerConnection, MediaStream, fetch.

export const STATIC = "../../main/resources/io/livedesk/console/static";

/** Lets pending promise callbacks run (setImmediate is not faked by mock.timers here). */
export const flush = () => new Promise((r) => setImmediate(r));

export class FakeSocket {
  static all = [];
  static reset() { FakeSocket.all = []; }
  static get last() { return FakeSocket.all.at(-1); }

  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    this.closed = false;
    FakeSocket.all.push(this);
  }
  send(data) { this.sent.push(JSON.parse(data)); }
  close() {
    if (this.closed) return;
    this.closed = true;
    this.readyState = 3;
  }
  // what the server does
  open() { this.readyState = 1; this.onopen?.(); }
  push(msg) { this.onmessage?.({ data: JSON.stringify(msg) }); }
  reply(type, fields = {}) {
    const req = this.sent.at(-1);
    this.push({ type, id: req.id, ...fields });
  }
  drop() { this.readyState = 3; this.closed = true; this.onclose?.(); }
  lastSent(type) { return this.sent.filter((m) => m.type === type).at(-1); }
}

export class FakeStream {
  constructor(tracks = []) { this.tracks = [...tracks]; this.id = "s" + Math.random(); }
  getTracks() { return this.tracks; }
  getAudioTracks() { return this.tracks.filter((t) => t.kind === "audio"); }
  getVideoTracks() { return this.tracks.filter((t) => t.kind === "video"); }
  addTrack(t) { this.tracks.push(t); }
}

export function track(kind) {
  return { kind, enabled: true, stopped: false, stop() { this.stopped = true; } };
}

/** Records every call in `log`, in order, so tests can check what happened before what. */
export class FakePeer {
  static all = [];
  constructor(config) {
    this.config = config;
    this.log = [];
    this.transceivers = [];
    this.signalingState = "stable";
    this.iceGatheringState = "complete";
    this.localDescription = null;
    this.remoteDescription = null;
    this.candidates = [];
    this.listeners = {};
    FakePeer.all.push(this);
  }
  addTrack(t) { this.log.push("addTrack:" + t.kind); this.transceivers.push({ stopped: false, receiver: { track: { kind: t.kind } } }); }
  addTransceiver(trackOrKind, o) {
    // A track (sending, maybe simulcast: its rids are logged) or a kind (a receive slot).
    const kind = typeof trackOrKind === "string" ? trackOrKind : trackOrKind.kind;
    const rids = o.sendEncodings ? ":" + o.sendEncodings.map((e) => e.rid).join(",") : "";
    this.log.push("addTransceiver:" + kind + ":" + o.direction + rids);
    this.transceivers.push({ stopped: false, receiver: { track: { kind } }, sendEncodings: o.sendEncodings });
  }
  getTransceivers() { return this.transceivers; }
  restartIce() { this.log.push("restartIce"); }
  async createOffer() { this.log.push("createOffer"); return { type: "offer", sdp: "v=0 offer " + this.log.length }; }
  async createAnswer() { this.log.push("createAnswer"); return { type: "answer", sdp: "v=0 answer" }; }
  async setLocalDescription(d) {
    this.log.push("setLocal:" + d.type);
    this.localDescription = d;
    this.signalingState = d.type === "offer" ? "have-local-offer" : "stable";
  }
  async setRemoteDescription(d) {
    this.log.push("setRemote:" + d.type);
    this.remoteDescription = d;
    this.signalingState = d.type === "offer" ? "have-remote-offer" : "stable";
  }
  async addIceCandidate(c) { this.log.push("candidate"); this.candidates.push(c); }
  addEventListener(type, fn) { (this.listeners[type] ||= []).push(fn); }
  removeEventListener(type, fn) { this.listeners[type] = (this.listeners[type] || []).filter((f) => f !== fn); }
  close() { this.log.push("close"); }
}

/** A media environment for createCall: getUserMedia gives the tracks asked for, or fails. */
export function fakeMedia({ fail = false } = {}) {
  return {
    RTCPeerConnection: FakePeer,
    MediaStream: FakeStream,
    getUserMedia: async (c) => {
      if (fail) throw Object.assign(new Error("denied"), { name: "NotAllowedError" });
      return new FakeStream([c.audio && track("audio"), c.video && track("video")].filter(Boolean));
    }
  };
}

export function hooks() {
  const h = { signals: [], errors: [], mediaErrors: [], locals: [] };
  h.signal = (p) => h.signals.push(p);
  h.local = (s) => h.locals.push(s);
  h.remote = () => {};
  h.mediaError = (e) => h.mediaErrors.push(e);
  h.error = (e) => h.errors.push(e);
  return h;
}

/** fetch that answers from a function of (url, init) and records the requests. */
export function fakeFetch(answer) {
  const f = async (url, init) => {
    f.calls.push({ url, init });
    const r = await answer(url, init);
    return {
      ok: r.status >= 200 && r.status < 300,
      status: r.status,
      json: async () => { if (r.body === undefined) throw new SyntaxError("no body"); return r.body; },
      blob: async () => ({ blob: r.body })
    };
  };
  f.calls = [];
  return f;
}

/** An element as el() (client/dom.js) builds it and a panel reads it: attributes, children, text, listeners. */
export class FakeElement {
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    this.attributes = {};
    this.children = [];
    this.listeners = {};
    this.className = "";
    this.hidden = false;
    this.disabled = false;
    this.ownText = "";
  }
  setAttribute(k, v) { this.attributes[k] = String(v); }
  getAttribute(k) { return k in this.attributes ? this.attributes[k] : null; }
  addEventListener(type, fn) { (this.listeners[type] ||= []).push(fn); }
  append(...kids) { for (const k of kids) this.children.push(typeof k === "string" ? Object.assign(new FakeElement("#text"), { ownText: k }) : k); }
  replaceChildren(...kids) { this.children = []; this.append(...kids); }
  set textContent(v) { this.children = []; this.ownText = String(v); }
  get textContent() { return this.ownText + this.children.map((c) => c.textContent).join(""); }
  click() { if (!this.disabled) for (const fn of this.listeners.click || []) fn({ target: this }); }
  /** Every descendant (depth first) with this data-testid. */
  findAll(testId) {
    const out = [];
    for (const c of this.children) {
      if (c.getAttribute?.("data-testid") === testId) out.push(c);
      if (c.findAll) out.push(...c.findAll(testId));
    }
    return out;
  }
}

/** A page of elements by id, installed as globalThis.document until restore(). */
export function fakeDocument(ids) {
  const had = Object.prototype.hasOwnProperty.call(globalThis, "document");
  const saved = globalThis.document;
  const byId = new Map(ids.map((id) => [id, new FakeElement("div")]));
  globalThis.document = { createElement: (tag) => new FakeElement(tag), getElementById: (id) => byId.get(id) || null };
  return {
    byId: (id) => byId.get(id),
    restore: () => { if (had) globalThis.document = saved; else delete globalThis.document; }
  };
}
