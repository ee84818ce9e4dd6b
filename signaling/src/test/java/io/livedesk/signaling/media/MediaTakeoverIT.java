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
import io.livedesk.signaling.testing.BrowserOffer;
import io.livedesk.signaling.testing.RedisServerExtension;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.ws.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.livedesk.testkit.ws.WsClient.type;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bridged call survives its signaling node: two nodes on one real Redis, one real remote bridge node, a call
 * answered on node A (its media node) between two synthetic browsers whose media flows through the bridge. Node A
 * is killed as a crash would (no handover, no goodbye); both parties reconnect to node B and resume; node B claims
 * A dead, becomes the call's media node, adopts the conference from the stored media state and asks the pages to
 * offer again. The bridge keeps the same conference and endpoints and the media keeps flowing throughout; a
 * re-offer is answered with the same bridge transport and a later SDP version; hanging up on B expires the
 * conference and removes the stored state. With in-process bridges instead, the conference dies with node A and
 * the call moves to node B's bridge by ICE restart.
 */
@Timeout(180)
class MediaTakeoverIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /**
     * Short, so that the test is quick; {@code -Dtakeover.node-ttl-ms=5000 -Dtakeover.heartbeat-ms=1000} gives the
     * production defaults for the timings it prints (docs/benchmarks.md, issue 13).
     */
    private static final Duration NODE_TTL = Duration.ofMillis(Long.getLong("takeover.node-ttl-ms", 2000));
    private static final Duration HEARTBEAT = Duration.ofMillis(Long.getLong("takeover.heartbeat-ms", 250));
    private static final int STAFF = 1;
    private static final int CUSTOMER = 2;
    private static final long STAFF_AUDIO = 11;
    private static final long CUSTOMER_AUDIO = 21;
    private static final Pattern ORIGIN = Pattern.compile("(?m)^o=- (\\d+) (\\d+) ");
    private static final Pattern UFRAG = Pattern.compile("(?m)^a=ice-ufrag:(\\S+)");

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private static Map<String, Object> settings(String nodeId, BridgeNode bridge) {
        return Map.of("livedesk.node-id", nodeId, "livedesk.redis.url", REDIS.url(),
                "livedesk.calls.media", "bridge",
                "livedesk.bridge.remote", List.of("http://127.0.0.1:" + bridge.httpAddress().getPort()),
                "livedesk.bridge.health-interval", "200ms",
                "livedesk.cluster.heartbeat-interval", HEARTBEAT.toMillis() + "ms",
                "livedesk.cluster.node-ttl", NODE_TTL.toMillis() + "ms");
    }

    /**
     * @param backFirst the parties reconnect before node B claims A (asked to offer again by the takeover), or
     *                  only after (asked when they resume)
     */
    @ParameterizedTest(name = "parties back before the claim: {0}")
    @ValueSource(booleans = {true, false})
    void whenTheMediaNodeDiesAnotherTakesTheCallOverAndItsMediaKeepsFlowingThroughTheSameEndpoints(boolean backFirst)
            throws Exception {
        try (BridgeNode bridge = BridgeNode.start(new BridgeNode.Settings("bridge-1", "127.0.0.1", TestNode.freeUdpPort(),
                "127.0.0.1", 0, 2, Duration.ofSeconds(60), false, "test"));
             TestNode a = TestNode.start(settings("node-a", bridge));
             TestNode b = TestNode.start(settings("node-b", bridge));
             SyntheticBrowser staffPage = new SyntheticBrowser("staff", STAFF);
             SyntheticBrowser customerPage = new SyntheticBrowser("customer", CUSTOMER);
             RedisConnections redis = new RedisConnections(REDIS.url(), Duration.ofSeconds(5))) {
            RedisCallMediaStore stored = new RedisCallMediaStore(redis, new RedisKeys("ld"), new MessageCodec().mapper());
            String tag = backFirst ? "t1" : "t2";
            String staffToken = a.staffToken("staff-" + tag, "Zhang Min", List.of("accounts"), List.of("en"), 1);
            String customerToken = a.customerToken("cust-" + tag, "Li Wei");
            WsClient staff = a.signIn(staffToken);
            staff.requestOk(Map.of("type", "presence.set", "status", "available"));
            WsClient customer = a.signIn(customerToken);
            String callId = customer.requestOk(Map.of("type", "request.create", "topic", "accounts", "language", "en"))
                    .path("requestId").asText();
            staff.awaitType("offer", WAIT);
            staff.requestOk(Map.of("type", "offer.accept", "requestId", callId));
            customer.awaitType("call.started", WAIT);
            assertEquals("node-a", mediaNodeOf(b, callId), "the node that answered holds the call's media");

            // Both pages offer; the customer offers again once the staff member's tracks are there to receive.
            String customerOffer = customerPage.offer(BrowserOffer.of("unused", CUSTOMER));
            String staffOffer = staffPage.offer(BrowserOffer.of("unused", STAFF));
            offer(customer, callId, customerOffer);
            String staffAnswer = offer(staff, callId, staffOffer);
            customer.awaitType("call.renegotiate", WAIT);
            String customerAnswer = offer(customer, callId, customerOffer);
            assertTrue(customerAnswer.contains("a=ssrc:" + STAFF_AUDIO + " "), customerAnswer);
            staffPage.connect(staffAnswer);
            customerPage.connect(customerAnswer);
            flows(staffPage, customerPage, 40);

            MeetingId meeting = new MeetingId(callId);
            List<String> endpoints = endpointIds(bridge, meeting);
            assertEquals(2, endpoints.size(), endpoints.toString());
            assertEquals(1, bridge.bridge().stats().conferences());
            CallMediaState before = stored.get(CallId.of(callId)).orElseThrow();
            assertEquals("node-a", before.node());
            assertEquals(2, before.legs().size());

            // Node A crashes. The bridge does not: media goes on while the signaling recovers.
            long killedAt = System.nanoTime();
            a.kill();
            staff.close();
            customer.close();
            WsClient staffOnB = backFirst ? b.signIn(staffToken) : null;
            WsClient customerOnB = backFirst ? b.signIn(customerToken) : null;
            Duration signedInAfter = backFirst ? Duration.ofNanos(System.nanoTime() - killedAt) : null;
            CompletableFuture<Long> askArrived = backFirst ? arrival(customerOnB, "call.renegotiate") : null;
            await("node B claims node A dead and takes the call's media over").atMost(WAIT)
                    .until(() -> "node-b".equals(mediaNodeOf(b, callId)));
            Duration takenOverAfter = Duration.ofNanos(System.nanoTime() - killedAt);
            flows(staffPage, customerPage, 40);
            if (!backFirst) {
                staffOnB = b.signIn(staffToken);
                customerOnB = b.signIn(customerToken);
                signedInAfter = Duration.ofNanos(System.nanoTime() - killedAt);
                askArrived = arrival(customerOnB, "call.renegotiate");
            }

            // The pages are asked to offer again (no ICE restart), and are answered from the same endpoints.
            JsonNode ask = customerOnB.awaitType("call.renegotiate", WAIT);
            Duration askedAfter = Duration.ofNanos(askArrived.get(WAIT.toMillis(), TimeUnit.MILLISECONDS) - killedAt);
            assertTrue(!ask.path("iceRestart").asBoolean(false), "no ICE restart: " + ask);
            staffOnB.awaitType("call.renegotiate", WAIT);
            long reOfferAt = System.nanoTime();
            String again = offer(customerOnB, callId, customerOffer);
            Duration answeredAfter = Duration.ofNanos(System.nanoTime() - killedAt);
            Duration reOfferRoundTrip = Duration.ofNanos(System.nanoTime() - reOfferAt);
            assertEquals(ufrag(customerAnswer), ufrag(again), "the same bridge transport");
            assertEquals(origin(customerAnswer).group(1), origin(again).group(1), "the same SDP session");
            assertTrue(Long.parseLong(origin(again).group(2)) > Long.parseLong(origin(customerAnswer).group(2)),
                    "a later SDP version: " + origin(customerAnswer).group(2) + " then " + origin(again).group(2));
            assertTrue(again.contains("a=ssrc:" + STAFF_AUDIO + " "), "still receives the staff member: " + again);
            String staffAgain = offer(staffOnB, callId, staffOffer);
            Duration staffAnsweredAfter = Duration.ofNanos(System.nanoTime() - killedAt);
            assertEquals(ufrag(staffAnswer), ufrag(staffAgain));
            assertEquals(endpoints, endpointIds(bridge, meeting), "the same endpoints, none added");
            assertEquals(1, bridge.bridge().stats().conferences(), "no new conference");
            flows(staffPage, customerPage, 40);
            CallMediaState after = stored.get(CallId.of(callId)).orElseThrow();
            assertEquals("node-b", after.node());
            assertTrue(after.revision() > before.revision());
            System.out.printf("media takeover: node B held the call %d ms after node A was killed (node ttl %d ms)%n",
                    takenOverAfter.toMillis(), NODE_TTL.toMillis());

            long hangUpAt = System.nanoTime();
            customerOnB.requestOk(Map.of("type", "call.hangup", "callId", callId));
            Duration hangUpAccepted = Duration.ofNanos(System.nanoTime() - hangUpAt);
            staffOnB.awaitType("call.ended", WAIT);
            Duration hangUpEnded = Duration.ofNanos(System.nanoTime() - hangUpAt);
            // Issue 13's benchmark (docs/benchmarks.md): the times after the kill, printed, never asserted.
            System.out.printf("signaling node loss (parties back before the claim: %s): after the kill, both signed"
                            + " in on B %d ms, B holds the call's media %d ms, customer's call.renegotiate arrived %d ms,"
                            + " customer's re-offer answered %d ms (its round trip %d ms), staff's %d ms; then hang-up"
                            + " accepted in %d ms, staff told call.ended after %d ms (node ttl %d ms, heartbeat %d ms)%n",
                    backFirst, signedInAfter.toMillis(), takenOverAfter.toMillis(), askedAfter.toMillis(),
                    answeredAfter.toMillis(), reOfferRoundTrip.toMillis(), staffAnsweredAfter.toMillis(),
                    hangUpAccepted.toMillis(), hangUpEnded.toMillis(), NODE_TTL.toMillis(), HEARTBEAT.toMillis());
            await("hanging up on B expires the conference").atMost(WAIT)
                    .until(() -> bridge.bridge().stats().conferences() == 0);
            assertEquals(Optional.empty(), stored.get(CallId.of(callId)), "the stored media state is removed");
            staffOnB.close();
            customerOnB.close();
        }
    }

    /**
     * With in-process bridges the call's bridge dies with its media node: the node that takes the call over finds
     * the conference gone and the parties restart ICE onto its own bridge, as on a bridge's failover.
     */
    @Test
    void withInProcessBridgesTheCallMovesToTheNewMediaNodesBridgeByIceRestart() throws Exception {
        Map<String, Object> common = Map.of("livedesk.redis.url", REDIS.url(), "livedesk.calls.media", "bridge",
                "livedesk.cluster.heartbeat-interval", "250ms", "livedesk.cluster.node-ttl", NODE_TTL.toMillis() + "ms");
        Map<String, Object> onA = new HashMap<>(common);
        onA.put("livedesk.node-id", "node-a3");
        Map<String, Object> onB = new HashMap<>(common);
        onB.put("livedesk.node-id", "node-b3");
        try (TestNode a = TestNode.start(onA); TestNode b = TestNode.start(onB);
             RedisConnections redis = new RedisConnections(REDIS.url(), Duration.ofSeconds(5))) {
            RedisCallMediaStore stored = new RedisCallMediaStore(redis, new RedisKeys("ld"), new MessageCodec().mapper());
            String staffToken = a.staffToken("staff-t3", "Zhang Min", List.of("accounts"), List.of("en"), 1);
            String customerToken = a.customerToken("cust-t3", "Li Wei");
            WsClient staff = a.signIn(staffToken);
            staff.requestOk(Map.of("type", "presence.set", "status", "available"));
            WsClient customer = a.signIn(customerToken);
            String callId = customer.requestOk(Map.of("type", "request.create", "topic", "accounts", "language", "en"))
                    .path("requestId").asText();
            staff.awaitType("offer", WAIT);
            staff.requestOk(Map.of("type", "offer.accept", "requestId", callId));
            customer.awaitType("call.started", WAIT);
            String first = offer(customer, callId, BridgeCall.AUDIO_OFFER);
            assertTrue(first.contains(" " + a.node().config().bridge().port() + " typ host"), first);

            a.kill();
            staff.close();
            customer.close();
            WsClient customerOnB = b.signIn(customerToken);
            WsClient staffOnB = b.signIn(staffToken);
            await("node B takes the call's media over").atMost(WAIT).until(() -> "node-b3".equals(mediaNodeOf(b, callId)));
            JsonNode restart = customerOnB.awaitType("call.renegotiate", WAIT);
            assertTrue(restart.path("iceRestart").asBoolean(), "restart ICE: the conference died with node A: " + restart);

            String moved = offer(customerOnB, callId, BridgeCall.AUDIO_OFFER.replace("rb1x", "rb2x"));
            assertTrue(moved.contains(" " + b.node().config().bridge().port() + " typ host"),
                    "answered from node B's bridge: " + moved);
            assertEquals(1, b.node().bridge().stats().conferences());
            assertEquals("node-b3", stored.get(CallId.of(callId)).orElseThrow().node());

            customerOnB.requestOk(Map.of("type", "call.hangup", "callId", callId));
            staffOnB.awaitType("call.ended", WAIT);
            await().atMost(WAIT).until(() -> b.node().bridge().stats().conferences() == 0);
            assertEquals(Optional.empty(), stored.get(CallId.of(callId)));
            staffOnB.close();
            customerOnB.close();
        }
    }

    /**
     * When {@code client} first received a message of {@code type}, within 5 ms: the test reads its messages only
     * after its own media checks, so their arrival is watched on the side (for the printed timings only).
     */
    private static CompletableFuture<Long> arrival(WsClient client, String type) {
        return CompletableFuture.supplyAsync(() -> {
            await("a " + type + " arrives").atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                    .until(() -> client.history().stream().anyMatch(m -> type.equals(type(m))));
            return System.nanoTime();
        });
    }

    private static String mediaNodeOf(TestNode node, String callId) {
        return node.node().calls().get(CallId.of(callId)).map(CallRecord::mediaNode).orElse(null);
    }

    /** Sends the offer and returns the answer's SDP. */
    private static String offer(WsClient client, String callId, String sdp) {
        client.requestOk(Map.of("type", "call.signal", "callId", callId, "sdp", Map.of("type", "offer", "sdp", sdp)));
        JsonNode answer = client.await(m -> "call.signal".equals(type(m))
                && "answer".equals(m.path("sdp").path("type").asText()), WAIT);
        return answer.path("sdp").path("sdp").asText();
    }

    /** Each page's audio reaches the other, {@code packets} more than now. */
    private static void flows(SyntheticBrowser staffPage, SyntheticBrowser customerPage, int packets) {
        long toCustomer = customerPage.receivedFrom(STAFF);
        long toStaff = staffPage.receivedFrom(CUSTOMER);
        await("media flows both ways through the bridge").atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            staffPage.sendRtp(STAFF_AUDIO, 111);
            customerPage.sendRtp(CUSTOMER_AUDIO, 111);
            return customerPage.receivedFrom(STAFF) >= toCustomer + packets
                    && staffPage.receivedFrom(CUSTOMER) >= toStaff + packets;
        });
    }

    private static List<String> endpointIds(BridgeNode bridge, MeetingId meeting) throws Exception {
        return bridge.bridge().conferenceStats(meeting).endpoints().stream().map(EndpointStats::id).sorted().toList();
    }

    private static String ufrag(String sdp) {
        Matcher m = UFRAG.matcher(sdp);
        assertTrue(m.find(), sdp);
        return m.group(1);
    }

    private static Matcher origin(String sdp) {
        Matcher m = ORIGIN.matcher(sdp);
        assertTrue(m.find(), sdp);
        return m;
    }
}
