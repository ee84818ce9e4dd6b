package io.livedesk.signaling.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

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

    record Error(String id, String code, String message) implements ServerMessage {
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

    record Welcome(String id, String subject, String role, String name, String node, List<TopicView> topics,
                   List<String> languages, PresenceView presence, RequestQueued request, CallStarted call)
            implements ServerMessage {
        public String type() {
            return "welcome";
        }
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

    record RequestQueued(String id, String requestId, String topic, String language, String state, int position,
                         long etaSeconds) implements ServerMessage {
        public String type() {
            return "request.queued";
        }
    }

    record QueueUpdate(String requestId, String state, int position, long etaSeconds) implements ServerMessage {
        public String type() {
            return "queue.update";
        }
    }

    record RequestCancelled(String id, String requestId, String reason) implements ServerMessage {
        public String type() {
            return "request.cancelled";
        }
    }

    record CustomerView(String name) {
    }

    record Offer(String requestId, String topic, String language, int priority, CustomerView customer,
                 Map<String, String> context, long waitedMs, long expiresInMs) implements ServerMessage {
        public String type() {
            return "offer";
        }
    }

    record OfferDeclined(String id, String requestId) implements ServerMessage {
        public String type() {
            return "offer.declined";
        }
    }

    record OfferRevoked(String requestId, String reason) implements ServerMessage {
        public String type() {
            return "offer.revoked";
        }
    }

    record PeerView(String name, String role) {
    }

    /** @param media null for peer-to-peer (left out), {@code "bridge"} when each party negotiates with the bridge */
    record CallStarted(String id, String callId, PeerView peer, boolean initiator,
                       List<Map<String, Object>> iceServers, Boolean resumed, String media) implements ServerMessage {
        public CallStarted withId(String requestId) {
            return new CallStarted(requestId, callId, peer, initiator, iceServers, resumed, media);
        }

        public String type() {
            return "call.started";
        }
    }

    /** A relayed signal: exactly one of sdp and candidate. */
    record CallSignal(String callId, String from, ClientMessage.Sdp sdp, ClientMessage.IceCandidate candidate)
            implements ServerMessage {
        public String type() {
            return "call.signal";
        }
    }

    /** The other party came back on a new connection: the initiator negotiates the media afresh. */
    record CallRestart(String callId) implements ServerMessage {
        public String type() {
            return "call.restart";
        }
    }

    /** Bridge mode: the other party's sources changed; the party makes a new offer for its leg. */
    record CallRenegotiate(String callId) implements ServerMessage {
        public String type() {
            return "call.renegotiate";
        }
    }

    record CallEnded(String id, String callId, String reason) implements ServerMessage {
        public String type() {
            return "call.ended";
        }
    }

    record ServerShutdown(long reconnectAfterMs) implements ServerMessage {
        public String type() {
            return "server.shutdown";
        }
    }
}
