package io.livedesk.signaling.redis;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.live.BroadcastId;
import io.livedesk.signaling.live.BroadcastState;
import io.livedesk.signaling.routing.RequestId;
/**
 * Every Redis key and channel name LiveDesk uses, in one place.
 *
 * <p>Keys carry a hash tag so that every key one Lua script touches is in one slot, as Redis Cluster
 * requires (a script runs on the one master owning its slot):
 * <ul>
 *   <li>{@code {ld}:...} ({@link #tag()}): presence, routing, calls, sessions, nodes, supervisors and the
 *   broadcast records. Their scripts cross these families (a match reads a member's availability and
 *   several queues and writes the request and the member; an accept writes the call; the broadcast list
 *   reads the state indexes and many records), so they share one slot and hence one master.</li>
 *   <li>{@code {ld:b:<broadcast>}:...} ({@link #broadcastTag}): one broadcast's viewers and chat, whose scripts
 *   touch only that broadcast's keys. Busy livestreams spread over the cluster's masters.</li>
 *   <li>{@code {ld:t:<call>}:...} ({@link #transcriptTag}): one call's transcript and its sequence.</li>
 * </ul>
 * The Lua scripts receive the tag of their family as ARGV[1] and build the keys they discover while running
 * (a staff member's availability sets, the queues of their skills, a call's parties, a broadcast's viewer
 * sets) with the same patterns as here: a pattern changed here must be changed in the scripts
 * ({@code common.lua}, {@code viewers_common.lua} and the call, session, chat and transcript scripts) too.
 */
public final class RedisKeys {

    private final String prefix;
    private final String tag;

    public RedisKeys(String prefix) {
        if (prefix == null || prefix.isBlank() || prefix.contains("{") || prefix.contains("}")) {
            throw new IllegalArgumentException("Redis key prefix must be non-empty and without braces: " + prefix);
        }
        this.prefix = prefix;
        this.tag = "{" + prefix + "}:";
    }

    public RedisKeys() {
        this("ld");
    }

    /** What the shared keys start with, e.g. {@code {ld}:}; the scripts build their keys from it. */
    public String tag() {
        return tag;
    }

    /**
     * What one broadcast's viewer and chat keys start with, e.g. {@code {ld:b:<id>}:}. Whatever the id holds,
     * every key of the broadcast starts with this same text, so they hash alike.
     */
    public String broadcastTag(BroadcastId broadcastId) {
        return "{" + prefix + ":b:" + broadcastId.value() + "}:";
    }

    /** What one call's transcript keys start with, e.g. {@code {ld:t:<id>}:}. */
    public String transcriptTag(CallId callId) {
        return "{" + prefix + ":t:" + callId.value() + "}:";
    }

    // ---- callback requests (patterns mirrored in callback_create.lua and callback_compare_and_set.lua) ----

    /** Hash: one callback request's fields (customer data: never logged). */
    public String callback(String callbackId) {
        return tag + "cb:" + callbackId;
    }

    /** Sorted set of the open callback requests' ids, scored by when they were asked for. */
    public String callbacksOpen() {
        return tag + "cbopen";
    }

    /** Sorted set of the callback requests a staff member took and has not closed, scored by when they took them. */
    public String callbacksTakenBy(Subject staffId) {
        return tag + "cbtaken:" + staffId;
    }

    /** String: the customer's active (open or taken) callback request's id. */
    public String callbackOf(Subject customerId) {
        return tag + "cbof:" + customerId;
    }

    // ---- presence (patterns mirrored in common.lua) ----

    /** Hash: name, skills, languages, capacity, load, status, connected, idleSince, lastActivity. */
    public String staff(Subject staffId) {
        return tag + "staff:" + staffId;
    }

    /** Set of every known staff id. */
    public String staffIds() {
        return tag + "staffids";
    }

    /** Set of the subjects who signed in as supervisors (alerts go to those of them connected). */
    public String supervisors() {
        return tag + "supervisors";
    }

    /** Sorted set of the staff routable for this skill and language, scored by idleSince. */
    public String available(String skill, String language) {
        return tag + "avail:" + skill + ":" + language;
    }

    // ---- routing (patterns mirrored in common.lua) ----

    /** Hash: the request's fields, its state and, while offered, the offer. */
    public String request(RequestId requestId) {
        return tag + "req:" + requestId.value();
    }

    /** Hash: staffId to the time until which that member is not offered the request again. */
    public String exclusions(RequestId requestId) {
        return tag + "excl:" + requestId.value();
    }

    /** Sorted set of the WAITING requests of a (topic, language), scored by rank; see RedisRoutingStore. */
    public String queue(String topic, String language) {
        return tag + "queue:" + topic + ":" + language;
    }

    /** Sorted set of the WAITING request ids of a topic (all languages), scored by enqueue time: stats. */
    public String waiting(String topic) {
        return tag + "waiting:" + topic;
    }

    /** Set of the OFFERED request ids of a topic: stats. */
    public String offered(String topic) {
        return tag + "offered:" + topic;
    }

    /** String: the customer's open request id. */
    public String openRequest(Subject customerId) {
        return tag + "open:" + customerId;
    }

    /** Sorted set of OFFERED request ids scored by the offer's expiry. */
    public String offers() {
        return tag + "offers";
    }

    // ---- calls ----

    /** Hash: state, json (the whole record), customer, staff. */
    public String call(CallId callId) {
        return tag + "call:" + callId.value();
    }

    /** String: the live call id of a subject. */
    public String liveCall(Subject subject) {
        return tag + "livecall:" + subject;
    }

    public String staffOffers(Subject staffId) {
        return tag + "staffoffers:" + staffId;
    }

    public String lastCall(Subject subject) {
        return tag + "lastcall:" + subject;
    }

