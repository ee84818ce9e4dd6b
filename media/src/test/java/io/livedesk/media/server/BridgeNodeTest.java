package io.livedesk.media.server;

import io.livedesk.media.api.BridgeStats;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.colibri.Colibri2Client;
import io.livedesk.media.io.MediaSocket;
import io.livedesk.media.simulcast.SimulcastSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node BridgeMain runs, in-process on free loopback ports: health, stats, metrics, Colibri2, stop. */
@Timeout(60)
class BridgeNodeTest {
    private static final MeetingId MEETING = new MeetingId("11111111-2222-3333-4444-555555555555");

    @Test
    void servesColibriHealthStatsAndMetricsThenStopsCleanly() throws Exception {
        BridgeMain main = new BridgeMain();
        new CommandLine(main).parseArgs("--id", "node-test", "--media-port", String.valueOf(freeUdpPort()),
                "--http-port", "0");
        assertEquals("127.0.0.1", main.httpHost, "Colibri2 is private: loopback by default");
        BridgeNode.Settings settings = main.settings();
        BridgeNode node = BridgeNode.start(new BridgeNode.Settings(settings.id(), settings.mediaAddress(),
                settings.mediaPort(), settings.httpHost(), settings.httpPort(), 2, settings.inactivityTimeout(),
                false, settings.version()));
        URI base = URI.create("http://127.0.0.1:" + node.httpAddress().getPort());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (Colibri2Client client = new Colibri2Client("node", Colibri2Client.Options.of(base))) {
            assertEquals(200, get(http, base, "/about/health").statusCode());
            HttpResponse<String> stats = get(http, base, "/colibri/stats");
            assertEquals(200, stats.statusCode());
            assertTrue(stats.body().contains("\"stress_level\""), stats.body());

            ConferenceReply reply = client.apply(ConferenceRequest.creating(MEETING).name("room@livedesk.internal")
                    .endpoint(EndpointRequest.creating("ep1").statsId("alice").sources(List.of()).iceControlling(true))
                    .endpoint(EndpointRequest.creating("ep2").statsId("bob").sources(List.of()).iceControlling(true))
                    .build());
            assertEquals(2, reply.endpoints().size());
            assertNotNull(reply.endpoints().get(0).transport());
            assertEquals(node.bridge().port(), reply.endpoints().get(0).transport().candidates().get(0).port());
            BridgeStats remote = client.stats();
            assertEquals(1, remote.conferences());
            assertEquals(2, remote.endpoints());
            assertEquals(2, client.conferenceStats(MEETING).endpointCount());

            HttpResponse<String> metrics = get(http, base, "/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
            String text = metrics.body();
            for (String expected : List.of("livedesk_bridge_stress{bridge=\"node-test\"}",
                    "livedesk_bridge_healthy{bridge=\"node-test\"} 1.0",
                    "livedesk_bridge_conferences{bridge=\"node-test\"} 1.0",
                    "livedesk_bridge_endpoints{bridge=\"node-test\"} 2.0",
                    "livedesk_bridge_packets_in_total{bridge=\"node-test\"}",
                    "livedesk_bridge_bytes_out_total{bridge=\"node-test\"}",
                    "livedesk_bridge_unattributed_dropped_total{bridge=\"node-test\",cause=\"unknown-ufrag\"}",
                    "livedesk_bridge_jvm_allocated_bytes_total{bridge=\"node-test\"}",
                    "livedesk_bridge_conference_endpoints{bridge=\"node-test\",conference=\"" + MEETING + "\"} 2.0",
                    "livedesk_bridge_endpoint_packets_in_total{bridge=\"node-test\",conference=\"" + MEETING
                            + "\",endpoint=\"ep1\"}",
                    "livedesk_bridge_endpoint_rtt_ms{", "livedesk_bridge_endpoint_fraction_lost{",
                    "livedesk_bridge_endpoint_bitrate_in_bps{", "livedesk_bridge_endpoint_packets_lost_total{")) {
                assertTrue(text.contains(expected), "metrics lack " + expected + ":\n" + text);
            }
            assertEquals(405, http.send(HttpRequest.newBuilder(base.resolve("/metrics"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode());

            client.expire(MEETING);
            String after = get(http, base, "/metrics").body();
            assertFalse(after.contains(MEETING.value()), "meters of an expired conference are removed:\n" + after);
            assertTrue(after.contains("livedesk_bridge_conferences{bridge=\"node-test\"} 0.0"));
        } finally {
            node.close();
        }
        node.awaitStopped();
        node.close(); // idempotent
        assertThrows(ConnectException.class, () -> get(http, base, "/about/health"));
        // The media port is free again.
        try (DatagramSocket again = new DatagramSocket(node.bridge().port(), InetAddress.getLoopbackAddress())) {
            assertTrue(again.isBound());
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            assertFalse(t.getName().contains("node-test") || t.getName().startsWith("colibri2-"),
                    "thread left running: " + t.getName());
        }
    }

    @Test
    void drainIsServedAsJitsiVideobridgeServesItAndShutdownWaitsForTheConferencesToMove() throws Exception {
        BridgeNode node = BridgeNode.start(new BridgeNode.Settings("node-drain", "127.0.0.1", freeUdpPort(),
                "127.0.0.1", 0, 2, Duration.ofSeconds(60), false, "test"));
        URI base = URI.create("http://127.0.0.1:" + node.httpAddress().getPort());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (Colibri2Client client = new Colibri2Client("node", Colibri2Client.Options.of(base))) {
            assertEquals("{\"drain\":false}", get(http, base, "/colibri/drain").body());
            HttpResponse<String> enabled = post(http, base, "/colibri/drain/enable");
            assertEquals(200, enabled.statusCode());
            assertEquals("{\"drain\":true}", enabled.body());
            assertTrue(get(http, base, "/colibri/stats").body().contains("\"drain\":true"));
            assertTrue(client.stats().draining());
            assertTrue(client.draining());
            assertEquals(200, get(http, base, "/about/health").statusCode(), "a draining bridge is healthy");
            // Its conferences go on: a caller that still sends one is served (choosing is the caller's business).
            client.apply(ConferenceRequest.creating(MEETING).name("room@livedesk.internal")
                    .endpoint(EndpointRequest.creating("ep1").statsId("alice").sources(List.of()).iceControlling(true))
                    .build());
            client.drain(false);
            assertFalse(client.stats().draining());
            assertEquals(405, get(http, base, "/colibri/drain/enable").statusCode());

            // Shutting down: reported at once, served until the conference is gone, then stopped.
            Thread stopping = new Thread(() -> {
                try {
                    node.shutDown(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "node-drain-test-stop");
            stopping.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> client.stats().shuttingDown());
            assertEquals(500, get(http, base, "/about/health").statusCode());
            assertEquals(1, client.stats().conferences(), "still serving while its calls move");
            client.expire(MEETING); // what signaling does once the participants were asked to reconnect elsewhere
            node.awaitStopped();
            stopping.join(10_000);
            assertFalse(stopping.isAlive());
        } finally {
            node.close();
        }
        assertThrows(ConnectException.class, () -> get(http, base, "/about/health"));
    }

    @Test
    void publicAddressesAreParsedAndAWildcardNeedsOne() {
        BridgeMain main = new BridgeMain();
        new CommandLine(main).parseArgs("--media-address", "0.0.0.0", "--public-address", "203.0.113.7,10.0.0.5",
                "--public-address", "127.0.0.1");
        assertEquals(List.of("203.0.113.7", "10.0.0.5", "127.0.0.1"), main.settings().publicAddresses());
        assertEquals("0.0.0.0", main.settings().mediaAddress());

        BridgeMain none = new BridgeMain();
        new CommandLine(none).parseArgs();
        assertEquals(List.of(), none.settings().publicAddresses(), "by default the media address is advertised");

        BridgeMain wildcard = new BridgeMain();
        new CommandLine(wildcard).parseArgs("--media-address", "0.0.0.0");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, wildcard::settings);
        assertTrue(e.getMessage().contains("wildcard"), e.getMessage());

        BridgeMain hostName = new BridgeMain();
        new CommandLine(hostName).parseArgs("--public-address", "bridge.example.com");
        assertThrows(IllegalArgumentException.class, hostName::settings);
        // As the process runs it: a usage error (exit code 2), not a stack trace.
        assertEquals(2, new CommandLine(new BridgeMain()).execute("--media-address", "0.0.0.0"));
    }

    @Test
    void nettyIoThreadsAndCoalescingAreParsed() {
        BridgeMain defaults = new BridgeMain();
        new CommandLine(defaults).parseArgs();
        assertEquals(MediaSocket.Settings.defaultIoThreads(), defaults.settings().nettyIo().ioThreads());
        assertEquals(Duration.ofNanos(200_000), defaults.settings().nettyIo().coalesce());

        BridgeMain main = new BridgeMain();
        new CommandLine(main).parseArgs("--io", "netty", "--io-threads", "3", "--io-coalesce", "PT0S");
        assertEquals(3, main.settings().nettyIo().ioThreads());
        assertEquals(Duration.ZERO, main.settings().nettyIo().coalesce());
        assertEquals(2, new CommandLine(new BridgeMain()).execute("--io-coalesce", "PT1S"), "longer than 5 ms");
        assertEquals(2, new CommandLine(new BridgeMain()).execute("--io-threads", "-1"));
    }

    @Test
    void nodesDefaultToTheBatchedPortAndTakeSimulcastSettings() {
        BridgeMain defaults = new BridgeMain();
        new CommandLine(defaults).parseArgs();
        assertEquals("netty", defaults.settings().io());
        assertEquals(SimulcastSettings.defaults(), defaults.settings().simulcast());

        BridgeMain main = new BridgeMain();
        new CommandLine(main).parseArgs("--simulcast-initial-estimate", "300000", "--simulcast-upgrade-step", "PT0.5S",
                "--simulcast-congestion-hold", "PT2S", "--simulcast-max-congestion-hold", "PT30S",
                "--simulcast-probe-duration", "PT0.25S", "--simulcast-probe-max-bytes", "50000");
        assertEquals(new SimulcastSettings(300_000, Duration.ofMillis(500), Duration.ofSeconds(2),
                Duration.ofSeconds(30), Duration.ofMillis(250), 50_000), main.settings().simulcast());
        assertEquals(2, new CommandLine(new BridgeMain()).execute("--simulcast-congestion-hold", "PT90S"),
                "a hold longer than the longest hold");
        assertEquals(2, new CommandLine(new BridgeMain()).execute("--simulcast-initial-estimate", "0"));
        assertEquals(2, new CommandLine(new BridgeMain()).execute("--simulcast-probe-max-bytes", "0"));
    }

    private static HttpResponse<String> get(HttpClient http, URI base, String path)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(HttpClient http, URI base, String path)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
