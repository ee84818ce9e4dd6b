package io.livedesk.speech;

import java.util.Objects;
import java.util.function.ToDoubleFunction;

import io.livedesk.speech.api.SpeechService;
import io.livedesk.speech.api.SpeechStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Binds a speech service's status to Micrometer (Prometheus names in brackets):
 * ready [{@code livedesk_speech_ready}], open streams [{@code livedesk_speech_streams_active}],
 * streams opened / refused / shed / failed [{@code livedesk_speech_streams_opened_total}, {@code
 * _rejected_total}, {@code _shed_total}, {@code _failed_total}], the largest lag of an open stream
 * [{@code livedesk_speech_lag_max_milliseconds}], estimated load [{@code livedesk_speech_load}]
 * and workers [{@code livedesk_speech_workers}]. Works for local and remote services alike.
 */
public final class SpeechMetrics {
    private SpeechMetrics() {
    }

    public static void bind(MeterRegistry registry, SpeechService service) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(service, "service");
        gauge(registry, service, "livedesk.speech.ready", "1 when streams can be opened", s -> s.ready() ? 1 : 0);
        gauge(registry, service, "livedesk.speech.streams.active", "open streams", SpeechStatus::activeStreams);
        gauge(registry, service, "livedesk.speech.lag.max.milliseconds",
                "longest wait of audio not yet recognised, over open streams", SpeechStatus::maxLagMillis);
        gauge(registry, service, "livedesk.speech.load", "real-time demand of open streams / admitted capacity",
                SpeechStatus::load);
        gauge(registry, service, "livedesk.speech.workers", "recognition (local) or connection (remote) threads",
                SpeechStatus::workers);
        counter(registry, service, "livedesk.speech.streams.opened", "streams opened", SpeechStatus::opened);
        counter(registry, service, "livedesk.speech.streams.rejected", "opens refused (overloaded, unsupported, off)",
                SpeechStatus::rejected);
        counter(registry, service, "livedesk.speech.streams.shed", "streams shed under overload", SpeechStatus::shed);
        counter(registry, service, "livedesk.speech.streams.failed", "streams failed", SpeechStatus::failed);
    }

    private static void gauge(MeterRegistry registry, SpeechService service, String name, String help,
                              ToDoubleFunction<SpeechStatus> value) {
        Gauge.builder(name, service, s -> value.applyAsDouble(s.status())).description(help).register(registry);
    }

    private static void counter(MeterRegistry registry, SpeechService service, String name, String help,
                                ToDoubleFunction<SpeechStatus> value) {
        FunctionCounter.builder(name, service, s -> value.applyAsDouble(s.status())).description(help)
                .register(registry);
    }
}
