// The media of one call: one RTCPeerConnection, for the staff desk, the customer widget and receive-only pages.
// Peer-to-peer: the initiator adds its local tracks then creates the offer; the other side adds its
// tracks before answering. Bridge (info.media === "bridge"): this page always offers its own leg to the
// server's media bridge (tracks first, candidates in the offer, none trickled; or, when call.started says
// trickle, the offer at once and the candidates after it) and applies the answer;
// renegotiate(receive) (on call.renegotiate) makes a new offer, first adding receive-only transceivers
// until there are as many of each kind as the bridge has tracks to send (three or more participants).
// A page that only watches (a monitoring supervisor, info.supervising === "monitor", or info.receiveOnly)
// sends nothing and only receives. A page that captured its media itself (a livestream host's camera preview
// or shared screen) passes it as info.stream: it is sent instead of asking for the camera, and it stays the
// page's own (closing the call does not stop its tracks).
// info.simulcast (a livestream's stage): the camera goes out as three layers (full, half and quarter size, by rid)
// and the bridge gives each viewer the one that suits its screen and network; a bridge that does not take
// simulcast answers without it and the browser sends the first (full) layer alone.
// Signals are applied strictly in order once local media is ready; ICE candidates that arrive before the
// remote description wait in a queue.

const MAX_RECEIVE_SLOTS = 8;
/** Largest first: the layer a browser keeps when the answer refuses simulcast. */
export const SIMULCAST_ENCODINGS = Object.freeze([
  { rid: "f", scaleResolutionDownBy: 1, maxBitrate: 1500000 },
  { rid: "h", scaleResolutionDownBy: 2, maxBitrate: 500000 },
  { rid: "q", scaleResolutionDownBy: 4, maxBitrate: 150000 }
]);
const GATHER_WAIT_MS = 3000;

/** The browser's WebRTC; tests pass fakes. */
export function browserMedia() {
  return {
    RTCPeerConnection: globalThis.RTCPeerConnection,
    MediaStream: globalThis.MediaStream,
    getUserMedia: (c) => navigator.mediaDevices.getUserMedia(c)
  };
}

/** Microphone and camera, or the microphone alone, or nothing; the first failure is reported. */
async function localMedia(env, hooks) {
  try {
    return await env.getUserMedia({
      audio: { echoCancellation: true, noiseSuppression: true },
      // facingMode "user": on a phone, the front camera (the widget's choice; a no-op on desktops).
      video: { width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: "user" }
    });
  } catch (e1) {
    let stream = null;
    try { stream = await env.getUserMedia({ audio: true }); } catch { /* no media at all */ }
    hooks.mediaError(e1);
    return stream;
  }
}

/**
 * @param {{callId:string, initiator:boolean, media?:string, supervising?:string, receiveOnly?:boolean,
 *          stream?:MediaStream, iceServers?:RTCIceServer[], simulcast?:boolean}} info
 * @param {{signal:(p:{sdp?:object,candidate?:object})=>void, local:(s:MediaStream)=>void,
 *          remote:(s:MediaStream, t:MediaStreamTrack, from:MediaStream|undefined)=>void, mediaError:(e:Error)=>void,
 *          state?:(s:string)=>void, error:(e:Error)=>void}} hooks
 * @param {ReturnType<typeof browserMedia>} [env]
 */
