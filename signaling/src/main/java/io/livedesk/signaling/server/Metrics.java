package io.livedesk.signaling.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The node's meters, exposed at /metrics in Prometheus text. Names are documented in docs/operations.md. */
public final class Metrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer requestToOffer;
    private final Timer finalCaptionDelay;
    private final Counter requests;
    private final Counter offers;
    private final Counter accepted;

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        requestToOffer = Timer.builder("livedesk.routing.request.to.offer")
                .description("From a request entering a queue to its first offer to a staff member")
                .publishPercentileHistogram()
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofMillis(100))
                .register(registry);
        finalCaptionDelay = Timer.builder("livedesk.transcription.final.delay")
                .description("From the end of a participant's voiced audio to their final caption being sent")
                .serviceLevelObjectives(Duration.ofMillis(500), Duration.ofMillis(1000),
                        Duration.ofMillis(2000))
                // Buckets, not client-side percentiles: Prometheus computes quantiles across nodes, and the
                // product needs no HdrHistogram (only the benchmarks do).
                .publishPercentileHistogram()
                .register(registry);
        requests = Counter.builder("livedesk.routing.requests").description("Service requests created").register(registry);
        offers = Counter.builder("livedesk.routing.offers").description("Offers made to staff").register(registry);
        accepted = Counter.builder("livedesk.routing.accepted").description("Offers accepted").register(registry);
    }

    public void gauge(String name, String description, Supplier<Number> value) {
        io.micrometer.core.instrument.Gauge.builder(name, value).description(description).register(registry);
    }

    /** Registers a component's own meters (e.g. the media bridges' gauges). */
    public void bind(MeterBinder binder) {
        binder.bindTo(registry);
    }

    public void message(String type) {
        registry.counter("livedesk.ws.messages", "type", type).increment();
    }

    public void error(String code) {
        registry.counter("livedesk.ws.errors", "code", code).increment();
    }

    public void callEnded(String reason) {
        registry.counter("livedesk.calls.ended", "reason", reason).increment();
    }

    public void requestCreated() {
        requests.increment();
    }

    public void offered(long requestToOfferMs) {
        offers.increment();
        if (requestToOfferMs >= 0) {
            requestToOffer.record(Duration.ofMillis(requestToOfferMs));
        }
    }

    public void accepted() {
        accepted.increment();
    }

    /** @param mode monitor or barge */
    public void supervisorJoined(String mode) {
        registry.counter("livedesk.calls.supervisor.joins", "mode", mode).increment();
    }

    /**
     * How long after a participant stopped speaking (the last voiced audio the tap delivered) their final
     * caption was handed to the staff side: the recognizer's endpointing plus LiveDesk's pipeline.
     */
    public void finalCaptionDelay(long nanos) {
        finalCaptionDelay.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void transferRequested() {
        registry.counter("livedesk.calls.transfers").increment();
    }

    public String scrape() {
        return registry.scrape();
    }
}
