package io.livedesk.media.robustness;

import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.EndpointMedia;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.MediaFlow;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.colibri.Colibri2Client;
import io.livedesk.media.server.BridgeNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bridge node tells over Colibri2 HTTP that one endpoint's media stopped while the other's flows, and that it
 * flows again when the endpoint sends again: real ICE, DTLS and SRTP from synthetic browsers on loopback, the real
 * node with a short media timeout, and the client signaling uses for remote bridges.
 */
@Timeout(60)
class MediaStopIT {
    private static final MeetingId MEETING = new MeetingId("r-media-stop");
    private static final Duration MEDIA_TIMEOUT = Duration.ofMillis(800);
    private static final long SSRC_A = 5001;
    private static final long SSRC_B = 6001;

    @Test
    void anEndpointThatStopsSendingIsReportedStoppedWithinTheTimeoutAndFlowingWhenItSendsAgain() throws Exception {
        BridgeNode.Settings settings = new BridgeNode.Settings("media-stop-it", "127.0.0.1", freeUdpPort(), "127.0.0.1",
                0, 2, Duration.ofSeconds(30), false, "test").withMediaTimeout(MEDIA_TIMEOUT);
        try (BridgeNode node = BridgeNode.start(settings);
             Colibri2Client client = new Colibri2Client("media-stop-it", Colibri2Client.Options.of(
                     URI.create("http://127.0.0.1:" + node.httpAddress().getPort())));
             SyntheticEndpoint a = new SyntheticEndpoint("stop-a");
             SyntheticEndpoint b = new SyntheticEndpoint("stop-b")) {
            ConferenceReply reply = client.apply(ConferenceRequest.creating(MEETING).name("media-stop@livedesk.internal")
                    .endpoint(endpoint("a", a, SSRC_A)).endpoint(endpoint("b", b, SSRC_B)).build());
            assertEquals(Map.of("a", MediaFlow.CONNECTING, "b", MediaFlow.CONNECTING), flows(client),
                    "nothing sent yet");
            a.connect(reply.endpoints().get(0).transport(), Duration.ofSeconds(15));
            b.connect(reply.endpoints().get(1).transport(), Duration.ofSeconds(15));

            Sender sendA = new Sender(a, SSRC_A);
            Sender sendB = new Sender(b, SSRC_B);
            try {
                await(client, Map.of("a", MediaFlow.FLOWING, "b", MediaFlow.FLOWING), Duration.ofSeconds(10));

                sendB.stop();
                long stoppedAt = System.nanoTime();
                await(client, Map.of("a", MediaFlow.FLOWING, "b", MediaFlow.STOPPED), Duration.ofSeconds(5));
                Duration noticed = Duration.ofNanos(System.nanoTime() - stoppedAt);
                assertTrue(noticed.compareTo(MEDIA_TIMEOUT.plusMillis(700)) < 0,
                        "reported within the timeout and a poll: " + noticed.toMillis() + " ms");

                sendB = new Sender(b, SSRC_B);
                await(client, Map.of("a", MediaFlow.FLOWING, "b", MediaFlow.FLOWING), Duration.ofSeconds(5));
            } finally {
                sendA.stop();
                sendB.stop();
            }
            assertNull(sendA.failure.get(), () -> "a failed to send: " + sendA.failure.get());
            assertEquals(List.of(), client.mediaStatus(List.of(new MeetingId("r-nobody"))));
            client.expire(MEETING);
        }
    }

    private static Map<String, MediaFlow> flows(Colibri2Client client) throws Exception {
        return client.mediaStatus(List.of(MEETING)).stream()
                .collect(Collectors.toMap(EndpointMedia::endpointId, EndpointMedia::flow));
    }

    private static void await(Colibri2Client client, Map<String, MediaFlow> expected, Duration atMost) {
        Awaitility.await("media status " + expected).atMost(atMost).pollInterval(Duration.ofMillis(50))
                .until(() -> flows(client).equals(expected));
    }

    private static EndpointRequest endpoint(String id, SyntheticEndpoint e, long ssrc) {
        return EndpointRequest.creating(id).statsId(id).remoteTransport(e.description())
                .sources(List.of(new MediaSource(MediaType.AUDIO, id + "-a0",
                        List.of(new MediaSource.Ssrc(ssrc, id + "-a0")), List.of())))
                .build();
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** One audio packet every 20 ms, as a browser's Opus, until stopped. */
    private static final class Sender {
        private final Thread thread;
        private volatile boolean running = true;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Sender(SyntheticEndpoint endpoint, long ssrc) {
            thread = new Thread(() -> {
                while (running) {
                    try {
                        endpoint.sendRtp(ssrc);
                        Thread.sleep(20); // the packet interval being simulated, not a wait for a condition
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                        return;
                    }
                }
            }, "media-stop-it-sender");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(2000);
        }
    }
}
