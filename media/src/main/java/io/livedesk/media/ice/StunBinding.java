package io.livedesk.media.ice;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.zip.CRC32;

/**
 * The part of STUN (RFC 5389) and its ICE attributes (RFC 8445) a lite agent needs: reading a Binding request,
 * checking its MESSAGE-INTEGRITY (short-term credentials: the key is the local password) and FINGERPRINT, and
 * writing the Binding success or error response. Everything works on the datagram's bytes as received, so a
 * check costs no parse tree; the RFC 5769 test vectors are its tests.
 */
public final class StunBinding {
    static final int HEADER = 20;
    static final int MAGIC_COOKIE = 0x2112A442;
    static final int BINDING_REQUEST = 0x0001;
    static final int BINDING_SUCCESS = 0x0101;
    static final int BINDING_ERROR = 0x0111;
    static final int BINDING_INDICATION = 0x0011;

    static final int USERNAME = 0x0006;
    static final int MESSAGE_INTEGRITY = 0x0008;
    static final int ERROR_CODE = 0x0009;
    static final int XOR_MAPPED_ADDRESS = 0x0020;
    static final int PRIORITY = 0x0024;
    static final int USE_CANDIDATE = 0x0025;
    static final int FINGERPRINT = 0x8028;
    static final int ICE_CONTROLLED = 0x8029;
    static final int ICE_CONTROLLING = 0x802A;

    private static final int FINGERPRINT_XOR = 0x5354554e;
    private static final int HMAC_LENGTH = 20;

    private StunBinding() {
    }

    /** RFC 7983: a first byte of 0-3 and the magic cookie make a STUN message. */
    public static boolean isStun(byte[] b, int off, int len) {
        return len >= HEADER && (b[off] & 0xFF) < 4 && i32(b, off + 4) == MAGIC_COOKIE;
    }

    /**
     * A Binding message's fields a lite agent acts on; offsets into the datagram it was read from.
     *
     * @param role {@code ICE_CONTROLLING}, {@code ICE_CONTROLLED} or 0 when the request says neither
     */
    public record Request(int type, byte[] transactionId, String username, long priority, boolean useCandidate,
                          int role, long tieBreaker, int integrityAt, int fingerprintAt) {
        /** The local agent's ufrag: the username is {@code <receiver's ufrag>:<sender's ufrag>}. */
        public String localUfrag() {
            int colon = username.indexOf(':');
            return colon < 0 ? username : username.substring(0, colon);
        }
    }

    /**
     * Reads a Binding message (request, indication or response: the agent answers requests only), or null when
     * the datagram is not one or is malformed.
     */
    public static Request read(byte[] b, int off, int len) {
        if (!isStun(b, off, len)) {
            return null;
        }
        int type = u16(b, off);
        int bodyLength = u16(b, off + 2);
        boolean binding = type == BINDING_REQUEST || type == BINDING_INDICATION || type == BINDING_SUCCESS
                || type == BINDING_ERROR;
        if (!binding || bodyLength % 4 != 0
                || HEADER + bodyLength != len) {
            return null;
        }
        byte[] tid = new byte[12];
        System.arraycopy(b, off + 8, tid, 0, 12);
        String username = null;
        long priority = 0;
        boolean useCandidate = false;
        int role = 0;
        long tieBreaker = 0;
        int integrityAt = -1;
        int fingerprintAt = -1;
        int p = off + HEADER;
        int end = off + len;
        while (p + 4 <= end) {
            int at = u16(b, p);
            int alen = u16(b, p + 2);
            int value = p + 4;
            if (value + alen > end) {
                return null;
            }
            if (fingerprintAt >= 0) {
                return null; // nothing may follow FINGERPRINT
            }
            if (integrityAt < 0 || at == FINGERPRINT) { // after MESSAGE-INTEGRITY only FINGERPRINT counts
                switch (at) {
                    case USERNAME -> username = new String(b, value, alen, StandardCharsets.UTF_8);
                    case PRIORITY -> priority = alen == 4 ? i32(b, value) & 0xFFFFFFFFL : 0;
                    case USE_CANDIDATE -> useCandidate = true;
                    case ICE_CONTROLLING, ICE_CONTROLLED -> {
                        role = at;
                        tieBreaker = alen == 8 ? i64(b, value) : 0;
                    }
                    case MESSAGE_INTEGRITY -> {
                        if (alen != HMAC_LENGTH) {
                            return null;
                        }
                        integrityAt = p - off;
                    }
                    case FINGERPRINT -> {
                        if (alen != 4) {
                            return null;
                        }
                        fingerprintAt = p - off;
                    }
                    default -> { } // comprehension-optional or unknown: ignored
                }
            }
            p = value + ((alen + 3) & ~3);
        }
        if (p != end) {
            return null;
        }
        return new Request(type, tid, username, priority, useCandidate, role, tieBreaker, integrityAt, fingerprintAt);
    }

