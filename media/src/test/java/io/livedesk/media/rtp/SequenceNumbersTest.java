package io.livedesk.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SequenceNumbersTest {
    @Test
    void deltaIsSignedAcrossTheWrap() {
        assertEquals(1, SequenceNumbers.delta(0, 65535));
        assertEquals(-1, SequenceNumbers.delta(65535, 0));
        assertEquals(10, SequenceNumbers.delta(5, 65531));
        assertEquals(0, SequenceNumbers.delta(42, 42));
        assertEquals(32767, SequenceNumbers.delta(32767, 0));
        assertEquals(-32768, SequenceNumbers.delta(32768, 0));
    }

    @Test
    void newerAndOlderAcrossTheWrap() {
        assertTrue(SequenceNumbers.isNewer(0, 65535));
        assertTrue(SequenceNumbers.isNewer(100, 65000));
        assertFalse(SequenceNumbers.isNewer(65000, 100));
        assertTrue(SequenceNumbers.isOlder(65535, 0));
        assertFalse(SequenceNumbers.isNewer(7, 7));
        assertFalse(SequenceNumbers.isOlder(7, 7));
    }

    @Test
    void halfwayApartIsNeitherNewerNorOlder() {
        assertFalse(SequenceNumbers.isNewer(32768, 0));
        assertFalse(SequenceNumbers.isNewer(0, 32768));
        assertFalse(SequenceNumbers.isOlder(32768, 0));
        assertFalse(SequenceNumbers.isOlder(0, 32768));
    }

    @Test
    void newerIsAntisymmetricEverywhere() {
        for (int a = 0; a < 65536; a += 97) {
            for (int b = 0; b < 65536; b += 89) {
                assertFalse(SequenceNumbers.isNewer(a, b) && SequenceNumbers.isNewer(b, a), a + " " + b);
                assertEquals(SequenceNumbers.isNewer(b, a), SequenceNumbers.isOlder(a, b));
            }
        }
    }

    @Test
    void addWraps() {
        assertEquals(1, SequenceNumbers.add(65535, 2));
        assertEquals(65535, SequenceNumbers.add(0, -1));
        assertEquals(5, SequenceNumbers.add(5, 65536));
    }
}
