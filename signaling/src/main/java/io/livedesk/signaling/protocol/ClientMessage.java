package io.livedesk.signaling.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.live.BroadcastId;
import io.livedesk.signaling.live.ProductCard;
import io.livedesk.signaling.routing.RequestId;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every message a client may send, as read by {@link MessageCodec}. The compact constructors are the
 * validation: whatever they reject reaches the client as {@code bad_message} with their text.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ClientMessage.Hello.class, name = "hello"),
        @JsonSubTypes.Type(value = ClientMessage.Ping.class, name = "ping"),
        @JsonSubTypes.Type(value = ClientMessage.PresenceSet.class, name = "presence.set"),
        @JsonSubTypes.Type(value = ClientMessage.RequestCreate.class, name = "request.create"),
        @JsonSubTypes.Type(value = ClientMessage.RequestCancel.class, name = "request.cancel"),
        @JsonSubTypes.Type(value = ClientMessage.OfferAccept.class, name = "offer.accept"),
        @JsonSubTypes.Type(value = ClientMessage.OfferDecline.class, name = "offer.decline"),
        @JsonSubTypes.Type(value = ClientMessage.CallSignal.class, name = "call.signal"),
        @JsonSubTypes.Type(value = ClientMessage.CallHangup.class, name = "call.hangup"),
        @JsonSubTypes.Type(value = ClientMessage.CallJoin.class, name = "call.join"),
        @JsonSubTypes.Type(value = ClientMessage.CallTransfer.class, name = "call.transfer"),
        @JsonSubTypes.Type(value = ClientMessage.CallVideoShown.class, name = "call.video.shown"),
        @JsonSubTypes.Type(value = ClientMessage.CallbackRequestCreate.class, name = "callback.request"),
        @JsonSubTypes.Type(value = ClientMessage.CallbacksList.class, name = "callbacks.list"),
        @JsonSubTypes.Type(value = ClientMessage.CallbackTake.class, name = "callback.take"),
        @JsonSubTypes.Type(value = ClientMessage.CallbackClose.class, name = "callback.close"),
        @JsonSubTypes.Type(value = ClientMessage.WallboardSubscribe.class, name = "wallboard.subscribe"),
        @JsonSubTypes.Type(value = ClientMessage.WallboardUnsubscribe.class, name = "wallboard.unsubscribe"),
        @JsonSubTypes.Type(value = ClientMessage.BroadcastJoin.class, name = "broadcast.join"),
        @JsonSubTypes.Type(value = ClientMessage.BroadcastLeave.class, name = "broadcast.leave"),
        @JsonSubTypes.Type(value = ClientMessage.BroadcastSignal.class, name = "broadcast.signal"),
        @JsonSubTypes.Type(value = ClientMessage.BroadcastView.class, name = "broadcast.view"),
        @JsonSubTypes.Type(value = ClientMessage.ChatSend.class, name = "chat.send"),
        @JsonSubTypes.Type(value = ClientMessage.BroadcastLike.class, name = "broadcast.like"),
        @JsonSubTypes.Type(value = ClientMessage.BroadcastConsult.class, name = "broadcast.consult"),
        @JsonSubTypes.Type(value = ClientMessage.BroadcastViewers.class, name = "broadcast.viewers"),
        @JsonSubTypes.Type(value = ClientMessage.ChatDelete.class, name = "chat.delete"),
        @JsonSubTypes.Type(value = ClientMessage.ViewerMute.class, name = "viewer.mute"),
        @JsonSubTypes.Type(value = ClientMessage.ViewerRemove.class, name = "viewer.remove"),
        @JsonSubTypes.Type(value = ClientMessage.CardPin.class, name = "broadcast.card.pin"),
        @JsonSubTypes.Type(value = ClientMessage.CardUnpin.class, name = "broadcast.card.unpin"),
        @JsonSubTypes.Type(value = ClientMessage.StageAdd.class, name = "broadcast.stage.add"),
        @JsonSubTypes.Type(value = ClientMessage.StageRemove.class, name = "broadcast.stage.remove"),
        @JsonSubTypes.Type(value = ClientMessage.StageLeave.class, name = "broadcast.stage.leave"),
})
public sealed interface ClientMessage {
    Set<Role> ANYONE = EnumSet.allOf(Role.class);
    Set<Role> CUSTOMERS = EnumSet.of(Role.CUSTOMER);
    /** Who may hold a service request: customers, and viewers once they asked for a consultation. */
    Set<Role> REQUESTERS = EnumSet.of(Role.CUSTOMER, Role.VIEWER);
    Set<Role> STAFF = EnumSet.of(Role.STAFF, Role.SUPERVISOR);
    Set<Role> CALL_PARTIES = EnumSet.of(Role.CUSTOMER, Role.VIEWER, Role.STAFF, Role.SUPERVISOR);
    Set<Role> SUPERVISORS = EnumSet.of(Role.SUPERVISOR);

