package io.livedesk.signaling.media;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.ws.WsClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A bridged call between a staff member and a customer on a test node, without browsers: the customer's
 * offer is a minimal hand-written one (one bundled Opus section, one source), enough for the server to
 * create the customer's endpoint on a bridge and answer with that bridge's transport.
 */
final class BridgeCall implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(15);

    /** A minimal browser offer: one bundled Opus section with one source. */
    static final String AUDIO_OFFER = String.join("\r\n",
            "v=0",
            "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0",
            "a=msid-semantic: WMS s1",
            "m=audio 40000 UDP/TLS/RTP/SAVPF 111",
            "c=IN IP4 127.0.0.1",
            "a=rtcp:9 IN IP4 0.0.0.0",
            "a=candidate:1 1 udp 2113937151 127.0.0.1 40000 typ host generation 0",
            "a=ice-ufrag:rb1x",
            "a=ice-pwd:remotebridgepoolit0123456",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 3A:1F:0C:6E:55:21:9B:7D:1C:2E:8A:4F:90:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33",
            "a=setup:actpass",
            "a=mid:0",
            "a=sendrecv",
            "a=msid:s1 t1",
            "a=rtcp-mux",
            "a=rtpmap:111 opus/48000/2",
            "a=rtcp-fb:111 transport-cc",
            "a=fmtp:111 minptime=10;useinbandfec=1",
            "a=ssrc:1001 cname:remotebridgepoolit",
            "a=ssrc:1001 msid:s1 t1",
            "");

    private final String callId;
    private final WsClient staff;
    private final WsClient customer;

    private BridgeCall(String callId, WsClient staff, WsClient customer) {
        this.callId = callId;
        this.staff = staff;
        this.customer = customer;
    }

    /** Staff {@code staff-<tag>} goes available, customer {@code cust-<tag>} asks, staff accepts. */
    static BridgeCall start(TestNode node, String tag) {
        return start(node, node.staffToken("staff-" + tag, "Zhang Min", List.of("accounts"), List.of("en"), 1),
                node.customerToken("cust-" + tag, "Li Wei"));
    }

    /** The staff member of {@code staffToken} (skill accounts, en) goes available, the customer asks, staff accepts. */
    static BridgeCall start(TestNode node, String staffToken, String customerToken) {
        WsClient staff = node.signIn(staffToken);
        staff.requestOk(Map.of("type", "presence.set", "status", "available"));
        WsClient customer = node.signIn(customerToken);
        customer.requestOk(Map.of("type", "request.create", "topic", "accounts", "language", "en"));
        String callId = staff.awaitType("offer", WAIT).path("requestId").asText();
        staff.requestOk(Map.of("type", "offer.accept", "requestId", callId));
        customer.awaitType("call.started", WAIT);
        return new BridgeCall(callId, staff, customer);
    }

    String callId() {
        return callId;
    }

    WsClient staff() {
        return staff;
    }

    WsClient customer() {
        return customer;
    }

    /** The customer offers {@link #AUDIO_OFFER}; returns the server's answer SDP. */
    String offerAudio() {
        return offerAudio(AUDIO_OFFER);
    }

    /** The customer offers this SDP; returns the server's answer SDP. */
    String offerAudio(String offer) {
        customer.drain();
        customer.requestOk(Map.of("type", "call.signal", "callId", callId,
                "sdp", Map.of("type", "offer", "sdp", offer)));
        JsonNode answer = customer.await(m -> m.path("type").asText().equals("call.signal")
                && m.path("sdp").path("type").asText().equals("answer"), WAIT);
        return answer.path("sdp").path("sdp").asText();
    }

    void hangUp() {
        customer.requestOk(Map.of("type", "call.hangup", "callId", callId));
    }

    @Override
    public void close() {
        staff.close();
        customer.close();
    }
}
