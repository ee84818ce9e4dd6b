package io.livedesk.media.robustness;

import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.TransportDescription;
import io.livedesk.media.colibri.Colibri2Client;
import io.livedesk.media.server.BridgeNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bridge node behind a (pretend) NAT, driven over real Colibri2 HTTP: its media port binds the wildcard
 * address, browsers are told the public address first and loopback second, and a synthetic browser doing
 * real ICE, DTLS and SRTP over the loopback candidate gets media through. 203.0.113.7 is a documentation
 * address (TEST-NET-3): it is only advertised, never sent to.
 */
@Timeout(60)
class PublicAddressIT {
    private static final String PUBLIC = "203.0.113.7";
    private static final MeetingId MEETING = new MeetingId("nat-meeting");
    private static final long SSRC_A = 3001;
    private static final long SSRC_B = 4001;

    @Test
    void bindsTheWildcardAdvertisesThePublicAddressAndLoopbackStillConnects() throws Exception {
        int mediaPort = freeUdpPort();
        BridgeNode.Settings settings = new BridgeNode.Settings("nat-it", "0.0.0.0", mediaPort, "127.0.0.1", 0, 2,
                Duration.ofSeconds(30), false, "test", List.of(PUBLIC, "127.0.0.1"));
        try (BridgeNode node = BridgeNode.start(settings);
             Colibri2Client client = new Colibri2Client("nat-it", Colibri2Client.Options.of(
                     URI.create("http://127.0.0.1:" + node.httpAddress().getPort())));
             SyntheticEndpoint a = new SyntheticEndpoint("nat-a");
             SyntheticEndpoint b = new SyntheticEndpoint("nat-b")) {
            assertEquals("0.0.0.0", node.bridge().address(), "the socket binds the local (wildcard) address");
            assertEquals(mediaPort, node.bridge().port());

            ConferenceReply reply = client.apply(ConferenceRequest.creating(MEETING).name("nat@livedesk.internal")
                    .endpoint(endpoint("a", a, SSRC_A)).endpoint(endpoint("b", b, SSRC_B)).build());
            TransportDescription ta = reply.endpoints().get(0).transport();
            TransportDescription tb = reply.endpoints().get(1).transport();
            for (TransportDescription t : List.of(ta, tb)) {
                List<TransportDescription.Candidate> c = t.candidates();
                assertEquals(2, c.size(), c.toString());
                assertEquals(PUBLIC, c.get(0).ip(), "public address first: " + c);
                assertEquals("127.0.0.1", c.get(1).ip(), c.toString());
                for (TransportDescription.Candidate one : c) {
                    assertEquals(mediaPort, one.port(), c.toString());
                    assertEquals("host", one.type(), c.toString());
                }
                assertTrue(c.get(0).priority() > c.get(1).priority(), "the public address is preferred: " + c);
                assertTrue(!c.get(0).foundation().equals(c.get(1).foundation()), "distinct foundations: " + c);
            }

            a.connect(loopbackOnly(ta), Duration.ofSeconds(15));
            b.connect(loopbackOnly(tb), Duration.ofSeconds(15));
            Awaitility.await("audio from a reaches b through the wildcard-bound port")
                    .atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        a.sendRtp(SSRC_A);
                        return b.rtpReceived() >= 3;
                    });
            assertEquals(2, client.conferenceStats(MEETING).endpointCount());
            client.expire(MEETING);
        }
    }

    /** Only the loopback candidate: this test never sends to the advertised public address. */
    private static TransportDescription loopbackOnly(TransportDescription t) {
        return new TransportDescription(t.ufrag(), t.pwd(), t.fingerprints(),
                t.candidates().stream().filter(c -> c.ip().equals("127.0.0.1")).toList(), t.rtcpMux(), t.iceLite());
    }

    private static EndpointRequest endpoint(String id, SyntheticEndpoint e, long ssrc) {
        // The browser offers ICE-controlling here; the bridge is controlled.
        return EndpointRequest.creating(id).statsId(id).remoteTransport(e.description())
                .sources(List.of(new MediaSource(MediaType.AUDIO, id + "-a0",
                        List.of(new MediaSource.Ssrc(ssrc, id + "-a0")), List.of())))
                .build();
    }

    /** Free on every interface, since the bridge binds the wildcard address. */
    private static int freeUdpPort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(0))) {
            return probe.getLocalPort();
        }
    }
}
