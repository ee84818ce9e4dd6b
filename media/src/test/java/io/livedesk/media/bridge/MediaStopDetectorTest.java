package io.livedesk.media.bridge;

import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.EndpointMedia;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.MediaFlow;
import io.livedesk.media.api.MeetingId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * When the bridge calls an endpoint's media stopped: the detector on its own, then {@link LocalBridge#mediaStatus}
 * on a clock the test moves, with packets handed straight to the endpoints' packet path and links the test can fail.
 */
class MediaStopDetectorTest {
    private static final long MS = 1_000_000L;
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final MeetingId CALL = new MeetingId("r-call");
    private static final MeetingId OTHER = new MeetingId("r-other");
    /** A receiver report with no blocks: the least a receive-only browser sends. */
    private static final byte[] RTCP_RR = {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 1};

    private final MediaStopDetector detector = new MediaStopDetector(TIMEOUT);
    private final AtomicLong now = new AtomicLong(10_000 * MS);
    private final Map<String, FakeLink> links = new ConcurrentHashMap<>();
    private LocalBridge bridge;

    @AfterEach
    void close() {
        if (bridge != null) {
            bridge.close();
        }
    }

    @Test
    void connectingUntilTheFirstPacketThenFlowingUntilTheTimeoutPasses() {
        assertEquals(MediaFlow.CONNECTING, detector.flow(false, false, 0, 60_000 * MS), "no packet yet, however long");
        assertEquals(MediaFlow.FLOWING, detector.flow(false, true, 1_000 * MS, 1_000 * MS));
        assertEquals(MediaFlow.FLOWING, detector.flow(false, true, 1_000 * MS, 3_000 * MS), "exactly the timeout");
        assertEquals(MediaFlow.STOPPED, detector.flow(false, true, 1_000 * MS, 3_001 * MS));
        assertEquals(MediaFlow.FLOWING, detector.flow(false, true, 3_500 * MS, 3_600 * MS), "a packet again");
    }

    @Test
    void iceFailureIsAStopWhateverThePackets() {
        assertEquals(MediaFlow.STOPPED, detector.flow(true, true, 1_000 * MS, 1_000 * MS));
        assertEquals(MediaFlow.STOPPED, detector.flow(true, false, 0, 0));
    }

    @Test
    void theBridgeReportsEachEndpointOfTheConferencesAskedAbout() throws Exception {
        bridge = bridge();
        create(CALL, "customer", "staff-1");
        create(OTHER, "customer");

        assertEquals(Map.of("customer", MediaFlow.CONNECTING, "staff-1", MediaFlow.CONNECTING), flows(CALL));

        packet(CALL, "customer");
        packet(CALL, "staff-1");
        assertEquals(Map.of("customer", MediaFlow.FLOWING, "staff-1", MediaFlow.FLOWING), flows(CALL));

        // The staff page closes: only the customer keeps sending.
        for (int i = 0; i < 5; i++) {
            now.addAndGet(500 * MS);
            packet(CALL, "customer");
        }
        assertEquals(Map.of("customer", MediaFlow.FLOWING, "staff-1", MediaFlow.STOPPED), flows(CALL));
        assertEquals(1, bridge.conferenceStats(CALL).endpoints().stream().filter(e -> e.id().equals("staff-1")).count(),
                "a stop is only reported: the endpoint stays until the inactivity timeout");

        packet(CALL, "staff-1");
        assertEquals(Map.of("customer", MediaFlow.FLOWING, "staff-1", MediaFlow.FLOWING), flows(CALL), "it came back");

        links.get("customer@" + CALL).failed = true;
        assertEquals(MediaFlow.STOPPED, flows(CALL).get("customer"), "ICE failed");

        assertEquals(List.of(new EndpointMedia(OTHER, "customer", MediaFlow.CONNECTING)),
                bridge.mediaStatus(List.of(OTHER, new MeetingId("r-unknown"))), "unknown conferences are left out");
    }

    @Test
    void aClosedBridgeIsUnavailable() {
        bridge = bridge();
        bridge.close();
        assertThrows(BridgeException.Unavailable.class, () -> bridge.mediaStatus(List.of(CALL)));
    }

    private LocalBridge bridge() {
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        // Each endpoint's link is a fake the test can fail; the real transport behind it is never used.
        return new LocalBridge(BridgeConfig.defaults("127.0.0.1", port).withId("media-stop").withWarmUpSrtp(false)
                .withMediaTimeout(TIMEOUT), now::get, false, real -> new FakeLink());
    }

    private void create(MeetingId meeting, String... endpoints) throws BridgeException {
        var request = (bridge.meetingIds().contains(meeting) ? ConferenceRequest.modifying(meeting)
                : ConferenceRequest.creating(meeting)).name(meeting.value());
        for (String id : endpoints) {
            request.endpoint(EndpointRequest.creating(id).statsId(id).build());
        }
        bridge.apply(request.build());
        for (String id : endpoints) {
            links.put(id + "@" + meeting, (FakeLink) bridge.conference(meeting).endpoint(id).link());
        }
    }

    private void packet(MeetingId meeting, String endpoint) {
        bridge.packetListener(meeting, endpoint).onRtcp(RTCP_RR, 0, RTCP_RR.length);
    }

    private Map<String, MediaFlow> flows(MeetingId meeting) throws BridgeException {
        return bridge.mediaStatus(List.of(meeting)).stream()
                .collect(Collectors.toMap(EndpointMedia::endpointId, EndpointMedia::flow));
    }
}
