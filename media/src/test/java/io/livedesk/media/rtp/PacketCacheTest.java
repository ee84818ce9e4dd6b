package io.livedesk.media.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PacketCacheTest {
    private final RtpPacket view = new RtpPacket();
    private final byte[] out = new byte[1500];

    private RtpPacket packet(int seq, int payloadLength) {
        byte[] b = TestPackets.rtp(96, seq, seq * 90, 0x5555, payloadLength);
        if (payloadLength > 0) {
            b[12] = (byte) seq;
        }
        assertTrue(view.wrap(b, 0, b.length));
        return view;
    }

    @Test
    void returnsACopyOfTheCachedBytes() {
        PacketCache cache = new PacketCache(16, 1500, 1000);
        RtpPacket p = packet(7, 100);
        byte[] original = Arrays.copyOfRange(p.buffer(), 0, p.length());
        assertTrue(cache.insert(p, 0));
        p.setSsrc(1); // the caller reuses its buffer; the cache must not care

        int len = cache.copy(7, 10, out, 3);
        assertEquals(112, len);
        assertArrayEquals(original, Arrays.copyOfRange(out, 3, 3 + len));
        assertEquals(-1, cache.copy(8, 10, out, 0));
        assertEquals(1, cache.hitCount());
        assertEquals(1, cache.missCount());
    }

    @Test
    void capacityIsRoundedUpToAPowerOfTwo() {
        assertEquals(1, new PacketCache(1, 100, 10).capacity());
        assertEquals(2, new PacketCache(2, 100, 10).capacity());
        assertEquals(512, new PacketCache(500, 100, 10).capacity());
        assertEquals(32768, new PacketCache(32768, 100, 10).capacity());
        assertThrows(IllegalArgumentException.class, () -> new PacketCache(0, 100, 10));
        assertThrows(IllegalArgumentException.class, () -> new PacketCache(32769, 100, 10));
        assertThrows(IllegalArgumentException.class, () -> new PacketCache(8, 11, 10));
        assertThrows(IllegalArgumentException.class, () -> new PacketCache(8, 100, 0));
    }

    @Test
    void evictsByCount() {
        PacketCache cache = new PacketCache(8, 1500, 10_000);
        for (int seq = 0; seq < 20; seq++) {
            cache.insert(packet(seq, 10), 0);
        }
        for (int seq = 0; seq < 12; seq++) {
            assertFalse(cache.contains(seq, 0), "seq " + seq);
        }
        for (int seq = 12; seq < 20; seq++) {
            assertTrue(cache.contains(seq, 0), "seq " + seq);
        }
    }

    @Test
    void evictsByCountWhenSequenceNumbersSkip() {
        PacketCache cache = new PacketCache(8, 1500, 10_000);
        cache.insert(packet(1, 10), 0);
        cache.insert(packet(2, 10), 0);
        cache.insert(packet(30, 10), 0); // lost 3-29: 1 and 2 are no longer among the last 8
        assertFalse(cache.contains(1, 0));
        assertFalse(cache.contains(2, 0));
        assertTrue(cache.contains(30, 0));
    }

    @Test
    void evictsByAge() {
        PacketCache cache = new PacketCache(64, 1500, 500);
        cache.insert(packet(1, 10), 1000);
        cache.insert(packet(2, 10), 1400);
        assertTrue(cache.contains(1, 1500));
        assertFalse(cache.contains(1, 1501));
        assertEquals(-1, cache.copy(1, 1501, out, 0));
        assertTrue(cache.contains(2, 1900));
        assertFalse(cache.contains(2, 1901));
    }

    @Test
    void worksAcrossTheSequenceWrap() {
        PacketCache cache = new PacketCache(16, 1500, 10_000);
        for (int i = 0; i < 10; i++) {
            cache.insert(packet((65530 + i) & 0xFFFF, 10), 0);
        }
        for (int i = 0; i < 10; i++) {
            int seq = (65530 + i) & 0xFFFF;
            assertEquals(22, cache.copy(seq, 0, out, 0), "seq " + seq);
            assertEquals((byte) seq, out[12]);
        }
    }

    @Test
    void aLatePacketDoesNotEvictANewerOne() {
        PacketCache cache = new PacketCache(4, 1500, 10_000);
        cache.insert(packet(8, 10), 0);
        assertFalse(cache.insert(packet(4, 10), 0), "4 maps to the slot of 8 and is older");
        assertTrue(cache.contains(8, 0));
        assertFalse(cache.contains(4, 0));
        assertEquals(1, cache.rejectedCount());

        cache.insert(packet(5, 10), 0);
        assertTrue(cache.contains(5, 0), "a late packet into an empty slot, still within the window");
    }

    @Test
    void anExpiredSlotIsReplacedEvenByAnOlderNumberAfterARestart() {
        PacketCache cache = new PacketCache(4, 1500, 100);
        cache.insert(packet(40000, 10), 0);
        // The sender restarted its numbering lower; once the old packets expired, it is followed.
        assertTrue(cache.insert(packet(100, 10), 500));
        assertTrue(cache.contains(100, 500));
        cache.clear();
        assertFalse(cache.contains(100, 500));
        assertTrue(cache.insert(packet(7, 10), 500));
        assertTrue(cache.contains(7, 500));
    }

    @Test
    void aSlotFromAFullCycleAgoIsNotServed() {
        PacketCache cache = new PacketCache(4, 1500, 1_000_000);
        cache.insert(packet(1, 10), 0);
        // Every packet that maps to seq 1's slot is lost for a whole 16-bit cycle; when the
        // numbering comes round to 1 again (lost too), the old copy must not be served as it.
        for (int seq = 2; seq <= 65536 + 3; seq++) {
            if ((seq & 3) != 1) {
                cache.insert(packet(seq & 0xFFFF, 10), 0);
            }
        }
        assertTrue(cache.contains(3, 0));
        assertFalse(cache.contains(1, 0));
    }

    @Test
    void aLatePacketInsideTheWindowIsServed() {
        PacketCache cache = new PacketCache(8, 1500, 1_000_000);
        cache.insert(packet(1, 10), 0);
        cache.insert(packet(2, 10), 0);
        cache.insert(packet(9, 10), 0); // 3-8 missing so far
        assertTrue(cache.contains(2, 0));
        assertFalse(cache.contains(1, 0));
        assertTrue(cache.insert(packet(5, 10), 0));
        assertTrue(cache.contains(5, 0));
        assertTrue(cache.contains(9, 0));
    }

    @Test
    void tooLargePacketsAreRefused() {
        PacketCache cache = new PacketCache(4, 100, 1000);
        assertFalse(cache.insert(packet(1, 89), 0));
        assertTrue(cache.insert(packet(2, 88), 0));
        assertEquals(1, cache.rejectedCount());
        assertEquals(1, cache.insertedCount());
    }

    @Test
    void copyIntoTooSmallBufferThrows() {
        PacketCache cache = new PacketCache(4, 1500, 1000);
        cache.insert(packet(1, 100), 0);
        assertThrows(IndexOutOfBoundsException.class, () -> cache.copy(1, 0, new byte[50], 0));
    }

    @Test
    void noAllocationPerPacketAfterWarmUp() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        PacketCache cache = new PacketCache(512, 1500, 1000);
        RtpPacket p = new RtpPacket();
        byte[] datagram = TestPackets.rtp(96, 0, 0, 1, 1000);
        for (int round = 0; round < 2; round++) {
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < 100_000; i++) {
                datagram[2] = (byte) (i >>> 8);
                datagram[3] = (byte) i;
                p.wrap(datagram, 0, datagram.length);
                cache.insert(p, i / 100);
                cache.copy((i - 5) & 0xFFFF, i / 100, out, 0);
            }
            long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            if (round == 1) {
                assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes for 100k packets");
            }
        }
    }

    @Test
    void aReaderThreadSeesWholePackets() throws Exception {
        PacketCache cache = new PacketCache(64, 1500, 1_000_000);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            byte[] copy = new byte[1500];
            try {
                for (int i = 0; i < 200_000; i++) {
                    int seq = i & 0xFFFF;
                    int len = cache.copy(seq, 0, copy, 0);
                    if (len > 0) {
                        // Every byte of the payload carries the low byte of its sequence number.
                        int s = (copy[2] & 0xFF) << 8 | copy[3] & 0xFF;
                        for (int k = 12; k < len; k++) {
                            if (copy[k] != (byte) s) {
                                throw new AssertionError("torn packet " + s);
                            }
                        }
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        RtpPacket p = new RtpPacket();
        byte[] datagram = TestPackets.rtp(96, 0, 0, 1, 200);
        for (int i = 0; i < 200_000; i++) {
            datagram[2] = (byte) (i >>> 8);
            datagram[3] = (byte) i;
            Arrays.fill(datagram, 12, datagram.length, (byte) i);
            p.wrap(datagram, 0, datagram.length);
            cache.insert(p, 0);
        }
        reader.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }
}
