package io.livedesk.media.tap;

import java.util.Arrays;

/**
 * Streaming sample-rate converter for PCM16 mono by a rational factor L/M (48000 to 16000 is 1/3),
 * a polyphase windowed-sinc filter (Smith's bandlimited interpolation with a precomputed table per
 * phase; Kaiser window, about 80 dB stopband; the passband ends a little under 0.45 of the lower
 * rate, the rest of the band is transition). Written here because the pinned Concentus
 * (io.github.jaredmdobson 1.0.2) has no public resampler (its SILK one is package-private, and its
 * SpeexResampler is not in this fork), and its decoder's own 8/16 kHz output is silent for hybrid
 * mode packets.
 *
 * <p>Delay: {@code H} input samples (1.7 ms from 48 to 16 kHz, 3.3 ms to 8 kHz); the first outputs
 * are the filter running in from silence. Not thread-safe: one per stream.
 */
final class PolyphaseResampler {
    /** Zero crossings of the cutoff's sinc on each side: sets the transition width. */
    private static final int ZERO_CROSSINGS = 24;
    /** Cutoff, as a share of the lower rate's Nyquist frequency. */
    private static final double CUTOFF = 0.9;
    /** Kaiser beta for about 80 dB stopband (0.1102 * (80 - 8.7)). */
    private static final double BETA = 7.857;
    /** Largest reduced L: more phases would make the table large (16001 Hz would need 16001 phases). */
    static final int MAX_PHASES = 160;

    private final int up;
    private final int down;
    private final int half;
    private final int taps;
    /** [phase][tap]: coefficients for an output {@code phase/up} of an input sample after x[n]. */
    private final float[][] table;
    /** Input not yet consumed, starting at absolute input index {@link #bufStart}. */
    private float[] buf;
    private int bufLen;
    private long bufStart;
    /** Index of the next output sample. */
    private long next;

    PolyphaseResampler(int inRate, int outRate) {
        if (!isSupported(inRate, outRate)) {
            throw new IllegalArgumentException("cannot resample " + inRate + " Hz to " + outRate + " Hz");
        }
        int g = gcd(inRate, outRate);
        this.up = outRate / g;
        this.down = inRate / g;
        double ratio = Math.min(1.0, (double) up / down);
        double fc = 0.5 * ratio * CUTOFF; // cycles per input sample
        this.half = up == down ? 1 : (int) Math.ceil(ZERO_CROSSINGS / (2 * fc));
        this.taps = 2 * half;
        this.table = new float[up][taps];
        for (int p = 0; p < up; p++) {
            double sum = 0;
            double[] h = new double[taps];
            for (int t = 0; t < taps; t++) {
                double u = (double) p / up + half - 1 - t; // input samples from x[i] to the output instant
                h[t] = up == down ? (u == 0 ? 1 : 0) : 2 * fc * sinc(2 * fc * u) * kaiser(u / half);
                sum += h[t];
            }
            for (int t = 0; t < taps; t++) {
                table[p][t] = (float) (h[t] / sum); // unity gain at DC for every phase
            }
        }
        // The filter starts on silence: half - 1 zeros before the first input sample.
        this.buf = new float[Math.max(4096, 2 * taps)];
        this.bufLen = half - 1;
        this.bufStart = -(half - 1);
    }

    /** Whether a converter from {@code inRate} to {@code outRate} is supported (positive rates, few phases). */
    static boolean isSupported(int inRate, int outRate) {
        return inRate > 0 && outRate > 0 && outRate / gcd(inRate, outRate) <= MAX_PHASES;
    }

    /** Converts the next {@code len} input samples; returns the output they complete (possibly none). */
    short[] process(short[] in, int off, int len) {
        append(in, off, len);
        long available = bufStart + bufLen; // absolute index one past the last input sample
        // Output k needs inputs up to floor(k * down / up) + half.
        long end = available - half <= 0 ? 0 : ((available - half) * up + down - 1) / down;
        int count = (int) Math.max(0, end - next);
        short[] out = new short[count];
        for (int i = 0; i < count; i++, next++) {
            long num = next * down;
            long n = num / up;
            float[] h = table[(int) (num - n * up)];
            int base = (int) (n - half + 1 - bufStart);
            // Four running sums: one sum would be a chain of dependent adds the JIT cannot reorder.
            float a0 = 0;
            float a1 = 0;
            float a2 = 0;
            float a3 = 0;
            int t = 0;
            for (; t + 3 < taps; t += 4) {
                a0 += buf[base + t] * h[t];
                a1 += buf[base + t + 1] * h[t + 1];
                a2 += buf[base + t + 2] * h[t + 2];
                a3 += buf[base + t + 3] * h[t + 3];
            }
            for (; t < taps; t++) {
                a0 += buf[base + t] * h[t];
            }
            int v = Math.round((a0 + a1) + (a2 + a3));
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
        }
        discardBefore(next * down / up - half + 1);
        return out;
    }

    private void append(short[] in, int off, int len) {
        if (bufLen + len > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, bufLen + len));
        }
        for (int i = 0; i < len; i++) {
            buf[bufLen + i] = in[off + i];
        }
        bufLen += len;
    }

    private void discardBefore(long absolute) {
        int drop = (int) Math.min(bufLen, Math.max(0, absolute - bufStart));
        if (drop > 0) {
            System.arraycopy(buf, drop, buf, 0, bufLen - drop);
            bufLen -= drop;
            bufStart += drop;
        }
    }

    private static double sinc(double x) {
        if (x == 0) {
            return 1;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    private static double kaiser(double x) {
        if (x <= -1 || x >= 1) {
            return 0;
        }
        return besselI0(BETA * Math.sqrt(1 - x * x)) / besselI0(BETA);
    }

    /** Modified Bessel function of the first kind, order 0 (power series; converges fast for beta < 20). */
    private static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; k < 50; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-12) {
                break;
            }
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