    /** Sorted set of call ids scored by enqueue time, trimmed to the newest ones. */
    public String recentCalls() {
        return tag + "calls";
    }

    // ---- the customer's journey (pattern mirrored in watched_add.lua) ----

    /** Sorted set of the broadcasts an identified viewer watched, by when they last started. */
    public String watched(Subject viewer) {
        return tag + "watched:" + viewer;
    }

    // ---- the day's service counters (pattern mirrored in daystats_add.lua) ----

    /** Hash of a day's counters (DayCounter keys to counts); expires after the retention. */
    public String dayStats(java.time.LocalDate day) {
        return tag + "daystats:" + day;
    }

    // ---- transcripts (patterns mirrored in transcript_append.lua) ----

    /** List of a call's transcript lines (JSON each), oldest first; expires after the retention. */
    public String transcript(CallId callId) {
        return transcriptTag(callId) + "transcript:" + callId.value();
    }

    /** String: the last sequence number given to a line of the call's transcript; expires with it. */
    public String transcriptSeq(CallId callId) {
        return transcriptTag(callId) + "transcriptseq:" + callId.value();
    }

    // ---- calls' media state (one key per call, its own hash tag: nothing else is touched with it) ----

    /** What one call's media-state key starts with, e.g. {@code {ld:m:<id>}:}. */
    public String callMediaTag(CallId callId) {
        return "{" + prefix + ":m:" + callId.value() + "}:";
    }

    /** Hash: rev and json (the call's bridge legs, see CallMediaStore); expires unless written again. */
    public String callMedia(CallId callId) {
        return callMediaTag(callId) + "media:" + callId.value();
    }

    // ---- livestreams (the hash pattern mirrored in broadcast_list.lua) ----

    /** Hash: state, rev, scheduledAt, json (the record, counters zeroed) and one field per counter. */
    public String broadcast(BroadcastId broadcastId) {
        return tag + "broadcast:" + broadcastId.value();
    }

    /** Sorted set of the ids of the broadcasts in a state, scored by scheduled time. */
    public String broadcasts(BroadcastState state) {
        return tag + "broadcasts:" + state.wire();
    }

    // ---- livestream viewers (patterns mirrored in viewers_common.lua) ----

    /** Sorted set of a broadcast's present viewers scored by last heartbeat (ms): fresh counts, expiry. */
    public String viewersSeen(BroadcastId broadcastId) {
        return broadcastTag(broadcastId) + "viewers:" + broadcastId.value();
    }

    /** Sorted set of a broadcast's present viewers scored by join time (ms): the paged list. */
    public String viewersJoined(BroadcastId broadcastId) {
        return broadcastTag(broadcastId) + "viewerjoins:" + broadcastId.value();
    }

    /** Hash: a present viewer's subject to their display name (absent when they gave none). */
    public String viewerNames(BroadcastId broadcastId) {
        return broadcastTag(broadcastId) + "viewernames:" + broadcastId.value();
    }

    /** Set of every subject that ever joined the broadcast: the exact unique-viewer count. */
    public String viewersEver(BroadcastId broadcastId) {
        return broadcastTag(broadcastId) + "viewersever:" + broadcastId.value();
    }

    /** Set of the subjects banned from the broadcast. */
    public String viewerBans(BroadcastId broadcastId) {
        return broadcastTag(broadcastId) + "viewerbans:" + broadcastId.value();
    }

    /** String: the broadcast's accumulated watch time of ended stays (ms). */
    public String viewerWatchMs(BroadcastId broadcastId) {
        return broadcastTag(broadcastId) + "viewerwatch:" + broadcastId.value();
    }

    // ---- livestream chat (patterns mirrored in chat_append.lua) ----

    /** List of a broadcast's latest chat messages (JSON each), oldest first, trimmed to ChatStore.KEPT. */
    public String chat(BroadcastId broadcastId) {
        return broadcastTag(broadcastId) + "chat:" + broadcastId.value();
    }

    /** String: the number of the broadcast's last chat message ({@code m-<n>}). */
    public String chatSeq(BroadcastId broadcastId) {
        return broadcastTag(broadcastId) + "chatseq:" + broadcastId.value();
    }

    /** Set of the subjects muted in the broadcast's chat. */
    public String chatMuted(BroadcastId broadcastId) {
        return broadcastTag(broadcastId) + "chatmuted:" + broadcastId.value();
    }

    // ---- cluster ----

    /** Hash: role, node, conn of a subject's current connection. */
    public String session(Subject subject) {
        return tag + "session:" + subject;
    }

    /** Hash: role, node, conn of a subject's last connection, while they are marked disconnected. */
    public String goneSession(Subject subject) {
        return tag + "gone:" + subject;
    }

    /** Sorted set of disconnected subjects scored by when they went. */
    public String disconnected() {
        return tag + "disconnected";
    }

    /** Set of the subjects bound on a node. */
    public String nodeSessions(String nodeId) {
        return tag + "nodesessions:" + nodeId;
    }

    /** String: the store's epoch, made by the first heartbeat into an empty store (see NodeRegistry). */
    public String epoch() {
        return tag + "epoch";
    }

    /** Sorted set of node ids scored by last heartbeat. */
    public String nodes() {
        return tag + "nodes";
    }

    /**
     * Pub/sub channel of one node. On a cluster it is a sharded channel (SPUBLISH): it hashes like a key, so
     * the nodes' channels spread over the masters; no tag, since no two channels need to share a slot.
     */
    public String nodeChannel(String nodeId) {
        return prefix + ":node:" + nodeId;
    }

    /** The channel every node listens on, for what all of them must hear (livestream events). */
    public String allNodesChannel() {
        return prefix + ":nodes";
    }
}