    int MAX_SDP_CHARS = 32 * 1024;
    Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    Pattern WORD = Pattern.compile("[a-z0-9_-]{1,32}");

    String id();

    /** Who may send it. */
    Set<Role> allowedRoles();

    /**
     * A message that starts new work (a session, a request, joining or talking in a broadcast). A node past its
     * admission latency refuses these with {@code overloaded} at once, so that work under way (answers,
     * hang-ups, call signaling, moderation) still gets through.
     */
    sealed interface NewWork extends ClientMessage {
    }

    record Hello(String id, String token) implements NewWork {
        public Hello {
            requireId(id);
            require(token, "token");
            if (token.length() > 8192) {
                throw new IllegalArgumentException("token is too long");
            }
        }

        public Set<Role> allowedRoles() {
            return ANYONE;
        }
    }

    record Ping(String id) implements ClientMessage {
        public Ping {
            requireId(id);
        }

        public Set<Role> allowedRoles() {
            return ANYONE;
        }
    }

    /** @param status "available" or "away" */
    record PresenceSet(String id, String status) implements ClientMessage {
        public PresenceSet {
            requireId(id);
            require(status, "status");
            if (!status.equals("available") && !status.equals("away")) {
                throw new IllegalArgumentException("status must be \"available\" or \"away\"");
            }
        }

        public Set<Role> allowedRoles() {
            return STAFF;
        }
    }

    record RequestCreate(String id, String topic, String language, Integer priority, Map<String, String> context)
            implements NewWork {
        public RequestCreate {
            requireId(id);
            requireWord(topic, "topic");
            requireWord(language, "language");
            if (priority == null) {
                priority = 0;
            }
            if (priority < 0 || priority > 9) {
                throw new IllegalArgumentException("priority must be 0-9");
            }
            context = pageContext(context);
        }

        public Set<Role> allowedRoles() {
            return CUSTOMERS;
        }
    }

    record RequestCancel(String id, RequestId requestId) implements ClientMessage {
        public RequestCancel {
            requireId(id);
            require(requestId, "requestId");
        }

        public Set<Role> allowedRoles() {
            return REQUESTERS;
        }
    }

    record OfferAccept(String id, RequestId requestId) implements ClientMessage {
        public OfferAccept {
            requireId(id);
            require(requestId, "requestId");
        }

        public Set<Role> allowedRoles() {
            return STAFF;
        }
    }

    record OfferDecline(String id, RequestId requestId) implements ClientMessage {
        public OfferDecline {
            requireId(id);
            require(requestId, "requestId");
        }

        public Set<Role> allowedRoles() {
            return STAFF;
        }
    }

    /** What an SDP is in the offer/answer exchange; the wire names are RTCSessionDescription's. */
    enum SdpType {
        OFFER, ANSWER;

        static SdpType fromWire(String type) {
            return switch (type) {
                case "offer" -> OFFER;
                case "answer" -> ANSWER;
                default -> throw new IllegalArgumentException("sdp.type must be \"offer\" or \"answer\"");
            };
        }
    }

    record Sdp(String type, String sdp) {
        public Sdp {
            require(type, "sdp.type");
            SdpType.fromWire(type);
            require(sdp, "sdp.sdp");
            if (sdp.length() > MAX_SDP_CHARS) {
                throw new IllegalArgumentException("sdp.sdp is longer than " + MAX_SDP_CHARS + " characters");
            }
            if (!sdp.startsWith("v=0")) {
                throw new IllegalArgumentException("sdp.sdp is not SDP (must start with v=0)");
            }
        }

