package io.livedesk.signaling.media;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.ConferenceNames;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.server.BridgeNode;
import io.livedesk.signaling.server.Metrics;
import io.livedesk.signaling.testing.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two real bridge nodes in this JVM (Colibri2 over HTTP on loopback, media on free UDP ports), driven
 * through a {@link BridgePool} of Colibri2 clients: conferences spread by load, a node that stops is marked
 * down within the configured time and its meetings reported lost, they are re-created on the other node,
 * and the node is used again once it is back. Then a signaling node configured with a remote bridge.
 */
@Timeout(120)
class RemoteBridgePoolIT {
    private static final Duration INTERVAL = Duration.ofMillis(200);
    private static final int DOWN_AFTER = 2;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    /** Marked down within down-after checks (refused at once here) plus slack for a loaded machine. */
    private static final Duration DOWN_WITHIN = INTERVAL.multipliedBy(DOWN_AFTER + 1).plusSeconds(5);
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private BridgeNode node(String id, int httpPort) throws IOException {
        BridgeNode node = BridgeNode.start(new BridgeNode.Settings(id, "127.0.0.1", freeUdpPort(), "127.0.0.1",
                httpPort, 2, Duration.ofSeconds(60), false, "test"));
        open.add(node);
        return node;
    }

    private static String idOf(BridgeNode node) {
        return "127.0.0.1:" + node.httpAddress().getPort();
    }

    private static URI urlOf(BridgeNode node) {
        return URI.create("http://" + idOf(node));
    }

    private static ConferenceRequest create(String meetingId, int endpoints) {
        List<EndpointRequest> eps = new ArrayList<>();
        for (int i = 0; i < endpoints; i++) {
            eps.add(EndpointRequest.creating("ep" + i).statsId("ep" + i).sources(List.of()).iceControlling(true).build());
        }
        return ConferenceRequest.creating(new MeetingId(meetingId)).name(ConferenceNames.of(new MeetingId(meetingId))).endpoints(eps).build();
    }

    private static ConferenceRequest addEndpoint(String meetingId, String endpointId) {
        return ConferenceRequest.modifying(new MeetingId(meetingId)).endpoint(EndpointRequest.creating(endpointId)
                .statsId(endpointId).sources(List.of()).iceControlling(true)).build();
    }

