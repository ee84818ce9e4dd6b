package io.livedesk.signaling.e2e;

import io.livedesk.media.api.MeetingId;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.media.CallMeetings;
import io.livedesk.signaling.server.LiveDeskNode;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.bridge.BridgeNodeProcess;
import io.livedesk.testkit.browser.Browsers;
import io.livedesk.testkit.browser.Chromium;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bridged customer–staff video call in Chromium survives the death of its bridge (issue 13): two LiveDesk bridge
 * nodes, each its own process (so with its own DTLS certificate, as in production), form the pool; the bridge
 * holding the call is killed (SIGKILL); the pool marks it down, both pages are asked to restart ICE, their offers
 * build the call again on the other bridge, and video decodes again on both pages, now through the other bridge's
 * port. How long the pages went without decoding is logged (docs/benchmarks.md records it).
 */
class BrowserBridgeFailoverIT {
    private static final Logger log = LoggerFactory.getLogger(BrowserBridgeFailoverIT.class);
    /** Detection (down-after × health-interval, or the next request) plus ICE, DTLS and a keyframe. */
    private static final Duration RECOVERY = Duration.ofSeconds(20);

    @Test
    void whenTheCallsBridgeDiesBothPagesDecodeAgainThroughTheOtherBridge() throws Exception {
        try (BridgeNodeProcess a = BridgeNodeProcess.start("netty", "256m", List.of());
             BridgeNodeProcess b = BridgeNodeProcess.start("netty", "256m", List.of())) {
            LiveDeskNode node = CallPages.startBridgedNode(TestNode.freeUdpPort(), Map.of(
                    "livedesk.bridge.remote", List.of(a.colibriUrl(), b.colibriUrl()),
                    "livedesk.bridge.health-interval", "250ms", "livedesk.bridge.down-after", 2));
            try (Browsers browsers = Browsers.start(2)) {
                CallPages pages = CallPages.of(node);
                await("both bridges checked").atMost(Duration.ofSeconds(20)).until(() -> node.bridgePool().members()
                        .stream().filter(m -> m.up() && m.stats() != null).count() == 2);
                Chromium staff = browsers.get(0);
                Chromium customer = browsers.get(1);
                String callId = pages.callBetween(staff, customer);

                MeetingId meeting = CallMeetings.meetingOf(CallId.of(callId));
                String holderId = node.bridgePool().ownerOf(meeting).orElseThrow();
                BridgeNodeProcess holder = holderId.endsWith(":" + port(a)) ? a : b;
                BridgeNodeProcess other = holder == a ? b : a;
                Map<String, Chromium> byPage = Map.of("desk", staff, "widget", customer);
                for (var page : byPage.entrySet()) {
                    Map<String, Object> s = await().atMost(Duration.ofSeconds(10))
                            .until(() -> CallPages.mediaStats(page.getValue(), page.getKey()),
                                    st -> Boolean.TRUE.equals(st.get("nominated")));
                    assertEquals(holder.mediaPort(), CallPages.number(s, "remotePort"), page.getKey() + ": " + s);
                }

                long killedAt = System.nanoTime();
                holder.kill();
                for (var page : byPage.entrySet()) {
                    long before = CallPages.number(CallPages.mediaStats(page.getValue(), page.getKey()), "frames");
                    // Decoding again through the other bridge: its port on the selected pair, frames going up.
                    await(page.getKey() + " decodes through the other bridge").atMost(RECOVERY)
                            .pollInterval(Duration.ofMillis(100)).until(() -> {
                                Map<String, Object> s = CallPages.mediaStats(page.getValue(), page.getKey());
                                return CallPages.number(s, "remotePort") == other.mediaPort()
                                        && CallPages.number(s, "frames") > before + 10;
                            });
                    log.info("{} decodes through the other bridge {} ms after the first bridge was killed",
                            page.getKey(), (System.nanoTime() - killedAt) / 1_000_000);
                }
                assertEquals(other.colibriUrl().replace("http://", ""), node.bridgePool().ownerOf(meeting).orElseThrow());
                assertNotEquals(holderId, node.bridgePool().ownerOf(meeting).orElseThrow());
                Map<String, Object> desk = CallPages.mediaStats(staff, "desk");
                assertTrue(CallPages.number(desk, "audio") > 0, "audio flows too: " + desk);
                CallPages.customerHangsUp(staff, customer);
            } finally {
                node.close();
            }
        }
    }

    private static int port(BridgeNodeProcess p) {
        String url = p.colibriUrl();
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    }
}
