package io.livedesk.signaling.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.JsonValue;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.callback.CallbackRequest;
import io.livedesk.signaling.live.BroadcastId;
import io.livedesk.signaling.live.BroadcastOrigin;
import io.livedesk.signaling.live.ProductCard;
import io.livedesk.signaling.routing.RequestId;
import io.livedesk.signaling.wallboard.WallboardView;

import java.util.List;
import java.util.Map;

/**
 * Every message the server sends. {@code id} is the request id for replies and null (omitted) for events.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "id"})
public sealed interface ServerMessage {

    @JsonProperty("type")
    String type();

    /** @param retryAfterMs with {@code overloaded}: how long to wait before trying again; otherwise null */
    record Error(String id, String code, String message, Long retryAfterMs) implements ServerMessage {
        public Error(String id, String code, String message) {
            this(id, code, message, null);
        }

        public static Error of(String id, ProtocolException e) {
            return new Error(id, e.code().wire(), e.getMessage());
        }

        public String type() {
            return "error";
        }
    }

    record TopicView(String id, Map<String, String> names) {
    }

    record PresenceView(String status, int load, int capacity) {
    }

    /**
     * @param ended with no live call: the last call this subject was a party of, if it ended within the
     *              reconnect grace period, so a party who was away when it ended learns how
     */
    record Welcome(String id, Subject subject, String role, String name, String node, List<TopicView> topics,
                   List<String> languages, PresenceView presence, RequestQueued request, CallStarted call,
                   EndedCall ended)
            implements ServerMessage {
        public String type() {
            return "welcome";
        }
    }

    /** A call that ended, as a returning party is told of it in {@code welcome}. */
    record EndedCall(CallId callId, String reason, String endedAt) {
    }

    record Pong(String id, long serverTime) implements ServerMessage {
        public String type() {
            return "pong";
        }
    }

    record Ack(String id) implements ServerMessage {
        public String type() {
            return "ack";
        }
    }

    record Presence(String id, String status, int load, int capacity) implements ServerMessage {
        public String type() {
            return "presence";
        }
    }

    /** Where a customer's request is: waiting in its queue, or ringing at a staff member. */
    enum QueueState {
        WAITING, RINGING;

        @JsonValue
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    record RequestQueued(String id, RequestId requestId, String topic, String language, QueueState state, int position,
                         long etaSeconds) implements ServerMessage {
        public String type() {
            return "request.queued";
        }
    }

    record QueueUpdate(RequestId requestId, QueueState state, int position, long etaSeconds) implements ServerMessage {
        public String type() {
            return "queue.update";
        }
    }

    record RequestCancelled(String id, RequestId requestId, String reason) implements ServerMessage {
        public String type() {
            return "request.cancelled";
        }
    }

    record CustomerView(String name) {
    }

    /**
     * On an offer that hands over a live call: the call, who hands it over, and the colleague it is meant for
     * when it rings for them alone (else null).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TransferView(CallId callId, String from, Subject to) {
    }

    /**
     * {@code context} is the customer's own words, for display; {@code transfer} and {@code origin} (the
     * livestream a viewer consulted from) are set only by the server.
     */
    record Offer(RequestId requestId, String topic, String language, int priority, CustomerView customer,
                 Map<String, String> context, TransferView transfer, BroadcastOrigin origin, long waitedMs,
                 long expiresInMs) implements ServerMessage {
        public String type() {
            return "offer";
        }
    }

    record OfferDeclined(String id, RequestId requestId) implements ServerMessage {
        public String type() {
            return "offer.declined";
        }
    }

    record OfferRevoked(RequestId requestId, String reason) implements ServerMessage {
        public String type() {
            return "offer.revoked";
        }
    }

    /**
     * One person in a call, as another participant is told of them.
     *
     * @param name        left out for a supervisor when telling the customer: they see that one is there, not who
     * @param stream      bridge mode: the id of this person's media stream in the SDP answers (what a page reads
     *                    as {@code RTCTrackEvent.streams[0].id}), so it can tell whose video is whose; else left out
     * @param supervising for a supervisor: {@code monitor} or {@code barge}; else left out
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PeerView(String name, String role, String stream, String supervising) {
        public PeerView(String name, String role) {
            this(name, role, null, null);
        }
    }

    /**
     * A call's wait and talk time as of the moment a message about it was sent, as the server defines them
     * (docs/protocol.md, "Wait and talk time"): a client that shows a running clock counts on from these.
     */
    record CallTimes(long waitMs, long talkMs) {
    }

    /**
     * @param media       null for peer-to-peer (left out), {@code "bridge"} when each party negotiates with the bridge
     * @param supervising for a supervisor who joined: {@code "monitor"} or {@code "barge"}; else left out
     * @param times       the call's wait and talk time so far
     * @param participants bridge mode: who is in the call now, as {@link CallParticipants} would tell this party
     *                     (a page labels the videos from the first track on, and again after a reload); else null
     */
    /**
     * @param trickle true when the bridge takes offers before the browser's candidates are gathered (it learns
     *                where the browser is from its checks): offer at once and send candidates as they come;
     *                null (left out) otherwise, when the offer waits for gathering
     */
    record CallStarted(String id, CallId callId, PeerView peer, boolean initiator,
                       List<Map<String, Object>> iceServers, Boolean resumed, String media, String supervising,
                       CallTimes times, List<PeerView> participants, Boolean trickle)
            implements ServerMessage {
        public CallStarted withId(String replyId) {
            return new CallStarted(replyId, callId, peer, initiator, iceServers, resumed, media, supervising, times,
                    participants, trickle);
        }

        public String type() {
            return "call.started";
        }
    }

    /** A relayed signal: exactly one of sdp and candidate. */
    record CallSignal(CallId callId, String from, ClientMessage.Sdp sdp, ClientMessage.IceCandidate candidate)
            implements ServerMessage {
        public String type() {
            return "call.signal";
        }
    }


    /** The other party came back on a new connection: the initiator negotiates the media afresh. */
    record CallRestart(CallId callId) implements ServerMessage {
        public String type() {
            return "call.restart";
        }
    }

    /** How many remote tracks of each kind the bridge wants to send a party. */
    record ReceiveSlots(int audio, int video) {
    }

    /**
     * Bridge mode: the other participants' sources changed; the party makes a new offer for its leg, with
     * at least {@code receive} transceivers of each kind (it adds receive-only ones when it has fewer).
     *
     * @param iceRestart true when the bridge holding the call went down: restart ICE before offering, so the
     *                   new offer creates the party's leg on another bridge; left out otherwise
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CallRenegotiate(CallId callId, ReceiveSlots receive, Boolean iceRestart) implements ServerMessage {
        public CallRenegotiate(CallId callId, ReceiveSlots receive) {
            this(callId, receive, null);
        }

        public String type() {
            return "call.renegotiate";
        }
    }

    /** Who is in the call now, sent to the participants whenever that changes (join, leave, transfer). */
    record CallParticipants(CallId callId, List<PeerView> participants) implements ServerMessage {
        public String type() {
            return "call.participants";
        }
    }

    /**
     * The staff member asked for a transfer: the reply to {@code call.transfer}; the call waits in the
     * queue (or rings for the named colleague, {@code staffId}) while this one stays on.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CallTransferring(String id, CallId callId, String topic, String language, Subject staffId)
            implements ServerMessage {
        public String type() {
            return "call.transferring";
        }
    }

    /**
     * To the staff member who asked for a transfer to a named colleague: the colleague declined or let it
     * ring out; the call stays theirs.
     *
     * @param reason {@code declined} or {@code timeout}
     */
    record CallTransferFailed(CallId callId, String reason) implements ServerMessage {
        public String type() {
            return "call.transfer.failed";
        }
    }

    /** To the customer: the call was handed to another staff member; the media carries on. */
    record CallTransferred(CallId callId, PeerView peer) implements ServerMessage {
        public String type() {
            return "call.transferred";
        }
    }

    /** Whether the other party of a call is with us (see {@link CallPeer}). */
    enum PeerStatus {
        CONNECTED, RECONNECTING;

        @JsonValue
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * To the others in a call: a party ({@code role} {@code customer} or {@code staff}) dropped (their page closed,
     * their network or media stopped) and may come back within the reconnect grace, or came back. Lets a page
     * say so instead of showing a frozen picture.
     */
    record CallPeer(CallId callId, String role, PeerStatus status) implements ServerMessage {
        public String type() {
            return "call.peer";
        }
    }

    /**
     * A callback request as staff see it. Times are epoch ms (0: not yet); {@code staffId} null while open,
     * {@code outcome} null until closed.
     */
    record CallbackView(String callbackId, String topic, String language, String name, String phone, String note,
                        String preferredTime, Map<String, String> context, long createdAt, String state,
                        String staffId, long takenAt, String outcome, String outcomeNote, long closedAt) {
        public static CallbackView of(CallbackRequest r) {
            return new CallbackView(r.id().value(), r.topic(), r.language(), r.name(), r.phone(), r.note(),
                    r.preferredTime(), r.context(), r.createdAtMs(), r.state().wire(),
                    r.staffId() == null ? null : r.staffId().value(), r.takenAtMs(),
                    r.outcome() == null ? null : r.outcome().wire(), r.outcomeNote(), r.closedAtMs());
        }
    }

    /** The customer's callback request is stored: staff of its queue will call back. */
    record CallbackRequested(String id, String callbackId, String topic, String preferredTime) implements ServerMessage {
        public String type() {
            return "callback.requested";
        }
    }

    /** The reply to {@code callbacks.list}: open requests of the caller's queues (oldest first) and their own. */
    record Callbacks(String id, List<CallbackView> open, List<CallbackView> mine) implements ServerMessage {
        public String type() {
            return "callbacks";
        }
    }

    record CallbackTaken(String id, CallbackView callback) implements ServerMessage {
        public String type() {
            return "callback.taken";
        }
    }

    record CallbackClosed(String id, CallbackView callback) implements ServerMessage {
        public String type() {
            return "callback.closed";
        }
    }

    /** Sent to staff and supervisors when callback requests changed: ask {@code callbacks.list} again. */
    record CallbacksChanged() implements ServerMessage {
        public String type() {
            return "callbacks.changed";
        }
    }

    /**
     * The wallboard's snapshot (docs/protocol.md, "Wallboard"): the reply to {@code wallboard.subscribe}, then
     * an event whenever it changed, at most once per {@code wallboard.interval}. {@code serverTime} lets a page
     * count waits and durations on from the snapshot's epoch times with its own clock's offset.
     */
    record Wallboard(String id, long serverTime, @JsonUnwrapped WallboardView view) implements ServerMessage {
        public String type() {
            return "wallboard";
        }
    }

    /** @param times the call's final wait and talk time; left out when not known */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CallEnded(String id, CallId callId, String reason, CallTimes times) implements ServerMessage {
        public CallEnded(String id, CallId callId, String reason) {
            this(id, callId, reason, null);
        }

        public String type() {
            return "call.ended";
        }
    }

    /**
     * Live transcription, to the call's staff member and supervisors (never the customer): a partial result
     * (replaced by the next one, then by the final) or a final one.
     *
     * @param speaker   customer, staff or supervisor
     * @param speakerId who spoke, when known (the console labels its own lines "You")
     * @param startedAt finals only: when the utterance began, epoch ms
     * @param endedAt   finals only: when it ended, epoch ms
     * @param seq       finals only, when stored: the line's number in the call's transcript
     */
    record CallCaption(CallId callId, String speaker, Subject speakerId, String text,
                       @JsonProperty("final") boolean isFinal, Long startedAt, Long endedAt, Long seq)
            implements ServerMessage {
        public String type() {
            return "call.caption";
        }
    }

    /**
     * The state of a call's transcription for one speaker (or, with no speaker, the whole call), to the
     * staff member and supervisors.
     *
     * @param status active, lagging, shed or unavailable
     * @param detail a short explanation for people, never anything that was said; may be null
     */
    record CallCaptionStatus(CallId callId, String speaker, String status, String detail) implements ServerMessage {
        public String type() {
            return "call.caption.status";
        }
    }

    /** A person named in an alert. */
    record AlertParty(String name) {
    }

    /**
     * A final transcript line matched an alert rule: to every connected supervisor and the call's supervisors.
     *
     * @param rule   the rule as configured; {@code ruleId} its id (rule-1, …)
     * @param text   the whole line that matched
     * @param at     when the line began, epoch ms
     * @param seq    the line's number in the call's transcript, when stored
     */
    record Alert(String alertId, CallId callId, String ruleId, String rule, String text, String speaker, long at,
                 Long seq, AlertParty staff, AlertParty customer) implements ServerMessage {
        public String type() {
            return "alert";
        }
    }

    // ---- livestreams (docs/protocol.md, "Livestreams") ----

    /** Someone on a broadcast's stage: {@code role} is {@code host} or {@code cohost}. */
    record StageView(String name, String role) {
    }

    /** What every viewer may see of a broadcast: its public view and its stage, never its counters. */
    record BroadcastView(BroadcastId id, String title, String description, String language, String topic,
                         String scheduledAt, String coverImageUrl, String state, String startedAt,
                         List<StageView> stage) {
    }

    /**
     * A chat message as delivered. {@code viewerId} only to the stage (for moderation); {@code fromStage} only
     * when true.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ChatView(String messageId, String name, String text, long at, Subject viewerId, Boolean fromStage) {
    }

    record BroadcastJoined(String id, BroadcastView broadcast, long viewers, long likes, ProductCard card,
                           List<ChatView> chat, boolean onStage, boolean muted, long heartbeatMs)
            implements ServerMessage {
        public String type() {
            return "broadcast.joined";
        }
    }

    record BroadcastStats(BroadcastId broadcastId, long viewers, long likes) implements ServerMessage {
        public String type() {
            return "broadcast.stats";
        }
    }

    record BroadcastStateChanged(BroadcastId broadcastId, String state, List<StageView> stage) implements ServerMessage {
        public String type() {
            return "broadcast.state";
        }
    }

    record BroadcastSignal(BroadcastId broadcastId, ClientMessage.Sdp sdp) implements ServerMessage {
        public String type() {
            return "broadcast.signal";
        }
    }

    record BroadcastRenegotiate(BroadcastId broadcastId, ReceiveSlots receive) implements ServerMessage {
        public String type() {
            return "broadcast.renegotiate";
        }
    }

    record ChatBatch(BroadcastId broadcastId, List<ChatView> messages, List<String> deleted) implements ServerMessage {
        public String type() {
            return "chat.batch";
        }
    }

    record ViewerView(Subject viewerId, String name, long joinedAt, boolean muted) {
    }

    record BroadcastViewersPage(String id, BroadcastId broadcastId, long total, int offset, List<ViewerView> viewers)
            implements ServerMessage {
        public String type() {
            return "broadcast.viewers";
        }
    }

    record ChatMuted(BroadcastId broadcastId, boolean muted) implements ServerMessage {
        public String type() {
            return "chat.muted";
        }
    }

    record BroadcastRemoved(BroadcastId broadcastId) implements ServerMessage {
        public String type() {
            return "broadcast.removed";
        }
    }

    /** The pinned card changed; {@code card} is null (and sent as null) when unpinned. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record BroadcastCard(BroadcastId broadcastId, ProductCard card) implements ServerMessage {
        public String type() {
            return "broadcast.card";
        }
    }

    record BroadcastOnStage(BroadcastId broadcastId, String title, boolean onStage) implements ServerMessage {
        public String type() {
            return "broadcast.onstage";
        }
    }

    record ServerShutdown(long reconnectAfterMs) implements ServerMessage {
        public String type() {
            return "server.shutdown";
        }
    }
}
