package io.livedesk.media.bridge;

import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.rtp.RtcpCompound;
import io.livedesk.media.rtp.RtcpKind;
import io.livedesk.media.rtp.RtcpPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keyframe requests for receivers whose transport connects are coalesced per sender stream: a crowd of
 * livestream viewers connecting costs the host a keyframe or two per window, and yet every viewer gets a
 * keyframe requested after it connected, within a window and a housekeeping tick. Driven by a fake clock
 * through the packet path and the housekeeper, noting when each request reached the sender.
 */
class KeyframeCoalescingTest {
    private static final int BRIDGE = 0x0B0B0B0B;
    private static final int HOST_VIDEO = 5001;
    private static final int HOST_AUDIO = 5003;
    private static final long MS = 1_000_000L;
    private static final long TICK_MS = 100;

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final long start = now.get();
    private BridgeConfig config;
    private Conference conference;
    private Housekeeper housekeeper;
    private FakeLink hostLink;
    /** When (ms since the start) each keyframe request reached the host, and its kind. */
    private final List<Long> requestsAtMs = new ArrayList<>();
    private final List<RtcpKind> kinds = new ArrayList<>();
    private int rtcpSeen;
    private int viewers;

    private void setUp(Duration window) throws Exception {
        config = BridgeConfig.defaults("127.0.0.1", 10000).withKeyframeMinInterval(window);
        conference = new Conference(new MeetingId("b-live"), "live", new ForwardingContext(now::get, BRIDGE, config));
        hostLink = new FakeLink();
        Endpoint host = endpoint("host", hostLink);
        host.markSecureHandled();
        conference.setSources(host, List.of(
                new MediaSource(MediaType.VIDEO, "cam", List.of(new MediaSource.Ssrc(HOST_VIDEO, "cam"),
                        new MediaSource.Ssrc(HOST_VIDEO + 1, "cam")),
                        List.of(new MediaSource.SsrcGroup("FID", List.of((long) HOST_VIDEO, (long) HOST_VIDEO + 1)))),
                new MediaSource(MediaType.AUDIO, "mic", List.of(new MediaSource.Ssrc(HOST_AUDIO, "mic")), List.of())));
        housekeeper = new Housekeeper(config, new BandwidthEstimator(BRIDGE, 2_500_000, 100_000), new Housekeeper.Expirer() {
            @Override
            public void expire(Conference c, Endpoint endpoint, String reason) {
                throw new AssertionError(endpoint + " expired: " + reason);
            }

            @Override
            public void expireEmpty(Conference c) {
                throw new AssertionError("conference expired");
            }
        }, now.get());
    }

    private Endpoint endpoint(String id, EndpointLink link) {
        Endpoint e = new Endpoint(id, id, conference, now.get());
        e.attach(link);
        conference.add(e);
        return e;
    }

    /** A viewer (no sources) whose transport connects now: its first packet, a receiver report, arrives. */
    private void viewerConnects() {
        Endpoint viewer = endpoint("viewer-" + ++viewers, new FakeLink());
        byte[] rr = Packets.receiverReport(900 + viewers, HOST_AUDIO, 0, 0, 0);
        viewer.receiver.onRtcp(rr, 0, rr.length);
    }

    /** Notes the keyframe requests the host got since the last look, as sent now. */
    private void noteRequests() {
        RtcpCompound compound = new RtcpCompound();
        RtcpPacket packet = new RtcpPacket();
        for (; rtcpSeen < hostLink.rtcp.size(); rtcpSeen++) {
            byte[] datagram = hostLink.rtcp.get(rtcpSeen);
            assertTrue(compound.wrap(datagram, 0, datagram.length));
            while (compound.next(packet)) {
                if (packet.kind() == RtcpKind.PLI || packet.kind() == RtcpKind.FIR) {
                    requestsAtMs.add((now.get() - start) / MS);
                    kinds.add(packet.kind());
                }
            }
        }
    }

    /**
     * Runs the clock from 0 to {@code untilMs} in 1 ms steps, the housekeeper ticking every 100 ms; a
     * viewer connects at each of {@code joinsAtMs}. Returns the requests the host got, as times (ms).
     */
    private List<Long> run(List<Long> joinsAtMs, long untilMs) {
        int next = 0;
        for (long ms = 0; ms <= untilMs; ms++) {
            now.set(start + ms * MS);
            while (next < joinsAtMs.size() && joinsAtMs.get(next) == ms) {
                viewerConnects();
                next++;
            }
            if (ms % TICK_MS == 0) {
                housekeeper.tick(List.of(conference), 0, now.get());
            }
            noteRequests();
        }
        return List.copyOf(requestsAtMs);
    }

