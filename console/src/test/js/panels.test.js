// The state logic of the desk's panels and of the widget, without a DOM.
import { test } from "node:test";
import assert from "node:assert/strict";
import { STATIC } from "./fakes.js";

const { deskState, desk } = await import(`${STATIC}/console/store.js`);
const { offerTiming } = await import(`${STATIC}/console/panels/offers.js`);
const { withAlert, ALERTS_KEPT } = await import(`${STATIC}/console/panels/alerts.js`);
const { liveCalls } = await import(`${STATIC}/console/panels/live.js`);
const { recentItems } = await import(`${STATIC}/console/panels/history.js`);
const { transferTarget, availableColleagues } = await import(`${STATIC}/console/panels/transfer.js`);
const { participantsNote, onPeer, peerStatus } = await import(`${STATIC}/console/panels/call.js`);
const { captionKey, captionStatus } = await import(`${STATIC}/console/panels/captions.js`);
const { applyPresence, bannerKey } = await import(`${STATIC}/console/panels/presence.js`);
const { decodeClaims, slug, endedReason } = await import(`${STATIC}/console/panels/signin.js`);
const { transcriptFileName, transcriptPath } = await import(`${STATIC}/console/panels/transcript.js`);
const { customerContext } = await import(`${STATIC}/console/names.js`);
const { fmtDuration, initials, endTone } = await import(`${STATIC}/client/format.js`);
const widget = await import(`${STATIC}/widget/logic.js`);
const { briefCallId, briefSummary, handoverText } = await import(`${STATIC}/console/panels/brief.js`);
const { serviceLevelText, since } = await import(`${STATIC}/console/panels/wallboard.js`);
const people = await import(`${STATIC}/console/panels/people.js`);
const { errKey, mintErrKey, errCode } = await import(`${STATIC}/console/names.js`);
const { liveTalkMs } = await import(`${STATIC}/console/panels/live.js`);
const deskStrings = await import(`${STATIC}/console/i18n.js`);

test("desk state: signed out, then the call, offers, the ended panel and presence in that order", () => {
  const d = { me: null, call: null, ended: null, presence: { status: "available" } };
  assert.equal(deskState(d, 0), "signed-out");
  d.me = { role: "staff" };
  assert.equal(deskState(d, 0), "available");
  d.presence.status = "offline";
  assert.equal(deskState(d, 0), "away");
  d.ended = { reason: "staff_hangup" };
  assert.equal(deskState(d, 0), "ended");
  assert.equal(deskState(d, 2), "ringing");
  d.call = {};
  assert.equal(deskState(d, 2), "in-call");
});

test("offer countdown: time left, urgency under 6 s, forgotten 5 s after it rang out", () => {
  const msg = { expiresInMs: 20000 };
  assert.deepEqual(offerTiming(msg, 0, 5000), { left: 15000, total: 20000, fraction: 0.75, urgent: false, forget: false });
  assert.equal(offerTiming(msg, 0, 15000).urgent, true);
  assert.equal(offerTiming(msg, 0, 25000).forget, false);
  assert.equal(offerTiming(msg, 0, 25001).forget, true);
  assert.equal(offerTiming({}, 0, 0).left, 0, "an offer without expiry shows as expiring");
});

test("alerts: newest first, no duplicates, at most 50", () => {
  let list = [];
  for (let i = 0; i < ALERTS_KEPT + 5; i++) list = withAlert(list, { alertId: "a" + i, callId: "c", staff: { name: "Zhang" } });
  assert.equal(list.length, ALERTS_KEPT);
  assert.equal(list[0].alertId, "a" + (ALERTS_KEPT + 4));
  assert.equal(list[0].staff, "Zhang");
  assert.equal(withAlert(list, { alertId: list[3].alertId }), list);
});

test("live calls are the connecting and active ones; recent calls accept three answer shapes", () => {
  const calls = [{ state: "active" }, { state: "ended" }, { state: "connecting" }];
  assert.equal(liveCalls({ calls }).length, 2);
  assert.deepEqual(liveCalls(null), []);
  assert.equal(recentItems(calls).length, 3);
  assert.equal(recentItems({ items: calls }).length, 3);
  assert.deepEqual(recentItems({}), []);
});

