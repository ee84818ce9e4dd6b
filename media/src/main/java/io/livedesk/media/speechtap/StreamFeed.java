package io.livedesk.media.speechtap;

import io.livedesk.media.tap.AudioSink;
import io.livedesk.media.tap.MediaClock;
import io.livedesk.speech.api.SpeechStream;

import java.time.Clock;
import java.util.Objects;

/**
 * One participant's tapped audio on its way into a recognizer stream: gathered into 100 ms batches, with the
 * {@link MediaClock} that maps the recognizer's time back to when it was said, and the time of the last voiced
 * frame (for the delay of final captions). The tap ending finishes the stream, so the last words are flushed.
 */
public final class StreamFeed implements AudioSink {
    /** RMS above which a frame counts as voiced (about -36 dBFS), for the final-caption delay only. */
    private static final double VOICED_RMS = 500;

    private final SpeechStream stream;
    private final int sampleRate;
    private final Clock clock;
    private final MediaClock mediaClock = new MediaClock();
    /** Only the tap's thread (one at a time per tap) touches the batch. */
    private final short[] batch;
    private int batched;
    private volatile long lastVoicedNanos;

    public StreamFeed(SpeechStream stream, int sampleRate, Clock clock) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.sampleRate = sampleRate;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.batch = new short[sampleRate / 10];
    }

    @Override
    public void onAudio(short[] pcm, long mediaTimeMs) {
        mediaClock.fed(pcm.length, sampleRate, mediaTimeMs, clock.millis());
        if (voiced(pcm)) {
            lastVoicedNanos = System.nanoTime();
        }
        // The tap delivers 20 ms frames; the recognizer costs less per sample fed in larger chunks
        // (docs/benchmarks.md), and 100 ms more before a caption is well inside its budget.
        int at = 0;
        while (at < pcm.length) {
            int n = Math.min(pcm.length - at, batch.length - batched);
            System.arraycopy(pcm, at, batch, batched, n);
            batched += n;
            at += n;
            if (batched == batch.length) {
                flush();
            }
        }
    }

    private void flush() {
        if (batched > 0) {
            stream.accept(batch, 0, batched);
        }
        batched = 0;
    }

    /** The tap ended (closed, or its endpoint expired): the last words are flushed. */
    @Override
    public void onClose() {
        flush();
        stream.finish();
    }

    /** Wall-clock milliseconds of the moment {@code seconds} into the recognizer's audio. */
    public long epochMillis(double seconds) {
        return mediaClock.epochMillis(seconds);
    }

    /** {@link System#nanoTime()} of the last voiced frame, 0 before the first. */
    public long lastVoicedNanos() {
        return lastVoicedNanos;
    }

    public SpeechStream stream() {
        return stream;
    }

    static boolean voiced(short[] pcm) {
        double sum = 0;
        for (short v : pcm) {
            sum += (double) v * v;
        }
        return pcm.length > 0 && Math.sqrt(sum / pcm.length) > VOICED_RMS;
    }
}
