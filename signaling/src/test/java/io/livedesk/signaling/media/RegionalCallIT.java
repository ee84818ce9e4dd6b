package io.livedesk.signaling.media;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.media.api.EndpointStats;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.server.BridgeNode;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisServerExtension;
import io.livedesk.signaling.testing.BrowserOffer;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.ws.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * expires both conferences. When the signaling node holding the call's media dies, another takes the call over with
 * both conferences and the relay: the media keeps flowing through the same endpoints.
 */
@Timeout(120)
class RegionalCallIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int STAFF = 1;
    private static final int CUSTOMER = 2;
    private static final long STAFF_AUDIO = 11;
    private static final long CUSTOMER_AUDIO = 21;

    private static final Duration NODE_TTL = Duration.ofSeconds(2);

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private final List<AutoCloseable> open = new ArrayList<>();

    /** A call between a customer and a staff member, both pages connected to the bridge. */
    private record Call(String callId, WsClient customer, WsClient staff, String customerOffer, String staffOffer,
                        String customerToken, String staffToken) {
    }

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
        // South first: without regions, the call's conference would go there (a tie, configuration order).
        TestNode node = nodeWith(List.of("south=" + urlOf(south), "north=" + urlOf(north)));
        BridgePool pool = node.node().bridgePool();
        assertEquals(List.of("south", "north"), pool.members().stream().map(MemberStatus::region).toList());

        SyntheticBrowser staffPage = open(new SyntheticBrowser("staff", STAFF));
        SyntheticBrowser customerPage = open(new SyntheticBrowser("customer", CUSTOMER));
        Call call = call(node, "r1", staffPage, customerPage);
        String callId = call.callId();
        WsClient customer = call.customer();

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
        flows(staffPage, customerPage);
        EndpointStats relay = north.bridge().conferenceStats(first).relays().get(0);
        assertTrue(relay.packetsOut() > 0 && relay.packetsIn() > 0, "the north bridge sent and received over it");

        customer.requestOk(Map.of("type", "call.hangup", "callId", callId));
        await("both bridges expired the call's conferences").atMost(WAIT)
                .until(() -> north.bridge().stats().conferences() == 0 && south.bridge().stats().conferences() == 0);
    }

    @Test
    void whenTheSecondRegionsBridgeGoesDownItsParticipantReconnectsToTheCallsConference() throws Exception {
        BridgeNode north = bridgeNode("bridge-north");
        BridgeNode south = bridgeNode("bridge-south");
        TestNode node = nodeWith(List.of("north=" + urlOf(north), "south=" + urlOf(south)));
        SyntheticBrowser staffPage = open(new SyntheticBrowser("staff", STAFF));
        SyntheticBrowser customerPage = open(new SyntheticBrowser("customer", CUSTOMER));
        Call call = call(node, "r3", staffPage, customerPage);
        flows(staffPage, customerPage);
        MeetingId first = CallMeetings.meetingOf(CallId.of(call.callId()));

        south.close();
        JsonNode ask = call.staff().awaitType("call.renegotiate", WAIT);
        assertTrue(ask.path("iceRestart").asBoolean(false), ask.toString());
        await("the relay to the lost bridge is expired").atMost(WAIT)
                .until(() -> north.bridge().conferenceStats(first).relays().isEmpty());

        // The staff member's page offers again (here a new page with the same tracks): no bridge of the south takes
        // it now, so the call's own conference does, and the media no longer crosses a relay.
        int again = 3;
        SyntheticBrowser staffAgain = open(new SyntheticBrowser("staff-again", again));
        String answer = offer(call.staff(), call.callId(), staffAgain.offer(BrowserOffer.of("unused", STAFF)));
        staffAgain.connect(answer);
        assertEquals(List.of("customer", "staff-2"), ids(north.bridge().conferenceStats(first).endpoints()));
        long toCustomer = customerPage.receivedFrom(again);
        long toStaff = staffAgain.receivedFrom(CUSTOMER);
        await("media flows both ways on the north bridge").atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            staffAgain.sendRtp(STAFF_AUDIO, 111);
            customerPage.sendRtp(CUSTOMER_AUDIO, 111);
            return customerPage.receivedFrom(again) >= toCustomer + 40 && staffAgain.receivedFrom(CUSTOMER) >= toStaff + 40;
        });
    }

    @Test
    void whenTheMediaNodeDiesAnotherTakesTheCallOverWithBothConferencesAndTheRelay() throws Exception {
        BridgeNode north = bridgeNode("bridge-north");
        BridgeNode south = bridgeNode("bridge-south");
        TestNode a = open(TestNode.start(clustered("node-ra", north, south)));
        TestNode b = open(TestNode.start(clustered("node-rb", north, south)));
        for (TestNode n : List.of(a, b)) {
            await("every bridge checked").atMost(WAIT).until(() -> n.node().bridgePool().members().stream()
                    .allMatch(m -> m.up() && m.stats() != null));
        }
        SyntheticBrowser staffPage = open(new SyntheticBrowser("staff", STAFF));
        SyntheticBrowser customerPage = open(new SyntheticBrowser("customer", CUSTOMER));
        Call call = call(a, "r2", staffPage, customerPage);
        String callId = call.callId();
        flows(staffPage, customerPage);
        MeetingId first = CallMeetings.meetingOf(CallId.of(callId));
        MeetingId side = CallMeetings.meetingOf(CallId.of(callId), 2);
        RedisConnections redis = open(new RedisConnections(REDIS.url(), Duration.ofSeconds(5)));
        RedisCallMediaStore stored = new RedisCallMediaStore(redis, new RedisKeys("ld"), new MessageCodec().mapper());
        CallMediaState before = stored.get(CallId.of(callId)).orElseThrow();
        assertEquals("north", before.region());
        assertEquals(1, before.sides().size());
        CallMediaState.SideState sideState = before.sides().get(0);
        assertEquals(side.value(), sideState.meetingId());
        assertEquals("south", sideState.region());
        assertEquals("127.0.0.1:" + south.httpAddress().getPort(), sideState.bridgeMember());
        assertEquals(List.of("customer"), sideState.listedOnSide());
        assertEquals(List.of("staff-1"), sideState.listedOnFirst());
        assertEquals(side.value(), before.legs().get(1).conference(), "the staff member's leg is on the side");

        a.kill();
        call.customer().close();
        call.staff().close();
        WsClient staffOnB = b.signIn(call.staffToken());
        WsClient customerOnB = b.signIn(call.customerToken());
        await("node B takes the call's media over").atMost(WAIT).until(() -> "node-rb".equals(
                b.node().calls().get(CallId.of(callId)).map(CallRecord::mediaNode).orElse(null)));
        flows(staffPage, customerPage);
        customerOnB.awaitType("call.renegotiate", WAIT);
        staffOnB.awaitType("call.renegotiate", WAIT);
        offer(customerOnB, callId, call.customerOffer());
        offer(staffOnB, callId, call.staffOffer());
        assertEquals(List.of("customer"), ids(north.bridge().conferenceStats(first).endpoints()), "the same endpoints");
        assertEquals(List.of("staff-1"), ids(south.bridge().conferenceStats(side).endpoints()));
        assertEquals(List.of("carrier-2"), ids(north.bridge().conferenceStats(first).relays()), "the same relay");
        assertEquals(1, north.bridge().stats().conferences());
        assertEquals(1, south.bridge().stats().conferences());
        flows(staffPage, customerPage);
        assertEquals("node-rb", stored.get(CallId.of(callId)).orElseThrow().node());

        customerOnB.requestOk(Map.of("type", "call.hangup", "callId", callId));
        await("hanging up on B expires both conferences").atMost(WAIT)
                .until(() -> north.bridge().stats().conferences() == 0 && south.bridge().stats().conferences() == 0);
    }

    /** A signaling node in region north with these remote bridges, once it has checked them all. */
    private TestNode nodeWith(List<String> remote) {
        TestNode node = open(TestNode.start(Map.of("livedesk.calls.media", "bridge", "livedesk.bridge.remote", remote,
                "livedesk.bridge.health-interval", "200ms", "livedesk.region", "north")));
        await("every bridge checked").atMost(WAIT).until(() -> node.node().bridgePool().members().stream()
                .allMatch(m -> m.up() && m.stats() != null));
        return node;
    }

    private static Map<String, Object> clustered(String nodeId, BridgeNode north, BridgeNode south) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("livedesk.node-id", nodeId);
        settings.put("livedesk.region", "north");
        settings.put("livedesk.redis.url", REDIS.url());
        settings.put("livedesk.calls.media", "bridge");
        settings.put("livedesk.bridge.remote", List.of("north=" + urlOf(north), "south=" + urlOf(south)));
        settings.put("livedesk.bridge.health-interval", "200ms");
        settings.put("livedesk.cluster.heartbeat-interval", "250ms");
        settings.put("livedesk.cluster.node-ttl", NODE_TTL.toMillis() + "ms");
        return settings;
    }

    /**
     * Staff {@code staff-<tag>} (token region south) goes available, customer {@code cust-<tag>} (no region claim:
     * the node's, north) asks, staff accepts; the customer offers first, then the staff member, then the customer
     * again to receive the staff member's tracks; both pages connect.
     */
    private Call call(TestNode node, String tag, SyntheticBrowser staffPage, SyntheticBrowser customerPage)
            throws Exception {
        String staffToken = node.token(staffClaims("staff-" + tag, "south"));
        String customerToken = node.customerToken("cust-" + tag, "Li Wei");
        BridgeCall started = BridgeCall.start(node, staffToken, customerToken);
        String callId = started.callId();
        WsClient staff = started.staff();
        WsClient customer = started.customer();

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
        return new Call(callId, customer, staff, customerOffer, staffOffer, customerToken, staffToken);
    }

    /** Each page's audio reaches the other, 40 packets more than now. */
    private static void flows(SyntheticBrowser staffPage, SyntheticBrowser customerPage) {
        long toCustomer = customerPage.receivedFrom(STAFF);
        long toStaff = staffPage.receivedFrom(CUSTOMER);
        await("media flows both ways across the relay").atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            staffPage.sendRtp(STAFF_AUDIO, 111);
            customerPage.sendRtp(CUSTOMER_AUDIO, 111);
            return customerPage.receivedFrom(STAFF) >= toCustomer + 40
                    && staffPage.receivedFrom(CUSTOMER) >= toStaff + 40;
        });
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
