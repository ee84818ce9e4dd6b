package io.livedesk.media.speechtap;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StreamFeedTest {
    private static final int RATE = 16_000;
    private static final int FRAME = RATE / 50;

    @Test
    void silenceIsNotVoicedAndSpeechLevelAudioIs() {
        assertEquals(false, StreamFeed.voiced(new short[FRAME]));
        short[] tone = new short[FRAME];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (short) (3000 * Math.sin(2 * Math.PI * 150 * i / RATE));
        }
        assertEquals(true, StreamFeed.voiced(tone));
        assertEquals(false, StreamFeed.voiced(new short[0]));
    }
}