    /**
     * Whether the request's MESSAGE-INTEGRITY was made with {@code key} and its FINGERPRINT (when present) is
     * right. A request without MESSAGE-INTEGRITY fails.
     */
    public static boolean verify(byte[] b, int off, int len, Request r, byte[] key) {
        if (r.integrityAt() < 0) {
            return false;
        }
        if (r.fingerprintAt() >= 0 && !fingerprintMatches(b, off, r.fingerprintAt())) {
            return false;
        }
        byte[] expected = hmac(b, off, r.integrityAt(), key);
        byte[] actual = new byte[HMAC_LENGTH];
        System.arraycopy(b, off + r.integrityAt() + 4, actual, 0, HMAC_LENGTH);
        return MessageDigest.isEqual(expected, actual);
    }

    /** CRC-32 over the message up to the FINGERPRINT attribute, the length field counting it. */
    private static boolean fingerprintMatches(byte[] b, int off, int fingerprintAt) {
        return crc(b, off, fingerprintAt) == i32(b, off + fingerprintAt + 4);
    }

    /**
     * Writes the Binding success response to {@code request} into {@code out} at 0: XOR-MAPPED-ADDRESS of
     * {@code mapped}, MESSAGE-INTEGRITY with {@code key}, FINGERPRINT.
     *
     * @return its length
     */
    public static int writeSuccess(byte[] out, byte[] transactionId, InetSocketAddress mapped, byte[] key) {
        byte[] ip = mapped.getAddress().getAddress();
        int p = header(out, BINDING_SUCCESS, transactionId);
        p = attributeHeader(out, p, XOR_MAPPED_ADDRESS, 4 + ip.length);
        out[p] = 0;
        out[p + 1] = (byte) (ip.length == 4 ? 0x01 : 0x02);
        put16(out, p + 2, mapped.getPort() ^ (MAGIC_COOKIE >>> 16));
        for (int i = 0; i < ip.length; i++) {
            // IPv4 is XORed with the cookie; IPv6 with the cookie and then the transaction id.
            int mask = i < 4 ? (MAGIC_COOKIE >>> (24 - 8 * i)) & 0xFF : transactionId[i - 4] & 0xFF;
            out[p + 4 + i] = (byte) (ip[i] ^ mask);
        }
        p += 4 + ip.length;
        return finish(out, p, key);
    }

    /**
     * Writes a Binding request from the controlling side (a browser, or the benchmark's synthetic endpoints):
     * USERNAME, PRIORITY, ICE-CONTROLLING with {@code tieBreaker}, USE-CANDIDATE when nominating,
     * MESSAGE-INTEGRITY with the receiver's password as {@code key}, FINGERPRINT.
     *
     * @return its length
     */
    public static int writeRequest(byte[] out, byte[] transactionId, String username, long priority,
                                   boolean useCandidate, long tieBreaker, byte[] key) {
        byte[] user = username.getBytes(StandardCharsets.UTF_8);
        int p = header(out, BINDING_REQUEST, transactionId);
        p = attributeHeader(out, p, USERNAME, user.length);
        System.arraycopy(user, 0, out, p, user.length);
        p = pad(out, p + user.length);
        p = attributeHeader(out, p, PRIORITY, 4);
        put32(out, p, (int) priority);
        p = attributeHeader(out, p + 4, ICE_CONTROLLING, 8);
        put32(out, p, (int) (tieBreaker >>> 32));
        put32(out, p + 4, (int) tieBreaker);
        p += 8;
        if (useCandidate) {
            p = attributeHeader(out, p, USE_CANDIDATE, 0);
        }
        return finish(out, p, key);
    }