    @Test
    void spreadsByLoadFailsOverWhenANodeStopsAndUsesItAgainWhenBack() throws Exception {
        BridgeNode a = node("node-a", 0);
        BridgeNode b = node("node-b", 0);
        int bHttpPort = b.httpAddress().getPort();
        BridgePool pool = new BridgePool("it-pool", List.of(
                MemberBridge.remote(urlOf(a), CONNECT_TIMEOUT, REQUEST_TIMEOUT, REQUEST_TIMEOUT),
                MemberBridge.remote(urlOf(b), CONNECT_TIMEOUT, REQUEST_TIMEOUT, REQUEST_TIMEOUT)),
                new BridgePool.Options(INTERVAL, DOWN_AFTER, REQUEST_TIMEOUT.plus(CONNECT_TIMEOUT)));
        open.add(pool);
        List<Set<MeetingId>> lost = new CopyOnWriteArrayList<>();
        pool.onConferencesLost(lost::add);
        Metrics metrics = new Metrics();
        metrics.bind(new BridgePoolMetrics(pool));
        pool.start();

        // Node a already carries a call of someone else's: two endpoints.
        a.bridge().apply(create("elsewhere", 2));
        await("the pool has read both nodes' stats").atMost(WAIT).until(() -> pool.members().stream()
                .allMatch(m -> m.stats() != null) && pool.members().get(0).stats().endpoints() == 2);

        pool.apply(create("m1", 1));
        pool.apply(create("m2", 1));
        pool.apply(create("m3", 1));
        assertEquals(Optional.of(idOf(b)), pool.ownerOf(new MeetingId("m1")), "b is idle");
        assertEquals(Optional.of(idOf(b)), pool.ownerOf(new MeetingId("m2")), "b: 1 endpoint, a: 2");
        assertEquals(Optional.of(idOf(a)), pool.ownerOf(new MeetingId("m3")), "2 endpoints each: a has fewer conferences");
        assertEquals(2, b.bridge().stats().conferences());
        assertEquals(2, a.bridge().stats().conferences());
        pool.apply(addEndpoint("m1", "late")); // later requests follow the conference
        assertEquals(2, b.bridge().conferenceStats(new MeetingId("m1")).endpointCount());
        assertEquals(2, pool.conferenceStats(new MeetingId("m1")).endpointCount());
        await("metrics show both nodes up").atMost(WAIT).until(() -> metrics.scrape()
                .contains("livedesk_media_bridge_up{bridge=\"" + idOf(b) + "\"} 1.0"));

        long stoppedAt = System.nanoTime();
        b.close();
        await("b is marked down and its meetings reported lost").atMost(DOWN_WITHIN)
                .until(() -> !lost.isEmpty());
        Duration detected = Duration.ofNanos(System.nanoTime() - stoppedAt);
        assertEquals(List.of(Set.of(new MeetingId("m1"), new MeetingId("m2"))), lost);
        assertTrue(detected.compareTo(DOWN_WITHIN) <= 0, "detected after " + detected);
        MemberStatus bStatus = pool.members().get(1);
        assertFalse(bStatus.up());
        assertEquals(2, bStatus.conferencesLost());
        assertTrue(metrics.scrape().contains("livedesk_media_bridge_up{bridge=\"" + idOf(b) + "\"} 0.0"));

        // What BridgeNegotiator does next: its update answers NotFound, so it creates the conference again.
        assertThrows(BridgeException.NotFound.class, () -> pool.apply(addEndpoint("m1", "again")));
        pool.apply(create("m1", 1));
        assertEquals(Optional.of(idOf(a)), pool.ownerOf(new MeetingId("m1")));
        assertEquals(1, a.bridge().conferenceStats(new MeetingId("m1")).endpointCount());
        assertEquals(Optional.of(idOf(a)), pool.ownerOf(new MeetingId("m3")), "a's conferences stay where they are");

        // b comes back on the same Colibri2 address (fresh, empty): it takes conferences again.
        BridgeNode back = node("node-b", bHttpPort);
        await("b is up again").atMost(WAIT).until(() -> pool.members().get(1).up()
                && pool.members().get(1).stats() != null && pool.members().get(1).consecutiveFailures() == 0);
        pool.apply(create("m4", 1));
        assertEquals(Optional.of(idOf(back)), pool.ownerOf(new MeetingId("m4")), "b holds no endpoint, a holds 4");
        assertEquals(1, back.bridge().stats().conferences());

        pool.expire(new MeetingId("m4"));
        assertEquals(0, back.bridge().stats().conferences());
        assertEquals(Optional.empty(), pool.ownerOf(new MeetingId("m4")));
    }

    @Test
    void withNoNodeReachableCreatingAConferenceIsUnavailable() throws Exception {
        BridgeNode a = node("node-gone", 0);
        URI url = urlOf(a);
        a.close();
        BridgePool pool = new BridgePool("it-pool-empty", List.of(
                MemberBridge.remote(url, CONNECT_TIMEOUT, REQUEST_TIMEOUT, REQUEST_TIMEOUT)),
                new BridgePool.Options(INTERVAL, DOWN_AFTER, REQUEST_TIMEOUT.plus(CONNECT_TIMEOUT)));
        open.add(pool);
        // Not yet checked: the pool tries it, the connection is refused, the bridge is marked down.
        BridgeException.Unavailable e = assertThrows(BridgeException.Unavailable.class,
                () -> pool.apply(create("m1", 1)));
        assertTrue(e.getMessage().contains("m1"), e.getMessage());
        assertFalse(pool.members().get(0).up());
        assertThrows(BridgeException.Unavailable.class, () -> pool.apply(create("m2", 1)));
    }

