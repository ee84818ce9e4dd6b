package io.livedesk.media.tap;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MediaClockTest {
    private static final int RATE = 16_000;
    private static final int FRAME = RATE / 50; // 20 ms
    private static final long T0 = 1_764_000_000_000L;

    @Test
    void continuousAudioMapsRecognizerSecondsToWhenItWasSaid() {
        MediaClock clock = new MediaClock();
        for (int i = 0; i < 100; i++) {
            clock.fed(FRAME, RATE, i * 20L, T0 + 30 + i * 20L);
        }
        // The first frame arrived 30 ms after media time 0 was said: that is the offset kept.
        assertEquals(T0 + 30, clock.epochMillis(0));
        assertEquals(T0 + 30 + 1_500, clock.epochMillis(1.5));
    }

    @Test
    void aSilenceTheTapSkippedMovesLaterWordsToWhenTheyWereSaid() {
        MediaClock clock = new MediaClock();
        for (int i = 0; i < 50; i++) {
            clock.fed(FRAME, RATE, i * 20L, T0 + i * 20L); // 1 s of audio
        }
        // The sender was silent 5 s; the tap delivered 2 s of silence and jumped the rest.
        for (int i = 0; i < 100; i++) {
            clock.fed(FRAME, RATE, 1_000 + i * 20L, T0 + 1_000 + i * 20L);
        }
        for (int i = 0; i < 50; i++) {
            clock.fed(FRAME, RATE, 6_000 + i * 20L, T0 + 6_000 + i * 20L);
        }
        assertEquals(T0 + 500, clock.epochMillis(0.5), "before the skip");
        assertEquals(T0 + 2_000, clock.epochMillis(2.0), "inside the delivered silence");
        // 3 s of audio fed = the first frame after the jump, said at media time 6 s.
        assertEquals(T0 + 6_000, clock.epochMillis(3.0));
        assertEquals(T0 + 6_400, clock.epochMillis(3.4));
    }
}
