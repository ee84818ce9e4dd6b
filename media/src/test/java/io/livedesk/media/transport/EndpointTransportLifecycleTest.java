package io.livedesk.media.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.Collectors;

import org.ice4j.ice.IceProcessingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Creating, starting and closing endpoints on the shared port leaves no threads or sockets behind. */
@Timeout(60)
class EndpointTransportLifecycleTest {
    private static final MediaPacketListener IGNORE = new MediaPacketListener() {
        @Override
        public void onRtp(byte[] buf, int off, int len) {
        }

        @Override
        public void onRtcp(byte[] buf, int off, int len) {
        }
    };

    @Test
    void closedEndpointsLeaveNoDtlsThreadsAndTheHarvesterFreesItsPort() throws Exception {
        BridgeCertificate certificate = BridgeCertificate.generate();
        int portNumber;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            portNumber = probe.getLocalPort();
        }
        try (UdpTransportHarvester port = UdpTransportHarvester.open("127.0.0.1", portNumber)) {
            assertEquals(portNumber, port.port());
            for (int i = 0; i < 5; i++) {
                EndpointTransport transport = new EndpointTransport("life-" + i, port, certificate, false, IGNORE);
                List<IceCandidateInfo> local = transport.localCandidates();
                assertEquals(1, local.size(), local.toString());
                assertEquals("127.0.0.1", local.get(0).address());
                assertEquals(portNumber, local.get(0).port());
                assertEquals("host", local.get(0).type());

                transport.setRemote("remoteufrag" + i, "remotepasswordremotepassword",
                        List.of(new IceCandidateInfo("1", 1, "udp", 2122260223L, "127.0.0.1", 9, "host")),
                        new DtlsFingerprint("sha-256", certificate.sha256Fingerprint()));
                transport.start();
                assertFalse(transport.sendRtp(new byte[20], 0, 20), "no keys yet");
                assertEquals(1, transport.counters().dropped(TransportDrop.SEND_FAILED));
                transport.close();
                transport.close(); // idempotent
                assertEquals(IceProcessingState.TERMINATED, transport.iceState());
            }
            assertTrue(threadsNamed("dtls-life-").isEmpty(), threadsNamed("dtls-life-").toString());
        }
        assertTrue(threadsNamed("AbstractUdpListener thread for 127.0.0.1:" + portNumber).isEmpty());
        try (DatagramSocket rebound = new DatagramSocket(portNumber, InetAddress.getLoopbackAddress())) {
            assertEquals(portNumber, rebound.getLocalPort());
        }
    }

    /** The live threads named after the prefix, once they are gone or after 5 s, whichever comes first. */
    private static List<String> threadsNamed(String prefix) {
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .pollInterval(java.time.Duration.ofMillis(100)).until(() -> liveThreadsNamed(prefix).isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // the caller asserts on what is left
        }
        return liveThreadsNamed(prefix);
    }

    private static List<String> liveThreadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith(prefix) || n.contains(prefix))
                .collect(Collectors.toList());
    }
}
