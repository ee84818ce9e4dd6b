package io.livedesk.media.robustness;

import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.ConferenceStats;
import io.livedesk.media.api.EndpointMedia;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.EndpointStats;
import io.livedesk.media.api.MediaFlow;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.RelayRequest;
import io.livedesk.media.api.SetupRole;
import io.livedesk.media.api.TransportDescription;
import io.livedesk.media.colibri.Colibri2Client;
import io.livedesk.media.server.BridgeNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two real bridge nodes in this process, on loopback, joined by a relay that the test drives over Colibri2 exactly
 * as Jicofo drives two Jitsi Videobridges: a relay on each (A ice-controlling, B not), the transports swapped, each
 * side told the other's endpoints and sources. A synthetic WebRTC endpoint (real ICE, DTLS, SRTP) sends on A; three
 * receive on B.
 */
@Timeout(120)
class RelayIT {
    private static final MeetingId MEETING = new MeetingId("relay-it");
    private static final long ALICE_VIDEO = 7001;
    private static final long BOB_FEEDBACK = 8001;
    private static final int PACKETS = 50;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void mediaCrossesTheRelayOnceAndFeedbackComesBack() throws Exception {
        Colibri2Client a = client(node("relay-a"));
        int relayPortOfB = freeUdpPort();
        Colibri2Client b = client(node("relay-b", relayPortOfB));
        SyntheticEndpoint alice = endpoint("alice");
        List<SyntheticEndpoint> bobs = List.of(endpoint("bob0"), endpoint("bob1"), endpoint("bob2"));

        // Each bridge gets its own participants: alice sends on A, the bobs only receive on B.
        ConferenceReply onA = a.apply(ConferenceRequest.creating(MEETING).endpoint(EndpointRequest.creating("alice")
                .statsId("alice").remoteTransport(alice.description()).sources(aliceSources())).build());
        ConferenceRequest.Builder createB = ConferenceRequest.creating(MEETING);
        for (int i = 0; i < bobs.size(); i++) {
            createB.endpoint(EndpointRequest.creating("bob" + i).statsId("bob" + i)
                    .remoteTransport(bobs.get(i).description()).sources(List.of()));
        }
        ConferenceReply onB = b.apply(createB.build());

        // As Jicofo: a relay on each side named by the other's relay id, A controlling; then swap the transports.
        RelayRequest.Builder relayOnA = RelayRequest.creating("relay-b", "mesh-1", true);
        for (int i = 0; i < bobs.size(); i++) {
            relayOnA.endpoint(RelayRequest.RemoteEndpoint.creating("bob" + i, "bob" + i, List.of()));
        }
        TransportDescription aSide = relayTransport(a.apply(ConferenceRequest.modifying(MEETING).relay(relayOnA)
                .build()), "relay-b");
        TransportDescription bSide = relayTransport(b.apply(ConferenceRequest.modifying(MEETING)
                .relay(RelayRequest.creating("relay-a", "mesh-1", false)
                        .endpoint(RelayRequest.RemoteEndpoint.creating("alice", "alice", aliceSources())))
                .build()), "relay-a");
        assertEquals(SetupRole.ACTIVE, aSide.fingerprints().get(0).setup(), "the controlling side is the DTLS client");
        assertEquals(SetupRole.PASSIVE, bSide.fingerprints().get(0).setup());
        assertTrue(!aSide.iceLite() && !bSide.iceLite(), "relays run full ICE agents");
        assertEquals(List.of(relayPortOfB), bSide.candidates().stream().map(TransportDescription.Candidate::port)
                .distinct().toList(), "B's relays are on the port it was given (--relay-port)");
        a.apply(ConferenceRequest.modifying(MEETING).relay(RelayRequest.updating("relay-b").remoteTransport(bSide))
                .build());
        b.apply(ConferenceRequest.modifying(MEETING).relay(RelayRequest.updating("relay-a").remoteTransport(aSide))
                .build());

        alice.connect(onA.endpoints().get(0).transport(), Duration.ofSeconds(15));
        for (int i = 0; i < bobs.size(); i++) {
            bobs.get(i).connect(onB.endpoints().get(i).transport(), Duration.ofSeconds(15));
        }
        Awaitility.await("the relay connects").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> relay(a, "relay-b").connected() && relay(b, "relay-a").connected());

