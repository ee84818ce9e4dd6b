package io.livedesk.testkit.audio;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Speech-like PCM16 mono audio made in Java, so tests and the benchmark need no audio tools and no
 * files. A "voiced" stretch is a harmonic-rich buzz (a 150 Hz fundamental with 12 harmonics of
 * falling strength, a little noise) under a 4 Hz syllable envelope; "silence" is digital zero.
 *
 * <p>The synthetic energy model in the tests emits the word {@code speech} for each voiced stretch
 * and nothing for silence; a real model would hear a hum. Generation is deterministic per seed.
 */
public final class SyntheticAudio {
    /** One stretch of the script: voiced or silent, with its length. */
    public record Segment(boolean voiced, int millis) {
        public Segment {
            if (millis < 0) {
                throw new IllegalArgumentException("millis < 0: " + millis);
            }
        }
    }

    private final int sampleRate;
    private final long seed;

    public SyntheticAudio(int sampleRate, long seed) {
        if (sampleRate < 8000 || sampleRate > 48000) {
            throw new IllegalArgumentException("sampleRate out of 8000..48000: " + sampleRate);
        }
        this.sampleRate = sampleRate;
        this.seed = seed;
    }

    public static Segment voiced(int millis) {
        return new Segment(true, millis);
    }

    public static Segment silence(int millis) {
        return new Segment(false, millis);
    }

    public int sampleRate() {
        return sampleRate;
    }

    /** The whole script as one PCM16 buffer. */
    public short[] render(List<Segment> script) {
        Objects.requireNonNull(script, "script");
        int total = 0;
        for (Segment s : script) {
            total += samples(s.millis());
        }
        short[] out = new short[total];
        SplittableRandom random = new SplittableRandom(seed);
        int at = 0;
        for (Segment s : script) {
            int n = samples(s.millis());
            if (s.voiced()) {
                buzz(out, at, n, random);
            }
            at += n;
        }
        return out;
    }

    public short[] render(Segment... script) {
        return render(List.of(script));
    }

    /** Samples in {@code millis} of audio at this rate. */
    public int samples(int millis) {
        return (int) ((long) millis * sampleRate / 1000);
    }

    /** Splits audio into consecutive chunks of {@code millis} (the last one may be shorter). */
    public List<short[]> chunks(short[] pcm, int millis) {
        int size = Math.max(1, samples(millis));
        List<short[]> out = new ArrayList<>((pcm.length + size - 1) / size);
        for (int at = 0; at < pcm.length; at += size) {
            int n = Math.min(size, pcm.length - at);
            short[] c = new short[n];
            System.arraycopy(pcm, at, c, 0, n);
            out.add(c);
        }
        return out;
    }

    /** PCM16 little-endian bytes, the vosk-server wire format. */
    public static byte[] toBytes(short[] pcm, int offset, int length) {
        byte[] out = new byte[length * 2];
        for (int i = 0; i < length; i++) {
            short v = pcm[offset + i];
            out[2 * i] = (byte) v;
            out[2 * i + 1] = (byte) (v >> 8);
        }
        return out;
    }

    public static byte[] toBytes(short[] pcm) {
        return toBytes(pcm, 0, pcm.length);
    }

    private void buzz(short[] out, int at, int n, SplittableRandom random) {
        double f0 = 150.0;
        int harmonics = 12;
        // Fade in and out over 10 ms so the stretch has no click at its edges.
        int ramp = Math.max(1, samples(10));
        for (int i = 0; i < n; i++) {
            double t = (double) i / sampleRate;
            double v = 0;
            for (int h = 1; h <= harmonics; h++) {
                double f = f0 * h;
                if (f >= sampleRate / 2.0) {
                    break;
                }
                v += Math.sin(2 * Math.PI * f * t) / h;
            }
            // Syllables: 4 Hz amplitude modulation between 0.35 and 1.0.
            double envelope = 0.675 + 0.325 * Math.sin(2 * Math.PI * 4 * t);
            double edge = Math.min(1.0, Math.min(i, n - 1 - i) / (double) ramp);
            double sample = (0.5 * v * envelope + 0.02 * (random.nextDouble() * 2 - 1)) * edge;
            out[at + i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, sample * 8000));
        }
    }
}
