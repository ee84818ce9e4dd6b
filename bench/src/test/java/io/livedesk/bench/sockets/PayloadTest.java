package io.livedesk.bench.sockets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PayloadTest {
    @Test
    void readsBackWhatWasWrittenAtAnyOffset() {
        byte[] packet = new byte[12 + Payload.LENGTH + 10];
        Payload.write(packet, 12, 123_456_789_012L, 0xF0000001L, -5, 65535);

        assertEquals(new Payload(123_456_789_012L, 0xF0000001L, -5, 65535), Payload.read(packet, 12, Payload.LENGTH));
    }

    @Test
    void anyChangedByteTruncationOrShiftIsRefused() {
        byte[] packet = new byte[12 + Payload.LENGTH];
        Payload.write(packet, 12, 42L, 7L, 3000, 1);
        for (int i : new int[] {12, 12 + 9, 12 + 500, 12 + Payload.LENGTH - 1}) {
            byte[] copy = packet.clone();
            copy[i] ^= 0x01;
            assertNull(Payload.read(copy, 12, Payload.LENGTH), "byte " + i + " changed");
        }
        assertNull(Payload.read(packet, 12, Payload.LENGTH - 1), "truncated");
        assertNull(Payload.read(packet, 11, Payload.LENGTH), "shifted");
    }

    @Test
    void rewritingTheBufferLeavesNoTraceOfThePreviousPacket() {
        byte[] packet = new byte[Payload.LENGTH];
        packet[100] = 9;
        Payload.write(packet, 0, 1L, 2L, 3, 4);

        assertEquals(new Payload(1L, 2L, 3, 4), Payload.read(packet, 0, Payload.LENGTH));
    }
}
