package io.livedesk.media.transport;

import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.utils.logging2.LoggerImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.lang.management.ManagementFactory;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bridge's own RTP protection against RFC 3711's test vectors and, packet for packet, against jitsi-srtp's
 * sender (the implementation it replaces on the forwarding path, and the one browsers' packets were checked
 * against): same bytes, same refusals, across reordering, duplicates, sequence wrap-around, late packets,
 * CSRCs and header extensions, several SSRCs; jitsi-srtp's receiver accepts what it protects; nothing allocated.
 */
class RtpProtectorTest {
    private static final HexFormat HEX = HexFormat.of();
    private final Random random = new Random(12);
    private byte[] masterKey;
    private byte[] masterSalt;
    private SrtpContextFactory jitsiSender;
    private SrtpContextFactory jitsiReceiver;
    private RtpProtector ours;

    @BeforeEach
    void keys() throws GeneralSecurityException {
        SrtpWarmUp.chooseCipher();
        masterKey = new byte[16];
        masterSalt = new byte[14];
        random.nextBytes(masterKey);
        random.nextBytes(masterSalt);
        jitsiSender = new SrtpContextFactory(true, masterKey, masterSalt, SrtpSession.aes128HmacSha1_80(),
                SrtpSession.aes128HmacSha1_80(), new LoggerImpl("test-sender"));
        jitsiReceiver = new SrtpContextFactory(false, masterKey, masterSalt, SrtpSession.aes128HmacSha1_80(),
                SrtpSession.aes128HmacSha1_80(), new LoggerImpl("test-receiver"));
        ours = new RtpProtector(masterKey, masterSalt);
    }

    @AfterEach
    void close() {
        jitsiSender.close();
        jitsiReceiver.close();
        ours.close();
    }

    @Test
    void sessionKeysAreRfc3711sTestVectors() throws GeneralSecurityException {
        // RFC 3711 appendix B.3.
        SrtpSessionKeys keys = SrtpSessionKeys.forRtp(HEX.parseHex("E1F97A0D3E018BE0D64FA32C06DE4139"),
                HEX.parseHex("0EC675AD498AFEEBB6960B3AABE6"));
        assertEquals("c61e7a93744f39ee10734afe3ff7a087", HEX.formatHex(keys.cipherKey()));
        assertEquals("30cbbc08863d8c85d49db34a9ae1", HEX.formatHex(keys.salt()));
        assertEquals("cebe321f6ff7716b6fd4ab49af256a156d38baa4", HEX.formatHex(keys.authKey()));
    }

    @Test
    void keystreamIsRfc3711sTestVector() throws GeneralSecurityException {
        // RFC 3711 appendix B.2: the first three blocks of AES-CM keystream.
        byte[] iv = HEX.parseHex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        byte[] out = new byte[48];
        try (AesCounterMode aes = new AesCounterMode(HEX.parseHex("2B7E151628AED2A6ABF7158809CF4F3C"))) {
            aes.apply(SrtpSessionKeys.longAt(iv, 0), SrtpSessionKeys.longAt(iv, 8), new byte[48], 0, out, 0, 48);
        }
        assertEquals("e03ead0935c95e80e166b16dd92b4eb4" + "d23513162b02d0f72a43a2fe4a5f97ab"
                + "41e95b3bb0a2e8dd477901e4fca894c0", HEX.formatHex(out));
    }

    @Test
    void hmacIsTheJdksHmacSha1() throws GeneralSecurityException {
        byte[] key = new byte[20];
        random.nextBytes(key);
        Mac jdk = Mac.getInstance("HmacSHA1");
        jdk.init(new SecretKeySpec(key, "HmacSHA1"));
        try (HmacSha1 mac = new HmacSha1(key)) {
            for (int len : new int[] {0, 1, 55, 64, 100, 1012, 1400}) {
                byte[] data = new byte[len + 7];
                random.nextBytes(data);
                int roc = random.nextInt();
                jdk.update(data, 3, len);
                jdk.update(new byte[] {(byte) (roc >>> 24), (byte) (roc >>> 16), (byte) (roc >>> 8), (byte) roc});
                byte[] out = new byte[25];
                mac.tag(data, 3, len, roc, out, 5, 20);
                assertArrayEquals(jdk.doFinal(), Arrays.copyOfRange(out, 5, 25), "length " + len);
            }
        }
    }

