package io.livedesk.media.bwe;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AcknowledgedBitrateTest {
    private static final long MS = 1_000_000L;

    @Test
    void bytesOverTheirArrivalSpan() {
        AcknowledgedBitrate acked = new AcknowledgedBitrate();
        for (int i = 0; i <= 50; i++) {
            acked.add(1_000 * MS + i * 10 * MS, 1000); // 1000 bytes every 10 ms
        }
        assertEquals(800_000, acked.bps());
    }

    @Test
    void onlyTheLastSecondCounts() {
        AcknowledgedBitrate acked = new AcknowledgedBitrate();
        for (int i = 0; i <= 100; i++) {
            acked.add(i * 10 * MS, 2000); // 1.6 Mbps for a second
        }
        for (int i = 1; i <= 200; i++) {
            acked.add(1_000 * MS + i * 10 * MS, 500); // then 400 kbps for two
        }
        assertEquals(400_000, acked.bps(), 4_000);
    }

    @Test
    void tooShortASpanTellsNothing() {
        AcknowledgedBitrate acked = new AcknowledgedBitrate();
        acked.add(0, 1000);
        assertEquals(0, acked.bps());
        acked.add(50 * MS, 1000);
        assertEquals(0, acked.bps());
    }

    @Test
    void sentPacketsAreTakenOnceAndForgottenWhenOverwritten() {
        SentPackets sent = new SentPackets();
        SentPackets.Sent out = new SentPackets.Sent();
        int first = sent.record(300, 5 * MS);
        assertEquals(0, first);
        assertEquals(1, sent.record(400, 6 * MS));
        assertEquals(true, sent.take(1, out));
        assertEquals(400, out.bytes);
        assertEquals(6 * MS, out.sentNanos);
        assertEquals(false, sent.take(1, out), "a repeated report finds nothing");
        for (int i = 0; i < SentPackets.CAPACITY; i++) {
            sent.record(100, 7 * MS);
        }
        assertEquals(false, sent.take(first, out), "too old");
    }
}
