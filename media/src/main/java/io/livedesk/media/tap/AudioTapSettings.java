package io.livedesk.media.tap;

import java.time.Duration;

/**
 * How a bridge's audio taps run.
 *
 * @param threads         decoding threads shared by every tap of the pool (they exist only while busy)
 * @param maxTaps         taps open at once; also bounds the pool's task queue (one task per tap at most)
 * @param queuePackets    packets one tap holds for decoding; more are dropped and counted, so a slow
 *                        decoder never slows forwarding (50 = 1 s of 20 ms packets)
 * @param reorderPackets  packets held back while a missing one may still arrive out of order; adds
 *                        latency only while a packet is missing
 * @param maxConcealedGap lost audio up to this long is concealed by Opus PLC/FEC; longer gaps become
 *                        silence (PLC of a long gap only smears the last syllable; at most 120 ms)
 * @param maxSilence      silence inserted for one gap (DTX, loss, a pause) at most; beyond it media time
 *                        jumps instead, so a long mute does not make a burst of zeros
 */
public record AudioTapSettings(int threads, int maxTaps, int queuePackets, int reorderPackets,
                               Duration maxConcealedGap, Duration maxSilence) {
    /** Lowest and highest rate a tap delivers. */
    public static final int MIN_RATE = 8000;
    public static final int MAX_RATE = 48000;

    public AudioTapSettings {
        if (threads < 1 || maxTaps < 1 || queuePackets < 1 || reorderPackets < 0) {
            throw new IllegalArgumentException("need threads, maxTaps, queuePackets >= 1 and reorderPackets >= 0");
        }
        if (maxConcealedGap.isNegative() || maxConcealedGap.compareTo(Duration.ofMillis(120)) > 0) {
            throw new IllegalArgumentException("maxConcealedGap must be 0..120 ms: " + maxConcealedGap);
        }
        if (maxSilence.isNegative() || maxSilence.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("maxSilence must be 0..60 s: " + maxSilence);
        }
    }

    /** Half the cores for decoding (one stream costs well under 1% of a core), 1 s of queue, 3 packets of reordering. */
    public static AudioTapSettings defaults() {
        return new AudioTapSettings(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 10_000, 50, 3,
                Duration.ofMillis(80), Duration.ofSeconds(2));
    }

    public AudioTapSettings withThreads(int n) {
        return new AudioTapSettings(n, maxTaps, queuePackets, reorderPackets, maxConcealedGap, maxSilence);
    }

    public AudioTapSettings withQueuePackets(int n) {
        return new AudioTapSettings(threads, maxTaps, n, reorderPackets, maxConcealedGap, maxSilence);
    }

    public AudioTapSettings withMaxTaps(int n) {
        return new AudioTapSettings(threads, n, queuePackets, reorderPackets, maxConcealedGap, maxSilence);
    }

    /**
     * 8 to 48 kHz, where 48000/rate reduces to a fraction with a small numerator (8000, 11025, 12000,
     * 16000, 22050, 24000, 32000, 44100, 48000 all do; 16001 does not).
     */
    public static boolean isSupportedRate(int sampleRate) {
        return sampleRate >= MIN_RATE && sampleRate <= MAX_RATE
                && PolyphaseResampler.isSupported(OpusPlayout.OPUS_RATE, sampleRate);
    }
}
