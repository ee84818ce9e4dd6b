package io.livedesk.signaling.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.media.api.Bridge;
import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.ConferenceStats;
import io.livedesk.media.api.EndpointStats;
import io.livedesk.media.api.MeetingId;
import io.livedesk.signaling.server.LiveDeskNode;
import io.livedesk.testkit.browser.Browsers;
import io.livedesk.testkit.browser.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BrowserCallIT} with {@code calls.media = "bridge"}, on the ice4j port ({@code bridge.io = ice4j}): each page's one RTCPeerConnection offers its
 * leg to the node's in-process media bridge, and the media of both goes through the bridge's UDP port
 * (the selected candidate pair's remote port on both pages); the bridge counts what it forwarded; hanging
 * up expires the conference.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserBridgeCallIT {
    private static final Logger log = LoggerFactory.getLogger(BrowserBridgeCallIT.class);

    private LiveDeskNode node;
    private CallPages pages;
    private int bridgePort;

    /**
     * The node's settings beyond a bridged node's: here the ice4j port, the fallback where Netty's native
     * transport is missing (every other browser test runs on the default, the bridge's own Netty port); a
     * subclass runs the same call there.
     */
    Map<String, Object> settings() {
        return Map.of("livedesk.bridge.io", "ice4j");
    }

    @BeforeAll
    void startServer() throws Exception {
        bridgePort = io.livedesk.signaling.testing.TestNode.freeUdpPort();
        node = CallPages.startBridgedNode(bridgePort, settings());
        pages = CallPages.of(node);
    }

    @AfterAll
    void stopServer() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void customerAndStaffMediaGoesThroughTheBridgeThenHangUpExpiresTheConference() throws Exception {
        Bridge bridge = node.bridge();
        String callId;
        try (Browsers browsers = Browsers.start(2)) {
            Chromium staff = browsers.get(0);
            Chromium customer = browsers.get(1);
            pages.staffGoesAvailable(staff);
            pages.customerAsksForCall(customer, "Li Wei");
            pages.staffAccepts(staff, customer, "Li Wei");
            callId = latestCall().path("callId").asText();

            CallPages.awaitMediaBothWays(staff, customer);

            for (var page : Map.of("desk", staff, "widget", customer).entrySet()) {
                // The browser (controlling) nominates its pair by itself, possibly just after media started.
                Map<String, Object> s = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                        .until(() -> CallPages.mediaStats(page.getValue(), page.getKey()),
                                stats -> Boolean.TRUE.equals(stats.get("nominated")));
                log.info("{}: {}", page.getKey(), s);
                assertEquals(Boolean.TRUE, s.get("nominated"), page.getKey() + ": " + s);
                assertEquals(bridgePort, CallPages.number(s, "remotePort"), page.getKey() + " sends to the bridge: " + s);
                assertTrue(CallPages.number(s, "frames") > 0 && CallPages.number(s, "audio") > 0, page.getKey() + ": " + s);
            }
            ConferenceStats stats = bridge.conferenceStats(new MeetingId(callId));
            log.info("bridge conference: {}", stats);
            assertEquals(2, stats.endpoints().size(), stats.toString());
            for (EndpointStats e : stats.endpoints()) {
                assertTrue(e.connected(), e.toString());
                assertTrue(e.packetsIn() > 0 && e.packetsOut() > 0, "the bridge forwarded packets: " + e);
            }
            assertEquals("active", latestCall().path("state").asText());

            CallPages.customerHangsUp(staff, customer);
        }

        JsonNode call = latestCall();
        assertEquals("ended", call.path("state").asText());
        assertEquals("customer_hangup", call.path("endReason").asText());
        assertThrows(BridgeException.NotFound.class, () -> bridge.conferenceStats(new MeetingId(callId)));
        await().atMost(Duration.ofSeconds(5)).until(() -> bridge.stats().conferences() == 0 && bridge.stats().endpoints() == 0);
    }

    LiveDeskNode node() {
        return node;
    }

    CallPages pages() {
        return pages;
    }

    JsonNode latestCall() throws Exception {
        return new ObjectMapper().readTree(pages.get("/api/calls?limit=1", pages.supervisorToken())).path("calls").path(0);
    }
}
