package io.livedesk.signaling.e2e;

import io.livedesk.media.api.ConferenceStats;
import io.livedesk.media.api.EndpointStats;
import io.livedesk.media.api.MeetingId;
import io.livedesk.signaling.live.BroadcastId;
import io.livedesk.signaling.media.BridgePool;
import io.livedesk.signaling.media.BroadcastMeetings;
import io.livedesk.signaling.media.SyntheticBrowser;
import io.livedesk.signaling.server.LiveDeskNode;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.bridge.BridgeNodeProcess;
import io.livedesk.testkit.browser.Browsers;
import io.livedesk.testkit.browser.Chromium;
import io.livedesk.testkit.ws.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A livestream over two bridge processes joined by a relay, in headless Chromium (issue 13): two LiveDesk bridge
 * nodes, each its own JVM, form the pool of one signaling node that puts at most two viewers on a bridge. The host
 * goes live from the studio in Chromium (fake camera, simulcast) onto the first bridge (A); two viewers fill it; the
 * third, a viewer page in Chromium, makes the broadcast spread to the other bridge (B) through a relay, and a fourth
 * joins it there. The Chromium viewer decodes the host's video through bridge B's port. And the relay carries each
 * packet once: between two snapshots of both bridges' statistics, what bridge A sent over the relay is about what
 * the host's endpoint sent into bridge A, not twice that for the two viewers behind the relay, and bridge B received
 * over the relay what bridge A sent. The viewers other than the Chromium one are synthetic pages (real ICE, DTLS,
 * SRTP), to keep to two Chromium instances on a two-core machine.
 */
@Timeout(300)
class BrowserRelayIT {
    private static final Logger log = LoggerFactory.getLogger(BrowserRelayIT.class);
    private static final Duration T = Duration.ofSeconds(45);
    /** Packets the host sends into bridge A between the two snapshots: a few seconds of simulcast video and audio. */
    private static final long WINDOW_PACKETS = 2000;

    /** Per simulcast layer of the host's studio connection: frames encoded, frame height, packets sent. */
    private static final String HOST_LAYERS = """
            const done = arguments[arguments.length - 1];
            window.LiveDeskDesk.studioPeerConnection().getStats().then(stats => {
              const layers = {};
              stats.forEach(s => {
                if (s.type === 'outbound-rtp' && s.kind === 'video') {
                  layers[s.rid || String(s.ssrc)] = {frames: s.framesEncoded || 0, height: s.frameHeight || 0,
                      packets: s.packetsSent || 0};
                }
              });
              done(layers);
            }, e => done({error: String(e)}));
            """;

