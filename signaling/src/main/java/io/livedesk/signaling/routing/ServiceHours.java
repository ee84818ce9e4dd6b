package io.livedesk.signaling.routing;

import io.livedesk.signaling.config.LiveDeskConfig;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Each queue's opening hours (per topic, whatever the language), in the bank's time zone. A topic without
 * hours of its own has the default ones.
 */
public final class ServiceHours {
    private final OpeningHours defaults;
    private final Map<String, OpeningHours> byTopic;
    private final ZoneId zone;
    private final Clock clock;

    public ServiceHours(OpeningHours defaults, Map<String, OpeningHours> byTopic, ZoneId zone, Clock clock) {
        this.defaults = defaults;
        this.byTopic = Map.copyOf(byTopic);
        this.zone = zone;
        this.clock = clock;
    }

    /** As configured: {@code routing.opening-hours} and each topic's {@code hours}, in the bank's time zone. */
    public static ServiceHours from(LiveDeskConfig.Routing routing, ZoneId bankZone, Clock clock) {
        Map<String, OpeningHours> byTopic = new HashMap<>();
        for (LiveDeskConfig.Topic topic : routing.topics()) {
            if (topic.hours() != null) {
                byTopic.put(topic.id(), topic.hours());
            }
        }
        return new ServiceHours(routing.openingHours(), byTopic, bankZone, clock);
    }

    /** Always open, everywhere (tests, tools). */
    public static ServiceHours always(Clock clock) {
        return new ServiceHours(OpeningHours.ALWAYS, Map.of(), ZoneId.of("UTC"), clock);
    }

    public OpeningHours of(String topic) {
        return byTopic.getOrDefault(topic, defaults);
    }

    public boolean isOpen(String topic) {
        return of(topic).isOpen(Instant.ofEpochMilli(clock.millis()), zone);
    }

    /** When the topic's queue next opens, if it is closed now. */
    public Optional<Instant> nextOpening(String topic) {
        return of(topic).nextOpening(Instant.ofEpochMilli(clock.millis()), zone);
    }
}