    @Test
    void sameBytesAndRefusalsAsJitsiSrtpAcrossOrderWrapAndReplay() throws GeneralSecurityException {
        int[] ssrcs = {0x11110000, 0x7FFFFFFF, -5, 42};
        int[] next = {65_000, 100, 32_700, 65_535};
        int compared = 0;
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            int s = random.nextInt(ssrcs.length);
            int seq;
            int pick = random.nextInt(100);
            if (pick < 70) {
                seq = next[s]++; // in order
            } else if (pick < 85) {
                seq = next[s] - 1 - random.nextInt(80); // late, or sent already (duplicates)
            } else if (pick < 95) {
                seq = next[s] + random.nextInt(50); // ahead: a gap
            } else if (pick < 98) {
                seq = next[s] + 20_000 + random.nextInt(12_000); // a far jump ahead: the stream follows
                next[s] = seq + 1;
            } else {
                seq = next[s] - 100 - random.nextInt(60_000); // far behind, or so far it looks ahead
            }
            seq &= 0xFFFF;
            byte[] packet = rtp(ssrcs[s], seq);
            SrtpErrorStatus theirs = jitsi(ssrcs[s], packet);
            byte[] out = new byte[packet.length + RtpProtector.TAG_LENGTH + 8];
            int n = ours.protect(packet, 0, packet.length, out, 8);
            if (theirs == SrtpErrorStatus.OK) {
                assertTrue(n > 0, "refused " + n + " what jitsi-srtp protected, packet " + i);
                assertEquals(jitsiOut.length, n, "length, packet " + i);
                assertArrayEquals(jitsiOut, Arrays.copyOfRange(out, 8, 8 + n), "bytes, packet " + i);
                compared++;
            } else {
                assertEquals(theirs, SrtpSession.status(n), "refusal, packet " + i);
                refused++;
            }
        }
        assertTrue(compared > 12_000 && refused > 500, compared + " compared, " + refused + " refused");
    }

    @Test
    void inPlaceIsTheSameAndJitsiSrtpsReceiverAcceptsIt() throws GeneralSecurityException {
        SrtpCryptoContext receiver = jitsiReceiver.deriveContext(0x22220000, 0);
        RtpProtector twin = new RtpProtector(masterKey, masterSalt);
        for (int seq = 65_530; seq < 65_530 + 20; seq++) {
            byte[] packet = rtp(0x22220000, seq & 0xFFFF);
            byte[] clear = packet.clone();
            byte[] outOfPlace = new byte[packet.length + RtpProtector.TAG_LENGTH];
            byte[] inPlace = Arrays.copyOf(packet, packet.length + RtpProtector.TAG_LENGTH);
            assertEquals(outOfPlace.length, ours.protect(packet, 0, packet.length, outOfPlace, 0));
            assertEquals(inPlace.length, twin.protect(inPlace, 0, packet.length, inPlace, 0));
            assertArrayEquals(outOfPlace, inPlace);
            assertArrayEquals(clear, packet, "the source is left as it was");

            PacketBuffer received = new PacketBuffer(outOfPlace.clone(), 0, outOfPlace.length);
            assertEquals(SrtpErrorStatus.OK, receiver.reverseTransformPacket(received, false));
            assertArrayEquals(clear, Arrays.copyOfRange(received.getBuffer(), received.getOffset(),
                    received.getOffset() + received.getLength()));
        }
        twin.close();
    }

    @Test
    void packetsShorterThanTheirHeaderAreRefused() throws GeneralSecurityException {
        byte[] packet = rtp(7, 1);
        packet[0] = (byte) 0x9F; // X bit and 15 CSRCs: a header longer than the packet's 40 bytes
        byte[] shortOne = Arrays.copyOf(packet, 40);
        assertEquals(RtpProtector.REFUSED_INVALID, ours.protect(shortOne, 0, 40, new byte[64], 0));
        assertEquals(RtpProtector.REFUSED_INVALID, ours.protect(packet, 0, 11, new byte[64], 0));
    }

    @Test
    void protectingAllocatesNothing() throws GeneralSecurityException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] packet = rtp(0x33330000, 0);
        byte[] out = new byte[packet.length + RtpProtector.TAG_LENGTH];
        for (int seq = 0; seq < 20_000; seq++) { // warm up: JIT
            setSeq(packet, seq);
            ours.protect(packet, 0, packet.length, out, 0);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int seq = 20_000; seq < 30_000; seq++) {
            setSeq(packet, seq);
            ours.protect(packet, 0, packet.length, out, 0);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 10_000, "allocated " + allocated + " bytes protecting 10,000 packets");
    }

    private final Map<Integer, SrtpCryptoContext> jitsiContexts = new HashMap<>();
    private byte[] jitsiOut;

    /** jitsi-srtp's sender on a copy; its output, if any, left in {@link #jitsiOut}. */
    private SrtpErrorStatus jitsi(int ssrc, byte[] packet) throws GeneralSecurityException {
        PacketBuffer copy = PacketBuffer.copyOf(packet, 0, packet.length, SrtpSession.MAX_PROTECTION_OVERHEAD);
        SrtpCryptoContext context = jitsiContexts.get(ssrc);
        if (context == null) {
            context = jitsiSender.deriveContext(ssrc, 0);
            jitsiContexts.put(ssrc, context);
        }
        SrtpErrorStatus status = context.transformPacket(copy);
        jitsiOut = Arrays.copyOfRange(copy.getBuffer(), copy.getOffset(), copy.getOffset() + copy.getLength());
        return status;
    }

    /** RTP of a random shape: 0-2 CSRCs, sometimes a header extension, 0-1,200 bytes of payload. */
    private byte[] rtp(int ssrc, int seq) {
        int csrcs = random.nextInt(3);
        boolean extension = random.nextInt(4) == 0;
        int extensionWords = extension ? 1 + random.nextInt(3) : 0;
        int header = 12 + 4 * csrcs + (extension ? 4 + 4 * extensionWords : 0);
        byte[] p = new byte[header + random.nextInt(1201)];
        random.nextBytes(p);
        p[0] = (byte) (0x80 | (extension ? 0x10 : 0) | csrcs);
        setSeq(p, seq);
        p[8] = (byte) (ssrc >>> 24);
        p[9] = (byte) (ssrc >>> 16);
        p[10] = (byte) (ssrc >>> 8);
        p[11] = (byte) ssrc;
        if (extension) {
            int at = 12 + 4 * csrcs;
            p[at] = (byte) 0xBE;
            p[at + 1] = (byte) 0xDE;
            p[at + 2] = 0;
            p[at + 3] = (byte) extensionWords;
        }
        return p;
    }

    private static void setSeq(byte[] p, int seq) {
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
    }
}
