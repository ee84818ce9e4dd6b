// One WebSocket session to the signaling server (protocol v1, docs/protocol.md), shared by the staff desk,
// the customer widget and the demo page. Sends `hello`, matches replies to requests by id, pings, and
// after a welcome reconnects with backoff and says hello again (the server then resumes the session).
//
// Errors, reconciled between the desk's and the widget's former copies:
//  - before the first welcome nothing is retried: the caller's start() promise rejects with the error,
//    so a sign-in page or a start button can say what went wrong (busy, bad token, no network);
//  - after a welcome, a dropped socket and the transient hello errors (TRANSIENT) are retried with backoff:
//    they say "later", not "never";
//  - any other hello error is fatal (retrying a forbidden or unknown token cannot succeed), except that an
//    invalid_token is first retried once with a renewed token when the caller can mint one (renewToken);
//  - session_replaced and invalid_token pushed by the server end the session (onFatal).
import { backoffDelay, restartDelay } from "./backoff.js";

export const TRANSIENT = new Set(["overloaded", "unavailable", "rate_limited", "internal"]);
const ENDS_SESSION = new Set(["session_replaced", "invalid_token"]);

// The desk pinged every 15 s, the widget every 20 s. 15 s for both: the server closes a connection after
// `websocket.idle-timeout` without a frame (60 s by default, and operators lower it), and a customer whose
// connection idles out while queued loses their place, so the margin matters more than one frame a minute.
export const PING_MS = 15000;

const NETWORK = Object.freeze({ code: "network" });

/** ws(s)://host/ws for an http(s) base URL; by default the page's own server. */
export function wsUrl(base) {
  if (base) return String(base).replace(/\/+$/, "").replace(/^http/i, "ws") + "/ws";
  return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws";
}

export class Session {
  /**
   * @param {object} o
   * @param {string} o.token
   * @param {string} [o.url]                    WebSocket URL; default wsUrl()
   * @param {() => Promise<string>} [o.renewToken]  a fresh token when a resume is refused with invalid_token
   * @param {() => boolean} [o.shouldResume]    false: a drop or a server restart ends the session quietly
   * @param {number} [o.maxRetries]             reconnect attempts in a row before giving up (onFatal network)
   * @param {number} [o.pingMs]
   * @param {(msg:object)=>void} [o.onMessage]   every server message (replies included, error replies not)
   * @param {(welcome:object, resumed:boolean)=>void} [o.onWelcome]
   * @param {(status:string)=>void} [o.onStatus]  connecting | online | reconnecting | restarting | closed
   * @param {(err:object)=>void} [o.onFatal]       the session ended after a welcome and will not come back
   * @param {typeof WebSocket} [o.WebSocket]    @param {() => number} [o.random]   for tests
   */
  constructor(o) {
    this.o = o;
    this.url = o.url ?? wsUrl();
    this.token = o.token;
    this.WS = o.WebSocket ?? globalThis.WebSocket;
    this.random = o.random ?? Math.random;
    this.ws = null;
    this.seq = 0;
    this.pending = new Map();
    this.wanted = false;
    this.welcomed = false;
    this.everWelcomed = false;
    this.renewed = false;
    this.retries = 0;
    this.timer = null;
    this.pingTimer = null;
    this.first = null;
  }

  /** Connects; resolves with the first welcome, or rejects with the first error (then the session is stopped). */
  start() {
    this.wanted = true;
    const first = new Promise((resolve, reject) => { this.first = { resolve, reject }; });
    this.open();
    return first;
  }

  stop() {
    this.wanted = false;
    clearTimeout(this.timer);
    this.detach();
    this.settleFirst({ code: "closed" });
    this.o.onStatus?.("closed");
  }

  get online() { return !!(this.ws && this.ws.readyState === 1 && this.welcomed); }

