package io.livedesk.signaling.config;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The livedesk.bridge keys: defaults, lists from files or comma-separated environment values, bad values. */
class LiveDeskConfigBridgeTest {

    @Test
    void defaultsKeepTheInProcessBridge() {
        LiveDeskConfig.Bridge b = LiveDeskConfig.withOverrides(Map.of()).bridge();
        assertEquals("127.0.0.1", b.address());
        assertEquals(10000, b.port());
        assertEquals(List.of(), b.publicAddresses());
        assertEquals(List.of(), b.remote());
        assertEquals(Duration.ofSeconds(2), b.healthInterval());
        assertEquals(Duration.ofSeconds(2), b.connectTimeout());
        assertEquals(Duration.ofSeconds(3), b.requestTimeout());
        assertEquals(3, b.downAfter());
        assertEquals(Duration.ofSeconds(2), b.mediaTimeout());
        assertEquals(Duration.ofMillis(500), b.mediaCheckInterval());
        assertEquals(Duration.ofMillis(250), b.tapPollInterval());
        assertEquals(0, b.ioThreads());
        assertEquals(Duration.ofNanos(200_000), b.ioCoalesce());
        assertTrue(b.nettyIo().ioThreads() >= 1, "0 means a quarter of the cores, at least one");
    }

    @Test
    void theInProcessBridgesIoThreadsAndCoalescing() {
        LiveDeskConfig.Bridge b = LiveDeskConfig.withOverrides(Map.of(
                "livedesk.bridge.io-threads", 3,
                "livedesk.bridge.io-coalesce", "0")).bridge();
        assertEquals(3, b.nettyIo().ioThreads());
        assertEquals(Duration.ZERO, b.nettyIo().coalesce());
        for (Map.Entry<String, Object> bad : Map.<String, Object>of("livedesk.bridge.io-threads", -1,
                "livedesk.bridge.io-coalesce", "10ms").entrySet()) {
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                    () -> LiveDeskConfig.withOverrides(Map.of(bad.getKey(), bad.getValue())), bad.getKey());
            assertTrue(thrown.getMessage().contains(bad.getKey()), thrown.getMessage());
        }
    }

    @Test
    void listsComeAsListsOrAsCommaSeparatedStrings() {
        LiveDeskConfig.Bridge b = LiveDeskConfig.withOverrides(Map.of(
                "livedesk.bridge.address", "0.0.0.0",
                "livedesk.bridge.public-address", "203.0.113.7, 10.0.0.5",
                "livedesk.bridge.remote", "http://10.0.0.5:8090,https://bridge-2.bank.example:8443/",
                "livedesk.bridge.health-interval", "500ms",
                "livedesk.bridge.down-after", 5)).bridge();
        assertEquals(List.of("203.0.113.7", "10.0.0.5"), b.publicAddresses());
        assertEquals(List.of(URI.create("http://10.0.0.5:8090"), URI.create("https://bridge-2.bank.example:8443/")),
                b.remote());
        assertEquals(Duration.ofMillis(500), b.healthInterval());
        assertEquals(5, b.downAfter());

        LiveDeskConfig.Bridge listed = LiveDeskConfig.withOverrides(Map.of(
                "livedesk.bridge.remote", List.of("http://127.0.0.1:8090"))).bridge();
        assertEquals(List.of(URI.create("http://127.0.0.1:8090")), listed.remote());
    }

    @Test
    void badBridgeSettingsAreRefusedWithTheKeyNamed() {
        Map<String, Map<String, Object>> bad = Map.of(
                "livedesk.bridge.public-address", Map.of("livedesk.bridge.public-address", "bridge.bank.example"),
                "livedesk.bridge.address", Map.of("livedesk.bridge.address", "0.0.0.0"),
                "livedesk.bridge.remote", Map.of("livedesk.bridge.remote", "10.0.0.5:8090"),
                "livedesk.bridge.remote ", Map.of("livedesk.bridge.remote", "ftp://10.0.0.5/"),
                "livedesk.bridge.down-after", Map.of("livedesk.bridge.down-after", 0),
                "livedesk.bridge.health-interval", Map.of("livedesk.bridge.health-interval", "0s"),
                "livedesk.bridge.request-timeout", Map.of("livedesk.bridge.request-timeout", "0s"),
                "livedesk.bridge.media-timeout", Map.of("livedesk.bridge.media-timeout", "0s"),
                "livedesk.bridge.media-check-interval", Map.of("livedesk.bridge.media-check-interval", "0s"));
        for (Map.Entry<String, Map<String, Object>> e : bad.entrySet()) {
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                    () -> LiveDeskConfig.withOverrides(e.getValue()), e.getKey());
            assertTrue(thrown.getMessage().contains(e.getKey().trim()), thrown.getMessage());
        }
    }

    @Test
    void remoteBridgesMayNameTheirRegionAndTheNodeItsOwn() {
        LiveDeskConfig fromEnv = LiveDeskConfig.withOverrides(Map.of(
                "livedesk.region", "north",
                "livedesk.bridge.remote", "north=http://10.0.0.5:8090, south=http://10.1.0.5:8090,http://10.2.0.5:8090"));
        assertEquals("north", fromEnv.region());
        LiveDeskConfig.Bridge b = fromEnv.bridge();
        assertEquals(List.of(URI.create("http://10.0.0.5:8090"), URI.create("http://10.1.0.5:8090"),
                URI.create("http://10.2.0.5:8090")), b.remote());
        assertEquals("north", b.regionOf(URI.create("http://10.0.0.5:8090")));
        assertEquals("south", b.regionOf(URI.create("http://10.1.0.5:8090")));
        assertEquals(null, b.regionOf(URI.create("http://10.2.0.5:8090")), "as its stats say");

        LiveDeskConfig.Bridge fromFile = LiveDeskConfig.withOverrides(Map.of("livedesk.bridge.remote", List.of(
                Map.of("url", "http://10.0.0.5:8090", "region", "north"), "http://10.2.0.5:8090",
                "south=http://10.1.0.5:8090"))).bridge();
        assertEquals(3, fromFile.remote().size());
        assertEquals("north", fromFile.regionOf(URI.create("http://10.0.0.5:8090")));
        assertEquals("south", fromFile.regionOf(URI.create("http://10.1.0.5:8090")));
        assertEquals(null, LiveDeskConfig.withOverrides(Map.of()).region(), "no region by default");
    }

    @Test
    void badRegionsStopTheStartNamingTheSetting() {
        IllegalArgumentException node = assertThrows(IllegalArgumentException.class,
                () -> LiveDeskConfig.withOverrides(Map.of("livedesk.region", "North Side")));
        assertTrue(node.getMessage().contains("livedesk.region"), node.getMessage());
        IllegalArgumentException bridge = assertThrows(IllegalArgumentException.class,
                () -> LiveDeskConfig.withOverrides(Map.of("livedesk.bridge.remote", "No Where=http://10.0.0.5:8090")));
        assertTrue(bridge.getMessage().contains("livedesk.bridge.remote"), bridge.getMessage());
    }
}