test("transfer: a queue keeps the call's language, a colleague is named by id; only free colleagues", () => {
  assert.deepEqual(transferTarget("topic:loans", "zh"), { topic: "loans", language: "zh" });
  assert.deepEqual(transferTarget("staff:s:1", "zh"), { staffId: "s:1" });
  assert.equal(transferTarget("", "en"), null);
  const staff = [
    { id: "a", connected: true, status: "available", load: 0, capacity: 1 },
    { id: "b", connected: true, status: "available", load: 1, capacity: 1 },
    { id: "c", connected: false, status: "available", load: 0, capacity: 1 },
    { id: "d", connected: true, status: "away", load: 0, capacity: 1 }];
  assert.deepEqual(availableColleagues({ staff }).map((c) => c.id), ["a"]);
});

test("participants note: for staff only beyond two colleagues; for a supervisor always, customer included", () => {
  const tr = (k, v) => (v ? `${k}(${v.list})` : k);
  const two = [{ role: "customer", name: "C" }, { role: "staff", name: "S" }];
  assert.equal(participantsNote(two, null, tr), "");
  assert.equal(participantsNote(two, "monitor", tr), "call.monitoring");
  assert.equal(participantsNote(two, "barge", tr), "call.participants(C · S)");
  assert.equal(participantsNote([...two, { role: "supervisor" }], null, tr), "", "staff with a supervisor: still two besides the customer");
  assert.equal(participantsNote([...two, { role: "supervisor" }, { role: "staff", name: "T" }], null, tr),
    "call.participants(S · role.supervisor · T)", "staff do not see the customer listed");
});

test("captions: one partial line per speaker; the status line only when captions are not working", () => {
  assert.equal(captionKey({ speaker: "staff", speakerId: "s1" }), "staff|s1");
  assert.equal(captionKey({}), "|");
  assert.equal(captionStatus({ status: "active" }), null);
  assert.deepEqual(captionStatus({ status: "degraded", speaker: "customer" }), { status: "degraded", speaker: "customer" });
});

test("presence merges only the fields sent; the banner shows while reconnecting or restarting", () => {
  const p = { status: "away", load: 0, capacity: 1 };
  assert.deepEqual(applyPresence(p, { status: "available", load: "x" }), { status: "available", load: 0, capacity: 1 });
  assert.equal(bannerKey("reconnecting"), "reconnecting");
  assert.equal(bannerKey("online"), null);
});

test("sign-in helpers: token claims for display, a subject slug for demo names", () => {
  const payload = Buffer.from(JSON.stringify({ sub: "s1", name: "张敏", skills: ["cards"] })).toString("base64url");
  assert.deepEqual(decodeClaims(`h.${payload}.sig`), { sub: "s1", name: "张敏", skills: ["cards"] });
  assert.deepEqual(decodeClaims("garbage"), {});
  assert.equal(slug("Zoë  O'Brien"), "zoe-o-brien");
  assert.match(slug("张敏"), /^u[0-9a-z]+$/);
  assert.equal(slug("张敏"), slug("张敏"));
});

test("transcripts: the call id is escaped in the path and made safe in the file name", () => {
  assert.equal(transcriptPath("a/b"), "/api/calls/a%2Fb/transcript");
  assert.equal(transcriptFileName("c:1/2"), "transcript-c_1_2.txt");
});

test("customer context is shown as the customer sent it, even keys that look like LiveDesk's", () => {
  assert.deepEqual(customerContext({ page: "/loans", transfer_of: "c1" }), [["page", "/loans"], ["transfer_of", "c1"]]);
  assert.deepEqual(customerContext(undefined), []);
});

test("durations and initials as the desk and the widget show them", () => {
  assert.equal(fmtDuration(7000), "0:07");
  assert.equal(fmtDuration(3723000), "1:02:03");
  assert.equal(fmtDuration(undefined), "0:00");
  assert.equal(initials("Alex  Chen"), "AC");
  assert.equal(initials("陈明"), "陈");
  assert.equal(initials(""), "?");
});

test("an end nobody chose (a lost connection, a restart) is neutral; a hang-up, cancel or transfer is not", () => {
  for (const r of ["customer_disconnected", "staff_disconnected", "server_shutdown", "lost"]) assert.equal(endTone(r), "neutral", r);
  for (const r of ["customer_hangup", "staff_hangup", "customer_cancelled", "transferred", "left", "other", undefined]) {
    assert.equal(endTone(r), "ok", String(r));
  }
});

