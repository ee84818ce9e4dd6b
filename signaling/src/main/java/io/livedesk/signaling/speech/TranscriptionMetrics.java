package io.livedesk.signaling.speech;

import io.livedesk.signaling.media.AudioTaps;
import io.livedesk.media.tap.AudioTapStats;
import io.livedesk.speech.SpeechMetrics;
import io.livedesk.speech.api.SpeechService;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.function.ToDoubleFunction;

/**
 * The transcription pipeline at {@code /metrics}: the recognizer's status ({@link SpeechMetrics}), the
 * legs being transcribed, and the in-process bridge's audio taps (packets tapped, decoded, concealed,
 * dropped when a tap's queue was full, decode errors). No call or customer ids in labels.
 */
public final class TranscriptionMetrics implements MeterBinder {
    private final SpeechService speech;
    private final CallTranscriber transcriber;
    private final AudioTaps taps;

    public TranscriptionMetrics(SpeechService speech, CallTranscriber transcriber, AudioTaps taps) {
        this.speech = speech;
        this.transcriber = transcriber;
        this.taps = taps;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        SpeechMetrics.bind(registry, speech);
        Gauge.builder("livedesk.transcription.legs", transcriber, CallTranscriber::activeLegs)
                .description("call participants being transcribed on this node").register(registry);
        if (taps.unavailable().isEmpty()) {
            Gauge.builder("livedesk.audio.taps", taps, AudioTaps::openTaps)
                    .description("open audio taps (on the in-process bridge, or this node's on remote bridge nodes)")
                    .register(registry);
        }
        if (taps.decodesHere()) {
            tapCounter(registry, "tapped", "audio packets handed to a tap", AudioTapStats::tapped);
            tapCounter(registry, "decoded", "Opus packets decoded", AudioTapStats::decoded);
            tapCounter(registry, "concealed", "lost packets concealed by Opus", AudioTapStats::concealed);
            tapCounter(registry, "dropped", "packets dropped because a tap's queue was full", AudioTapStats::dropped);
            tapCounter(registry, "decode.errors", "Opus payloads that could not be decoded", AudioTapStats::decodeErrors);
        }
    }

    private void tapCounter(MeterRegistry registry, String what, String help, ToDoubleFunction<AudioTapStats> value) {
        FunctionCounter.builder("livedesk.audio.tap.packets." + what, taps, t -> value.applyAsDouble(t.totals()))
                .description(help).register(registry);
    }
}
