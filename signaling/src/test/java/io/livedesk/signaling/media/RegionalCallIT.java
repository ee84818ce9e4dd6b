package io.livedesk.signaling.media;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.media.api.EndpointStats;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.server.BridgeNode;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.testing.BrowserOffer;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.ws.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.livedesk.testkit.ws.WsClient.type;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A call spanning two regions: two real bridge nodes on loopback, configured in regions {@code north} and
 * {@code south}, behind one signaling node. The customer's token says north, the staff member's south; both pages are
 * synthetic browsers (real ICE, DTLS, SRTP). The customer offers first, so the call's conference goes to the north
 * bridge; the staff member's leg goes on a second conference of the call on the south bridge, joined to the first by
 * one relay listing each side's participant to the other; each page's media reaches the other across it. Hanging up
 * expires both conferences.
 */
@Timeout(120)
class RegionalCallIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int STAFF = 1;
    private static final int CUSTOMER = 2;
    private static final long STAFF_AUDIO = 11;
    private static final long CUSTOMER_AUDIO = 21;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void customerAndStaffInTwoRegionsAreEachOnTheirRegionsBridgeJoinedByOneRelay() throws Exception {
        BridgeNode north = bridgeNode("bridge-north");
        BridgeNode south = bridgeNode("bridge-south");
        TestNode node = open(TestNode.start(Map.of("livedesk.calls.media", "bridge",
                // South first: without regions, the call's conference would go there (a tie, configuration order).
                "livedesk.bridge.remote", List.of("south=" + urlOf(south), "north=" + urlOf(north)),
                "livedesk.bridge.health-interval", "200ms",
                "livedesk.region", "north")));
        BridgePool pool = node.node().bridgePool();
        await("both bridges checked").atMost(WAIT).until(() -> pool.members().stream()
                .allMatch(m -> m.up() && m.stats() != null));
        assertEquals(List.of("south", "north"), pool.members().stream().map(MemberStatus::region).toList());

        SyntheticBrowser staffPage = open(new SyntheticBrowser("staff", STAFF));
        SyntheticBrowser customerPage = open(new SyntheticBrowser("customer", CUSTOMER));
        WsClient staff = node.signIn(node.token(staffClaims("staff-r1", "south")));
        staff.requestOk(Map.of("type", "presence.set", "status", "available"));
        // No region claim: the customer is in the node's region, north.
        WsClient customer = node.signIn(node.customerToken("cust-r1", "Li Wei"));
        String callId = customer.requestOk(Map.of("type", "request.create", "topic", "accounts", "language", "en"))
                .path("requestId").asText();
        staff.awaitType("offer", WAIT);
        staff.requestOk(Map.of("type", "offer.accept", "requestId", callId));
        customer.awaitType("call.started", WAIT);

        String customerOffer = customerPage.offer(BrowserOffer.of("unused", CUSTOMER));
        String staffOffer = staffPage.offer(BrowserOffer.of("unused", STAFF));
        offer(customer, callId, customerOffer);
        String staffAnswer = offer(staff, callId, staffOffer);
        assertTrue(staffAnswer.contains("a=ssrc:" + CUSTOMER_AUDIO + " "), staffAnswer);
        customer.awaitType("call.renegotiate", WAIT);
        String customerAnswer = offer(customer, callId, customerOffer);
        assertTrue(customerAnswer.contains("a=ssrc:" + STAFF_AUDIO + " "), customerAnswer);
        staffPage.connect(staffAnswer);
        customerPage.connect(customerAnswer);

        // Each page is on the bridge of its region, each bridge holds one conference of the call with one relay.
        MeetingId first = CallMeetings.meetingOf(CallId.of(callId));
        MeetingId side = CallMeetings.meetingOf(CallId.of(callId), 2);
        assertEquals(1, north.bridge().stats().conferences());
        assertEquals(1, south.bridge().stats().conferences());
        assertEquals(List.of("customer"), ids(north.bridge().conferenceStats(first).endpoints()));
        assertEquals(List.of("staff-1"), ids(south.bridge().conferenceStats(side).endpoints()));
        assertEquals(List.of("carrier-2"), ids(north.bridge().conferenceStats(first).relays()));
        assertEquals(List.of("carrier-1"), ids(south.bridge().conferenceStats(side).relays()));
        assertEquals(1, north.bridge().stats().endpoints());
        assertEquals(1, south.bridge().stats().endpoints());
        await("both bridges report one relay").atMost(WAIT).until(() -> pool.members().stream()
                .allMatch(m -> m.stats() != null && m.stats().relays() == 1));

        // Media crosses the relay both ways, decrypted by the page on the other side.
        long toCustomer = customerPage.receivedFrom(STAFF);
        long toStaff = staffPage.receivedFrom(CUSTOMER);
        await("media flows both ways across the relay").atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            staffPage.sendRtp(STAFF_AUDIO, 111);
            customerPage.sendRtp(CUSTOMER_AUDIO, 111);
            return customerPage.receivedFrom(STAFF) >= toCustomer + 40
                    && staffPage.receivedFrom(CUSTOMER) >= toStaff + 40;
        });
        EndpointStats relay = north.bridge().conferenceStats(first).relays().get(0);
        assertTrue(relay.packetsOut() > 0 && relay.packetsIn() > 0, "the north bridge sent and received over it");

        customer.requestOk(Map.of("type", "call.hangup", "callId", callId));
        await("both bridges expired the call's conferences").atMost(WAIT)
                .until(() -> north.bridge().stats().conferences() == 0 && south.bridge().stats().conferences() == 0);
    }

    private static Map<String, Object> staffClaims(String subject, String region) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("role", "staff");
        claims.put("subject", subject);
        claims.put("name", "Zhang Min");
        claims.put("skills", List.of("accounts"));
        claims.put("languages", List.of("en"));
        claims.put("capacity", 1);
        claims.put("region", region);
        return claims;
    }

    /** Sends the offer and returns the answer's SDP. */
    private static String offer(WsClient client, String callId, String sdp) {
        client.requestOk(Map.of("type", "call.signal", "callId", callId, "sdp", Map.of("type", "offer", "sdp", sdp)));
        JsonNode answer = client.await(m -> "call.signal".equals(type(m))
                && "answer".equals(m.path("sdp").path("type").asText()), WAIT);
        return answer.path("sdp").path("sdp").asText();
    }

    private static List<String> ids(List<EndpointStats> stats) {
        return stats.stream().map(EndpointStats::id).sorted().toList();
    }

    private BridgeNode bridgeNode(String id) throws IOException {
        return open(BridgeNode.start(new BridgeNode.Settings(id, "127.0.0.1", TestNode.freeUdpPort(), "127.0.0.1", 0, 2,
                Duration.ofSeconds(60), false, "test")));
    }

    private static String urlOf(BridgeNode node) {
        return "http://127.0.0.1:" + node.httpAddress().getPort();
    }

    private <T extends AutoCloseable> T open(T closeable) {
        open.add(closeable);
        return closeable;
    }
}
