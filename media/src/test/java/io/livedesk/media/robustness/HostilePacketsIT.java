package io.livedesk.media.robustness;

import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.ConferenceStats;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.EndpointStats;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.bridge.BridgeConfig;
import io.livedesk.media.bridge.LocalBridge;
import io.livedesk.media.server.BridgeMetrics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two synthetic endpoints (real ICE, DTLS and SRTP over loopback UDP) keep media flowing through one
 * conference while a hostile socket floods the bridge's one UDP port with junk, and the first endpoint's
 * own address is spoofed with forged and replayed SRTP. The bridge must keep forwarding, stay healthy,
 * lose no thread, and count what it can attribute: SRTP drops per endpoint, unknown-ufrag STUN bridge-wide.
 */
@Timeout(120)
class HostilePacketsIT {
    private static final Logger log = LoggerFactory.getLogger(HostilePacketsIT.class);
    private static final MeetingId MEETING = new MeetingId("hostile-meeting");
    private static final long SSRC_A = 1001;
    private static final long SSRC_B = 2001;
    private static final int ROUNDS = 400;

    /** On ice4j's port and on the bridge's own Netty port (ICE-lite, batched I/O). */
    @ParameterizedTest(name = "bridge.io = {0}")
    @ValueSource(strings = {"ice4j", "netty"})
    void junkOnTheMediaPortLeavesOtherEndpointsUnaffected(String io) throws Exception {
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        try (LocalBridge bridge = new LocalBridge(
                BridgeConfig.defaults("127.0.0.1", freeUdpPort()).withId("hostile-it").withWarmUpSrtp(false).withIo(io));
             SyntheticEndpoint a = new SyntheticEndpoint("a");
             SyntheticEndpoint b = new SyntheticEndpoint("b");
             DatagramSocket hostile = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            ConferenceReply reply = bridge.apply(ConferenceRequest.creating(MEETING).name("hostile@livedesk.internal")
                    .endpoint(endpoint("a", a, SSRC_A)).endpoint(endpoint("b", b, SSRC_B)).build());
            a.connect(reply.endpoints().get(0).transport(), Duration.ofSeconds(15));
            b.connect(reply.endpoints().get(1).transport(), Duration.ofSeconds(15));

            AtomicReference<Throwable> flowFailure = new AtomicReference<>();
            Flow flow = new Flow(a, b, flowFailure);
            flow.start();
            try {
                await("media flows both ways", () -> a.rtpReceived() > 20 && b.rtpReceived() > 20);
                Set<String> bridgeThreads = threadNames("127.0.0.1:" + bridge.port(), "hostile-it", "ld-media-io");
                long bBefore = b.rtpReceived();
                long aBefore = a.rtpReceived();
                long unattributedBefore = bridge.unattributedDrops();

                Attack attack = new Attack(hostile, new InetSocketAddress("127.0.0.1", bridge.port()), a);
                attack.run(ROUNDS);
                log.info("sent {} hostile datagrams ({} from the hostile socket, {} spoofed as endpoint a)",
                        attack.fromHostile + attack.spoofed, attack.fromHostile, attack.spoofed);

                // Media keeps flowing after (and despite) the junk.
                long bMid = b.rtpReceived();
                long aMid = a.rtpReceived();
                await("media still flows after the attack", () -> b.rtpReceived() > bMid + 30 && a.rtpReceived() > aMid + 30);
                assertTrue(bMid > bBefore && aMid > aBefore, "media flowed during the attack");

                // Counted by reason where the bridge can tell whose they are.
                await("drops counted", () -> dropped(bridge, "a", "srtp-auth-failed") >= attack.forged / 2
                        && dropped(bridge, "a", "srtp-replay") >= attack.replayed / 2
                        && bridge.unattributedDrops() - unattributedBefore >= attack.unknownUfrag / 2);
                ConferenceStats stats = bridge.conferenceStats(MEETING);
                log.info("after the attack: {}; unattributed {}", stats.endpoints().stream()
                        .map(e -> e.id() + " in=" + e.packetsIn() + " out=" + e.packetsOut() + " dropped=" + e.dropped())
                        .collect(Collectors.joining("; ")), bridge.unattributedDrops());
                assertEquals(2, stats.endpointCount());
                for (EndpointStats e : stats.endpoints()) {
                    assertTrue(e.connected(), e.id() + " still connected");
                }
                EndpointStats bStats = endpointStats(bridge, "b");
                assertTrue(bStats.dropped().getOrDefault("srtp-auth-failed", 0L) == 0,
                        "nothing aimed at b is counted against b: " + bStats.dropped());
                assertTrue(bridge.stats().healthy() && !bridge.stats().shuttingDown());
                String metrics = new BridgeMetrics(bridge).scrape();
                for (String expected : List.of(
                        "livedesk_bridge_endpoint_dropped_total{bridge=\"hostile-it\",cause=\"srtp-auth-failed\",conference=\""
                                + MEETING + "\",endpoint=\"a\"}",
                        "livedesk_bridge_endpoint_dropped_total{bridge=\"hostile-it\",cause=\"srtp-replay\",conference=\""
                                + MEETING + "\",endpoint=\"a\"}",
                        "livedesk_bridge_unattributed_dropped_total{bridge=\"hostile-it\",cause=\"unknown-ufrag\"}")) {
                    assertTrue(metrics.contains(expected), "metrics lack " + expected + ":\n" + metrics);
                }
                assertFalse(bridgeThreads.isEmpty());
                assertEquals(bridgeThreads, threadNames("127.0.0.1:" + bridge.port(), "hostile-it", "ld-media-io"),
                        "the port's receive thread and the housekeeper are alive");
            } finally {
                flow.stop();
            }
            assertNull(flowFailure.get(), () -> "legit flow failed: " + flowFailure.get());
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
        assertEquals(List.of(), uncaught, "no exception escaped into any thread");
    }

    private static EndpointRequest endpoint(String id, SyntheticEndpoint e, long ssrc) {
        // The browser offers ICE-controlling here; the bridge is controlled.
        return EndpointRequest.creating(id).statsId(id).remoteTransport(e.description())
                .sources(List.of(new MediaSource(MediaType.AUDIO, id + "-a0",
                        List.of(new MediaSource.Ssrc(ssrc, id + "-a0")), List.of())))
                .build();
    }

    private static long dropped(LocalBridge bridge, String endpoint, String cause) {
        return endpointStats(bridge, endpoint).dropped().getOrDefault(cause, 0L);
    }

    private static EndpointStats endpointStats(LocalBridge bridge, String endpoint) {
        try {
            return bridge.conferenceStats(MEETING).endpoints().stream().filter(e -> e.id().equals(endpoint))
                    .findFirst().orElseThrow();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Set<String> threadNames(String... parts) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> List.of(parts).stream().anyMatch(n::contains)).collect(Collectors.toSet());
    }

    private static void await(String what, BooleanSupplier condition) {
        org.awaitility.Awaitility.await(what).atMost(java.time.Duration.ofSeconds(15))
                .pollInterval(java.time.Duration.ofMillis(50)).until(condition::getAsBoolean);
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** Both endpoints send one audio packet every 10 ms until stopped. */
    private static final class Flow {
        private final Thread thread;
        private volatile boolean running = true;

        Flow(SyntheticEndpoint a, SyntheticEndpoint b, AtomicReference<Throwable> failure) {
            thread = new Thread(() -> {
                while (running) {
                    try {
                        a.sendRtp(SSRC_A);
                        b.sendRtp(SSRC_B);
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                        return;
                    }
                }
            }, "hostile-it-legit-flow");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(2000);
        }
    }

    /** Junk of every kind, bounded: {@code rounds} of each, paced so the kernel drops little. */
    private static final class Attack {
        private final DatagramSocket socket;
        private final InetSocketAddress bridge;
        private final SyntheticEndpoint victim;
        private final Random random = new Random(7);
        private final List<byte[]> sentByVictim = new ArrayList<>();
        int fromHostile;
        int spoofed;
        int unknownUfrag;
        int forged;
        int replayed;

        Attack(DatagramSocket socket, InetSocketAddress bridge, SyntheticEndpoint victim) {
            this.socket = socket;
            this.bridge = bridge;
            this.victim = victim;
        }

        void run(int rounds) throws Exception {
            for (int i = 0; i < rounds; i++) {
                hostile(randomBytes(1 + random.nextInt(1500)));
                hostile(truncated(0x80, 96, 1 + random.nextInt(11)));                 // RTP shorter than its header
                hostile(truncated(0x81, 200, 1 + random.nextInt(7)));                 // RTCP shorter than its header
                hostile(stunBindingRequest("nobody" + i + ":x" + random.nextInt()));
                unknownUfrag++;
                hostile(dtlsJunk());
                hostile(srtpLooking(20 + random.nextInt(200)));
                if (i % 20 == 0) {
                    hostile(randomBytes(9000 + random.nextInt(50_000)));               // oversized
                }
                // Spoofed as the victim's own address: what only per-endpoint counters can see.
                byte[] good = victim.protectRtp(SSRC_A);
                byte[] bad = good.clone();
                bad[bad.length - 1] ^= 0x5A;                                          // broken auth tag
                victim.sendRaw(bad);
                forged++;
                spoofed++;
                if (i % 2 == 0) {
                    victim.sendRaw(good);
                    spoofed++;
                    sentByVictim.add(good);
                    if (sentByVictim.size() > 1) {
                        victim.sendRaw(sentByVictim.get(random.nextInt(sentByVictim.size() - 1)));   // replay
                        replayed++;
                        spoofed++;
                    }
                }
                if (i % 10 == 0) {
                    victim.sendRaw(dtlsJunk());                                       // DTLS junk after the handshake
                    victim.sendRaw(randomBytes(20_000));                              // oversized, from a known address
                    victim.sendRaw(srtpLooking(40));                                  // SRTCP-looking junk
                    spoofed += 3;
                }
                if (i % 25 == 24) {
                    Thread.sleep(5);
                }
            }
        }

        private void hostile(byte[] datagram) throws IOException {
            socket.send(new DatagramPacket(datagram, datagram.length, bridge));
            fromHostile++;
        }

        private byte[] randomBytes(int n) {
            byte[] b = new byte[n];
            random.nextBytes(b);
            return b;
        }

        private byte[] truncated(int first, int second, int length) {
            byte[] b = randomBytes(length);
            b[0] = (byte) first;
            if (length > 1) {
                b[1] = (byte) second;
            }
            return b;
        }

        private byte[] dtlsJunk() {
            byte[] b = randomBytes(13 + random.nextInt(300));
            b[0] = (byte) (20 + random.nextInt(4));                                  // a DTLS content type
            b[1] = (byte) 0xFE;
            b[2] = (byte) 0xFD;
            return b;
        }

        private byte[] srtpLooking(int length) {
            byte[] b = randomBytes(Math.max(length, 12));
            b[0] = (byte) 0x80;
            b[1] = (byte) (random.nextBoolean() ? 111 : 200);
            return b;
        }

        /** A well-formed STUN Binding Request (USERNAME, junk MESSAGE-INTEGRITY) for a ufrag nobody has. */
        private byte[] stunBindingRequest(String username) {
            byte[] user = username.getBytes(StandardCharsets.US_ASCII);
            int userPadded = (user.length + 3) / 4 * 4;
            ByteBuffer m = ByteBuffer.allocate(20 + 4 + userPadded + 4 + 20);
            m.putShort((short) 0x0001).putShort((short) (4 + userPadded + 4 + 20)).putInt(0x2112A442)
                    .put(randomBytes(12));
            m.putShort((short) 0x0006).putShort((short) user.length).put(user);
            m.position(m.position() + userPadded - user.length);
            m.putShort((short) 0x0008).putShort((short) 20).put(randomBytes(20));
            return m.array();
        }
    }
}