    @ParameterizedTest(name = "window {0} ms")
    @ValueSource(ints = {300, 500})
    void aHundredViewersConnectingAtOnceCostTheHostTwoKeyframeRequests(int windowMs) throws Exception {
        setUp(Duration.ofMillis(windowMs));
        List<Long> joins = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            joins.add(10 + i / 2L); // 100 viewers within 50 ms
        }

        List<Long> requests = run(joins, 3000);

        assertEquals(2, requests.size(), "one at once, one for those the window held back: " + requests);
        assertEquals(10, requests.get(0), "the first viewer's request is not delayed");
        assertTrue(requests.get(1) >= 10 + windowMs && requests.get(1) <= 10 + windowMs + TICK_MS, requests.toString());
        everyViewerGetsAKeyframeRequestedAfterItConnected(joins, requests, windowMs);
    }

    @ParameterizedTest(name = "window {0} ms")
    @ValueSource(ints = {300, 500})
    void viewersTricklingInAreServedAtMostTwicePerWindow(int windowMs) throws Exception {
        setUp(Duration.ofMillis(windowMs));
        List<Long> joins = new ArrayList<>();
        for (long ms = 0; ms < 2000; ms += 20) {
            joins.add(ms); // one viewer every 20 ms for 2 s
        }

        List<Long> requests = run(joins, 3000);

        long windows = 2000 / windowMs + 2;
        assertTrue(requests.size() <= 2 * windows, requests.size() + " requests for 100 viewers: " + requests);
        assertTrue(requests.size() < 20, "coalesced: " + requests);
        for (int i = 1; i < requests.size(); i++) {
            assertTrue(requests.get(i) - requests.get(i - 1) >= windowMs, "two requests within a window: " + requests);
        }
        everyViewerGetsAKeyframeRequestedAfterItConnected(joins, requests, windowMs);
        assertEquals(requests.size(), conference.stream(HOST_VIDEO).owner.counters.keyframeRequestsToSender());
    }

    @Test
    void aFirHeldBackByTheWindowGoesOutAsFir() throws Exception {
        setUp(Duration.ofMillis(300));
        Endpoint viewer = endpoint("viewer-fir", new FakeLink());
        viewer.markSecureHandled();
        byte[] pli = Packets.pli(77, HOST_VIDEO);
        byte[] fir = Packets.fir(77, HOST_VIDEO, 1);
        viewer.receiver.onRtcp(pli, 0, pli.length);
        now.addAndGet(50 * MS);
        viewer.receiver.onRtcp(fir, 0, fir.length);
        viewer.receiver.onRtcp(pli, 0, pli.length);
        noteRequests();
        assertEquals(List.of(RtcpKind.PLI), kinds);

        now.addAndGet(200 * MS);
        housekeeper.tick(List.of(conference), 0, now.get());
        noteRequests();
        assertEquals(List.of(RtcpKind.PLI), kinds, "the window has not passed");
        now.addAndGet(100 * MS);
        housekeeper.tick(List.of(conference), 0, now.get());
        noteRequests();
        assertEquals(List.of(RtcpKind.PLI, RtcpKind.FIR), kinds);
        now.addAndGet(1000 * MS);
        housekeeper.tick(List.of(conference), 0, now.get());
        noteRequests();
        assertEquals(2, kinds.size(), "nothing more was asked");
    }

    @Test
    void nothingIsAskedOfTheRtxStreamOrForAStreamNobodyWaitsFor() throws Exception {
        setUp(Duration.ofMillis(300));
        Endpoint viewer = endpoint("viewer-rtx", new FakeLink());
        viewer.markSecureHandled();
        byte[] pli = Packets.pli(77, HOST_VIDEO + 1);
        viewer.receiver.onRtcp(pli, 0, pli.length);
        for (int i = 0; i < 10; i++) {
            now.addAndGet(TICK_MS * MS);
            housekeeper.tick(List.of(conference), 0, now.get());
        }
        noteRequests();
        assertTrue(kinds.isEmpty(), kinds.toString());
    }

    private static void everyViewerGetsAKeyframeRequestedAfterItConnected(List<Long> joins, List<Long> requests,
                                                                          int windowMs) {
        for (long joined : joins) {
            boolean served = requests.stream().anyMatch(r -> r >= joined && r <= joined + windowMs + TICK_MS);
            assertTrue(served, "the viewer that connected at " + joined + " ms waits longer than "
                    + (windowMs + TICK_MS) + " ms for a keyframe request: " + requests);
        }
    }
}
