package io.livedesk.media.server;

import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.BridgeStats;
import io.livedesk.media.api.ConferenceStats;
import io.livedesk.media.api.EndpointStats;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.bridge.LocalBridge;
import io.livedesk.media.speechtap.SpeechTapRelay;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The bridge's Prometheus metrics ({@code GET /metrics}). Bridge-wide: stress, health, conferences,
 * endpoints, packets/bytes in and out, and datagrams dropped before any endpoint could be named.
 * The JVM's bytes allocated so far (all threads, ended ones included), so that allocation per forwarded
 * packet can be measured from outside. Per conference: endpoints and drops. Per endpoint (tags {@code conference}, {@code endpoint}):
 * packets/bytes in and out, drops by cause, packets lost, fraction lost, RTT, bitrates, the REMB
 * estimate sent.
 *
 * <p>Each scrape takes one snapshot of the bridge and brings the per-conference and per-endpoint
 * meters in line with it: meters of expired endpoints and conferences are removed, so the
 * registry does not grow with the bridge's history. Scrapes are serialised.
 */
public final class BridgeMetrics {
    private static final String PREFIX = "livedesk_bridge_";

    private final LocalBridge bridge;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Guarded by this: the last snapshot, read by the meters' functions during the scrape. */
    private BridgeStats stats;
    private Map<MeetingId, ConferenceStats> conferences = Map.of();
    private final Map<String, EndpointStats> endpoints = new HashMap<>();
    /** Meters per conference key / endpoint key / endpoint-drop key, so they can be removed. */
    private final Map<String, List<Meter>> dynamicMeters = new HashMap<>();

    public BridgeMetrics(LocalBridge bridge) {
        this(bridge, null);
    }

    /** @param speechTaps the node's speech taps, or null */
    public BridgeMetrics(LocalBridge bridge, SpeechTapRelay speechTaps) {
        this.bridge = Objects.requireNonNull(bridge, "bridge");
        Tags tags = Tags.of("bridge", bridge.id());
        if (speechTaps != null) {
            Gauge.builder(PREFIX + "speech_taps", speechTaps, SpeechTapRelay::activeTaps).tags(tags)
                    .description("speech taps open (audio streamed to speech nodes for signaling)").register(registry);
            FunctionCounter.builder(PREFIX + "speech_taps_opened", speechTaps, SpeechTapRelay::tapsOpened).tags(tags)
                    .description("speech taps opened").register(registry);
            FunctionCounter.builder(PREFIX + "speech_taps_abandoned", speechTaps, SpeechTapRelay::tapsAbandoned)
                    .tags(tags).description("speech taps closed because no signaling node asked for their results")
                    .register(registry);
            FunctionCounter.builder(PREFIX + "speech_tap_events_relayed", speechTaps, SpeechTapRelay::eventsRelayed)
                    .tags(tags).description("recognizer results kept for signaling to collect").register(registry);
            Gauge.builder(PREFIX + "speech_tap_events_dropped", speechTaps, SpeechTapRelay::eventsDropped).tags(tags)
                    .description("results of open taps dropped because signaling did not collect them")
                    .register(registry);
        }
        gauge("stress", tags, "stress level, 1.0 = configured capacity", m -> m.stats.stressLevel());
        gauge("healthy", tags, "1 when healthy and not shutting down",
                m -> m.stats.healthy() && !m.stats.shuttingDown() ? 1 : 0);
        gauge("conferences", tags, "live conferences", m -> m.stats.conferences());
        gauge("endpoints", tags, "live endpoints", m -> m.stats.endpoints());
        counter("packets_in", tags, "packets received from endpoints", m -> m.stats.packetsIn());
        counter("packets_out", tags, "packets sent to endpoints", m -> m.stats.packetsOut());
        counter("bytes_in", tags, "bytes received from endpoints", m -> m.stats.bytesIn());
        counter("bytes_out", tags, "bytes sent to endpoints", m -> m.stats.bytesOut());
        counter("unattributed_dropped", tags.and("cause", "unknown-ufrag"),
                "datagrams on the media port dropped before any endpoint could be named",
                m -> m.bridge.unattributedDrops());
        registerAllocatedBytes(tags);
    }

