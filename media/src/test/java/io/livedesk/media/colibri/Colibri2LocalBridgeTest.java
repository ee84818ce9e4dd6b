package io.livedesk.media.colibri;

import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.BridgeStats;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.ConferenceStats;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.TransportDescription;
import io.livedesk.media.bridge.BridgeConfig;
import io.livedesk.media.bridge.LocalBridge;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;

import static io.livedesk.media.colibri.Samples.MEETING;
import static io.livedesk.media.colibri.Samples.MEETING_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real in-process bridge behind the Colibri2 REST interface, driven by the Colibri2 client (signaling only, no media). */
class Colibri2LocalBridgeTest {

    private final Colibri2BridgeCodec bridgeSide = new Colibri2BridgeCodec();
    private LocalBridge bridge;
    private Colibri2HttpServer server;
    private Colibri2Client client;

    @BeforeEach
    void start() throws Exception {
        int udpPort;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            udpPort = probe.getLocalPort();
        }
        bridge = new LocalBridge(BridgeConfig.defaults("127.0.0.1", udpPort).withId("colibri-it").withWarmUpSrtp(false));
        server = new Colibri2HttpServer(bridge, Colibri2HttpServer.Options.defaults().withPort(0));
        int port = server.start().getPort();
        client = new Colibri2Client("local", Colibri2Client.Options.of(URI.create("http://127.0.0.1:" + port)));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
        bridge.close();
    }

    @Test
    void conferenceLifecycleOverRest() throws Exception {
        ConferenceReply created = client.apply(bridgeSide.parseCreate(Samples.bytes("create-request.json")));

        TransportDescription transport = created.endpoints().get(0).transport();
        assertNotNull(transport, "the bridge side of ep1's transport");
        assertFalse(transport.fingerprints().isEmpty());
        assertEquals(bridge.port(), transport.candidates().get(0).port());
        assertFalse(created.bridgeSources().isEmpty(), "the bridge's feedback sources");

        ConferenceReply patched = client.apply(bridgeSide.parseModify(MEETING, Samples.bytes("patch-request.json")));
        assertEquals("ep1", patched.endpoints().get(0).id());

        BridgeStats stats = client.stats();
        assertEquals(1, stats.conferences());
        assertEquals(1, stats.endpoints());
        assertTrue(stats.healthy());
        ConferenceStats conference = client.conferenceStats(MEETING_ID);
        assertEquals(1, conference.endpointCount());
        assertEquals("ep1", conference.endpoints().get(0).id());

        ConferenceReply expired = client.apply(ConferenceRequest.modifying(MEETING_ID)
                .endpoint(EndpointRequest.expiring("ep1")).build());
        assertTrue(expired.endpoints().isEmpty() || expired.endpoints().get(0).expired());

        client.expire(MEETING_ID);
        assertEquals(0, client.stats().conferences());
        assertThrows(BridgeException.NotFound.class,
                () -> client.apply(bridgeSide.parseModify(MEETING, Samples.bytes("patch-request.json"))));
    }
}
