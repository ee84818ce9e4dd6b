package io.livedesk.media.bridge;

import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.SetupRole;
import io.livedesk.media.api.TransportDescription;
import org.ice4j.ice.IceProcessingState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link LocalBridge#apply} and expiry over real transports on a loopback port, without a browser. */
@Timeout(60)
class LocalBridgeTest {
    private static final MeetingId M = new MeetingId("m");
    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private int port;
    private LocalBridge bridge;

    @BeforeEach
    void start() throws Exception {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        bridge = new LocalBridge(BridgeConfig.defaults("127.0.0.1", port).withId("unit")
                .withInactivityTimeout(Duration.ofSeconds(10)).withWarmUpSrtp(false), now::get, false);
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    private static EndpointRequest create(String id) {
        return EndpointRequest.creating(id).statsId(id).build();
    }

    private static EndpointRequest expire(String id) {
        return EndpointRequest.expiring(id);
    }

    private static EndpointRequest sources(String id, long... ssrcs) {
        List<MediaSource> list = new java.util.ArrayList<>();
        for (long s : ssrcs) {
            list.add(new MediaSource(MediaType.VIDEO, id + s, List.of(new MediaSource.Ssrc(s, id)), List.of()));
        }
        return EndpointRequest.updating(id).sources(list).build();
    }

    private static EndpointRequest remote(String id, TransportDescription t) {
        return EndpointRequest.updating(id).remoteTransport(t).build();
    }

    private static ConferenceRequest request(MeetingId meeting, boolean create, EndpointRequest... endpoints) {
        return (create ? ConferenceRequest.creating(meeting) : ConferenceRequest.modifying(meeting))
                .name("room@livedesk.internal").endpoints(List.of(endpoints)).build();
    }

    private TransportDescription browser(String ufrag) {
        return new TransportDescription(ufrag, "remotepasswordremotepassword",
                List.of(new TransportDescription.Fingerprint("sha-256", "AB:".repeat(31) + "AB", SetupRole.ACTIVE)),
                List.of(new TransportDescription.Candidate("1", 1, "udp", 2122260223L, "127.0.0.1", 9, "host")), true);
    }

    @Test
    void createAnswersWithTheBridgesTransportAndSources() throws Exception {
        ConferenceReply reply = bridge.apply(request(M, true, create("a"), create("b")));

        assertEquals(2, reply.endpoints().size());
        TransportDescription t = reply.endpoints().get(0).transport();
        assertNotNull(t);
        assertTrue(t.ufrag().length() >= 4 && t.pwd().length() >= 22);
        assertEquals("sha-256", t.fingerprints().get(0).hash());
        assertEquals(SetupRole.ACTPASS, t.fingerprints().get(0).setup());
        assertEquals(1, t.candidates().size());
        assertEquals("127.0.0.1", t.candidates().get(0).ip());
        assertEquals(port, t.candidates().get(0).port());
        assertEquals("host", t.candidates().get(0).type());
        assertEquals("udp", t.candidates().get(0).protocol());
        assertTrue(t.rtcpMux());
        assertEquals(t.fingerprints(), reply.endpoints().get(1).transport().fingerprints(), "one certificate per bridge");
        assertFalse(t.ufrag().equals(reply.endpoints().get(1).transport().ufrag()));
        assertEquals(List.of(MediaType.AUDIO, MediaType.VIDEO),
                reply.bridgeSources().stream().map(MediaSource::type).collect(Collectors.toList()));
        assertEquals(bridge.feedbackSsrc() & 0xFFFFFFFFL, reply.bridgeSources().get(1).ssrcs().get(0).ssrc());

        assertEquals(1, bridge.stats().conferences());
        assertEquals(2, bridge.stats().endpoints());
        assertTrue(bridge.stats().healthy());

        ConferenceReply updated = bridge.apply(request(M, false, sources("a", 1001, 2001)));
        assertNull(updated.endpoints().get(0).transport(), "transport only on create");
        assertEquals("a", bridge.conference(M).stream(2001).owner.id);
        assertEquals(2, bridge.conferenceStats(M).endpoints().size());
    }

    @Test
    void badAndUnknownRequestsAreRefusedWithoutChangingAnything() throws Exception {
        assertThrows(BridgeException.NotFound.class, () -> bridge.apply(request(new MeetingId("nope"), false, create("a"))));
        assertThrows(BridgeException.BadRequest.class, () -> bridge.apply(request(null, true)));
        assertThrows(BridgeException.NotFound.class, () -> bridge.conferenceStats(new MeetingId("nope")));

        EndpointRequest withSources = sources("a", 1001);
        bridge.apply(request(M, true, EndpointRequest.creating("a").statsId("a").sources(withSources.sources()).build()));
        bridge.apply(request(M, false, create("b")));
        assertThrows(BridgeException.BadRequest.class, () -> bridge.apply(request(M, true, create("c"))),
                "conference exists");
        assertThrows(BridgeException.BadRequest.class, () -> bridge.apply(request(M, false, create("a"))));
        assertThrows(BridgeException.NotFound.class, () -> bridge.apply(request(M, false, sources("zz", 5))));
        assertThrows(BridgeException.BadRequest.class, () -> bridge.apply(request(M, false, create("c"), create("c"))));
        // b may not claim a's SSRC; c, in the same request, must then not be created either.
        assertThrows(BridgeException.BadRequest.class,
                () -> bridge.apply(request(M, false, create("c"), sources("b", 1001))));
        assertNull(bridge.conference(M).endpoint("c"));
        assertEquals("a", bridge.conference(M).stream(1001).owner.id);
        TransportDescription noFingerprint = new TransportDescription("abcd", "remotepasswordremotepassword",
                List.of(), List.of(), true);
        assertThrows(BridgeException.BadRequest.class, () -> bridge.apply(request(M, false, remote("b", noFingerprint))));
        TransportDescription passive = new TransportDescription("abcd", "remotepasswordremotepassword",
                List.of(new TransportDescription.Fingerprint("sha-256", "AB", SetupRole.PASSIVE)), List.of(), true);
        assertThrows(BridgeException.BadRequest.class, () -> bridge.apply(request(M, false, remote("b", passive))));
        // An offer's actpass is not a role: Jitsi Videobridge takes none then, so neither bridge accepts it.
        TransportDescription actpass = new TransportDescription("abcd", "remotepasswordremotepassword",
                List.of(new TransportDescription.Fingerprint("sha-256", "AB", SetupRole.ACTPASS)), List.of(), true);
        BridgeException.BadRequest refused = assertThrows(BridgeException.BadRequest.class,
                () -> bridge.apply(request(M, false, remote("b", actpass))));
        assertTrue(refused.getMessage().contains("actpass is not a DTLS role"), refused.getMessage());

        // A create that fails leaves no empty conference behind.
        assertThrows(BridgeException.BadRequest.class, () -> bridge.apply(request(new MeetingId("n"), true, create("x"), create("x"))));
        assertNull(bridge.conference(new MeetingId("n")));
        assertEquals(1, bridge.stats().conferences());
    }

    @Test
    void expiringFreesTransportsAndTheLastEndpointTakesTheConference() throws Exception {
        bridge.apply(request(M, true, create("a"), create("b")));
        bridge.apply(request(M, false, remote("a", browser("ufraga")), remote("b", browser("ufragb"))));
        TransportLink a = bridge.conference(M).endpoint("a").transport();
        TransportLink b = bridge.conference(M).endpoint("b").transport();
        assertFalse(threadsContaining(a.transportId()).isEmpty(), "the DTLS server waits for its client");
        // The same remote transport again is harmless; another would be an ICE restart.
        bridge.apply(request(M, false, remote("a", browser("ufraga"))));
        assertThrows(BridgeException.BadRequest.class, () -> bridge.apply(request(M, false, remote("a", browser("other")))));

        ConferenceReply reply = bridge.apply(request(M, false, expire("a")));
        assertTrue(reply.endpoints().get(0).expired());
        assertEquals(IceProcessingState.TERMINATED, a.iceState());
        assertNull(bridge.conference(M).endpoint("a"));
        assertEquals(1, bridge.stats().endpoints());

        bridge.apply(request(M, false, expire("b")));
        assertEquals(IceProcessingState.TERMINATED, b.iceState());
        assertNull(bridge.conference(M), "a conference ends with its last endpoint");
        assertThrows(BridgeException.NotFound.class, () -> bridge.apply(request(M, false, create("c"))));
        awaitNoThreads(a.transportId());
        awaitNoThreads(b.transportId());
    }

    @Test
    void expireRequestAndExpireCallFreeTheWholeConference() throws Exception {
        bridge.apply(request(M, true, create("a")));
        TransportLink a = bridge.conference(M).endpoint("a").transport();
        ConferenceReply reply = bridge.apply(ConferenceRequest.expiring(M));
        assertTrue(reply.endpoints().isEmpty());
        assertNull(bridge.conference(M));
        assertEquals(IceProcessingState.TERMINATED, a.iceState());
        bridge.expire(M); // unknown now: no-op
        bridge.expire(new MeetingId("never"));
    }

    @Test
    void endpointsThatStaySilentOrFailAreExpiredByTheHousekeeper() throws Exception {
        bridge.apply(request(M, true, create("a"), create("b")));
        bridge.apply(request(M, false, remote("a", browser("ufraga"))));
        TransportLink a = bridge.conference(M).endpoint("a").transport();

        now.addAndGet(Duration.ofSeconds(9).toNanos());
        bridge.housekeep();
        assertEquals(2, bridge.stats().endpoints());

        // b sends something (as its transport would after decrypting it), a stays silent.
        byte[] rr = Packets.receiverReport(5, 6, 0, 0, 0);
        bridge.conference(M).endpoint("b").receiver.onRtcp(rr, 0, rr.length);
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        bridge.housekeep();
        assertNull(bridge.conference(M).endpoint("a"));
        assertNotNull(bridge.conference(M).endpoint("b"));
        assertEquals(IceProcessingState.TERMINATED, a.iceState());

        now.addAndGet(Duration.ofSeconds(11).toNanos());
        bridge.housekeep();
        assertNull(bridge.conference(M), "b went silent too, and the empty conference went with it");
        assertEquals(0, bridge.stats().conferences());
        assertTrue(bridge.stats().packetsIn() >= 1, "totals keep expired endpoints' packets");
    }

    @Test
    void closeFreesThePortAndRefusesRequests() throws Exception {
        bridge.apply(request(M, true, create("a")));
        bridge.close();
        assertThrows(BridgeException.Unavailable.class, () -> bridge.apply(request(new MeetingId("x"), true)));
        assertFalse(bridge.stats().healthy());
        // ice4j's reader thread lets go of the socket as it exits, a moment after close() returns.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
            try (DatagramSocket rebound = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
                return rebound.getLocalPort() == port;
            }
        });
    }

    @Test
    void concurrentRequestsOnOneConferenceAllLand() throws Exception {
        bridge.apply(request(M, true));
        int threads = 6;
        int perThread = 5;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * 100;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String id = "e" + (base + i);
                        bridge.apply(request(M, false, create(id)));
                        bridge.apply(request(M, false, sources(id, 10_000 + base + i)));
                        bridge.stats();
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * perThread, bridge.stats().endpoints());
        assertEquals("e" + 304, bridge.conference(M).stream(10_304).owner.id);
        bridge.expire(M);
        assertEquals(0, bridge.stats().endpoints());
    }

    private static List<String> threadsContaining(String part) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.contains(part)).collect(Collectors.toList());
    }

    private static void awaitNoThreads(String part) {
        await().atMost(Duration.ofSeconds(5)).until(() -> threadsContaining(part), List::isEmpty);
    }
}
