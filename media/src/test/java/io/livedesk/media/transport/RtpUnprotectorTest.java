package io.livedesk.media.transport;

import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.logging2.LoggerImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bridge's own RTP unprotection, packet for packet against jitsi-srtp's receiver (the implementation it
 * replaces): what a browser sends, replayed, late, reordered, across sequence wrap-around, with CSRCs, header
 * extensions and cryptex-encrypted ones, and hostile (bad tags, flipped bits, truncated, lengths that lie):
 * same verdict every time, same clear bytes when accepted; nothing allocated.
 */
class RtpUnprotectorTest {
    private final Random random = new Random(34);
    private byte[] masterKey;
    private byte[] masterSalt;
    private SrtpContextFactory sender;
    private SrtpContextFactory cryptexSender;
    private SrtpContextFactory jitsiReceiver;
    private final Map<Integer, SrtpCryptoContext> senders = new HashMap<>();
    private final Map<Integer, SrtpCryptoContext> receivers = new HashMap<>();
    private RtpUnprotector ours;

    @BeforeEach
    void keys() throws GeneralSecurityException {
        SrtpWarmUp.chooseCipher();
        masterKey = new byte[16];
        masterSalt = new byte[14];
        random.nextBytes(masterKey);
        random.nextBytes(masterSalt);
        sender = new SrtpContextFactory(true, masterKey, masterSalt, SrtpSession.aes128HmacSha1_80(),
                SrtpSession.aes128HmacSha1_80(), new LoggerImpl("test-sender"));
        SrtpPolicy cryptex = SrtpSession.aes128HmacSha1_80();
        cryptex.setCryptexEnabled(true);
        cryptexSender = new SrtpContextFactory(true, masterKey, masterSalt, cryptex, SrtpSession.aes128HmacSha1_80(),
                new LoggerImpl("test-cryptex-sender"));
        jitsiReceiver = new SrtpContextFactory(false, masterKey, masterSalt, SrtpSession.aes128HmacSha1_80(),
                SrtpSession.aes128HmacSha1_80(), new LoggerImpl("test-receiver"));
        ours = new RtpUnprotector(masterKey, masterSalt);
    }

    @AfterEach
    void close() {
        sender.close();
        cryptexSender.close();
        jitsiReceiver.close();
        ours.close();
    }

    @Test
    void sameVerdictsAndBytesAsJitsiSrtpForWhatABrowserAndAnAttackerSend() throws GeneralSecurityException {
        int[] ssrcs = {0x11110000, -7, 99};
        int[] next = {65_400, 10, 40_000};
        List<byte[]> sent = new ArrayList<>();
        Map<SrtpErrorStatus, Integer> verdicts = new EnumMap<>(SrtpErrorStatus.class);
        int cryptexAccepted = 0;
        for (int i = 0; i < 20_000; i++) {
            int s = random.nextInt(ssrcs.length);
            byte[] packet;
            int pick = random.nextInt(100);
            if (pick < 70 || sent.isEmpty()) {
                packet = protect(ssrcs[s], next[s]++ & 0xFFFF, s == 2);
                sent.add(packet);
                if (sent.size() > 300) {
                    sent.remove(0);
                }
                if (random.nextInt(10) == 0 && sent.size() > 3) {
                    // delivered late: swap with one sent a little earlier
                    int j = sent.size() - 1 - random.nextInt(3);
                    packet = sent.get(j);
                }
            } else if (pick < 80) {
                packet = sent.get(random.nextInt(sent.size())).clone(); // a replay, recent or old
            } else if (pick < 95) {
                packet = tamper(sent.get(random.nextInt(sent.size())).clone());
            } else {
                next[s] += 1_000 + random.nextInt(20_000); // a jump: the stream moves on
                packet = protect(ssrcs[s], next[s]++ & 0xFFFF, s == 2);
            }
            PacketBuffer theirs = new PacketBuffer(packet.clone(), 0, packet.length);
            int ssrc = packet.length >= 12 ? RtpSrtpCipher.readInt(packet, 8) : ssrcs[s];
            SrtpErrorStatus verdict = receiver(ssrc).reverseTransformPacket(theirs, false);
            byte[] mine = packet.clone();
            int n = ours.unprotect(mine, 0, mine.length);
            verdicts.merge(verdict, 1, Integer::sum);
            if (verdict == SrtpErrorStatus.OK) {
                assertEquals(theirs.getLength(), n, "length, packet " + i);
                assertArrayEquals(Arrays.copyOf(theirs.getBuffer(), theirs.getLength()), Arrays.copyOf(mine, n),
                        "clear bytes, packet " + i);
                if (RtpSrtpCipher.hasExtension(packet, 0)
                        && RtpSrtpCipher.u16(packet, 12 + 4 * (packet[0] & 0x0F)) == 0xC0DE) {
                    cryptexAccepted++;
                }
            } else {
                assertTrue(n < 0, "accepted what jitsi-srtp refused (" + verdict + "), packet " + i);
                assertEquals(verdict, SrtpSession.status(n), "verdict, packet " + i);
            }
        }
        for (SrtpErrorStatus expected : List.of(SrtpErrorStatus.OK, SrtpErrorStatus.AUTH_FAIL,
                SrtpErrorStatus.REPLAY_FAIL, SrtpErrorStatus.REPLAY_OLD, SrtpErrorStatus.INVALID_PACKET)) {
            assertTrue(verdicts.getOrDefault(expected, 0) > 20, "too few " + expected + ": " + verdicts);
        }
        assertTrue(cryptexAccepted > 20, "too few cryptex packets accepted: " + cryptexAccepted);
    }

