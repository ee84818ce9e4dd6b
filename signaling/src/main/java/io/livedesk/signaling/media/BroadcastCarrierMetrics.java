package io.livedesk.signaling.media;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * How livestreams spread over bridges, in signaling's {@code /metrics}: carrier conferences of the broadcasts this
 * node holds media for, how many of those broadcasts use more than one bridge, and relays created. No broadcast
 * label: the number of broadcasts is unbounded. Names in docs/operations.md.
 */
final class BroadcastCarrierMetrics implements MeterBinder {
    private final BridgeBroadcastMedia media;

    BroadcastCarrierMetrics(BridgeBroadcastMedia media) {
        this.media = media;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("livedesk.live.carriers", media, BridgeBroadcastMedia::carriers)
                .description("Bridge conferences carrying the broadcasts whose media this node holds (1 per broadcast, "
                        + "more when spread over bridges)")
                .register(registry);
        Gauge.builder("livedesk.live.spread.broadcasts", media, BridgeBroadcastMedia::spreadBroadcasts)
                .description("Broadcasts whose media this node holds that use more than one bridge")
                .register(registry);
        FunctionCounter.builder("livedesk.live.relays.opened", media, BridgeBroadcastMedia::relaysCreated)
                .description("Relays this node created between bridges to spread broadcasts")
                .register(registry);
    }
}