export function createCall(info, hooks, env = browserMedia()) {
  const pc = new env.RTCPeerConnection({ iceServers: Array.isArray(info.iceServers) ? info.iceServers : [] });
  const given = info.stream || null;
  const call = {
    callId: info.callId,
    initiator: !!info.initiator,
    bridge: info.media === "bridge",
    // The bridge learns the browser's address from its checks: offer at once, candidates follow.
    trickle: info.media === "bridge" && info.trickle === true,
    sends: !info.receiveOnly && info.supervising !== "monitor",
    pc,
    localStream: null,
    remoteStream: new env.MediaStream(),
    closed: false,
    startedAt: Date.now()
  };
  let remoteSet = false;
  let renegotiateWanted = false;
  const pendingCandidates = [];

  pc.onicecandidate = (e) => {
    // With a bridge that does not take trickle the offer carries the candidates: none are sent after it.
    if (!e.candidate || !e.candidate.candidate || call.closed || (call.bridge && !call.trickle)) return;
    hooks.signal({ candidate: e.candidate.toJSON() });
  };
  pc.ontrack = (e) => {
    if (!call.remoteStream.getTracks().includes(e.track)) call.remoteStream.addTrack(e.track);
    hooks.remote(call.remoteStream, e.track, e.streams[0]);
  };
  pc.onconnectionstatechange = () => hooks.state?.(pc.connectionState);
  // A network change (Wi-Fi to mobile data) fails ICE on the old path: restart ICE on the same connection
  // instead of letting the call drop. The bridge keeps the leg; DTLS and SRTP go on.
  pc.oniceconnectionstatechange = () => {
    if (call.bridge && !call.closed && pc.iceConnectionState === "failed") call.restartIce();
  };

  const ready = (async () => {
    if (!call.sends) {
      for (const k of ["audio", "video"]) pc.addTransceiver(k, { direction: "recvonly" });
      await offer();
      return;
    }
    const stream = given || await localMedia(env, hooks);
    if (call.closed) { if (!given) stream?.getTracks().forEach((t) => t.stop()); return; }
    call.localStream = stream;
    const kinds = new Set();
    if (stream) {
      for (const t of stream.getTracks()) {
        if (info.simulcast && t.kind === "video") {
          pc.addTransceiver(t, { direction: "sendrecv", streams: [stream],
            sendEncodings: SIMULCAST_ENCODINGS.map((e) => ({ ...e })) });
        } else {
          pc.addTrack(t, stream);
        }
        kinds.add(t.kind);
      }
      hooks.local(stream);
    }
    if (call.initiator || call.bridge) {
      for (const k of ["audio", "video"]) if (!kinds.has(k)) pc.addTransceiver(k, { direction: "recvonly" });
      await offer();
    }
  })();
  let chain = ready.catch((e) => hooks.error(e));
  const then = (step) => {
    chain = chain.then(step).catch((e) => hooks.error(e));
    return chain;
  };

  async function offer() {
    await pc.setLocalDescription(await pc.createOffer());
    if (call.bridge && !call.trickle) await gathered();
    if (call.closed) return;
    hooks.signal({ sdp: { type: pc.localDescription.type, sdp: pc.localDescription.sdp } });
  }

  // Bridge mode: wait (at most 3 s) for ICE gathering so the offer carries the candidates.
  function gathered() {
    if (pc.iceGatheringState === "complete") return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, GATHER_WAIT_MS);
      function done() {
        clearTimeout(timer);
        pc.removeEventListener("icegatheringstatechange", check);
        resolve();
      }
      function check() { if (pc.iceGatheringState === "complete") done(); }
      pc.addEventListener("icegatheringstatechange", check);
    });
  }

  async function addCandidate(c) {
    try { await pc.addIceCandidate(c); } catch (e) { console.warn("[LiveDesk] candidate", e); }
  }

  async function apply(msg) {
    if (call.closed) return;
    if (msg.sdp) {
      await pc.setRemoteDescription({ type: msg.sdp.type, sdp: msg.sdp.sdp });
      remoteSet = true;
      for (const c of pendingCandidates.splice(0)) await addCandidate(c);
      if (msg.sdp.type === "offer") {
        await pc.setLocalDescription(await pc.createAnswer());
        hooks.signal({ sdp: { type: pc.localDescription.type, sdp: pc.localDescription.sdp } });
      } else if (call.bridge && renegotiateWanted) {
        renegotiateWanted = false;
        await offer();
      }
    } else if (msg.candidate) {
      if (!remoteSet) pendingCandidates.push(msg.candidate);
      else await addCandidate(msg.candidate);
    }
  }

  call.handleSignal = (msg) => then(() => apply(msg));

  // Enough transceivers of each kind for the tracks the bridge will send (others' tracks, one each).
  function addReceiveSlots(receive) {
    for (const kind of ["audio", "video"]) {
      const want = Math.min(Number(receive?.[kind]) || 0, MAX_RECEIVE_SLOTS);
      const have = pc.getTransceivers().filter((t) => !t.stopped && t.receiver.track?.kind === kind).length;
      for (let i = have; i < want; i++) pc.addTransceiver(kind, { direction: "recvonly" });
    }
  }

  // Bridge mode: offer again (the other participants' tracks changed). Waits for a pending answer first.
  // iceRestart: the bridge holding the call went down; fresh ICE credentials make the server build this
  // leg on another bridge.
  // The desk added the receive slots before restartIce(), the widget after. Slots first: both only shape
  // the next createOffer(), but restartIce() sets a flag that any later offer carries, so it goes last,
  // right before the offer — a failure while adding slots then leaves no restart pending for an unrelated
  // offer to pick up, and the restarted offer covers every m-line.
  call.renegotiate = (receive, iceRestart) => then(async () => {
    if (call.closed || !call.bridge) return;
    addReceiveSlots(receive);
    if (iceRestart) pc.restartIce();
    if (pc.signalingState === "stable") await offer();
    else renegotiateWanted = true;
  });
  call.restartIce = () => call.renegotiate(undefined, true);
  call.setMic = (on) => call.localStream?.getAudioTracks().forEach((t) => { t.enabled = on; });
  call.setCamera = (on) => call.localStream?.getVideoTracks().forEach((t) => { t.enabled = on; });
  call.close = () => {
    if (call.closed) return;
    call.closed = true;
    if (!given) call.localStream?.getTracks().forEach((t) => t.stop());
    try { pc.close(); } catch { /* already closed */ }
  };
  return call;
}