        public SdpType kind() {
            return SdpType.fromWire(type);
        }
    }

    /** As produced by the browser's RTCIceCandidate.toJSON(); an empty candidate string marks end of candidates. */
    record IceCandidate(String candidate, String sdpMid, Integer sdpMLineIndex, String usernameFragment) {
        public IceCandidate {
            if (candidate == null) {
                throw new IllegalArgumentException("candidate.candidate is required");
            }
            if (candidate.length() > 1024 || (sdpMid != null && sdpMid.length() > 64)
                    || (usernameFragment != null && usernameFragment.length() > 256)) {
                throw new IllegalArgumentException("candidate is too long");
            }
            if (!candidate.isEmpty() && !candidate.startsWith("candidate:")) {
                throw new IllegalArgumentException("candidate.candidate must start with \"candidate:\"");
            }
            if (sdpMLineIndex != null && (sdpMLineIndex < 0 || sdpMLineIndex > 64)) {
                throw new IllegalArgumentException("candidate.sdpMLineIndex out of range");
            }
        }
    }

    record CallSignal(String id, CallId callId, Sdp sdp, IceCandidate candidate) implements ClientMessage {
        public CallSignal {
            requireId(id);
            require(callId, "callId");
            if ((sdp == null) == (candidate == null)) {
                throw new IllegalArgumentException("exactly one of sdp and candidate is required");
            }
        }

        public Set<Role> allowedRoles() {
            return CALL_PARTIES;
        }
    }

    record CallHangup(String id, CallId callId) implements ClientMessage {
        public CallHangup {
            requireId(id);
            require(callId, "callId");
        }

        public Set<Role> allowedRoles() {
            return CALL_PARTIES;
        }
    }

    /**
     * A participant's page shows the video of a participant who joined (the next staff member after a
     * transfer): the media of the one they replaced may go now. A hint; without it that media goes after
     * {@code calls.handover-timeout}.
     */
    record CallVideoShown(String id, CallId callId) implements ClientMessage {
        public CallVideoShown {
            requireId(id);
            require(callId, "callId");
        }

        public Set<Role> allowedRoles() {
            return CALL_PARTIES;
        }
    }

    /**
     * A supervisor joins a live call through the media bridge.
     *
     * @param mode {@code monitor} (default): watches and listens, the customer is not told; {@code barge}:
     *             takes part with their own camera and microphone, and the customer is told
     */
    record CallJoin(String id, CallId callId, String mode) implements ClientMessage {
        public static final String MONITOR = "monitor";
        public static final String BARGE = "barge";

        public CallJoin {
            requireId(id);
            require(callId, "callId");
            if (mode == null) {
                mode = MONITOR;
            }
            if (!mode.equals(MONITOR) && !mode.equals(BARGE)) {
                throw new IllegalArgumentException("mode must be \"monitor\" or \"barge\"");
            }
        }

        public boolean barge() {
            return mode.equals(BARGE);
        }

        public Set<Role> allowedRoles() {
            return SUPERVISORS;
        }
    }

    /**
     * The staff member hands the call over: to the queue of a topic (and language), or to a named colleague
     * ({@code staffId}). They stay on the call until the next staff member accepts; the customer's media is
     * not interrupted.
     *
     * @param language with a topic, the queue's language; with a colleague, ignored (the call's)
     * @param note     optional, for whoever takes the call: shown on their offer and beside the call
     */
    record CallTransfer(String id, CallId callId, String topic, String language, Subject staffId, String note)
            implements ClientMessage {
        public static final int MAX_NOTE = 500;

        public CallTransfer(String id, CallId callId, String topic, String language, Subject staffId) {
            this(id, callId, topic, language, staffId, null);
        }

        public CallTransfer {
            note = note == null || note.isBlank() ? null : note.strip();
            if (note != null && note.length() > MAX_NOTE) {
                throw new IllegalArgumentException("note must be at most " + MAX_NOTE + " characters");
            }
            requireId(id);
            require(callId, "callId");
            if ((topic == null) == (staffId == null)) {
                throw new IllegalArgumentException("exactly one of topic and staffId is required");
            }
            if (topic != null) {
                requireWord(topic, "topic");
                requireWord(language, "language");
            } else {
                if (language != null) {
                    requireWord(language, "language");
                }
            }
        }

        public Set<Role> allowedRoles() {
            return STAFF;
        }
    }