    @Test
    void aViewerOnTheSecondBridgeDecodesTheHostThroughTheRelayWhichCarriesEachPacketOnce() throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        try (BridgeNodeProcess one = BridgeNodeProcess.start("netty", "256m", List.of());
             BridgeNodeProcess two = BridgeNodeProcess.start("netty", "256m", List.of())) {
            LiveDeskNode node = CallPages.startBridgedNode(TestNode.freeUdpPort(), Map.of(
                    "livedesk.bridge.remote", List.of(one.colibriUrl(), two.colibriUrl()),
                    "livedesk.bridge.health-interval", "250ms", "livedesk.live.max-viewers-per-bridge", 2));
            open.add(node::close);
            try (Browsers browsers = Browsers.start(2)) {
                CallPages pages = CallPages.of(node);
                BridgePool pool = node.bridgePool();
                await("both bridges checked").atMost(T).until(() -> pool.members().stream()
                        .filter(m -> m.up() && m.stats() != null).count() == 2);
                Chromium host = browsers.get(0);
                Chromium viewer = browsers.get(1);

                String id = pages.hostGoesLive(host, "host-relay", "Lin Wei", "Saving for your first home");
                BroadcastId broadcast = BroadcastId.parse(id).orElseThrow();
                MeetingId first = BroadcastMeetings.meetingOf(broadcast, 1);
                MeetingId second = BroadcastMeetings.meetingOf(broadcast, 2);
                await("the host sends into the first carrier").atMost(T).pollInterval(Duration.ofMillis(250))
                        .ignoreExceptions().until(() -> hostOf(pool.conferenceStats(first)).packetsIn() > 100);
                String ownerA = pool.ownerOf(first).orElseThrow();

                // Two viewers fill the first bridge; the Chromium viewer is the third and makes the broadcast spread.
                for (int i = 1; i <= 2; i++) {
                    watcher(pages, node, id, "near-" + i, 20 + i, open);
                }
                viewer.driver().get("http://127.0.0.1:" + node.port() + "/live/" + id + "?lang=en");
                await("the Chromium viewer's leg is on the second carrier").atMost(T).pollInterval(Duration.ofMillis(250))
                        .until(() -> pool.ownerOf(second).isPresent()
                                && pool.conferenceStats(second).endpoints().size() == 1);
                // The fourth goes on the least loaded carrier: the second, beside the Chromium viewer.
                SyntheticBrowser far = watcher(pages, node, id, "far", 30, open);

                String ownerB = pool.ownerOf(second).orElseThrow();
                assertNotEquals(ownerA, ownerB, "the second carrier is on the other bridge");
                BridgeNodeProcess bridgeB = one.colibriUrl().endsWith(ownerB) ? one : two;
                ConferenceStats onA = pool.conferenceStats(first);
                ConferenceStats onB = pool.conferenceStats(second);
                assertEquals(3, onA.endpoints().size(), "the host and two viewers on bridge A: " + onA);
                assertEquals(2, onB.endpoints().size(), "two viewers on bridge B: " + onB);
                assertEquals(List.of("carrier-2"), ids(onA.relays()), "a relay on bridge A");
                assertEquals(List.of("carrier-1"), ids(onB.relays()), "and its other end on bridge B");

                // The Chromium viewer decodes the host's video, through bridge B's port, frames rising.
                Map<String, Object> decoding = await("the viewer on bridge B decodes").atMost(T)
                        .pollInterval(Duration.ofMillis(250)).until(() -> CallPages.mediaStats(viewer, "live"),
                                s -> CallPages.number(s, "frames") > 10 && Boolean.TRUE.equals(s.get("nominated")));
                assertEquals(bridgeB.mediaPort(), CallPages.number(decoding, "remotePort"), "through bridge B: " + decoding);
                assertTrue(CallPages.number(decoding, "frameWidth") > 0 && CallPages.number(decoding, "frameHeight") > 0,
                        "a picture: " + decoding);
                long framesBefore = CallPages.number(decoding, "frames");
                await("the viewer keeps decoding").atMost(T).pollInterval(Duration.ofMillis(250)).until(() ->
                        CallPages.number(CallPages.mediaStats(viewer, "live"), "frames") > framesBefore + 30);
                await("the other viewer on bridge B receives too").atMost(T).until(() -> far.received() > 50);

                // The relay carries each packet once.
                Map<String, Object> hostLayersBefore = host.asyncJs(HOST_LAYERS);
                Map<String, Object> viewerBefore = CallPages.mediaStats(viewer, "live");
                Snapshot before = Snapshot.of(pool, first, second);
                await("the host sends " + WINDOW_PACKETS + " more packets").atMost(T).pollInterval(Duration.ofMillis(250))
                        .until(() -> hostOf(pool.conferenceStats(first)).packetsIn() >= before.hostIn + WINDOW_PACKETS);
                Snapshot after = Snapshot.of(pool, first, second);
                Map<String, Object> hostLayersAfter = host.asyncJs(HOST_LAYERS);
                Map<String, Object> viewerAfter = CallPages.mediaStats(viewer, "live");
                long hostIn = after.hostIn - before.hostIn;
                long relayOut = after.relayOutA - before.relayOutA;
                long relayIn = after.relayInB - before.relayInB;
                double perMs = hostIn / ((after.startNanos - before.startNanos) / 1e6);
                // Bridge B is read after bridge A, so each snapshot counts on B what A sent during its own reading
                // as well: over loopback nothing else differs. At most the packets of both readings' time, at the
                // window's rate, plus 1% for a datagram lost to a full socket buffer on a loaded machine.
                long inFlight = Math.round(perMs * (before.readMillis + after.readMillis)) + relayOut / 100;
                log.info("over {} ms: host sent {} packets into bridge A, bridge A sent {} over the relay ({}), "
                                + "bridge B received {} over it; {} viewers behind it; snapshot readings {} and {} ms, "
                                + "allowed difference {}; bytes: host {}, relay A {}, B {}; host endpoint drops {}, relay drops "
                                + "A {} B {}",
                        Math.round((after.startNanos - before.startNanos) / 1e6), hostIn, relayOut,
                        String.format("%.3f of the host's", (double) relayOut / hostIn), relayIn, onB.endpoints().size(),
                        before.readMillis, after.readMillis, inFlight, after.hostBytes - before.hostBytes,
                        after.relayBytesA - before.relayBytesA, after.relayBytesB - before.relayBytesB, after.hostDrops,
                        after.relayDropsA, after.relayDropsB);
                // Once each: bridge A forwards the host's RTP (every simulcast layer) and its layers' sender reports
                // over the relay; a copy per viewer behind the relay would make it twice the relay's share. So at most
                // the host's packets, 5% over for retransmissions bridge B asks for. Fewer cross than the host sends:
                // a bridge takes a simulcast layer's RTX into its cache and never forwards it (each hop estimates and
                // pads for itself), and Chromium pads its simulcast up to the layers' bitrates with RTX packets
                // (redundant payloads, full size), counted in its lowest layer's packetsSent here. Seen: 0.70-0.77 of
                // the host's packets cross; the rest are ~1000 bytes each, in no drop counter, and the lowest layer
                // sends ~650 kbps at 180p, 4-5 packets a frame; a synthetic host without RTX (RelayedBroadcastIT's)
                // gets exactly its packets across. The bridge does not count RTX apart, so the lower bound is "most",
                // and the frames below show that nothing of the layer the viewer gets is lost on the way.
                assertTrue(relayOut <= hostIn + hostIn / 20,
                        "the relay carries the host's packets at most once: " + relayOut + " vs " + hostIn);
                assertTrue(relayOut >= hostIn / 2, "the relay carries most of the host's packets: " + relayOut
                        + " vs " + hostIn);
                // Every layer encodes every frame, so the viewer behind the relay decodes as many frames over the
                // window as the host encoded on the layer it gets (by its height): none lost on the way. The two
                // pages are read one after the other, the same way round both times: a few frames either way (20-30
                // frames a second), or 5% if bridge B moved the viewer to another layer meanwhile (a keyframe wait).
                long decoded = CallPages.number(viewerAfter, "frames") - CallPages.number(viewerBefore, "frames");
                long encoded = encodedOnLayer(hostLayersBefore, hostLayersAfter, CallPages.number(viewerAfter, "frameHeight"));
                log.info("over the window the viewer on bridge B decoded {} frames at height {}; the host encoded {} on "
                                + "that layer; host's layers {} -> {}", decoded, CallPages.number(viewerAfter, "frameHeight"),
                        encoded, hostLayersBefore, hostLayersAfter);
                assertTrue(Math.abs(decoded - encoded) <= Math.max(5, encoded / 20),
                        "the viewer behind the relay decodes the host's frames: " + decoded + " of " + encoded);
                assertTrue(Math.abs(relayIn - relayOut) <= inFlight,
                        "bridge B received over the relay what bridge A sent: " + relayIn + " vs " + relayOut);
            } finally {
                for (int i = open.size() - 1; i >= 0; i--) {
                    open.get(i).close();
                }
            }
        }
    }

    /** A synthetic viewer page watching the broadcast on its own signed-in session; both are closed with {@code open}. */
    private static SyntheticBrowser watcher(CallPages pages, LiveDeskNode node, String id, String subject, int tag,
                                            List<AutoCloseable> open) throws Exception {
        WsClient session = WsClient.connect("ws://127.0.0.1:" + node.port() + "/ws");
        open.add(session);
        session.hello(pages.mint("{\"role\":\"customer\",\"subject\":\"" + subject + "\",\"name\":\"" + subject + "\"}"));
        SyntheticBrowser page = SyntheticBrowser.watching(session, id, subject, tag);
        open.add(page);
        return page;
    }

    /** Frames the host encoded between the two readings on its layer of this height (the tallest if none is). */
    @SuppressWarnings("unchecked")
    private static long encodedOnLayer(Map<String, Object> before, Map<String, Object> after, long height) {
        String layer = after.keySet().stream()
                .filter(rid -> CallPages.number((Map<String, Object>) after.get(rid), "height") == height).findFirst()
                .orElseGet(() -> after.keySet().stream().max(java.util.Comparator.comparingLong(
                        rid -> CallPages.number((Map<String, Object>) after.get(rid), "height"))).orElseThrow());
        return CallPages.number((Map<String, Object>) after.get(layer), "frames")
                - CallPages.number((Map<String, Object>) before.get(layer), "frames");
    }

    private static EndpointStats hostOf(ConferenceStats stats) {
        return only(stats.endpoints(), e -> e.id().startsWith("host"), stats);
    }

    private static EndpointStats only(List<EndpointStats> list, Predicate<EndpointStats> which, Object where) {
        List<EndpointStats> found = list.stream().filter(which).toList();
        assertEquals(1, found.size(), "exactly one of " + where);
        return found.get(0);
    }

    private static List<String> ids(List<EndpointStats> stats) {
        return stats.stream().map(EndpointStats::id).sorted().toList();
    }

    /** The host's packets into bridge A, bridge A's out over the relay and bridge B's in over it, read A then B. */
    private record Snapshot(long hostIn, long relayOutA, long relayInB, long startNanos, long readMillis,
                            Map<String, Long> hostDrops, Map<String, Long> relayDropsA, Map<String, Long> relayDropsB,
                            long hostBytes, long relayBytesA, long relayBytesB) {
        static Snapshot of(BridgePool pool, MeetingId first, MeetingId second) throws Exception {
            long start = System.nanoTime();
            ConferenceStats onA = pool.conferenceStats(first);
            ConferenceStats onB = pool.conferenceStats(second);
            long read = (System.nanoTime() - start) / 1_000_000;
            EndpointStats host = hostOf(onA);
            EndpointStats relayA = only(onA.relays(), r -> r.id().equals("carrier-2"), onA);
            EndpointStats relayB = only(onB.relays(), r -> r.id().equals("carrier-1"), onB);
            return new Snapshot(host.packetsIn(), relayA.packetsOut(), relayB.packetsIn(), start, read,
                    host.dropped(), relayA.dropped(), relayB.dropped(), host.bytesIn(), relayA.bytesOut(), relayB.bytesIn());
        }
    }
}