  request(type, fields = {}) {
    const ws = this.ws;
    if (!ws || ws.readyState !== 1) return Promise.reject(NETWORK);
    const id = String(++this.seq);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try { ws.send(JSON.stringify({ type, id, ...fields })); } catch { this.pending.delete(id); reject(NETWORK); }
    });
  }

  open() {
    this.o.onStatus?.(this.everWelcomed ? "reconnecting" : "connecting");
    let ws;
    try { ws = new this.WS(this.url); } catch { this.dropped(); return; }
    this.ws = ws;
    this.welcomed = false;
    ws.onopen = () => this.hello(ws);
    ws.onmessage = (ev) => { if (ws === this.ws) this.receive(ev.data); };
    ws.onclose = () => {
      if (ws !== this.ws) return;
      this.ws = null;
      this.cleanUp();
      this.dropped();
    };
    ws.onerror = () => { /* onclose follows */ };
  }

  async hello(ws) {
    let welcome;
    try {
      welcome = await this.request("hello", { token: this.token });
    } catch (err) {
      if (ws === this.ws) this.helloFailed(err);
      return;
    }
    if (ws !== this.ws) return;
    const resumed = this.everWelcomed;
    this.welcomed = true;
    this.everWelcomed = true;
    this.renewed = false;
    this.retries = 0;
    this.o.onStatus?.("online");
    this.startPing();
    this.o.onWelcome?.(welcome, resumed);
    if (this.first) { this.first.resolve(welcome); this.first = null; }
  }

  async helloFailed(err) {
    if (err.code === "network") return; // the close handler deals with it
    if (!this.everWelcomed) { this.end(err); return; }
    if (TRANSIENT.has(err.code)) { this.detach(); this.dropped(err.retryAfterMs); return; }
    if (err.code === "invalid_token" && this.o.renewToken && !this.renewed) {
      this.renewed = true;
      this.detach();
      try { this.token = await this.o.renewToken(); } catch { this.end({ code: "token" }); return; }
      if (this.wanted) this.open();
      return;
    }
    this.end(err);
  }

  receive(data) {
    let msg;
    try { msg = JSON.parse(data); } catch { console.warn("[LiveDesk] unreadable frame"); return; }
    const p = msg.id !== undefined ? this.pending.get(msg.id) : undefined;
    if (p) {
      this.pending.delete(msg.id);
      if (msg.type === "error") p.reject(msg); else p.resolve(msg);
    }
    if (msg.type === "error" && !p && ENDS_SESSION.has(msg.code)) {
      this.wanted = false;
      this.o.onFatal?.(msg);
      return;
    }
    if (msg.type === "server.shutdown") this.restartAfter(restartDelay(msg.reconnectAfterMs, this.random));
    if (msg.type !== "error" || !p) this.o.onMessage?.(msg);
  }

  // The node is stopping: leave now and come back (to any node) after the delay it asked for.
  restartAfter(ms) {
    this.detach();
    if (!this.resumable()) return;
    this.o.onStatus?.("restarting");
    clearTimeout(this.timer);
    this.retries = 0;
    this.timer = setTimeout(() => this.resume(), ms);
  }

  // The socket is gone (or never opened); an overloaded server may say how long to wait at least.
  dropped(atLeastMs = 0) {
    if (!this.wanted) { this.o.onStatus?.("closed"); return; }
    if (!this.everWelcomed) { this.end(NETWORK); return; }
    if (!this.resumable()) return;
    if (this.retries >= (this.o.maxRetries ?? Infinity)) { this.end(NETWORK); return; }
    const delay = Math.max(backoffDelay(this.retries, this.random), Number(atLeastMs) || 0);
    this.retries++;
    this.o.onStatus?.("reconnecting");
    if (!this.wanted) return; // a status listener stopped the session
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.resume(), delay);
  }

  resume() {
    if (this.wanted && !this.ws && this.resumable()) this.open();
  }

  resumable() {
    if (!this.wanted) return false;
    if (!this.o.shouldResume || this.o.shouldResume()) return true;
    this.stop();
    return false;
  }

  // Gives up: before the first welcome the start() promise says why, afterwards onFatal does.
  end(err) {
    this.wanted = false;
    clearTimeout(this.timer);
    this.detach();
    this.o.onStatus?.("closed");
    if (this.first) this.settleFirst(err);
    else this.o.onFatal?.(err);
  }

  settleFirst(err) {
    if (!this.first) return;
    const first = this.first;
    this.first = null;
    first.reject(err);
  }

  // Forgets the socket (its late events are ignored) and closes it.
  detach() {
    const ws = this.ws;
    this.ws = null;
    this.cleanUp();
    if (ws) try { ws.close(1000); } catch { /* already closed */ }
  }

  cleanUp() {
    this.welcomed = false;
    this.stopPing();
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(NETWORK);
  }

  startPing() {
    this.stopPing();
    this.pingTimer = setInterval(() => { this.request("ping").catch(() => {}); }, this.o.pingMs ?? PING_MS);
  }

  stopPing() {
    clearInterval(this.pingTimer);
    this.pingTimer = null;
  }
}
