// LiveDesk console: one WebSocket session to the signaling server (protocol v1, docs/protocol.md).
// Sends `hello`, matches replies to requests by id, pings, and reconnects with backoff + re-hello.

export function wsUrl() {
  return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws";
}

export class Session {
  /**
   * @param {object} o
   * @param {string} o.token
   * @param {(msg:object)=>void} o.onMessage   every server message (replies included)
   * @param {(welcome:object, resumed:boolean)=>void} o.onWelcome
   * @param {(status:string)=>void} o.onStatus  connecting | online | reconnecting | restarting | closed
   * @param {(err:object)=>void} o.onFatal       invalid_token, session_replaced, … (no more reconnects)
   * @param {number} [o.pingMs]
   */
  constructor(o) {
    this.o = o;
    this.ws = null;
    this.seq = 0;
    this.pending = new Map();
    this.wanted = false;
    this.welcomed = false;
    this.everWelcomed = false;
    this.retries = 0;
    this.timer = null;
    this.pingTimer = null;
  }

  start() {
    this.wanted = true;
    this.open();
  }

  stop() {
    this.wanted = false;
    clearTimeout(this.timer);
    this.stopPing();
    const ws = this.ws;
    this.ws = null;
    this.failPending();
    if (ws) try { ws.close(1000); } catch { /* ignore */ }
    this.o.onStatus?.("closed");
  }

  get online() { return !!(this.ws && this.ws.readyState === 1 && this.welcomed); }

  open() {
    this.o.onStatus?.(this.everWelcomed ? "reconnecting" : "connecting");
    let ws;
    try { ws = new WebSocket(wsUrl()); } catch { this.retry(); return; }
    this.ws = ws;
    this.welcomed = false;
    ws.onopen = () => {
      this.request("hello", { token: this.o.token }).then((welcome) => {
        const resumed = this.everWelcomed;
        this.welcomed = true;
        this.everWelcomed = true;
        this.retries = 0;
        this.o.onStatus?.("online");
        this.startPing();
        this.o.onWelcome?.(welcome, resumed);
      }, (err) => {
        if (err.code === "network") return; // the close handler retries
        if (["overloaded", "unavailable", "rate_limited", "internal"].includes(err.code)) {
          try { ws.close(1000); } catch { /* ignore */ } // transient: the close handler retries
          return;
        }
        this.wanted = false;
        try { ws.close(1000); } catch { /* ignore */ }
        this.o.onFatal?.(err);
      });
    };
    ws.onmessage = (ev) => {
      if (ws !== this.ws) return;
      let msg;
      try { msg = JSON.parse(ev.data); } catch { console.warn("[LiveDesk] unreadable frame"); return; }
      const p = msg.id !== undefined ? this.pending.get(msg.id) : undefined;
      if (p) {
        this.pending.delete(msg.id);
        if (msg.type === "error") p.reject(msg); else p.resolve(msg);
      }
      if (msg.type === "error" && !p) {
        if (msg.code === "session_replaced" || msg.code === "invalid_token") {
          this.wanted = false;
          this.o.onFatal?.(msg);
          return;
        }
      }
      if (msg.type === "server.shutdown") {
        this.restartAfter(typeof msg.reconnectAfterMs === "number" ? msg.reconnectAfterMs : 2000);
      }
      if (msg.type !== "error" || !p) this.o.onMessage?.(msg);
    };
    ws.onclose = () => {
      if (ws !== this.ws) return;
      this.ws = null;
      this.welcomed = false;
      this.stopPing();
      this.failPending();
      if (this.wanted) this.retry();
      else this.o.onStatus?.("closed");
    };
    ws.onerror = () => { /* onclose follows */ };
  }

  restartAfter(ms) {
    // The node is stopping: leave now and come back (to any node) after the delay it asked for.
    const ws = this.ws;
    this.ws = null;
    this.welcomed = false;
    this.stopPing();
    this.failPending();
    if (ws) try { ws.close(1000); } catch { /* ignore */ }
    if (!this.wanted) return;
    this.o.onStatus?.("restarting");
    clearTimeout(this.timer);
    this.retries = 0;
    this.timer = setTimeout(() => this.open(), ms + Math.random() * 1000);
  }

  retry() {
    if (!this.wanted) return;
    const base = Math.min(15000, 1000 * 2 ** this.retries);
    this.retries++;
    this.o.onStatus?.(this.everWelcomed ? "reconnecting" : "connecting");
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.open(), base / 2 + Math.random() * base / 2);
  }

  request(type, fields = {}) {
    const ws = this.ws;
    if (!ws || ws.readyState !== 1) return Promise.reject({ code: "network" });
    const id = String(++this.seq);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try { ws.send(JSON.stringify({ type, id, ...fields })); } catch { this.pending.delete(id); reject({ code: "network" }); }
    });
  }

  failPending() {
    const p = [...this.pending.values()];
    this.pending.clear();
    for (const x of p) x.reject({ code: "network" });
  }

  startPing() {
    this.stopPing();
    const ms = this.o.pingMs ?? 15000;
    this.pingTimer = setInterval(() => { this.request("ping").catch(() => {}); }, ms);
  }

  stopPing() {
    clearInterval(this.pingTimer);
    this.pingTimer = null;
  }
}
