package io.livedesk.media.tap;

/** Sines in, and their frequency and level measured back out. */
final class Tones {
    private Tones() {
    }

    /** Peak amplitude of a sine at {@code dbfs} (0 dBFS = full-scale peak). */
    static double amplitude(double dbfs) {
        return 32767 * Math.pow(10, dbfs / 20);
    }

    static short[] sine(double hz, double dbfs, int rate, int samples) {
        return sine(hz, dbfs, rate, 0, samples);
    }

    /** Samples {@code first .. first + samples - 1} of a continuous sine. */
    static short[] sine(double hz, double dbfs, int rate, long first, int samples) {
        double amp = amplitude(dbfs);
        short[] out = new short[samples];
        for (int i = 0; i < samples; i++) {
            out[i] = (short) Math.round(amp * Math.sin(2 * Math.PI * hz * (first + i) / rate));
        }
        return out;
    }

    static double rms(short[] x, int off, int len) {
        double sum = 0;
        for (int i = off; i < off + len; i++) {
            sum += (double) x[i] * x[i];
        }
        return Math.sqrt(sum / len);
    }

    /** Level relative to the RMS of a sine at {@code dbfs}, in dB. */
    static double levelDb(short[] x, int off, int len, double dbfs) {
        return 20 * Math.log10(rms(x, off, len) / (amplitude(dbfs) / Math.sqrt(2)));
    }

    /** Goertzel magnitude of {@code hz} in {@code x[off, off + len)}. */
    static double magnitude(short[] x, int off, int len, double hz, int rate) {
        double w = 2 * Math.PI * hz / rate;
        double c = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        for (int i = off; i < off + len; i++) {
            double s = x[i] + c * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        return Math.sqrt(Math.max(0, s1 * s1 + s2 * s2 - c * s1 * s2));
    }

    /** The strongest frequency between 50 Hz and Nyquist: a 10 Hz scan, then a 0.25 Hz one around the peak. */
    static double dominantHz(short[] x, int off, int len, int rate) {
        double best = 0;
        double bestHz = 0;
        for (double f = 50; f < rate / 2.0; f += 10) {
            double m = magnitude(x, off, len, f, rate);
            if (m > best) {
                best = m;
                bestHz = f;
            }
        }
        double center = bestHz;
        for (double f = center - 10; f <= center + 10; f += 0.25) {
            double m = magnitude(x, off, len, f, rate);
            if (m > best) {
                best = m;
                bestHz = f;
            }
        }
        return bestHz;
    }
}
