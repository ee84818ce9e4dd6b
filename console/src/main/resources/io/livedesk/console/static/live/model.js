// What the viewer page shows, as plain data: the broadcast, the count and likes, the chat, the pinned card,
// and where the viewer is (watching, queued for a consultation, in a call). Each server message changes it
// through apply(); the page redraws from it. No DOM here, so node --test checks it.

export const MAX_CHAT = 200;

export function initialModel(broadcastId) {
  return {
    broadcastId,
    broadcast: null,      // broadcast.joined's public view (title, state, stage, ...)
    state: "connecting",  // connecting | waiting | live | ended | removed | error
    viewers: 0,
    likes: 0,
    card: null,
    chat: [],             // [{messageId, name, text, at, fromStage}]
    muted: false,
    queue: null,          // {requestId, position, etaSeconds, state} while a consultation waits
    call: null,           // call.started while in a consultation call
    error: null
  };
}

/** The page's state after a server message; unknown messages leave it as it was. */
export function apply(m, msg) {
  switch (msg.type) {
    case "broadcast.joined":
      return {
        ...m, broadcast: msg.broadcast, state: stateOf(msg.broadcast.state), viewers: msg.viewers, likes: msg.likes,
        card: msg.card ?? null, chat: keepLast((msg.chat || []).map(chatItem)), muted: !!msg.muted, error: null
      };
    case "broadcast.stats":
      return { ...m, viewers: msg.viewers, likes: msg.likes };
    case "broadcast.state":
      return {
        ...m, state: m.state === "removed" ? m.state : stateOf(msg.state),
        broadcast: m.broadcast ? { ...m.broadcast, state: msg.state, stage: msg.stage } : m.broadcast
      };
    case "broadcast.card":
      return { ...m, card: msg.card ?? null };
    case "chat.batch": {
      const deleted = new Set(msg.deleted || []);
      const kept = m.chat.filter((c) => !deleted.has(c.messageId));
      return { ...m, chat: keepLast(kept.concat((msg.messages || []).map(chatItem))) };
    }
    case "chat.muted":
      return { ...m, muted: !!msg.muted };
    case "broadcast.removed":
      return { ...m, state: "removed" };
    case "request.queued":
      return { ...m, queue: { requestId: msg.requestId, position: msg.position, etaSeconds: msg.etaSeconds, state: "waiting" } };
    case "queue.update":
      return m.queue ? { ...m, queue: { ...m.queue, position: msg.position, etaSeconds: msg.etaSeconds, state: msg.state } } : m;
    case "request.cancelled":
      return { ...m, queue: null };
    case "call.started":
      return { ...m, queue: null, call: msg };
    case "call.ended":
      return { ...m, call: null };
    default:
      return m;
  }
}

function stateOf(broadcastState) {
  return broadcastState === "live" ? "live" : broadcastState === "ended" ? "ended" : "waiting";
}

function chatItem(c) {
  return { messageId: c.messageId, name: c.name, text: c.text, at: c.at, fromStage: !!c.fromStage };
}

function keepLast(list) {
  return list.length > MAX_CHAT ? list.slice(list.length - MAX_CHAT) : list;
}

/** Whether the stream should be playing: live, and the viewer not in a consultation call. */
export function watching(m) {
  return m.state === "live" && !m.call;
}

/** The broadcast id of a viewer page's address (/live/<id>), or null. */
export function broadcastIdOf(pathname) {
  const match = /^\/live\/([A-Za-z0-9_-]{1,64})\/?$/.exec(pathname || "");
  return match ? match[1] : null;
}