    // ---- the wallboard (docs/protocol.md, "Wallboard") ----

    /**
     * A customer asks to be called back instead of waiting (no advisor free, the queue closed, or after the
     * maximum wait). A name and a phone number or a note are needed; the preferred time is free text.
     */
    record CallbackRequestCreate(String id, String topic, String language, String name, String phone, String note,
                                 String preferredTime, Map<String, String> context) implements ClientMessage {
        private static final Pattern PHONE = Pattern.compile("[+]?[0-9 ()./-]{5,32}");

        public CallbackRequestCreate {
            requireId(id);
            requireWord(topic, "topic");
            requireWord(language, "language");
            name = typed(name, "name", 100);
            phone = typed(phone, "phone", 32);
            note = typed(note, "note", 500);
            preferredTime = typed(preferredTime, "preferredTime", 100);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("name is required");
            }
            if (phone.isEmpty() && note.isEmpty()) {
                throw new IllegalArgumentException("a phone number or a note is required");
            }
            if (!phone.isEmpty() && !PHONE.matcher(phone).matches()) {
                throw new IllegalArgumentException("phone must be a phone number (digits, spaces, + ( ) - . /)");
            }
            context = pageContext(context);
        }

        public Set<Role> allowedRoles() {
            return REQUESTERS;
        }
    }

    /** Staff: the open callback requests of their queues and the ones they took; the reply is the list. */
    record CallbacksList(String id) implements ClientMessage {
        public CallbacksList {
            requireId(id);
        }

        public Set<Role> allowedRoles() {
            return STAFF;
        }
    }

    /** Staff take an open callback request of their queues: it is theirs to call back and close. */
    record CallbackTake(String id, String callbackId) implements ClientMessage {
        public CallbackTake {
            requireId(id);
            requireRef(callbackId, "callbackId");
        }

        public Set<Role> allowedRoles() {
            return STAFF;
        }
    }

    /**
     * Staff close a callback request they took (supervisors: any) with its outcome: {@code reached},
     * {@code no_answer} or {@code not_needed}, and an optional note.
     */
    record CallbackClose(String id, String callbackId, String outcome, String note) implements ClientMessage {
        public CallbackClose {
            requireId(id);
            requireRef(callbackId, "callbackId");
            require(outcome, "outcome");
            note = typed(note, "note", 500);
        }

        public Set<Role> allowedRoles() {
            return STAFF;
        }
    }

    /** A supervisor opens the wallboard: the reply is its snapshot, and changes follow at most once an interval. */
    record WallboardSubscribe(String id) implements ClientMessage {
        public WallboardSubscribe {
            requireId(id);
        }

        public Set<Role> allowedRoles() {
            return SUPERVISORS;
        }
    }

    /** The supervisor closed the wallboard: no more snapshots. */
    record WallboardUnsubscribe(String id) implements ClientMessage {
        public WallboardUnsubscribe {
            requireId(id);
        }

        public Set<Role> allowedRoles() {
            return SUPERVISORS;
        }
    }

    // ---- livestreams (docs/protocol.md, "Livestreams") ----

    /** A message about one broadcast. */
    sealed interface AboutBroadcast extends ClientMessage {
        BroadcastId broadcastId();
    }

    /** @param name the name shown with the viewer's chat messages; the token's when null */
    record BroadcastJoin(String id, BroadcastId broadcastId, String name) implements AboutBroadcast, NewWork {
        public static final int MAX_NAME = 40;

        public BroadcastJoin {
            requireId(id);
            require(broadcastId, "broadcastId");
            name = optionalName(name);
        }

        public Set<Role> allowedRoles() {
            return ANYONE;
        }
    }

    record BroadcastLeave(String id, BroadcastId broadcastId) implements AboutBroadcast {
        public BroadcastLeave {
            requireId(id);
            require(broadcastId, "broadcastId");
        }

        public Set<Role> allowedRoles() {
            return ANYONE;
        }
    }

    record BroadcastSignal(String id, BroadcastId broadcastId, Sdp sdp) implements AboutBroadcast {
        public BroadcastSignal {
            requireId(id);
            require(broadcastId, "broadcastId");
            require(sdp, "sdp");
        }

        public Set<Role> allowedRoles() {
            return ANYONE;
        }
    }

    /**
     * The height, in device pixels, this page shows the broadcast's video at (0: no limit), so its leg gets
     * simulcast layers no taller than that.
     */
    record BroadcastView(String id, BroadcastId broadcastId, int maxHeight) implements AboutBroadcast {
        public static final int MAX_HEIGHT = 4320;

        public BroadcastView {
            requireId(id);
            require(broadcastId, "broadcastId");
            if (maxHeight < 0 || maxHeight > MAX_HEIGHT) {
                throw new IllegalArgumentException("maxHeight must be 0-" + MAX_HEIGHT);
            }
        }

        public Set<Role> allowedRoles() {
            return ANYONE;
        }
    }

    record ChatSend(String id, BroadcastId broadcastId, String text) implements AboutBroadcast, NewWork {
        public static final int MAX_TEXT = 500;

        public ChatSend {
            requireId(id);
            require(broadcastId, "broadcastId");
            require(text, "text");
            text = text.strip();
            if (text.isEmpty()) {
                throw new IllegalArgumentException("text is empty");
            }
            if (text.codePointCount(0, text.length()) > MAX_TEXT) {
                throw new IllegalArgumentException("text is longer than " + MAX_TEXT + " characters");
            }
            if (text.chars().anyMatch(ch -> Character.isISOControl(ch) && ch != '\n')) {
                throw new IllegalArgumentException("text cannot contain control characters");
            }
        }

        public Set<Role> allowedRoles() {
            return ANYONE;
        }
    }

    record BroadcastLike(String id, BroadcastId broadcastId) implements AboutBroadcast, NewWork {
        public BroadcastLike {
            requireId(id);
            require(broadcastId, "broadcastId");
        }

        public Set<Role> allowedRoles() {
            return ANYONE;
        }
    }

    /**
     * "Consult now", about the broadcast or one of its cards.
     *
     * @param cardId the card pressed, or null for the broadcast's own button
     * @param name   the name staff will see; required when the token carries none
     */
    record BroadcastConsult(String id, BroadcastId broadcastId, String cardId, String name) implements AboutBroadcast, NewWork {
        public BroadcastConsult {
            requireId(id);
            require(broadcastId, "broadcastId");
            if (cardId != null && !ProductCard.isCardId(cardId)) {
                throw new IllegalArgumentException("cardId is not a valid id");
            }
            name = optionalName(name);
        }

        public Set<Role> allowedRoles() {
            return REQUESTERS;
        }
    }

    record BroadcastViewers(String id, BroadcastId broadcastId, Integer offset, Integer limit) implements AboutBroadcast {
        public static final int DEFAULT_LIMIT = 50;

        public BroadcastViewers {
            requireId(id);
            require(broadcastId, "broadcastId");
            offset = offset == null ? 0 : offset;
            limit = limit == null ? DEFAULT_LIMIT : limit;
            if (offset < 0 || offset > 1_000_000) {
                throw new IllegalArgumentException("offset must be 0-1000000");
            }
            if (limit < 1 || limit > 100) {
                throw new IllegalArgumentException("limit must be 1-100");
            }
        }

        public Set<Role> allowedRoles() {
            return STAFF;
        }
    }

    record ChatDelete(String id, BroadcastId broadcastId, String messageId) implements AboutBroadcast {
        public ChatDelete {
            requireId(id);
            require(broadcastId, "broadcastId");
            requireRef(messageId, "messageId");
        }

        public Set<Role> allowedRoles() {
            return STAFF;
        }
    }

    /** @param muted true to mute (the default), false to let them write again */
    record ViewerMute(String id, BroadcastId broadcastId, Subject viewerId, Boolean muted) implements AboutBroadcast {
        public ViewerMute {
            requireId(id);
            require(broadcastId, "broadcastId");
            require(viewerId, "viewerId");
            muted = muted == null ? Boolean.TRUE : muted;
        }

        public Set<Role> allowedRoles() {
            return STAFF;
        }
    }

    record ViewerRemove(String id, BroadcastId broadcastId, Subject viewerId) implements AboutBroadcast {
        public ViewerRemove {
            requireId(id);
            require(broadcastId, "broadcastId");
            require(viewerId, "viewerId");
        }

        public Set<Role> allowedRoles() {
            return STAFF;
        }
    }

    /** A card as the stage writes it; the server numbers it (see {@link ProductCard}). */
    record CardDraft(String name, String line, String url, String topic) {
        public ProductCard numbered(String cardId) {
            return new ProductCard(cardId, name, line, url, topic);
        }
    }

    record CardPin(String id, BroadcastId broadcastId, CardDraft card) implements AboutBroadcast {
        public CardPin {
            requireId(id);
            require(broadcastId, "broadcastId");
            require(card, "card");
            card.numbered("c-1"); // validates the text now, so a bad card is bad_message with the reason
        }

        public Set<Role> allowedRoles() {
            return STAFF;
        }
    }

    record CardUnpin(String id, BroadcastId broadcastId) implements AboutBroadcast {
        public CardUnpin {
            requireId(id);
            require(broadcastId, "broadcastId");
        }

        public Set<Role> allowedRoles() {
            return STAFF;
        }
    }

    record StageAdd(String id, BroadcastId broadcastId, Subject staffId) implements AboutBroadcast {
        public StageAdd {
            requireId(id);
            require(broadcastId, "broadcastId");
            require(staffId, "staffId");
        }

        public Set<Role> allowedRoles() {
            return STAFF;
        }
    }

    record StageRemove(String id, BroadcastId broadcastId, Subject staffId) implements AboutBroadcast {
        public StageRemove {
            requireId(id);
            require(broadcastId, "broadcastId");
            require(staffId, "staffId");
        }

        public Set<Role> allowedRoles() {
            return STAFF;
        }
    }

    record StageLeave(String id, BroadcastId broadcastId) implements AboutBroadcast {
        public StageLeave {
            requireId(id);
            require(broadcastId, "broadcastId");
        }

        public Set<Role> allowedRoles() {
            return STAFF;
        }
    }

    /** A display name from a client: null when absent or blank; else trimmed, one line, 1-40 characters. */
    private static String optionalName(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String trimmed = name.strip();
        if (trimmed.codePointCount(0, trimmed.length()) > BroadcastJoin.MAX_NAME) {
            throw new IllegalArgumentException("name must be at most " + BroadcastJoin.MAX_NAME + " characters");
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("name cannot contain control characters");
        }
        return trimmed;
    }

    /** What a page says about itself (page, product...): small, so it cannot fill stores or desks. */
    private static Map<String, String> pageContext(Map<String, String> context) {
        if (context == null) {
            return Map.of();
        }
        if (context.size() > 20) {
            throw new IllegalArgumentException("context has more than 20 entries");
        }
        for (Map.Entry<String, String> e : context.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().length() > 64) {
                throw new IllegalArgumentException("context keys must be 1-64 characters");
            }
            if (e.getValue() == null || e.getValue().length() > 256) {
                throw new IllegalArgumentException("context values must be strings of at most 256 characters");
            }
        }
        return Map.copyOf(context);
    }

    /** Free text a person typed: trimmed, "" when absent, at most {@code max} characters, no control characters. */
    private static String typed(String value, String field, int max) {
        String v = value == null ? "" : value.strip();
        if (v.length() > max) {
            throw new IllegalArgumentException(field + " must be at most " + max + " characters");
        }
        if (v.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
            throw new IllegalArgumentException(field + " must not hold control characters");
        }
        return v;
    }

    private static void require(Object value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
    }

    private static void requireId(String id) {
        require(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id must be 1-64 characters of letters, digits and ._:-");
        }
    }

    private static void requireRef(String ref, String field) {
        require(ref, field);
        if (!ID.matcher(ref).matches()) {
            throw new IllegalArgumentException(field + " is not a valid id");
        }
    }

    private static void requireWord(String value, String field) {
        require(value, field);
        if (!WORD.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be 1-32 characters of a-z, 0-9, _ and -");
        }
    }
}