test("the desk shows a party of its call reconnecting until they are back, and forgets it with the call", () => {
  desk.call = { callId: "r-1" };
  try {
    assert.equal(peerStatus(), "connected");
    onPeer({ type: "call.peer", callId: "r-2", role: "customer", status: "reconnecting" });
    assert.equal(peerStatus(), "connected", "another call's news");
    onPeer({ type: "call.peer", callId: "r-1", role: "customer", status: "reconnecting" });
    assert.equal(peerStatus(), "reconnecting");
    onPeer({ type: "call.peer", callId: "r-1", role: "customer", status: "connected" });
    assert.equal(peerStatus(), "connected");
    onPeer({ type: "call.peer", callId: "r-1", role: "staff", status: "reconnecting" });
    desk.call = null;
    assert.equal(peerStatus(), "connected", "no call, nobody away");
  } finally {
    desk.call = null;
  }
});

test("widget: live states, error keys, request context and offered topics", () => {
  assert.ok(widget.isActive("ringing") && widget.isActive("in-call") && !widget.isActive("connecting"));
  assert.equal(widget.errKey({ code: "overloaded" }), "err.overloaded");
  assert.equal(widget.errKey({ code: "token" }), "err.token");
  assert.equal(widget.errKey({ code: "no_such_code" }), "err.generic");
  const many = Object.fromEntries(Array.from({ length: 25 }, (_, i) => ["k" + i, i]));
  const ctx = widget.requestContext({ ...many, gone: null }, "/x");
  assert.equal(Object.keys(ctx).length, 20);
  assert.equal(ctx.k3, "3");
  assert.deepEqual(widget.requestContext(null, "/loans"), { page: "/loans" });
  assert.equal(widget.requestContext({ ["k".repeat(100)]: "v".repeat(300) }, "/")["k".repeat(64)].length, 256);
  const topics = [{ id: "cards", en: "Cards", zh: "银行卡" }, { id: "loans", names: { en: "Loans" } }, { names: {} }];
  assert.deepEqual(widget.offeredTopics(topics, ["cards"]), [{ id: "cards", names: { en: "Cards", zh: "银行卡" } }]);
  assert.equal(widget.offeredTopics(topics).length, 2);
});

test("widget: the page's topic hint, then the longest path prefix; only topics on offer; the product goes along", () => {
  const offered = [{ id: "cards" }, { id: "loans" }, { id: "wealth" }];
  const byPath = { topicsByPath: { "/loans": "loans", "/loans/private": "wealth", "/gone": "gone" } };
  assert.equal(widget.suggestedTopic(byPath, "/loans/private/x", offered), "wealth", "the longest prefix wins");
  assert.equal(widget.suggestedTopic(byPath, "/loans/car", offered), "loans");
  assert.equal(widget.suggestedTopic(byPath, "/gone/x", offered), null, "a topic not on offer is not chosen");
  assert.equal(widget.suggestedTopic({ ...byPath, topic: "cards" }, "/loans", offered), "cards", "the mount option beats the path");
  assert.equal(widget.suggestedTopic({ topic: "cards" }, "/", offered, { topic: "loans" }), "loans", "the button's hint beats both");
  assert.equal(widget.suggestedTopic({}, "/", offered), null);
  assert.deepEqual(widget.requestContext(null, "/loans", "home-loan"), { page: "/loans", product: "home-loan" });
  assert.deepEqual(widget.requestContext({ site: "x" }, "/loans"), { site: "x" });
});

test("brief: an offer's call is the transferred call or the request; returning customers and handover notes", () => {
  assert.equal(briefCallId({ requestId: "r-1" }), "r-1");
  assert.equal(briefCallId({ requestId: "t-1", transfer: { callId: "r-9" } }), "r-9");
  const tr = (k, v) => k + JSON.stringify(v || {});
  assert.equal(briefSummary({ previous: [] }, tr), null);
  assert.equal(briefSummary(null, tr), null);
  assert.equal(briefSummary({ previous: [{}, {}] }, tr), 'brief.returning{"n":2}');
  assert.equal(handoverText({ fromStaffName: "Zhang" }, tr), 'brief.handover{"name":"Zhang"}');
  assert.equal(handoverText({ fromStaffName: "Zhang", note: "fixed rate" }, tr), 'brief.handoverNote{"name":"Zhang","note":"fixed rate"}');
  assert.equal(handoverText(null, tr), "");
});

test("wallboard: service level as a percentage or a dash; clocks count on with the server's offset", () => {
  assert.equal(serviceLevelText({ serviceLevel: 1 / 3 }), "33 %");
  assert.equal(serviceLevelText({ serviceLevel: 0 }), "0 %");
  assert.equal(serviceLevelText({}), "—", "nothing answered or abandoned yet");
  assert.equal(since(1_000, 5_000), 4_000);
  assert.equal(since(1_000, 5_000, 2_000), 6_000, "the server's clock is 2 s ahead of ours");
  assert.equal(since(9_000, 5_000), 0, "never negative");
  assert.equal(since(null, 5_000), 0);
});

