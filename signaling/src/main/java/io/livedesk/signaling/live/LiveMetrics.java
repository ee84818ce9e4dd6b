package io.livedesk.signaling.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-broadcast meters (docs/operations.md): tagged with the broadcast's id, and removed when it ends, so
 * the series are as many as the live broadcasts. Joins and leaves per second are the counters' rate.
 */
public final class LiveMetrics implements MeterBinder {
    private volatile MeterRegistry registry = new SimpleMeterRegistry();
    private final Map<BroadcastId, AtomicLong> viewers = new ConcurrentHashMap<>();

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
    }

    void joined(BroadcastId id) {
        counter("livedesk.live.joins", "Viewers and stage members who joined, on this node", id).increment();
    }

    void left(BroadcastId id) {
        counter("livedesk.live.leaves", "Who left, was removed or expired, seen by this node", id).increment();
    }

    void chatMessage(BroadcastId id) {
        counter("livedesk.live.chat.messages", "Chat messages taken by this node", id).increment();
    }

    void chatRefused(BroadcastId id) {
        counter("livedesk.live.chat.refused", "Chat messages refused by the rate limit on this node", id).increment();
    }

    /** @param outcome requested or answered */
    void consultation(BroadcastId id, String outcome) {
        Counter.builder("livedesk.live.consultations").description("\"Consult now\" requests, by outcome")
                .tags("broadcast", id.value(), "outcome", outcome).register(registry).increment();
    }

    /** The viewer count this node last read from the presence store. */
    void viewers(BroadcastId id, long count) {
        viewers.computeIfAbsent(id, k -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("livedesk.live.viewers", value, AtomicLong::get)
                    .description("Viewers watching the broadcast (all nodes), as this node last counted")
                    .tag("broadcast", k.value()).register(registry);
            return value;
        }).set(count);
    }

    /** The broadcast ended: its series go. */
    void ended(BroadcastId id) {
        viewers.remove(id);
        for (Meter m : List.copyOf(registry.getMeters())) {
            if (m.getId().getName().startsWith("livedesk.live.") && id.value().equals(m.getId().getTag("broadcast"))) {
                registry.remove(m);
            }
        }
    }

    private Counter counter(String name, String description, BroadcastId id) {
        return Counter.builder(name).description(description).tag("broadcast", id.value()).register(registry);
    }
}
