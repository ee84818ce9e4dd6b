package io.livedesk.media.tap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PolyphaseResamplerTest {
    private static final int IN = 48_000;

    /** Two seconds of a -12 dBFS sine, resampled in 20 ms pieces as the tap does. */
    private static short[] resample(double hz, int outRate) {
        PolyphaseResampler r = new PolyphaseResampler(IN, outRate);
        short[] in = Tones.sine(hz, -12, IN, 2 * IN);
        short[] out = new short[0];
        for (int off = 0; off < in.length; off += 960) {
            short[] piece = r.process(in, off, 960);
            out = concat(out, piece);
        }
        return out;
    }

    @ParameterizedTest(name = "{0} Hz to {1} Hz")
    @CsvSource({"440, 16000", "1000, 16000", "3000, 16000", "6000, 16000",
            "440, 8000", "1000, 8000", "2500, 8000",
            "1000, 22050", "1000, 44100", "1000, 24000", "1000, 11025"})
    void keepsFrequencyAndLevel(double hz, int outRate) {
        short[] out = resample(hz, outRate);
        // The output has the input's duration (less the filter's few ms of delay).
        assertTrue(Math.abs(out.length - 2 * outRate) <= outRate / 100, "length " + out.length);
        int skip = outRate / 10; // the filter's run-in from silence
        int len = out.length - skip;
        double measured = Tones.dominantHz(out, skip, len, outRate);
        assertEquals(hz, measured, hz * 0.01, "dominant frequency");
        double level = Tones.levelDb(out, skip, len, -12);
        assertEquals(0, level, 0.5, "level in dB against the input's");
    }

    @ParameterizedTest(name = "{0} Hz to {1} Hz is filtered out")
    @CsvSource({"12000, 16000", "9000, 16000", "6000, 8000", "20000, 8000"})
    void removesWhatWouldAlias(double hz, int outRate) {
        short[] out = resample(hz, outRate);
        int skip = outRate / 10;
        double level = Tones.levelDb(out, skip, out.length - skip, -12);
        assertTrue(level < -50, "a tone above the new Nyquist frequency is at " + level + " dB");
    }

    @Test
    void pieceSizesDoNotChangeTheOutput() {
        short[] in = new short[48_000];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < in.length; i++) {
            in[i] = (short) random.nextInt(-8000, 8000);
        }
        for (int rate : new int[] {16_000, 8_000, 44_100}) {
            short[] whole = new PolyphaseResampler(IN, rate).process(in, 0, in.length);
            PolyphaseResampler pieces = new PolyphaseResampler(IN, rate);
            short[] joined = new short[0];
            for (int off = 0; off < in.length; ) {
                int n = Math.min(in.length - off, 1 + random.nextInt(2000));
                joined = concat(joined, pieces.process(in, off, n));
                off += n;
            }
            assertArrayEquals(whole, joined, "at " + rate + " Hz");
        }
    }

    @Test
    void fullScaleInputIsClippedNotWrapped() {
        short[] square = new short[9600];
        for (int i = 0; i < square.length; i++) {
            square[i] = (i / 48) % 2 == 0 ? Short.MAX_VALUE : Short.MIN_VALUE;
        }
        short[] out = new PolyphaseResampler(IN, 16_000).process(square, 0, square.length);
        // Gibbs overshoot of a full-scale square would wrap around without clipping: look for sign flips
        // in the middle of each half period (the 500 Hz square has 16 samples per half period at 16 kHz).
        for (int i = 200; i < out.length - 16; i++) {
            int phase = (i * 3) % 96;
            if (phase == 24) {
                assertTrue(out[i] > 20_000, "sample " + i + " = " + out[i]);
            }
        }
    }

    @Test
    void rejectsRatesThatNeedTooManyPhases() {
        assertTrue(AudioTapSettings.isSupportedRate(16_000));
        assertTrue(AudioTapSettings.isSupportedRate(44_100));
        assertFalse(AudioTapSettings.isSupportedRate(16_001));
        assertFalse(AudioTapSettings.isSupportedRate(7_999));
        assertFalse(AudioTapSettings.isSupportedRate(96_000));
        assertThrows(IllegalArgumentException.class, () -> new PolyphaseResampler(IN, 16_001));
    }

    private static short[] concat(short[] a, short[] b) {
        short[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