    @Test
    void aSignalingNodeSendsItsCallsToTheRemoteBridgeAndReportsItInMetrics() throws Exception {
        BridgeNode bridge = node("node-remote", 0);
        try (TestNode node = TestNode.start(Map.of("livedesk.calls.media", "bridge",
                "livedesk.bridge.remote", List.of(urlOf(bridge).toString()),
                "livedesk.bridge.health-interval", "200ms"));
             BridgeCall call = BridgeCall.start(node, "r1")) {
            assertNull(node.node().bridge(), "no in-process bridge with remote ones");
            assertNotNull(node.node().bridgePool());
            await("the remote bridge is checked and up in /metrics").atMost(WAIT).until(() -> {
                String text = node.get("/metrics", null).body();
                return text.contains("livedesk_media_bridge_up{bridge=\"" + idOf(bridge) + "\"} 1.0")
                        && text.contains("livedesk_media_bridge_stress{bridge=\"" + idOf(bridge) + "\"} 0.0");
            });

            String sdp = call.offerAudio();
            assertTrue(sdp.contains(" " + bridge.bridge().port() + " typ host"),
                    "the answer carries the remote bridge's media port:\n" + sdp);
            assertEquals(1, bridge.bridge().stats().conferences());
            assertEquals(Optional.of(idOf(bridge)), node.node().bridgePool().ownerOf(new MeetingId(call.callId())));

            call.hangUp();
            await("hanging up expires the conference on the remote bridge").atMost(WAIT)
                    .until(() -> bridge.bridge().stats().conferences() == 0);
        }
    }

    @Test
    void whenTheCallsBridgeGoesDownTheBrowsersAreAskedToRestartIceAndTheCallMovesToTheOtherBridge() throws Exception {
        BridgeNode first = node("node-first", 0);
        BridgeNode second = node("node-second", 0);
        try (TestNode node = TestNode.start(Map.of("livedesk.calls.media", "bridge",
                "livedesk.bridge.remote", List.of(urlOf(first).toString(), urlOf(second).toString()),
                "livedesk.bridge.health-interval", "200ms", "livedesk.bridge.down-after", 2));
             BridgeCall call = BridgeCall.start(node, "f1")) {
            call.offerAudio();
            BridgeNode holder = node.node().bridgePool().ownerOf(new MeetingId(call.callId())).orElseThrow().equals(idOf(first)) ? first : second;
            BridgeNode other = holder == first ? second : first;

            long stoppedAt = System.nanoTime();
            holder.close();
            JsonNode restart = call.customer().await(m -> "call.renegotiate".equals(m.path("type").asText()), WAIT);
            Duration asked = Duration.ofNanos(System.nanoTime() - stoppedAt);
            assertTrue(restart.path("iceRestart").asBoolean(), "the customer is asked to restart ICE: " + restart);
            assertTrue(asked.compareTo(DOWN_WITHIN) <= 0, "asked to restart ICE after " + asked);

            String moved = call.offerAudio(BridgeCall.AUDIO_OFFER.replace("rb1x", "rb2x"));
            Duration answered = Duration.ofNanos(System.nanoTime() - stoppedAt);
            // Measured: health interval 200 ms, down after 2 failed checks (a refused request marks it down at once).
            System.out.printf("bridge failover: ICE restart asked %d ms and answered from the other bridge %d ms "
                    + "after the bridge stopped%n", asked.toMillis(), answered.toMillis());
            assertTrue(moved.contains(" " + other.bridge().port() + " typ host"),
                    "the new offer is answered from the other bridge:\n" + moved);
            assertEquals(Optional.of(idOf(other)), node.node().bridgePool().ownerOf(new MeetingId(call.callId())));
            assertEquals(1, other.bridge().stats().conferences());
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