test("list panels load through the one fetch helper: the desk's token, failures keep the old items", async () => {
  const { desk, loadList } = await import(`${STATIC}/console/store.js`);
  const { fakeFetch } = await import("./fakes.js");
  const saved = globalThis.fetch;
  try {
    desk.token = "t1";
    globalThis.fetch = fakeFetch(() => ({ status: 200, body: { calls: [{ state: "active" }] } }));
    const ok = await loadList("/api/calls?limit=50", liveCalls, { items: null });
    assert.deepEqual(ok, { items: [{ state: "active" }], error: false });
    assert.equal(globalThis.fetch.calls[0].init.headers.Authorization, "Bearer t1");

    globalThis.fetch = fakeFetch(() => ({ status: 500 }));
    assert.deepEqual(await loadList("/x", liveCalls, ok), { items: ok.items, error: true });

    globalThis.fetch = fakeFetch(() => { desk.token = null; return { status: 200, body: {} }; });
    assert.equal(await loadList("/x", liveCalls, ok), null, "signed out meanwhile: nothing to show");
  } finally {
    globalThis.fetch = saved;
    desk.token = null;
  }
});

test("a call that ended while the desk was away ends with the reason the welcome gives, for that call only", () => {
  const w = { ended: { callId: "r-1", reason: "customer_hangup", endedAt: "2026-12-04T10:00:00Z" } };
  assert.equal(endedReason(w, "r-1"), "customer_hangup");
  assert.equal(endedReason(w, "r-2"), null, "another call");
  assert.equal(endedReason({}, "r-1"), null);
  assert.equal(endedReason(null, "r-1"), null);
});

test("video labels: name and role, the role alone when no name is sent, a stream matched to its person", () => {
  const tr = (k, v) => (v ? `${k}(${Object.values(v).join("|")})` : k);
  assert.equal(people.participantLabel({ name: "Li Wei", role: "customer" }, tr), "who.label(Li Wei|who.customer)");
  assert.equal(people.participantLabel({ role: "supervisor" }, tr), "who.supervisor", "the customer's view of a supervisor");
  assert.equal(people.participantLabel({ name: "  ", role: "staff" }, tr), "who.staff");
  assert.equal(people.participantLabel(null, tr), "who.other", "a stream nobody is listed for");
  assert.equal(people.participantLabel({ name: "X", role: "admin" }, tr), "who.label(X|who.other)");
  deskStrings.setLang("en");
  assert.equal(people.participantLabel({ name: "Chen Jing", role: "supervisor" }, deskStrings.t), "Chen Jing · Supervisor");
  deskStrings.setLang("zh");
  assert.equal(people.participantLabel({ name: "李伟", role: "customer" }, deskStrings.t), "李伟 · 客户");
  deskStrings.setLang("en");

  const list = [{ name: "Li Wei", role: "customer", stream: "ld-a" }, { role: "supervisor", stream: "ld-s" }];
  assert.equal(people.participantOfStream(list, "ld-s"), list[1]);
  assert.equal(people.participantOfStream(list, "ld-x"), null);
  assert.equal(people.participantOfStream(null, "ld-a"), null);
  assert.equal(people.participantOfStream(list, undefined), null);
});

test("tiles go with their participant; a list without streams drops none", () => {
  const list = [{ role: "customer", stream: "ld-a" }, { role: "staff", stream: "ld-b" }];
  assert.deepEqual(people.departedStreams(["ld-b", "ld-s"], list), ["ld-s"]);
  assert.deepEqual(people.departedStreams(["ld-b"], list), []);
  assert.deepEqual(people.departedStreams(["x"], [{ role: "customer" }, { role: "staff" }]), [], "peer-to-peer: the tracks decide");
  assert.deepEqual(people.departedStreams(["x"], null), []);
});

