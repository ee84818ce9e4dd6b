package io.livedesk.media.robustness;

import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.HeaderExtension;
import io.livedesk.media.api.Media;
import io.livedesk.media.api.PayloadType;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.SetupRole;
import io.livedesk.media.api.TransportDescription;
import io.livedesk.media.bridge.BridgeConfig;
import io.livedesk.media.bridge.EndpointRetention;
import io.livedesk.media.bridge.LocalBridge;
import io.livedesk.media.sdp.Extmap;
import io.livedesk.media.server.BridgeMetrics;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hundreds of allocate/expire cycles on one bridge, each endpoint with its transport started (ICE checks
 * toward a dead loopback port, the DTLS server waiting for a ClientHello) and transport-cc negotiated (so each
 * carries its send-side estimator, some 45 kB): afterwards threads, file descriptors, registered ICE ufrags,
 * conferences and the metrics' per-endpoint series are back where they were after warm-up, every expired endpoint
 * (and its receiver, link and transport) has been collected, and heap after GC has not grown between the first and
 * the last third.
 *
 * <p>The collection check is the direct one: weak references to each endpoint taken while it was live must be
 * cleared within {@link #COLLECTED_WITHIN} of a GC after its expiry. It caught ice4j's hold on expired endpoints
 * (a freed agent's {@code Component} stays in ice4j's static scheduler for 5 s or more, and for good when a pace maker
 * was cancelled while running, and its buffer callback was the endpoint's transport); the heap bound alone only
 * showed it once endpoints carried enough state. ice4j's own freed agents still linger for those seconds, without
 * anything of the bridge: the heap bound absorbs that.
 */
@Timeout(90)
class AllocateExpireLeakIT {
    private static final Logger log = LoggerFactory.getLogger(AllocateExpireLeakIT.class);
    private static final int WARM_UP = 30;
    private static final int CYCLES = 600;
    private static final int ENDPOINTS = 2;
    private static final int THREAD_TOLERANCE = 4;
    private static final int FD_TOLERANCE = 8;
    private static final long HEAP_GROWTH_BOUND = 24L * 1024 * 1024;
    /**
     * An expired endpoint is unreachable once {@code expire} returns; what may still run for it briefly (its DTLS
     * thread noticing the close) holds none of it. Well under ice4j's 5 s check-list timer, which held them before.
     */
    private static final Duration COLLECTED_WITHIN = Duration.ofSeconds(2);
    private static final int TRANSPORT_CC_ID = 3;
    /** ice4j's documented process-wide pools (Agent executor/timer, STUN transactions): shared, not ours. */
    private static final String ICE4J_SHARED_POOL = "ice4j.";
    /** Those pools are cached pools; a leak would show as growth with the cycle count, far beyond this. */
    private static final int ICE4J_POOL_BOUND = 48;

    /** On ice4j's port and on the bridge's own Netty port (ICE-lite, batched I/O). */
    @ParameterizedTest(name = "bridge.io = {0}")
    @ValueSource(strings = {"ice4j", "netty"})
    void allocateExpireCyclesLeaveNothingBehind(String io) throws Exception {
        int deadPort = freeUdpPort();
        try (LocalBridge bridge = new LocalBridge(
                BridgeConfig.defaults("127.0.0.1", freeUdpPort()).withId("leak-it").withWarmUpSrtp(false).withIo(io))) {
            BridgeMetrics metrics = new BridgeMetrics(bridge);
            EndpointRetention retention = new EndpointRetention();
            for (int i = 0; i < WARM_UP; i++) {
                cycle(bridge, new MeetingId("warm-" + i), deadPort, i % 2 == 0, retention, metrics);
            }
            awaitQuiet(bridge);
            assertCollected(retention, "after warm-up");
            int baseThreads = settledThreads(Integer.MAX_VALUE);
            long baseFds = openFds();
            List<Long> heapAfterThird = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < CYCLES; i++) {
                cycle(bridge, new MeetingId("cycle-" + i), deadPort, i % 2 == 0, retention, metrics);
                if ((i + 1) % (CYCLES / 3) == 0) {
                    assertCollected(retention, "after " + (i + 1) + " cycles");
                    heapAfterThird.add(usedHeapAfterGc());
                }
            }
            log.info("{} cycles of {} endpoints in {} ms", CYCLES, ENDPOINTS, (System.nanoTime() - started) / 1_000_000);

            awaitQuiet(bridge);
            assertCollected(retention, "after all cycles");
            log.info("{} endpoint objects tracked (endpoint, receiver, link, transport), all collected",
                    retention.tracked());
            String scrape = metrics.scrape();
            assertTrue(scrape.lines().noneMatch(l -> l.contains("endpoint=\"") || l.contains("conference=\"")),
                    "per-endpoint or per-conference series of expired endpoints still scraped:\n"
                            + scrape.lines().filter(l -> l.contains("endpoint=\"") || l.contains("conference=\""))
                            .limit(5).toList());
            int threads = settledThreads(baseThreads + THREAD_TOLERANCE);
            long fds = openFds();
            long heapGrowth = heapAfterThird.get(2) - heapAfterThird.get(0);
            log.info("threads {} -> {}, fds {} -> {}, heap after thirds {}", baseThreads, threads, baseFds, fds,
                    heapAfterThird);
            assertTrue(threads <= baseThreads + THREAD_TOLERANCE,
                    "threads " + baseThreads + " -> " + threads + ":\n" + threadNames());
            long ice4jPool = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith(ICE4J_SHARED_POOL)).count();
            assertTrue(ice4jPool <= ICE4J_POOL_BOUND, "ice4j's shared pools hold " + ice4jPool + " threads");
            assertTrue(fds <= baseFds + FD_TOLERANCE, "open fds " + baseFds + " -> " + fds);
            assertTrue(heapGrowth < HEAP_GROWTH_BOUND,
                    "heap grew " + heapGrowth / 1024 + " KiB between the first and last third: " + heapAfterThird);
            assertEquals(0, bridge.stats().conferences());
            assertEquals(0, bridge.stats().endpoints());
            assertTrue(bridge.meetingIds().isEmpty());
            assertTrue(bridge.stats().healthy());
        }
        // Closing the bridge stops its threads; they finish their last turn on their own.
        await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().contains("leak-it")));
    }

    /**
     * One conference with started endpoints, tracked and scraped (so each has its per-endpoint meters) while live,
     * then gone: one by one, or the whole conference at once.
     */
    private static void cycle(LocalBridge bridge, MeetingId meeting, int deadPort, boolean endpointByEndpoint,
                              EndpointRetention retention, BridgeMetrics metrics) throws BridgeException {
        List<EndpointRequest> create = new ArrayList<>();
        for (int e = 0; e < ENDPOINTS; e++) {
            String id = "ep" + e;
            long ssrc = 1000L + e;
            create.add(EndpointRequest.creating(id).statsId(id).remoteTransport(remote(deadPort, meeting.value() + e))
                    .medias(List.of(new Media(MediaType.AUDIO,
                            List.of(new PayloadType(111, "opus", 48000, 2, Map.of(), List.of())),
                            List.of(new HeaderExtension(TRANSPORT_CC_ID, Extmap.TRANSPORT_WIDE_CC)))))
                    .sources(List.of(new MediaSource(MediaType.AUDIO, id + "-a0",
                            List.of(new MediaSource.Ssrc(ssrc, id + "-a0")), List.of())))
                    .build());
        }
        bridge.apply(ConferenceRequest.creating(meeting).name(meeting.value()).endpoints(create).build());
        retention.track(bridge, meeting);
        metrics.scrape();
        if (endpointByEndpoint) {
            for (int e = 0; e < ENDPOINTS; e++) {
                bridge.apply(ConferenceRequest.modifying(meeting).endpoint(EndpointRequest.expiring("ep" + e)).build());
            }
        } else {
            bridge.expire(meeting);
        }
    }

    private static TransportDescription remote(int deadPort, String seed) {
        StringBuilder fp = new StringBuilder();
        int h = seed.hashCode();
        for (int i = 0; i < 32; i++) {
            fp.append(i == 0 ? "" : ":").append(String.format("%02X", (h >>> (i % 4 * 8)) & 0xFF));
        }
        return new TransportDescription("u" + Integer.toHexString(h), "pwd-" + Integer.toHexString(h) + "-0123456789ab",
                List.of(new TransportDescription.Fingerprint("sha-256", fp.toString(), SetupRole.ACTIVE)),
                List.of(new TransportDescription.Candidate("1", 1, "udp", 2130706431L, "127.0.0.1", deadPort, "host")),
                true);
    }

    /**
     * Every endpoint tracked so far, expired by now, is collected within {@link #COLLECTED_WITHIN}: each poll runs a
     * GC, so a reference not cleared is one something still reaches.
     */
    private static void assertCollected(EndpointRetention retention, String when) {
        try {
            await().atMost(COLLECTED_WITHIN).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        System.gc();
                        return retention.live().isEmpty();
                    });
        } catch (ConditionTimeoutException e) {
            fail(when + ": expired endpoints still reachable " + COLLECTED_WITHIN.toMillis() + " ms and GCs later: "
                    + retention.liveSummary());
        }
        retention.forgetCollected();
    }

    private static void awaitQuiet(LocalBridge bridge) throws InterruptedException {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> bridge.registeredUfrags().isEmpty());
        assertEquals(List.of(), List.copyOf(bridge.registeredUfrags()), "ufrags still routed by the shared port");
    }

    /** The live thread count once it stops falling (ice4j and DTLS threads end asynchronously). */
    private static int settledThreads(int target) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        int last = Integer.MAX_VALUE;
        int stable = 0;
        while (System.nanoTime() < deadline) {
            int now = ownThreads();
            if (now <= target && now >= last) {
                stable++;
                if (stable >= 5) {
                    return now;
                }
            } else {
                stable = 0;
            }
            last = now;
            Thread.sleep(200);
        }
        return last;
    }

    /** Live threads other than ice4j's shared static pools (whose idle threads linger for a minute). */
    private static int ownThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.getName().startsWith(ICE4J_SHARED_POOL)).count();
    }

    private static long openFds() throws IOException {
        Path fd = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fd)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(fd)) {
            return s.count();
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        LongSupplier used = () -> memory.getHeapMemoryUsage().getUsed();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            best = Math.min(best, used.getAsLong());
        }
        return best;
    }

    private static String threadNames() {
        StringBuilder sb = new StringBuilder();
        Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted()
                .forEach(n -> sb.append("  ").append(n).append('\n'));
        return sb.toString();
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