        for (int i = 0; i < PACKETS; i++) {
            alice.sendRtp(ALICE_VIDEO);
        }
        for (SyntheticEndpoint bob : bobs) {
            Awaitility.await("alice's packets decrypt on B").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(20)).until(() -> bob.rtpReceived(ALICE_VIDEO) == PACKETS);
        }
        long relayOut = relay(a, "relay-b").packetsOut();
        long relayIn = relay(b, "relay-a").packetsIn();
        // Once per relay: three receivers behind it would make it 150 if it were per remote endpoint.
        assertTrue(relayOut >= PACKETS && relayOut < 2 * PACKETS, "A sent over the relay: " + relayOut);
        assertTrue(relayIn >= PACKETS && relayIn < 2 * PACKETS, "B received over the relay: " + relayIn);
        for (int i = 0; i < bobs.size(); i++) {
            String id = "bob" + i;
            long out = endpointStats(b, id).packetsOut();
            assertTrue(out >= PACKETS, id + " got " + out);
        }

        // A PLI from a receiver on B reaches the sender on A (after the connection's own keyframe requests).
        Awaitility.await("the connection's keyframe requests settle").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50)).during(Duration.ofMillis(800))
                .until(() -> alice.plisReceived(ALICE_VIDEO), n -> true);
        long plisBefore = alice.plisReceived(ALICE_VIDEO);
        long relayInOnA = relay(a, "relay-b").packetsIn();
        bobs.get(1).sendPli(BOB_FEEDBACK, ALICE_VIDEO);
        Awaitility.await("bob1's PLI reaches alice").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> alice.plisReceived(ALICE_VIDEO) > plisBefore);
        assertTrue(relay(a, "relay-b").packetsIn() > relayInOnA, "the PLI came over the relay");

        // Expiring the relay stops forwarding.
        a.apply(ConferenceRequest.modifying(MEETING).relay(RelayRequest.expiring("relay-b")).build());
        b.apply(ConferenceRequest.modifying(MEETING).relay(RelayRequest.expiring("relay-a")).build());
        assertEquals(List.of(), a.conferenceStats(MEETING).relays());
        for (int i = 0; i < 10; i++) {
            alice.sendRtp(ALICE_VIDEO);
        }
        Awaitility.await("alice's packets still reach A").atMost(Duration.ofSeconds(5))
                .until(() -> endpointStats(a, "alice").packetsIn() >= PACKETS + 10);
        Awaitility.await("nothing more on B").during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                .until(() -> bobs.stream().allMatch(bob -> bob.rtpReceived(ALICE_VIDEO) == PACKETS));
    }

    @Test
    void aRelayWhoseIceFailsIsReportedStopped() throws Exception {
        Colibri2Client a = client(node("relay-fail"));
        a.apply(ConferenceRequest.creating(MEETING).endpoint(EndpointRequest.creating("alice").statsId("alice")
                .sources(aliceSources())).build());
        a.apply(ConferenceRequest.modifying(MEETING).relay(RelayRequest.creating("nobody", "mesh-1", true)).build());
        // The other bridge's transport names a port where no one answers: every check times out.
        TransportDescription deaf = new TransportDescription("deafufrag", "deafpasswordthatis22chars",
                List.of(new TransportDescription.Fingerprint("sha-256", "AB:".repeat(31) + "AB", SetupRole.PASSIVE)),
                List.of(new TransportDescription.Candidate("1", 1, "udp", 2130706431L, "127.0.0.1", freeUdpPort(),
                        "host")), true);
        a.apply(ConferenceRequest.modifying(MEETING).relay(RelayRequest.updating("nobody").remoteTransport(deaf))
                .build());
        Awaitility.await("ICE fails and the relay is reported stopped").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> a.mediaStatus(List.of(MEETING)).contains(
                        new EndpointMedia(MEETING, "nobody", MediaFlow.STOPPED, true)));
    }

    private static List<MediaSource> aliceSources() {
        return List.of(new MediaSource(MediaType.VIDEO, "alice-v0", List.of(new MediaSource.Ssrc(ALICE_VIDEO,
                "alice-v0")), List.of()));
    }

    private static TransportDescription relayTransport(ConferenceReply reply, String relayId) {
        TransportDescription t = reply.relay(relayId).orElseThrow().transport();
        assertNotNull(t, "a created relay's transport is in the reply");
        return t;
    }

    private static EndpointStats relay(Colibri2Client client, String id) throws Exception {
        ConferenceStats stats = client.conferenceStats(MEETING);
        return stats.relays().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    private static EndpointStats endpointStats(Colibri2Client client, String id) throws Exception {
        return client.conferenceStats(MEETING).endpoints().stream().filter(e -> e.id().equals(id)).findFirst()
                .orElseThrow();
    }

    private BridgeNode node(String id) throws IOException {
        return node(id, 0);
    }

    private BridgeNode node(String id, int relayPort) throws IOException {
        BridgeNode node = BridgeNode.start(new BridgeNode.Settings(id, "127.0.0.1", freeUdpPort(), "127.0.0.1", 0, 2,
                Duration.ofSeconds(60), false, "test").withRelayPort(relayPort));
        open.add(node);
        return node;
    }

    private Colibri2Client client(BridgeNode node) {
        Colibri2Client client = new Colibri2Client(node.bridge().id(), Colibri2Client.Options.of(
                URI.create("http://127.0.0.1:" + node.httpAddress().getPort())));
        open.add(client);
        return client;
    }

    private SyntheticEndpoint endpoint(String name) throws IOException {
        SyntheticEndpoint e = new SyntheticEndpoint(name);
        open.add(e);
        return e;
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