test("staff notices: a supervisor barging in and leaving, one already there, never one who only listens in", () => {
  const two = [{ name: "Li Wei", role: "customer", stream: "c" }, { name: "Zhang Min", role: "staff", stream: "s" }];
  const chen = { name: "Chen Jing", role: "supervisor", stream: "sup1", supervising: "barge" };
  const monitor = { name: "Lin", role: "supervisor", stream: "sup2", supervising: "monitor" };
  assert.deepEqual(people.supervisorChanges(two, [...two, chen]), [{ change: "joined", person: chen }]);
  assert.deepEqual(people.supervisorChanges([...two, chen], [...two, chen, monitor]), [], "a monitor is not announced");
  assert.deepEqual(people.supervisorChanges([...two, chen, monitor], [...two, monitor]), [{ change: "left", person: chen }]);
  assert.deepEqual(people.supervisorChanges(null, [...two, chen]), [{ change: "present", person: chen }], "a call taken over");
  assert.deepEqual(people.supervisorChanges(null, two), []);
  const unnamed = { role: "supervisor" };
  assert.deepEqual(people.supervisorChanges(two, [...two, unnamed]), [{ change: "joined", person: unnamed }], "older servers: no streams");

  const tr = (k, v) => (v ? `${k}(${v.name})` : k);
  assert.equal(people.supervisorNotice({ change: "joined", person: chen }, tr), "notice.supervisor.joined(Chen Jing)");
  assert.equal(people.supervisorNotice({ change: "left", person: unnamed }, tr), "notice.aSupervisor.left");
  deskStrings.setLang("en");
  assert.equal(people.supervisorNotice({ change: "joined", person: chen }, deskStrings.t), "Chen Jing (supervisor) joined the call");
  assert.equal(people.supervisorNotice({ change: "left", person: chen }, deskStrings.t), "Chen Jing (supervisor) left the call");
  deskStrings.setLang("zh");
  assert.equal(people.supervisorNotice({ change: "joined", person: chen }, deskStrings.t), "Chen Jing（主管）加入了通话");
  deskStrings.setLang("en");
});

test("errors in plain words: every server code has its own text or a shared one, never the code itself", () => {
  const codes = ["bad_json", "bad_message", "unknown_type", "frame_too_large", "binary_not_supported", "rate_limited",
    "unauthenticated", "invalid_token", "already_authenticated", "session_replaced", "forbidden", "invalid_state",
    "not_found", "unknown_topic", "unsupported_language", "offer_expired", "bad_sdp", "broadcast_full", "not_supported",
    "overloaded", "unavailable", "internal", "network", "bad_response", "token"];
  for (const code of codes) {
    const key = errKey(code);
    assert.notEqual(key, "err.generic", code);
    for (const lang of ["en", "zh"]) {
      deskStrings.setLang(lang);
      const text = deskStrings.t(key);
      // Codes like invalid_token are jargon; a plain word such as "token" may well be in the text.
      assert.ok(!(code.includes("_") && text.includes(code)) && !/[{}]/.test(text), `${lang} ${code}: ${text}`);
    }
  }
  deskStrings.setLang("en");
  assert.equal(errKey("invalid_token"), "err.invalid_token");
  assert.equal(errKey("unauthenticated"), "err.invalid_token");
  assert.equal(errKey(undefined), "err.network");
  assert.equal(errKey("HTTP 404"), "err.not_found");
  assert.equal(errKey("HTTP 502"), "err.unavailable");
  assert.equal(errKey("HTTP 418"), "err.generic");
  assert.equal(errKey("something_new"), "err.generic");
  assert.doesNotMatch(deskStrings.t("err.generic"), /\{code\}|something_new/);
  assert.equal(errCode({ code: "internal" }), "internal", "the code is kept for the small print");
  assert.equal(errCode({ code: "network" }), "");
  assert.equal(errCode(null), "");
});

test("a refused demo sign-in says what to do: the link's key, demo sign-in switched off, the form", () => {
  assert.equal(mintErrKey("unauthenticated"), "err.mint.key");
  assert.equal(mintErrKey("HTTP 401"), "err.mint.key");
  assert.equal(mintErrKey("not_found"), "err.mint.off");
  assert.equal(mintErrKey("bad_message"), "err.mint.bad");
  assert.equal(mintErrKey("network"), "err.network");
  assert.equal(mintErrKey("overloaded"), "err.overloaded");
  deskStrings.setLang("en");
  assert.equal(deskStrings.t(mintErrKey("unauthenticated")),
    "Your sign-in link has expired or is wrong. Ask your supervisor for a new one, or paste the right admin key.");
  assert.doesNotMatch(deskStrings.t(mintErrKey("unauthenticated")), /unauthenticated|refused|token \(/);
});

test("a live call's talk time counts on from the server's at the answer that listed it", () => {
  assert.equal(liveTalkMs({ talkMs: 60000 }, 1000, 6000), 65000);
  assert.equal(liveTalkMs({}, 1000, 1000), 0);
  assert.equal(liveTalkMs({ talkMs: "x" }, 5000, 1000), 0, "a clock that went back counts nothing");
});