    @Test
    void aStreamsFirstPacketOnlyStartsItIfItIsGenuine() throws GeneralSecurityException {
        byte[] genuine = protect(5, 30_000, false);
        byte[] forged = genuine.clone();
        forged[2] = (byte) 0x10; // sequence 4096 + ..., tag no longer matches
        assertEquals(RtpUnprotector.AUTH_FAILED, ours.unprotect(forged.clone(), 0, forged.length));
        // Had the forgery set the stream's start (sequence ~4100), 30,000 would be taken for the previous cycle.
        assertTrue(ours.unprotect(genuine.clone(), 0, genuine.length) > 0);
    }

    @Test
    void unprotectingAllocatesNothing() throws GeneralSecurityException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[][] packets = new byte[30_000][];
        for (int seq = 0; seq < packets.length; seq++) {
            packets[seq] = protect(0x44440000, seq, false);
        }
        for (int seq = 0; seq < 20_000; seq++) { // warm up: JIT
            ours.unprotect(packets[seq], 0, packets[seq].length);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int seq = 20_000; seq < packets.length; seq++) {
            ours.unprotect(packets[seq], 0, packets[seq].length);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 10_000, "allocated " + allocated + " bytes unprotecting 10,000 packets");
    }

    private SrtpCryptoContext receiver(int ssrc) throws GeneralSecurityException {
        SrtpCryptoContext c = receivers.get(ssrc);
        if (c == null) {
            c = jitsiReceiver.deriveContext(ssrc, 0);
            receivers.put(ssrc, c);
        }
        return c;
    }

    /** A packet as a browser sends it, protected by jitsi-srtp (with cryptex when asked: header extensions too). */
    private byte[] protect(int ssrc, int seq, boolean cryptex) throws GeneralSecurityException {
        SrtpContextFactory factory = cryptex ? cryptexSender : sender;
        int key = cryptex ? ~ssrc : ssrc;
        SrtpCryptoContext c = senders.get(key);
        if (c == null) {
            c = factory.deriveContext(ssrc, 0);
            senders.put(key, c);
        }
        byte[] clear = rtp(ssrc, seq);
        PacketBuffer p = PacketBuffer.copyOf(clear, 0, clear.length, 32);
        assertEquals(SrtpErrorStatus.OK, c.transformPacket(p));
        return Arrays.copyOfRange(p.getBuffer(), p.getOffset(), p.getOffset() + p.getLength());
    }

    /** What an attacker or a broken network does to a packet. */
    private byte[] tamper(byte[] p) {
        switch (random.nextInt(6)) {
            case 0 -> p[p.length - 1 - random.nextInt(10)] ^= (byte) (1 << random.nextInt(8)); // the tag
            case 1 -> p[12 + random.nextInt(p.length - 22)] ^= (byte) (1 << random.nextInt(8)); // header or payload
            case 2 -> {
                return Arrays.copyOf(p, random.nextInt(Math.min(p.length, 40))); // truncated
            }
            case 3 -> p[0] = (byte) ((p[0] & 0xF0) | 15); // 15 CSRCs: longer than it is, or misread
            case 4 -> {
                p[0] |= 0x10; // an extension that is not there, or longer than the packet
                int at = 12 + 4 * (p[0] & 0x0F);
                if (at + 4 <= p.length) {
                    p[at + 2] = (byte) 0x7F;
                }
            }
            default -> p[2] ^= (byte) 0x80; // the sequence number: the tag no longer matches
        }
        return p;
    }

    /** RTP of a random shape: 0-2 CSRCs, sometimes a one-byte-header extension, 0-1,200 bytes of payload. */
    private byte[] rtp(int ssrc, int seq) {
        int csrcs = random.nextInt(3);
        boolean extension = random.nextInt(3) == 0;
        int extensionWords = extension ? 1 + random.nextInt(3) : 0;
        int header = 12 + 4 * csrcs + (extension ? 4 + 4 * extensionWords : 0);
        byte[] p = new byte[header + random.nextInt(1201)];
        random.nextBytes(p);
        p[0] = (byte) (0x80 | (extension ? 0x10 : 0) | csrcs);
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
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
}
