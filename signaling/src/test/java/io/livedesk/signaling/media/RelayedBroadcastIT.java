package io.livedesk.signaling.media;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.media.api.ConferenceStats;
import io.livedesk.media.api.EndpointStats;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.server.BridgeNode;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.live.Broadcast;
import io.livedesk.signaling.live.BroadcastId;
import io.livedesk.signaling.live.BroadcastMedia;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.testing.BrowserOffer;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.ws.WsClient;
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

import static io.livedesk.testkit.ws.WsClient.type;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A livestream spread over two bridges: two real bridge nodes on loopback in one pool behind a real signaling node,
 * two viewers per bridge at most. The host's page and three viewers' pages are synthetic browsers (real ICE, DTLS,
 * SRTP). The first two viewers join the broadcast's own conference; the third makes signaling open a second
 * conference on the other bridge, joined to the first by a relay listing the host's endpoint and sources, and its
 * viewer receives the host's media through the relay. Ending the broadcast expires everything on both bridges.
 */
@Timeout(120)
class RelayedBroadcastIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int HOST = 1;
    /** The host's page is {@code BrowserOffer.of(.., 1)}: audio 11, video 12 (RTX 13). */
    private static final long HOST_AUDIO = 11;
    private static final long HOST_VIDEO = 12;
    /** The host's page after a reload: a new page, the same tracks. */
    private static final int RELOADED = 9;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void theThirdViewerIsOnTheSecondBridgeAndReceivesTheHostThroughTheRelay() throws Exception {
        BridgeNode a = bridgeNode("bridge-a");
        BridgeNode b = bridgeNode("bridge-b");
        TestNode node = spreadingNode(a, b, 2);
        SyntheticBrowser hostPage = open(new SyntheticBrowser("host", HOST));
        List<SyntheticBrowser> pages = List.of(open(new SyntheticBrowser("ann", 2)),
                open(new SyntheticBrowser("bo", 3)), open(new SyntheticBrowser("cy", 4)));
        WsClient host = node.signIn(node.staffToken("host-lin", "Lin Wei", List.of("loans"), List.of("en"), 1));
        List<WsClient> viewers = List.of(node.signIn(node.customerToken("viewer-0", "Ann")),
                node.signIn(node.customerToken("viewer-1", "Bo")), node.signIn(node.customerToken("viewer-2", "Cy")));
        Broadcast broadcast = liveBroadcast(node);
        BroadcastMedia media = node.node().broadcastMedia();
        BridgePool pool = node.node().bridgePool();
        await("both bridges checked").atMost(WAIT).until(() -> pool.members().stream()
                .allMatch(m -> m.up() && m.stats() != null));

        media.offer(broadcast, Subject.of("host-lin"),
                new ClientMessage.Sdp("offer", hostPage.offer(BrowserOffer.of("unused", 1))), "s1");
        hostPage.connect(answer(host));
        for (int i = 0; i < viewers.size(); i++) {
            media.offer(broadcast, Subject.of("viewer-" + i), new ClientMessage.Sdp("offer",
                    pages.get(i).offer(BrowserOffer.receiveOnly("unused", 5 + i))), "v" + i);
            String answer = answer(viewers.get(i));
            assertTrue(answer.contains("a=sendonly") && answer.contains("a=ssrc:" + HOST_VIDEO + " "), answer);
            pages.get(i).connect(answer);
        }

        MeetingId first = BroadcastMeetings.meetingOf(broadcast.id());
        MeetingId second = BroadcastMeetings.meetingOf(broadcast.id(), 2);
        String firstBridge = pool.ownerOf(first).orElseThrow();
        String secondBridge = pool.ownerOf(second).orElseThrow();
        assertNotEquals(firstBridge, secondBridge, "the second carrier is on the other bridge");
        ConferenceStats onFirst = pool.conferenceStats(first);
        ConferenceStats onSecond = pool.conferenceStats(second);
        assertEquals(List.of("host", "viewer-1", "viewer-2"), ids(onFirst.endpoints()));
        assertEquals(List.of("viewer-3"), ids(onSecond.endpoints()));
        assertEquals(List.of("carrier-2"), ids(onFirst.relays()), "a relay on the first bridge");
        assertEquals(List.of("carrier-1"), ids(onSecond.relays()), "and one on the second");
        // Each bridge counts its relay in its stats, which the pool (and the supervisors' bridge list) reads.
        await("both bridges report one relay").atMost(WAIT).until(() -> pool.members().stream()
                .allMatch(m -> m.stats() != null && m.stats().relays() == 1));

        // The host's media reaches all three viewers, the third through the relay.
        await("the host's media reaches every viewer").atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            hostPage.sendRtp(HOST_AUDIO, 111);
            hostPage.sendRtp(HOST_VIDEO, 96);
            return pages.stream().allMatch(p -> p.receivedFrom(HOST) >= 40);
        });
        assertTrue(relay(pool, first, "carrier-2").packetsOut() > 0, "the first bridge sent over the relay");
        assertTrue(relay(pool, second, "carrier-1").packetsIn() > 0, "the second bridge received over it");
        String metrics = node.get("/metrics", null).body();
        assertTrue(metrics.contains("livedesk_live_carriers 2.0"), metrics);
        assertTrue(metrics.contains("livedesk_live_relays_opened_total 1.0"), metrics);

        // The host reloads the page: a new endpoint with the same SSRCs replaces the old on the relay too.
        SyntheticBrowser reloaded = open(new SyntheticBrowser("host-reloaded", RELOADED));
        media.offer(broadcast, Subject.of("host-lin"),
                new ClientMessage.Sdp("offer", reloaded.offer(BrowserOffer.of("unused", 1))), "s2");
        reloaded.connect(answer(host));
        assertEquals(List.of("host-2", "viewer-1", "viewer-2"), ids(pool.conferenceStats(first).endpoints()));
        assertEquals(List.of("viewer-3"), ids(pool.conferenceStats(second).endpoints()),
                "the stage is no endpoint of the second bridge, only listed on its relay");
        await("the reloaded page's media reaches the viewer behind the relay").atMost(WAIT)
                .pollInterval(Duration.ofMillis(20)).until(() -> {
                    reloaded.sendRtp(HOST_AUDIO, 111);
                    reloaded.sendRtp(HOST_VIDEO, 96);
                    return pages.get(2).receivedFrom(RELOADED) >= 40 && pages.get(0).receivedFrom(RELOADED) >= 40;
                });

        media.ended(broadcast.ended(System.currentTimeMillis()));
        await("both bridges expired the broadcast's conferences").atMost(WAIT)
                .until(() -> a.bridge().stats().conferences() == 0 && b.bridge().stats().conferences() == 0);
    }

    @Test
    void whenTheSecondBridgeGoesDownItsViewersOfferAgainAndTheRelayIsDropped() throws Exception {
        BridgeNode a = bridgeNode("bridge-a");
        BridgeNode b = bridgeNode("bridge-b");
        TestNode node = spreadingNode(a, b, 1);
        SyntheticBrowser hostPage = open(new SyntheticBrowser("host", HOST));
        WsClient host = node.signIn(node.staffToken("host-lin", "Lin Wei", List.of("loans"), List.of("en"), 1));
        WsClient ann = node.signIn(node.customerToken("viewer-0", "Ann"));
        WsClient bo = node.signIn(node.customerToken("viewer-1", "Bo"));
        Broadcast broadcast = liveBroadcast(node);
        BroadcastMedia media = node.node().broadcastMedia();
        BridgePool pool = node.node().bridgePool();
        await("both bridges checked").atMost(WAIT).until(() -> pool.members().stream()
                .allMatch(m -> m.up() && m.stats() != null));
        media.offer(broadcast, Subject.of("host-lin"),
                new ClientMessage.Sdp("offer", hostPage.offer(BrowserOffer.of("unused", 1))), "s1");
        answer(host);
        media.offer(broadcast, Subject.of("viewer-0"), new ClientMessage.Sdp("offer",
                open(new SyntheticBrowser("ann", 2)).offer(BrowserOffer.receiveOnly("unused", 5))), "v0");
        answer(ann);
        media.offer(broadcast, Subject.of("viewer-1"), new ClientMessage.Sdp("offer",
                open(new SyntheticBrowser("bo", 3)).offer(BrowserOffer.receiveOnly("unused", 6))), "v1");
        answer(bo);
        MeetingId first = BroadcastMeetings.meetingOf(broadcast.id());
        MeetingId second = BroadcastMeetings.meetingOf(broadcast.id(), 2);
        String secondBridge = pool.ownerOf(second).orElseThrow();
        assertEquals(List.of("carrier-2"), ids(pool.conferenceStats(first).relays()));

        (secondBridge.endsWith(":" + a.httpAddress().getPort()) ? a : b).close();
        bo.await(m -> "broadcast.renegotiate".equals(type(m)), WAIT);
        await("the relay to the lost bridge is expired").atMost(WAIT)
                .until(() -> pool.conferenceStats(first).relays().isEmpty());
        assertTrue(pool.ownerOf(second).isEmpty(), "the lost carrier is forgotten");
        assertEquals(List.of("host", "viewer-1"), ids(pool.conferenceStats(first).endpoints()));
        media.ended(broadcast.ended(System.currentTimeMillis()));
    }

    /** A signaling node with both bridges in its pool, spreading a broadcast past {@code viewersPerBridge}. */
    private TestNode spreadingNode(BridgeNode a, BridgeNode b, int viewersPerBridge) {
        return open(TestNode.start(Map.of("livedesk.calls.media", "bridge",
                "livedesk.bridge.remote", List.of(urlOf(a), urlOf(b)),
                "livedesk.bridge.health-interval", "200ms",
                "livedesk.live.max-viewers-per-bridge", viewersPerBridge)));
    }

    /** A broadcast of host {@code host-lin} that went live on {@code node} just now. */
    static Broadcast liveBroadcast(TestNode node) {
        long now = System.currentTimeMillis();
        return Broadcast.scheduled(BroadcastId.generate(), Subject.of("host-lin"), "Saving for your first home", "",
                "en", "loans", now, null).wentLive(now, node.nodeId());
    }

    private static List<String> ids(List<EndpointStats> stats) {
        return stats.stream().map(EndpointStats::id).sorted().toList();
    }

    private static EndpointStats relay(BridgePool pool, MeetingId meeting, String id) throws Exception {
        return pool.conferenceStats(meeting).relays().stream().filter(r -> r.id().equals(id)).findFirst()
                .orElseThrow();
    }

    private static String answer(WsClient client) {
        JsonNode signal = client.await(m -> "broadcast.signal".equals(type(m))
                && "answer".equals(m.path("sdp").path("type").asText()), WAIT);
        return signal.path("sdp").path("sdp").asText();
    }

    private <T extends AutoCloseable> T open(T closeable) {
        open.add(closeable);
        return closeable;
    }

    private BridgeNode bridgeNode(String id) throws IOException {
        return open(BridgeNode.start(new BridgeNode.Settings(id, "127.0.0.1", freeUdpPort(), "127.0.0.1", 0, 2,
                Duration.ofSeconds(60), false, "test")));
    }

    private static String urlOf(BridgeNode node) {
        return URI.create("http://127.0.0.1:" + node.httpAddress().getPort()).toString();
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
