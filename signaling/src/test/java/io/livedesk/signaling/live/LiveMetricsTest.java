package io.livedesk.signaling.live;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class LiveMetricsTest {

    @Test
    void eachBroadcastHasItsSeriesUntilItEnds() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LiveMetrics metrics = new LiveMetrics();
        metrics.bindTo(registry);
        BroadcastId one = BroadcastId.of("b-1");
        BroadcastId two = BroadcastId.of("b-2");

        metrics.joined(one);
        metrics.joined(one);
        metrics.joined(two);
        metrics.left(one);
        metrics.chatMessage(one);
        metrics.consultation(one, "requested");
        metrics.viewers(one, 41);
        metrics.viewers(one, 42);

        assertEquals(2, registry.get("livedesk.live.joins").tag("broadcast", "b-1").counter().count());
        assertEquals(1, registry.get("livedesk.live.leaves").tag("broadcast", "b-1").counter().count());
        assertEquals(1, registry.get("livedesk.live.consultations").tags("broadcast", "b-1", "outcome", "requested")
                .counter().count());
        assertEquals(42, registry.get("livedesk.live.viewers").tag("broadcast", "b-1").gauge().value());

        metrics.ended(one);
        assertNull(registry.find("livedesk.live.joins").tag("broadcast", "b-1").counter(), "gone with the broadcast");
        assertNull(registry.find("livedesk.live.viewers").tag("broadcast", "b-1").gauge());
        assertEquals(1, registry.get("livedesk.live.joins").tag("broadcast", "b-2").counter().count(), "others stay");
    }
}
