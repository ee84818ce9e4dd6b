package io.livedesk.media.rtp;

import static io.livedesk.media.rtp.TestPackets.rtcpHeader;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TransportCcFeedbackTest {
    private static final long NR = TransportCcFeedback.NOT_RECEIVED;
    private static final int SENDER = 0x11223344;
    private static final int MEDIA = 0x55667788;
    /** Start of reference time 1000 (64 s): arrival times in tests are offsets from here. */
    private static final long T0 = 1000 * 64_000L;

    /** Writes at a non-zero offset between filler bytes, checks the filler survived, returns the packet. */
    private static byte[] write(TransportCcFeedback f) {
        byte[] buf = new byte[f.length() + 10];
        Arrays.fill(buf, (byte) 0x5A);
        int n = f.write(buf, 3);
        assertEquals(f.length(), n);
        assertEquals(0, n % 4);
        for (int i : new int[] {0, 1, 2, n + 3, n + 4, buf.length - 1}) {
            assertEquals(0x5A, buf[i], "write touched byte " + i);
        }
        return Arrays.copyOfRange(buf, 3, 3 + n);
    }

    /** write, then parse (also from inside a larger buffer), which must give back an equal message. */
    private static byte[] roundTrip(TransportCcFeedback f) {
        byte[] bytes = write(f);
        assertEquals(f, TransportCcFeedback.parse(bytes, 0, bytes.length));
        byte[] embedded = TestPackets.embed(bytes, 7, 5);
        TransportCcFeedback again = TransportCcFeedback.parse(embedded, 7, bytes.length);
        assertEquals(f, again);
        assertEquals(f.hashCode(), again.hashCode());
        return bytes;
    }

    private static int chunk(byte[] packet, int i) {
        return Bytes.u16(packet, TransportCcFeedback.FIXED_LENGTH + 2 * i);
    }

    private static List<Long> deltas(TransportCcFeedback f) {
        List<Long> d = new ArrayList<>();
        for (int i = 0; i < f.size(); i++) {
            d.add(f.arrivalDeltaMicros(i));
        }
        return d;
    }

    // ---- round trips ----

    @Test
    void allReceivedWithSmallDeltas() {
        TransportCcFeedback.Builder b = new TransportCcFeedback.Builder();
        for (int i = 0; i < 20; i++) {
            assertTrue(b.add(1000 + i, T0 + 500 + i * 2000L));
        }
        TransportCcFeedback f = b.build(SENDER, MEDIA, 3);

        assertEquals(1000, f.baseSequence());
        assertEquals(20, f.size());
        assertEquals(20, f.receivedCount());
        assertEquals(1000, f.referenceTime());
        assertEquals(500, f.arrivalDeltaMicros(0));
        for (int i = 1; i < 20; i++) {
            assertTrue(f.received(i));
            assertEquals(2000, f.arrivalDeltaMicros(i));
        }
        byte[] bytes = roundTrip(f);
        assertEquals(0x2014, chunk(bytes, 0), "one run-length chunk: 20 x small delta");
        assertEquals(44, bytes.length, "20 fixed + 2 chunk + 20 deltas, padded");
    }

    @Test
    void gapsAreNotReceived() {
        TransportCcFeedback.Builder b = new TransportCcFeedback.Builder();
        int[] got = {500, 501, 503, 507, 508, 509, 520};
        for (int i = 0; i < got.length; i++) {
            b.add(got[i], T0 + 1000L * i);
        }
        TransportCcFeedback f = b.build(SENDER, MEDIA, 0);

        assertEquals(21, f.size());
        assertEquals(7, f.receivedCount());
        for (int i = 0; i < f.size(); i++) {
            int seq = f.sequence(i);
            boolean expected = Arrays.stream(got).anyMatch(s -> s == seq);
            assertEquals(expected, f.received(i), "seq " + seq);
            assertEquals(expected, f.arrivalDeltaMicros(i) != NR);
        }
        assertEquals(List.of(0L, 1000L, NR, 1000L, NR, NR, NR, 1000L, 1000L, 1000L), deltas(f).subList(0, 10));
        roundTrip(f);
    }

    @Test
    void largeAndNegativeDeltas() {
        TransportCcFeedback.Builder b = new TransportCcFeedback.Builder();
        b.add(10, T0 + 1000);
        b.add(12, T0 + 3000); // overtook 11 on the way
        b.add(11, T0 + 5000);
        // Deltas are between neighbours in sequence order: 13 is 100 ms after 12, too far for a small delta.
        b.add(13, T0 + 3000 + 100_000);
        b.add(14, T0 + 3000 + 100_000 + 63_750); // the largest small delta
        b.add(15, T0 + 3000 + 100_000 + 63_750 + 64_000); // one tick more
        TransportCcFeedback f = b.build(SENDER, MEDIA, 1);

        assertEquals(List.of(1000L, 4000L, -2000L, 100_000L, 63_750L, 64_000L), deltas(f));
        byte[] bytes = roundTrip(f);
        // 2-bit status vector: small, small, large, large, small, large, (unused).
        assertEquals(0b11_01_01_10_10_01_10_00, chunk(bytes, 0));
        assertEquals(32, bytes.length, "20 fixed + 2 chunk + 3 small + 3 large deltas, padded");
    }

    @Test
    void longRunsUseRunLengthChunks() {
        TransportCcFeedback.Builder b = new TransportCcFeedback.Builder();
        for (int i = 0; i < 100; i++) {
            b.add(i, T0 + i * 1000L);
        }
        for (int i = 140; i < 170; i++) {
            b.add(i, T0 + i * 1000L);
        }
        TransportCcFeedback f = b.build(SENDER, MEDIA, 0);

        assertEquals(170, f.size());
        assertEquals(130, f.receivedCount());
        assertEquals(41_000, f.arrivalDeltaMicros(140), "relative to the previous received packet, 99");
        byte[] bytes = roundTrip(f);
        assertEquals(0x2064, chunk(bytes, 0), "100 x small delta");
        assertEquals(0x0028, chunk(bytes, 1), "40 x not received");
        assertEquals(0x201E, chunk(bytes, 2), "30 x small delta");
        assertEquals(20 + 6 + 130, bytes.length);
    }

    @Test
    void runsLongerThanOneChunkAreSplit() {
        TransportCcFeedback.Builder b = new TransportCcFeedback.Builder();
        b.add(0, T0);
        b.add(9001, T0 + 1000);
        TransportCcFeedback f = b.build(SENDER, MEDIA, 0);

        assertEquals(9002, f.size());
        assertEquals(2, f.receivedCount());
        byte[] bytes = roundTrip(f);
        assertEquals(0b10_1000_0000_0000_00, chunk(bytes, 0), "1-bit vector: received, 13 x not received");
        assertEquals(0x1FFF, chunk(bytes, 1), "8191 x not received (the most one chunk holds)");
        assertEquals(9001 - 14 - 8191, chunk(bytes, 2));
        assertEquals(0x2001, chunk(bytes, 3));
    }

    @Test
    void sequenceNumbersWrap() {
        TransportCcFeedback.Builder b = new TransportCcFeedback.Builder();
        int[] order = {65532, 65530, 65531, 65533, 65535, 0, 2, 1, 3, 5};
        for (int i = 0; i < order.length; i++) {
            assertTrue(b.add(order[i], T0 + (long) ((order[i] - 65530) & 0xFFFF) * 1000));
        }
        assertEquals(12, b.packetCount());
        TransportCcFeedback f = b.build(SENDER, MEDIA, 0);

        assertEquals(65530, f.baseSequence());
        assertEquals(12, f.size());
        assertEquals(10, f.receivedCount());
        int[] expectedSeqs = {65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2, 3, 4, 5};
        for (int i = 0; i < expectedSeqs.length; i++) {
            assertEquals(expectedSeqs[i], f.sequence(i));
        }
        assertFalse(f.received(4));
        assertFalse(f.received(10));
        assertEquals(List.of(0L, 1000L, 1000L, 1000L, NR, 2000L, 1000L, 1000L, 1000L, 1000L, NR, 2000L), deltas(f));
        roundTrip(f);
    }

    @Test
    void singlePacket() {
        TransportCcFeedback.Builder b = new TransportCcFeedback.Builder();
        b.add(65535, T0 + 64_000 * 3 + 250);
        TransportCcFeedback f = b.build(SENDER, MEDIA, 255);

        assertEquals(1, f.size());
        assertEquals(1, f.receivedCount());
        assertEquals(1003, f.referenceTime());
        assertEquals(250, f.arrivalDeltaMicros(0));
        assertEquals(255, f.feedbackCount());
        byte[] bytes = roundTrip(f);
        assertEquals(24, bytes.length);
        assertEquals(0x2001, chunk(bytes, 0));
        assertEquals(1, bytes[22], "delta: one tick");
        assertEquals(1, bytes[23], "RFC 3550 padding: count in the last byte");
    }

    @Test
    void chunkKindFollowsTheSymbols() {
        // A run of 10 then mixed 0/1: one 1-bit vector covers all 14, better than a run of 10.
        long[] mixed = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NR, 250, NR, 250};
        byte[] bytes = roundTrip(TransportCcFeedback.of(1, 2, 0, 0, 0, mixed));
        assertEquals(0b10_1111111111_0101, chunk(bytes, 0));
        assertEquals(20 + 2 + 12 + 2, bytes.length);

        // The same run followed by a large delta: a run chunk, then a 2-bit vector for the rest.
        long[] large = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -250, NR, NR, NR};
        bytes = roundTrip(TransportCcFeedback.of(1, 2, 0, 0, 0, large));
        assertEquals(0x200A, chunk(bytes, 0));
        assertEquals(0b11_10_00_00_00_00_00_00, chunk(bytes, 1));
        assertEquals((byte) 0xFF, bytes[24 + 10]);
        assertEquals((byte) 0xFF, bytes[24 + 11], "-1 tick as a signed 16-bit large delta");

        // Short mixed runs of all three symbols: 2-bit vectors of 7.
        long[] short2 = {0, 0, 64_000, NR, 0, 64_000, NR, 0, 64_000};
        bytes = roundTrip(TransportCcFeedback.of(1, 2, 0, 0, 0, short2));
        assertEquals(0b11_01_01_10_00_01_10_00, chunk(bytes, 0));
        assertEquals(0b11_01_10_00_00_00_00_00, chunk(bytes, 1));
    }

    @Test
    void randomFeedbackRoundTripsAndKeepsArrivalsWithinRounding() {
        Random random = new Random(11);
        TransportCcFeedback.Builder b = new TransportCcFeedback.Builder();
        for (int round = 0; round < 500; round++) {
            b.clear();
            int base = random.nextInt(65536);
            int n = 1 + random.nextInt(random.nextBoolean() ? 20 : 400);
            double loss = random.nextInt(4) * 0.15;
            long start = random.nextLong() % 100_000_000_000L; // within +-100000 s: no reference time wrap
            long[] arrival = new long[n];
            boolean[] got = new boolean[n];
            long t = start;
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                t += random.nextInt(10) == 0 ? random.nextInt(100_000) : random.nextInt(3_000);
                arrival[i] = t + (random.nextInt(8) == 0 ? -random.nextInt(20_000) : 0); // reordered
                got[i] = i == 0 || i == n - 1 || random.nextDouble() >= loss;
                if (got[i]) {
                    order.add(i);
                }
            }
            if (random.nextBoolean()) {
                Collections.shuffle(order, random);
            }
            for (int i : order) {
                assertTrue(b.add(base + i, arrival[i]));
            }
            TransportCcFeedback f = b.build(random.nextInt(), random.nextInt(), round);

            assertEquals(base, f.baseSequence());
            assertEquals(n, f.size());
            assertEquals(round & 0xFF, f.feedbackCount());
            long reconstructed = f.referenceTimeMicros();
            for (int i = 0; i < n; i++) {
                assertEquals(got[i], f.received(i), "round " + round + " packet " + i);
                if (got[i]) {
                    reconstructed += f.arrivalDeltaMicros(i);
                    long error = reconstructed - arrival[i];
                    assertTrue(Math.abs(error) <= 125, "round " + round + " packet " + i + " off by " + error);
                }
            }
            roundTrip(f);
        }
    }

    // ---- byte-exact vectors ----

    /**
     * Assembled by hand from the draft's layout: transport sequence numbers 65530-23 (30 packets, across the
     * wrap), reference time -2 (signed 24 bits), and all three chunk kinds and both delta sizes.
     */
    @Test
    void handBuiltVector() {
        byte[] expected = rtcpHeader(true, 15, 205, 8).u32(SENDER).u32(MEDIA)
                .u16(65530).u16(30).u24(0xFFFFFE).u8(7)
                // 2-bit vector: small, not received, large, small, large, not received, small
                .u16(0b11_01_00_10_01_10_00_01)
                // run-length: 20 x not received (sequence numbers 1-20)
                .u16(0b0_00_0000000010100)
                // 1-bit vector: received, not received, received, 11 unused slots
                .u16(0b1_0_101_00000000000)
                // deltas in 250 us: +4, -8, +255, +256, +100, +1, +200
                .u8(0x04).u16(0xFFF8).u8(0xFF).u16(0x0100).u8(0x64).u8(0x01).u8(0xC8)
                .u8(1) // padding: one byte, holding the count
                .toBytes();
        TransportCcFeedback f = handBuiltBuilder().build(SENDER, MEDIA, 7);

        assertArrayEquals(expected, write(f));
        TransportCcFeedback parsed = TransportCcFeedback.parse(expected, 0, expected.length);
        assertEquals(f, parsed);
        assertEquals(SENDER, parsed.senderSsrc());
        assertEquals(MEDIA, parsed.mediaSsrc());
        assertEquals(-2, parsed.referenceTime());
        assertEquals(-128_000, parsed.referenceTimeMicros());
        assertEquals(7, parsed.feedbackCount());
        assertEquals(30, parsed.size());
        assertEquals(7, parsed.receivedCount());
        long[] deltas = new long[30];
        Arrays.fill(deltas, NR);
        deltas[0] = 1000;
        deltas[2] = -2000;
        deltas[3] = 63_750;
        deltas[4] = 64_000;
        deltas[6] = 25_000;
        deltas[27] = 250;
        deltas[29] = 50_000;
        assertEquals(TransportCcFeedback.of(SENDER, MEDIA, 65530, -2, 7, deltas), parsed);
        assertEquals(23, parsed.sequence(29));
    }

    /**
     * Chrome's feedback as captured in pion/rtcp's transport_layer_cc_test.go (TestTransportLayerCC_Unmarshal,
     * "example4"): one run-length chunk of 7 small deltas and 3 bytes of RFC 3550 padding.
     */
    @Test
    void publishedVectorFromPion() {
        byte[] chrome = {
            (byte) 0xaf, (byte) 0xcd, 0x00, 0x07, (byte) 0xfa, 0x17, (byte) 0xfa, 0x17,
            0x19, 0x3d, (byte) 0xd8, (byte) 0xbb, 0x00, 0x04, 0x00, 0x07,
            0x10, 0x63, 0x6e, 0x01, 0x20, 0x07, 0x4c, 0x24,
            0x24, 0x10, 0x0c, 0x0c, 0x10, 0x00, 0x00, 0x03,
        };
        TransportCcFeedback expected = TransportCcFeedback.of(0xfa17fa17, 0x193dd8bb, 4, 1_074_030, 1,
                new long[] {19_000, 9_000, 9_000, 4_000, 3_000, 3_000, 4_000});

        assertEquals(expected, TransportCcFeedback.parse(chrome, 0, chrome.length));
        assertArrayEquals(chrome, write(expected), "we encode it as Chrome did");
    }

    /**
     * A Chrome capture annotated by Wireshark in olivermichel/webrtc-analysis, test/include/data.h (twcc_pkt1):
     * 9 small deltas (7, 3, 11, 14, 0, 1, 0, 2, 6 ms) and one byte of padding.
     */
    @Test
    void publishedVectorFromAChromeCapture() {
        byte[] chrome = {
            (byte) 0xaf, (byte) 0xcd, 0x00, 0x07, 0x00, 0x00, 0x00, 0x01,
            (byte) 0xdd, 0x58, 0x6e, (byte) 0xb6, 0x00, 0x01, 0x00, 0x09,
            0x5e, (byte) 0x91, 0x10, 0x00, 0x20, 0x09, 0x1c, 0x0c,
            0x2c, 0x38, 0x00, 0x04, 0x00, 0x08, 0x18, 0x01,
        };
        TransportCcFeedback expected = TransportCcFeedback.of(1, 0xdd586eb6, 1, 6_197_520, 0,
                new long[] {7000, 3000, 11_000, 14_000, 0, 1000, 0, 2000, 6000});

        assertEquals(expected, TransportCcFeedback.parse(chrome, 0, chrome.length));
        assertArrayEquals(chrome, write(expected));
    }

    // ---- RTCP header ----

    @Test
    void rtcpHeaderIsVersion2Pt205Fmt15WithLengthInWordsMinusOne() {
        RtcpCompound compound = new RtcpCompound();
        RtcpPacket packet = new RtcpPacket();
        Random random = new Random(5);
        for (int n = 1; n <= 40; n++) {
            TransportCcFeedback.Builder b = new TransportCcFeedback.Builder();
            for (int i = 0; i < n; i++) {
                if (i == 0 || i == n - 1 || random.nextBoolean()) {
                    b.add(300 + i, T0 + i * (random.nextBoolean() ? 1000L : 70_000L));
                }
            }
            TransportCcFeedback f = b.build(SENDER, MEDIA, n);
            byte[] bytes = write(f);

            assertEquals(2, (bytes[0] & 0xFF) >>> 6, "version");
            assertEquals(15, bytes[0] & 0x1F, "FMT");
            assertEquals(205, bytes[1] & 0xFF, "PT");
            assertEquals(bytes.length / 4 - 1, Bytes.u16(bytes, 2), "length: words - 1");
            boolean padded = (bytes[0] & 0x20) != 0;
            int padding = padded ? bytes[bytes.length - 1] : 0;
            assertTrue(padding >= 0 && padding <= 3);
            assertEquals(padded, padding > 0);

            // The generic RTCP view agrees on framing and the fixed fields.
            assertTrue(compound.wrap(bytes, 0, bytes.length));
            assertTrue(compound.next(packet));
            assertEquals(RtcpKind.TRANSPORT_CC, packet.kind());
            assertEquals(bytes.length, packet.length());
            assertEquals(bytes.length - padding, packet.contentLength());
            assertEquals(SENDER, packet.senderSsrc());
            assertEquals(MEDIA, packet.mediaSsrc());
            assertEquals(300, packet.tccBaseSequenceNumber());
            assertEquals(n, packet.tccPacketStatusCount());
            assertEquals(f.referenceTime(), packet.tccReferenceTime());
            assertEquals(n, packet.tccFeedbackPacketCount());
            assertEquals(f, TransportCcFeedback.parse(packet.buffer(), packet.offset(), packet.length()));
        }
    }

    // ---- malformed input ----

    /** The packets of {@link #handBuiltVector}: arrivals from reference time -2 (-128 ms). */
    private static TransportCcFeedback.Builder handBuiltBuilder() {
        TransportCcFeedback.Builder b = new TransportCcFeedback.Builder();
        long t = -2 * 64_000L;
        b.add(65530, t += 1000);
        b.add(65532, t += -2000);
        b.add(65533, t += 63_750);
        b.add(65534, t += 64_000);
        b.add(0, t += 25_000);
        b.add(21, t += 250);
        b.add(23, t + 50_000);
        return b;
    }

    private static byte[] handBuilt() {
        return write(handBuiltBuilder().build(SENDER, MEDIA, 7));
    }

    @Test
    void truncatedInputIsRejected() {
        for (byte[] full : List.of(handBuilt(), write(longFeedback()))) {
            assertNotNull(TransportCcFeedback.parse(full, 0, full.length));
            for (int len = 0; len < full.length; len++) {
                assertNull(TransportCcFeedback.parse(full, 0, len), "len " + len);
                byte[] cut = Arrays.copyOf(full, len);
                assertNull(TransportCcFeedback.parse(cut, 0, len), "cut to " + len);
                if (len >= 4) {
                    // Also with a header that agrees with the cut: the body is then missing.
                    Bytes.put16(cut, 2, len / 4 - 1);
                    cut[0] &= ~0x20;
                    assertNull(TransportCcFeedback.parse(cut, 0, len), "cut to " + len + ", header fixed");
                }
            }
        }
    }

    private static TransportCcFeedback longFeedback() {
        TransportCcFeedback.Builder b = new TransportCcFeedback.Builder();
        for (int i = 0; i < 60; i++) {
            if (i % 5 != 3) {
                b.add(i, T0 + i * 40_000L);
            }
        }
        return b.build(1, 2, 3);
    }

    @Test
    void wrongTypeIsRejected() {
        byte[] ok = handBuilt();
        assertNotNull(TransportCcFeedback.parse(ok, 0, ok.length));

        byte[] fmt = ok.clone();
        fmt[0] = (byte) (0xA0 | 14);
        assertNull(TransportCcFeedback.parse(fmt, 0, fmt.length), "FMT 14");
        fmt[0] = (byte) (0xA0 | 1);
        assertNull(TransportCcFeedback.parse(fmt, 0, fmt.length), "FMT 1 (NACK)");
        byte[] pt = ok.clone();
        pt[1] = (byte) 206;
        assertNull(TransportCcFeedback.parse(pt, 0, pt.length), "PT 206");
        byte[] version = ok.clone();
        version[0] = (byte) (0x60 | 0x20 | 15);
        assertNull(TransportCcFeedback.parse(version, 0, version.length), "version 1");
    }

    @Test
    void reservedSymbolIsRejected() {
        byte[] vector = handBuilt();
        assertEquals(0b11_01_00_10_01_10_00_01, Bytes.u16(vector, 20));
        Bytes.put16(vector, 20, 0b11_01_00_10_01_10_00_11);
        assertNull(TransportCcFeedback.parse(vector, 0, vector.length), "11 in a 2-bit vector");

        byte[] run = write(TransportCcFeedback.of(1, 2, 0, 0, 0, new long[] {250, 250, 250, 250, 250, 250, 250}));
        assertEquals(0x2007, Bytes.u16(run, 20));
        Bytes.put16(run, 20, 0x6007);
        assertNull(TransportCcFeedback.parse(run, 0, run.length), "11 in a run-length chunk");

        // Slots of the last vector beyond the status count are not read (as libwebrtc does).
        byte[] beyond = rtcpHeader(true, 15, 205, 5).u32(1).u32(2).u16(9).u16(1).u24(0).u8(0)
                .u16(0b11_01_11_11_11_11_11_11).u8(4).u8(1).toBytes();
        TransportCcFeedback f = TransportCcFeedback.parse(beyond, 0, beyond.length);
        assertEquals(TransportCcFeedback.of(1, 2, 9, 0, 0, new long[] {1000}), f);
    }

    @Test
    void statusCountBeyondTheChunksIsRejected() {
        // Ten packets, none received: one run-length chunk, no deltas, 2 bytes of padding.
        byte[] ok = rtcpHeader(true, 15, 205, 5).u32(1).u32(2).u16(77).u16(10).u24(5).u8(0)
                .u16(0x000A).u8(0).u8(2).toBytes();
        TransportCcFeedback f = TransportCcFeedback.parse(ok, 0, ok.length);
        assertNotNull(f);
        assertEquals(10, f.size());
        assertEquals(0, f.receivedCount());

        byte[] eleven = ok.clone();
        Bytes.put16(eleven, 14, 11);
        assertNull(TransportCcFeedback.parse(eleven, 0, eleven.length), "needs a second chunk");
        byte[] max = handBuilt();
        Bytes.put16(max, 14, 0xFFFF);
        assertNull(TransportCcFeedback.parse(max, 0, max.length));
        byte[] zero = ok.clone();
        Bytes.put16(zero, 14, 0);
        assertNull(TransportCcFeedback.parse(zero, 0, zero.length), "an empty feedback");
    }

    @Test
    void wrongLengthFieldIsRejected() {
        byte[] ok = handBuilt();
        assertEquals(ok.length / 4 - 1, Bytes.u16(ok, 2));
        for (int field : new int[] {0, ok.length / 4 - 2, ok.length / 4, 0xFFFF}) {
            byte[] b = ok.clone();
            Bytes.put16(b, 2, field);
            assertNull(TransportCcFeedback.parse(b, 0, b.length), "length field " + field);
        }
        // len longer than the packet (e.g. the rest of a compound datagram) is a caller error: null, too.
        byte[] longer = Arrays.copyOf(ok, ok.length + 4);
        assertNull(TransportCcFeedback.parse(longer, 0, longer.length));
        assertNull(TransportCcFeedback.parse(longer, 0, ok.length + 1));
    }

    @Test
    void missingDeltasAndBadPaddingAreRejected() {
        // Run of 7 small deltas but only 6 delta bytes.
        byte[] missing = rtcpHeader(false, 15, 205, 6).u32(1).u32(2).u16(0).u16(7).u24(0).u8(0)
                .u16(0x2007).u8(1).u8(2).u8(3).u8(4).u8(5).u8(6).toBytes();
        assertNull(TransportCcFeedback.parse(missing, 0, missing.length));
        // A large delta cut in half by the padding.
        byte[] half = rtcpHeader(true, 15, 205, 5).u32(1).u32(2).u16(0).u16(1).u24(0).u8(0)
                .u16(0x4001).u8(0x01).u8(0x01).toBytes();
        assertNull(TransportCcFeedback.parse(half, 0, half.length));

        byte[] ok = handBuilt();
        assertEquals(1, ok[ok.length - 1]);
        for (int padding : new int[] {0, 17, 255}) {
            byte[] b = ok.clone();
            b[b.length - 1] = (byte) padding;
            assertNull(TransportCcFeedback.parse(b, 0, b.length), "padding " + padding);
        }
        // Zero padding without the P bit is read too, up to 3 bytes.
        byte[] unflagged = ok.clone();
        unflagged[0] &= ~0x20;
        unflagged[unflagged.length - 1] = 0;
        assertEquals(TransportCcFeedback.parse(ok, 0, ok.length),
                TransportCcFeedback.parse(unflagged, 0, unflagged.length));
        // But a whole word of something after the deltas is not a padding.
        byte[] extra = Arrays.copyOf(unflagged, unflagged.length + 4);
        Bytes.put16(extra, 2, extra.length / 4 - 1);
        assertNull(TransportCcFeedback.parse(extra, 0, extra.length));
    }

    @Test
    void badArgumentsGiveNullNotExceptions() {
        byte[] ok = handBuilt();
        assertNull(TransportCcFeedback.parse(null, 0, ok.length));
        assertNull(TransportCcFeedback.parse(ok, -1, ok.length));
        assertNull(TransportCcFeedback.parse(ok, 4, ok.length));
        assertNull(TransportCcFeedback.parse(ok, 0, -4));
        assertNull(TransportCcFeedback.parse(ok, Integer.MAX_VALUE, ok.length));
        assertNull(TransportCcFeedback.parse(new byte[0], 0, 0));
    }

    @Test
    void mutatedPacketsNeverThrowAndWhatParsesRewritesStably() {
        Random random = new Random(3);
        List<byte[]> seeds = List.of(handBuilt(), write(longFeedback()),
                write(TransportCcFeedback.of(1, 2, 3, 4, 5, new long[] {NR, 250, 64_000, -8_192_000, 8_191_750})));
        int parsed = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] b = seeds.get(random.nextInt(seeds.size())).clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                int i = random.nextInt(b.length);
                b[i] = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) (b[i] ^ 1 << random.nextInt(8));
            }
            int len = random.nextInt(4) == 0 ? random.nextInt(b.length + 1) : b.length;
            TransportCcFeedback f = TransportCcFeedback.parse(b, 0, len);
            if (f != null) {
                parsed++;
                byte[] again = write(f);
                assertEquals(f, TransportCcFeedback.parse(again, 0, again.length));
            }
        }
        assertTrue(parsed > 100, "some mutations are still valid messages: " + parsed);
    }

    // ---- builder and factory limits ----

    @Test
    void builderRefusesWhatOneMessageCannotCarry() {
        TransportCcFeedback.Builder b = new TransportCcFeedback.Builder();
        assertTrue(b.isEmpty());
        assertThrows(IllegalStateException.class, () -> b.build(1, 2, 0));

        assertTrue(b.add(0, T0));
        assertTrue(b.add(32_767, T0));
        assertTrue(b.add(65_534, T0), "65535 sequence numbers: the most a status count holds");
        assertEquals(TransportCcFeedback.MAX_PACKETS, b.packetCount());
        assertFalse(b.add(65_535, T0), "would be 65536");
        assertFalse(b.add(0xFFFF_0000 | 65_535, T0), "only the low 16 bits count");
        TransportCcFeedback f = b.build(1, 2, 256 + 9);
        assertEquals(9, f.feedbackCount(), "the counter wraps at 8 bits");
        assertEquals(65_535, f.size());
        assertEquals(3, f.receivedCount());
        assertEquals(f, TransportCcFeedback.parse(write(f), 0, f.length()));

        b.clear();
        assertTrue(b.add(100, T0 + TransportCcFeedback.Builder.MAX_ARRIVAL_SPAN_MICROS));
        assertTrue(b.add(101, T0));
        assertFalse(b.add(102, T0 - 1), "arrivals more than 8 s apart");
        assertFalse(b.add(103, Long.MIN_VALUE), "a span that overflows");
        f = b.build(1, 2, 0);
        assertEquals(List.of(0L, -8_000_000L), deltas(f), "within 16 bits of 250 us");
        assertEquals(f, TransportCcFeedback.parse(write(f), 0, f.length()));

        b.clear();
        assertTrue(b.isEmpty());
        assertEquals(0, b.packetCount());
        assertTrue(b.add(5, T0 + 1000));
        assertTrue(b.add(5, T0 + 9000));
        assertTrue(b.add(6, T0 + 2000));
        assertEquals(List.of(1000L, 1000L), deltas(b.build(1, 2, 0)), "a repeated packet keeps its first arrival");
    }

    @Test
    void referenceTimeWrapsAt24Bits() {
        TransportCcFeedback.Builder b = new TransportCcFeedback.Builder();
        b.add(1, ((1L << 24) + 5) * 64_000 + 750);
        TransportCcFeedback f = b.build(1, 2, 0);
        assertEquals(5, f.referenceTime());
        assertEquals(750, f.arrivalDeltaMicros(0));

        b.clear();
        b.add(1, (1L << 23) * 64_000);
        assertEquals(-(1 << 23), b.build(1, 2, 0).referenceTime(), "the field is signed");
        b.clear();
        b.add(1, -64_000 * 3 - 1);
        f = b.build(1, 2, 0);
        assertEquals(-4, f.referenceTime());
        assertEquals(64_000, f.arrivalDeltaMicros(0), "63.999 ms after -256 ms, rounded to 250 us");
    }

    @Test
    void factoryChecksItsArguments() {
        long[] one = {0};
        assertThrows(IllegalArgumentException.class, () -> TransportCcFeedback.of(1, 2, 65_536, 0, 0, one));
        assertThrows(IllegalArgumentException.class, () -> TransportCcFeedback.of(1, 2, 0, 1 << 23, 0, one));
        assertThrows(IllegalArgumentException.class, () -> TransportCcFeedback.of(1, 2, 0, 0, 256, one));
        assertThrows(IllegalArgumentException.class, () -> TransportCcFeedback.of(1, 2, 0, 0, 0, new long[0]));
        assertThrows(IllegalArgumentException.class, () -> TransportCcFeedback.of(1, 2, 0, 0, 0, new long[] {100}));
        assertThrows(IllegalArgumentException.class,
                () -> TransportCcFeedback.of(1, 2, 0, 0, 0, new long[] {8_192_000}));
        assertThrows(IllegalArgumentException.class,
                () -> TransportCcFeedback.of(1, 2, 0, 0, 0, new long[] {-8_192_250}));
        TransportCcFeedback f = TransportCcFeedback.of(1, 2, 0, -(1 << 23), 0, new long[] {-8_192_000, NR});
        assertEquals(1, f.receivedCount());
        assertThrows(IndexOutOfBoundsException.class, () -> f.received(2));
        assertThrows(IndexOutOfBoundsException.class, () -> f.write(new byte[f.length() - 1], 0));
        assertEquals(f, TransportCcFeedback.parse(write(f), 0, f.length()));
    }
}
