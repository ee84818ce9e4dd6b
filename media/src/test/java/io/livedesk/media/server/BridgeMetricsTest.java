package io.livedesk.media.server;

import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.bridge.BridgeConfig;
import io.livedesk.media.bridge.LocalBridge;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-endpoint and per-conference meters live exactly as long as their endpoint and conference. */
class BridgeMetricsTest {
    @Test
    void expiredEndpointsAndConferencesLeaveNoSeries() throws Exception {
        try (LocalBridge bridge = new LocalBridge(BridgeConfig.defaults("127.0.0.1", freeUdpPort())
                .withId("metrics-test").withWarmUpSrtp(false).withIo("netty"))) {
            BridgeMetrics metrics = new BridgeMetrics(bridge);
            long baseline = metrics.scrape().lines().filter(l -> !l.startsWith("#")).count();
            MeetingId meeting = new MeetingId("m1");
            bridge.apply(ConferenceRequest.creating(meeting).name("m1")
                    .endpoints(List.of(EndpointRequest.creating("a").build(), EndpointRequest.creating("b").build()))
                    .build());
            String live = metrics.scrape();
            assertTrue(live.contains("endpoint=\"a\""), live);
            assertTrue(live.contains("endpoint=\"b\""), live);

            bridge.apply(ConferenceRequest.modifying(meeting).endpoint(EndpointRequest.expiring("a")).build());
            String one = metrics.scrape();
            assertTrue(one.lines().noneMatch(l -> l.contains("endpoint=\"a\"")), one);
            assertTrue(one.contains("endpoint=\"b\""), one);

            bridge.expire(meeting);
            String none = metrics.scrape();
            assertTrue(none.lines().noneMatch(l -> l.contains("endpoint=\"") || l.contains("conference=\"")), none);
            assertEquals(baseline, none.lines().filter(l -> !l.startsWith("#")).count(), none);
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