    /** Writes a Binding error response (e.g. 487 Role Conflict, 401 Unauthorized); integrity only with a key. */
    public static int writeError(byte[] out, byte[] transactionId, int code, String reason, byte[] key) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int p = header(out, BINDING_ERROR, transactionId);
        p = attributeHeader(out, p, ERROR_CODE, 4 + text.length);
        out[p] = 0;
        out[p + 1] = 0;
        out[p + 2] = (byte) (code / 100);
        out[p + 3] = (byte) (code % 100);
        System.arraycopy(text, 0, out, p + 4, text.length);
        p = pad(out, p + 4 + text.length);
        return key == null ? finishWithoutIntegrity(out, p) : finish(out, p, key);
    }

    /** The largest response written here, for the caller's buffer. */
    public static final int MAX_RESPONSE = 128;

    private static int header(byte[] out, int type, byte[] transactionId) {
        put16(out, 0, type);
        put16(out, 2, 0);
        put32(out, 4, MAGIC_COOKIE);
        System.arraycopy(transactionId, 0, out, 8, 12);
        return HEADER;
    }

    private static int attributeHeader(byte[] out, int p, int type, int length) {
        put16(out, p, type);
        put16(out, p + 2, length);
        return p + 4;
    }

    private static int pad(byte[] out, int p) {
        while ((p & 3) != 0) {
            out[p++] = 0;
        }
        return p;
    }

    /** MESSAGE-INTEGRITY then FINGERPRINT, each over the message so far with the length field counting it. */
    private static int finish(byte[] out, int p, byte[] key) {
        put16(out, 2, p - HEADER + 4 + HMAC_LENGTH);
        byte[] mac = hmac(out, 0, p, key);
        p = attributeHeader(out, p, MESSAGE_INTEGRITY, HMAC_LENGTH);
        System.arraycopy(mac, 0, out, p, HMAC_LENGTH);
        return finishWithoutIntegrity(out, p + HMAC_LENGTH);
    }

    private static int finishWithoutIntegrity(byte[] out, int p) {
        put16(out, 2, p - HEADER + 8);
        int crc = crc(out, 0, p);
        p = attributeHeader(out, p, FINGERPRINT, 4);
        put32(out, p, crc);
        return p + 4;
    }

    /** HMAC-SHA1 over {@code [off, off + upTo)} as if the length field ended with MESSAGE-INTEGRITY. */
    private static byte[] hmac(byte[] b, int off, int upTo, byte[] key) {
        byte[] copy = new byte[upTo];
        System.arraycopy(b, off, copy, 0, upTo);
        put16(copy, 2, upTo - HEADER + 4 + HMAC_LENGTH);
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return mac.doFinal(copy);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }

    /** CRC-32 over {@code [off, off + upTo)} as if the length field ended with FINGERPRINT, XORed per RFC. */
    private static int crc(byte[] b, int off, int upTo) {
        byte[] copy = new byte[upTo];
        System.arraycopy(b, off, copy, 0, upTo);
        put16(copy, 2, upTo - HEADER + 8);
        CRC32 crc = new CRC32();
        crc.update(copy, 0, upTo);
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }

    /** The key of short-term credentials: the password as UTF-8 (SASLprep leaves ICE's characters alone). */
    public static byte[] key(String password) {
        return password.getBytes(StandardCharsets.UTF_8);
    }

    /** The XOR-MAPPED-ADDRESS of a success response, for tests and the benchmark's client side. */
    static InetSocketAddress mappedAddress(byte[] b, int off, int len) throws java.net.UnknownHostException {
        int p = off + HEADER;
        while (p + 4 <= off + len) {
            int at = u16(b, p);
            int alen = u16(b, p + 2);
            if (at == XOR_MAPPED_ADDRESS) {
                int family = b[p + 5];
                int port = u16(b, p + 6) ^ (MAGIC_COOKIE >>> 16);
                byte[] ip = new byte[family == 0x01 ? 4 : 16];
                for (int i = 0; i < ip.length; i++) {
                    int mask = i < 4 ? (MAGIC_COOKIE >>> (24 - 8 * i)) & 0xFF : b[off + 8 + i - 4] & 0xFF;
                    ip[i] = (byte) (b[p + 8 + i] ^ mask);
                }
                return new InetSocketAddress(InetAddress.getByAddress(ip), port);
            }
            p += 4 + ((alen + 3) & ~3);
        }
        return null;
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    static int i32(byte[] b, int i) {
        return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }

    static long i64(byte[] b, int i) {
        return ((long) i32(b, i) << 32) | (i32(b, i + 4) & 0xFFFFFFFFL);
    }

    private static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    private static void put32(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }
}
