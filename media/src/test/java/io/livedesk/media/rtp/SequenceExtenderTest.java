package io.livedesk.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SequenceExtenderTest {
    private final SequenceExtender extender = new SequenceExtender();

    @Test
    void firstPacketIsAcceptedAtOnce() {
        assertEquals(-1, extender.highest());
        assertEquals(65000, extender.extend(65000));
        assertEquals(65000, extender.highest());
    }

    @Test
    void countsRolloversOverManyWraps() {
        int seq = 60000;
        long expected = 60000;
        for (int i = 0; i < 300_000; i++) {
            assertEquals(expected, extender.extend(seq));
            seq = (seq + 1) & 0xFFFF;
            expected++;
        }
        assertEquals(expected - 1, extender.highest());
        assertEquals((expected - 1) >>> 16, extender.rollovers());
        assertEquals(0, extender.restarts());
    }

    @Test
    void latePacketFromBeforeTheWrapKeepsItsCycle() {
        extender.extend(65534);
        assertEquals(65536, extender.extend(0));
        assertEquals(65537, extender.extend(1));
        assertEquals(65535, extender.extend(65535), "reordered across the wrap");
        assertEquals(65537, extender.highest());
        assertEquals(65538, extender.extend(2));
    }

    @Test
    void duplicatesAndSmallGapsAreAccepted() {
        extender.extend(10);
        assertEquals(10, extender.extend(10));
        assertEquals(2999 + 10, extender.extend(3009), "gap just under maxDropout");
        assertEquals(3009 - 99, extender.extend(3009 - 99), "late by just under maxMisorder");
    }

    @Test
    void latePacketFromBeforeTheFirstOneIsNegative() {
        extender.extend(1);
        assertEquals(-1, extender.extend(65535));
        assertEquals(1, extender.highest());
    }

    @Test
    void aSingleBigJumpIsRejectedAndTheStreamContinues() {
        extender.extend(100);
        assertEquals(SequenceExtender.REJECTED, extender.extend(40000));
        assertEquals(101, extender.extend(101));
        assertEquals(SequenceExtender.REJECTED, extender.extend(40001), "not a continuation any more");
        assertEquals(0, extender.restarts());
    }

    @Test
    void aConfirmedJumpIsARestartAndExtendedValuesKeepIncreasing() {
        for (int s = 50000; s < 50010; s++) {
            extender.extend(s);
        }
        assertEquals(SequenceExtender.REJECTED, extender.extend(1000));
        long restarted = extender.extend(1001);
        assertTrue(restarted > 50009, "restart must not move backwards: " + restarted);
        assertEquals(65536 + 1001, restarted);
        assertEquals(1, extender.restarts());
        assertEquals(restarted + 1, extender.extend(1002));

        // A forward restart stays in the same cycle.
        assertEquals(SequenceExtender.REJECTED, extender.extend(30000));
        assertEquals(65536 + 30001, extender.extend(30001));
        assertEquals(2, extender.restarts());
    }

    @Test
    void packetsJustBeyondMisorderAreTreatedAsAJump() {
        extender.extend(500);
        assertEquals(SequenceExtender.REJECTED, extender.extend(500 - 100));
        assertEquals(SequenceExtender.REJECTED, extender.extend(500 + 3000));
    }

    @Test
    void customLimitsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new SequenceExtender(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new SequenceExtender(60000, 6000));
        SequenceExtender strict = new SequenceExtender(10, 5);
        strict.extend(0);
        assertEquals(SequenceExtender.REJECTED, strict.extend(10));
        assertEquals(9, strict.extend(9));
    }
}
