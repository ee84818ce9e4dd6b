package io.livedesk.signaling.media;

import io.livedesk.media.api.BridgeStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The pool's members in signaling's {@code /metrics}, one series per bridge (label {@code bridge}: the
 * bridge's id, an address; no meeting or customer data): up, draining, stress, conferences and endpoints as the bridge
 * last reported them, conferences this node placed there, packets and bytes it forwarded, how often it went
 * down. Values come from the pool's last checks; a scrape calls no bridge. Names in docs/operations.md.
 */
public final class BridgePoolMetrics implements MeterBinder {
    private final BridgePool pool;

    public BridgePoolMetrics(BridgePool pool) {
        this.pool = pool;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        List<MemberStatus> members = pool.members();
        for (int i = 0; i < members.size(); i++) {
            String bridge = members.get(i).id();
            int index = i;
            gauge(registry, "livedesk.media.bridge.up", "1 if the bridge takes conferences, 0 if marked down",
                    bridge, index, s -> s.up() ? 1 : 0);
            gauge(registry, "livedesk.media.bridge.draining",
                    "1 if the bridge is draining (takes no new conferences; its own go on), else 0", bridge, index,
                    s -> s.draining() ? 1 : 0);
            gauge(registry, "livedesk.media.bridge.stress", "Stress level the bridge last reported (NaN before the first check)",
                    bridge, index, s -> reported(s, BridgeStats::stressLevel));
            gauge(registry, "livedesk.media.bridge.conferences", "Conferences the bridge last reported (all its callers)",
                    bridge, index, s -> reported(s, st -> st.conferences()));
            gauge(registry, "livedesk.media.bridge.endpoints", "Endpoints the bridge last reported (all its callers)",
                    bridge, index, s -> reported(s, st -> st.endpoints()));
            gauge(registry, "livedesk.media.bridge.assigned.conferences",
                    "Conferences this node placed on the bridge and routes to it", bridge, index,
                    MemberStatus::assignedConferences);
            gauge(registry, "livedesk.media.bridge.consecutive.failures", "Failed checks or requests since the last success",
                    bridge, index, MemberStatus::consecutiveFailures);
            counter(registry, "livedesk.media.bridge.packets.received", "RTP/RTCP packets the bridge received",
                    bridge, index, s -> total(s, BridgeStats::packetsIn));
            counter(registry, "livedesk.media.bridge.packets.sent", "RTP/RTCP packets the bridge sent",
                    bridge, index, s -> total(s, BridgeStats::packetsOut));
            counter(registry, "livedesk.media.bridge.bytes.received", "Bytes of media the bridge received",
                    bridge, index, s -> total(s, BridgeStats::bytesIn));
            counter(registry, "livedesk.media.bridge.bytes.sent", "Bytes of media the bridge sent",
                    bridge, index, s -> total(s, BridgeStats::bytesOut));
            counter(registry, "livedesk.media.bridge.marked.down", "Times the bridge was marked down",
                    bridge, index, MemberStatus::timesDown);
            counter(registry, "livedesk.media.bridge.conferences.lost",
                    "Conferences forgotten because the bridge went down (re-created on another)", bridge, index,
                    MemberStatus::conferencesLost);
        }
        Gauge.builder("livedesk.media.bridges.up", pool,
                        p -> p.members().stream().filter(MemberStatus::up).count())
                .description("Bridges of this node's pool that take conferences")
                .register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, String bridge, int index,
                       ToDoubleFunction<MemberStatus> value) {
        Gauge.builder(name, pool, p -> value.applyAsDouble(p.members().get(index)))
                .description(description).tag("bridge", bridge).register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, String bridge, int index,
                         ToDoubleFunction<MemberStatus> value) {
        FunctionCounter.builder(name, pool, p -> value.applyAsDouble(p.members().get(index)))
                .description(description).tag("bridge", bridge).register(registry);
    }

    private static double reported(MemberStatus s, ToDoubleFunction<BridgeStats> field) {
        return s.stats() == null ? Double.NaN : field.applyAsDouble(s.stats());
    }

    /** Counters start at 0 before the first check (a NaN counter would not be one). */
    private static double total(MemberStatus s, ToDoubleFunction<BridgeStats> field) {
        return s.stats() == null ? 0 : field.applyAsDouble(s.stats());
    }
}
