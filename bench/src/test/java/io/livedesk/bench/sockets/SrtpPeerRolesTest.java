package io.livedesk.bench.sockets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.livedesk.media.api.SetupRole;
import io.livedesk.testkit.peer.SyntheticPeer.DtlsRole;
import io.livedesk.testkit.peer.SyntheticPeer.IceRole;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.HdrHistogram.Recorder;
import org.junit.jupiter.api.Test;

/**
 * Two synthetic endpoints connected to each other over loopback in the roles Janus gives them (no server in
 * between): full ICE with one side controlled, DTLS with either side the server, SRTP keys the right way round,
 * and the receiver's checks.
 */
class SrtpPeerRolesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final long SSRC = 0x12345678L;

    @Test
    void controllingDtlsServerSendsToControlledDtlsClient() throws Exception {
        exchange(IceRole.CONTROLLING, DtlsRole.SERVER, IceRole.CONTROLLED, DtlsRole.CLIENT);
    }

    @Test
    void controllingDtlsClientSendsToControlledDtlsServer() throws Exception {
        exchange(IceRole.CONTROLLING, DtlsRole.CLIENT, IceRole.CONTROLLED, DtlsRole.SERVER);
    }

    @Test
    void controllingPeersAsWithTheLiveDeskBridge() throws Exception {
        exchange(IceRole.CONTROLLING, DtlsRole.CLIENT, IceRole.CONTROLLING, DtlsRole.SERVER);
    }

    private static void exchange(IceRole senderIce, DtlsRole senderDtls, IceRole receiverIce, DtlsRole receiverDtls)
            throws Exception {
        Recorder latency = new Recorder(3);
        try (SrtpPeer sender = new SrtpPeer("sender", latency); SrtpPeer receiver = new SrtpPeer("receiver", latency)) {
            receiver.expect(SSRC, SSRC, SrtpPeer.VIDEO_PT);
            CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
                try {
                    receiver.connect(sender.local(setup(senderDtls)), receiverIce, receiverDtls, TIMEOUT);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            sender.connect(receiver.local(setup(receiverDtls)), senderIce, senderDtls, TIMEOUT);
            other.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            for (int i = 0; i < 50; i++) {
                sender.send(SSRC, i % 10 == 9);
            }
            awaitCount(receiver::received, 50);
            sender.send(SSRC + 1, false);
            awaitCount(receiver::bad, 1);

            assertEquals(50, receiver.received());
            assertEquals("unexpected SSRC " + (SSRC + 1), receiver.firstBadReason());
            assertNull(sender.firstBadReason());
            assertEquals(50, latency.getIntervalHistogram().getTotalCount());
        }
    }

    private static SetupRole setup(DtlsRole role) {
        return role == DtlsRole.CLIENT ? SetupRole.ACTIVE : SetupRole.PASSIVE;
    }

    /** Loopback delivery is asynchronous: awaits the count, then checks no more arrived. */
    private static void awaitCount(LongSupplier counter, long expected) {
        org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> counter.getAsLong() >= expected);
        assertEquals(expected, counter.getAsLong());
    }
}