    /**
     * Bytes allocated on the heap by every thread of the process since it started, where the JVM counts them
     * (HotSpot does, per thread, at almost no cost): the benchmark divides its growth by the packets forwarded.
     */
    private void registerAllocatedBytes(Tags tags) {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
            return;
        }
        counter("jvm_allocated_bytes", tags, "bytes allocated on the heap by all threads since start",
                m -> threads.getTotalThreadAllocatedBytes());
    }

    /** The Prometheus text exposition of a fresh snapshot. */
    public synchronized String scrape() {
        refresh();
        return registry.scrape();
    }

    private void refresh() {
        stats = bridge.stats();
        Map<MeetingId, ConferenceStats> fresh = new LinkedHashMap<>();
        for (MeetingId meetingId : bridge.meetingIds()) {
            try {
                fresh.put(meetingId, bridge.conferenceStats(meetingId));
            } catch (BridgeException e) {
                // Expired between listing and asking: it simply is not in this scrape.
            }
        }
        conferences = fresh;
        endpoints.clear();
        Map<String, Runnable> wanted = new LinkedHashMap<>();
        for (ConferenceStats c : fresh.values()) {
            String conferenceKey = c.meetingId().value();
            wanted.put(conferenceKey, () -> registerConference(c.meetingId()));
            for (EndpointStats e : c.endpoints()) {
                String endpointKey = conferenceKey + "\u0000" + e.id();
                endpoints.put(endpointKey, e);
                wanted.put(endpointKey, () -> registerEndpoint(c.meetingId(), e.id(), endpointKey));
                for (String cause : e.dropped().keySet()) {
                    wanted.put(endpointKey + "\u0000" + cause,
                            () -> registerEndpointDrop(c.meetingId(), e.id(), endpointKey, cause));
                }
            }
        }
        for (Iterator<Map.Entry<String, List<Meter>>> it = dynamicMeters.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, List<Meter>> entry = it.next();
            if (!wanted.containsKey(entry.getKey())) {
                entry.getValue().forEach(registry::remove);
                it.remove();
            }
        }
        wanted.forEach((key, register) -> {
            if (!dynamicMeters.containsKey(key)) {
                register.run();
            }
        });
    }

    private void registerConference(MeetingId meetingId) {
        Tags tags = Tags.of("bridge", bridge.id(), "conference", meetingId.value());
        List<Meter> meters = new ArrayList<>();
        meters.add(gauge("conference_endpoints", tags, "endpoints in the conference",
                m -> m.conference(meetingId, c -> c.endpointCount())));
        meters.add(gauge("conference_dropped", tags, "packets of live endpoints dropped, all causes",
                m -> m.conference(meetingId, c -> c.dropped())));
        dynamicMeters.put(meetingId.value(), meters);
    }

    private void registerEndpoint(MeetingId meetingId, String endpointId, String key) {
        Tags tags = Tags.of("bridge", bridge.id(), "conference", meetingId.value(), "endpoint", endpointId);
        List<Meter> meters = new ArrayList<>();
        meters.add(counter("endpoint_packets_in", tags, "packets from the endpoint", m -> m.endpoint(key, EndpointStats::packetsIn)));
        meters.add(counter("endpoint_packets_out", tags, "packets to the endpoint", m -> m.endpoint(key, EndpointStats::packetsOut)));
        meters.add(counter("endpoint_bytes_in", tags, "bytes from the endpoint", m -> m.endpoint(key, EndpointStats::bytesIn)));
        meters.add(counter("endpoint_bytes_out", tags, "bytes to the endpoint", m -> m.endpoint(key, EndpointStats::bytesOut)));
        meters.add(counter("endpoint_packets_lost", tags, "RTP from the endpoint that never arrived",
                m -> m.endpoint(key, EndpointStats::packetsLost)));
        meters.add(gauge("endpoint_fraction_lost", tags, "loss the endpoint reports, 0..1 (-1 unknown)",
                m -> m.endpoint(key, EndpointStats::fractionLost)));
        meters.add(gauge("endpoint_rtt_ms", tags, "round-trip time in ms (-1 unknown)",
                m -> m.endpoint(key, EndpointStats::rttMs)));
        meters.add(gauge("endpoint_bitrate_in_bps", tags, "receive bitrate from the endpoint",
                m -> m.endpoint(key, EndpointStats::bitrateInBps)));
        meters.add(gauge("endpoint_bitrate_out_bps", tags, "send bitrate to the endpoint",
                m -> m.endpoint(key, EndpointStats::bitrateOutBps)));
        meters.add(gauge("endpoint_estimate_bps", tags, "bandwidth estimate last sent (REMB)",
                m -> m.endpoint(key, EndpointStats::estimateBps)));
        meters.add(gauge("endpoint_downlink_estimate_bps", tags, "the bridge's estimate of its path to the endpoint "
                        + "(send-side from its transport-cc feedback, else its REMB)",
                m -> m.endpoint(key, EndpointStats::downlinkEstimateBps)));
        meters.add(gauge("endpoint_transport_feedbacks_in", tags, "transport-cc feedback messages from the endpoint",
                m -> m.endpoint(key, EndpointStats::transportFeedbacksIn)));
        meters.add(gauge("endpoint_connected", tags, "1 once DTLS completed",
                m -> m.endpoint(key, e -> e.connected() ? 1 : 0)));
        dynamicMeters.put(key, meters);
    }

    private void registerEndpointDrop(MeetingId meetingId, String endpointId, String key, String cause) {
        Tags tags = Tags.of("bridge", bridge.id(), "conference", meetingId.value(), "endpoint", endpointId, "cause", cause);
        dynamicMeters.put(key + "\u0000" + cause, List.of(counter("endpoint_dropped", tags,
                "packets of the endpoint dropped, by cause",
                m -> m.endpoint(key, e -> e.dropped().getOrDefault(cause, 0L)))));
    }

    private double conference(MeetingId meetingId, ToDoubleFunction<ConferenceStats> value) {
        ConferenceStats c = conferences.get(meetingId);
        return c == null ? Double.NaN : value.applyAsDouble(c);
    }

    private double endpoint(String key, ToDoubleFunction<EndpointStats> value) {
        EndpointStats e = endpoints.get(key);
        return e == null ? Double.NaN : value.applyAsDouble(e);
    }

    private Meter gauge(String name, Tags tags, String help, ToDoubleFunction<BridgeMetrics> value) {
        return Gauge.builder(PREFIX + name, this, value).tags(tags).description(help).register(registry);
    }

    private Meter counter(String name, Tags tags, String help, ToDoubleFunction<BridgeMetrics> value) {
        return FunctionCounter.builder(PREFIX + name, this, value).tags(tags).description(help).register(registry);
    }
}
