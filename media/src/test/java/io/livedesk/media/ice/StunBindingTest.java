package io.livedesk.media.ice;

import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.XorMappedAddressAttribute;
import org.ice4j.message.Message;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The STUN wire format against RFC 5769's test vectors and ice4j's decoder. */
class StunBindingTest {
    /** RFC 5769 section 2.1: username evtj:h6vY, password VOkJxbRl1RmTxUk/WvJxBt. */
    static final byte[] SAMPLE_REQUEST = HexFormat.of().parseHex(
            "000100582112a442b7e7a701bc34d686fa87dfae"
                    + "802200105354554e20746573742063" + "6c69656e74"
                    + "002400046e0001ff"
                    + "80290008932ff9b151263b36"
                    + "000600096576746a3a6836765920202" + "0"
                    + "000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2"
                    + "80280004e57a3bcf");
    /** RFC 5769 section 2.2: the IPv4 response, 192.0.2.1:32853. */
    static final byte[] SAMPLE_RESPONSE = HexFormat.of().parseHex(
            "0101003c2112a442b7e7a701bc34d686fa87dfae"
                    + "8022000b7465737420766563746f7220"
                    + "0020000800 01a147e112a643".replace(" ", "")
                    + "000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7"
                    + "80280004c07d4c96");
    static final byte[] PASSWORD = StunBinding.key("VOkJxbRl1RmTxUk/WvJxBt");

    @Test
    void theRfcSampleRequestReadsAndVerifiesWithItsPasswordOnly() {
        StunBinding.Request r = StunBinding.read(SAMPLE_REQUEST, 0, SAMPLE_REQUEST.length);
        assertNotNull(r);
        assertEquals(StunBinding.BINDING_REQUEST, r.type());
        assertEquals("evtj:h6vY", r.username());
        assertEquals("evtj", r.localUfrag());
        assertEquals(0x6e0001ffL, r.priority());
        assertEquals(StunBinding.ICE_CONTROLLED, r.role());
        assertEquals(0x932ff9b151263b36L, r.tieBreaker());
        assertFalse(r.useCandidate());
        assertTrue(StunBinding.verify(SAMPLE_REQUEST, 0, SAMPLE_REQUEST.length, r, PASSWORD));
        assertFalse(StunBinding.verify(SAMPLE_REQUEST, 0, SAMPLE_REQUEST.length, r, StunBinding.key("wrong")));
    }

    @Test
    void aChangedByteFailsTheIntegrityOrTheFingerprint() {
        for (int i : new int[] {8, 30, 50, 70, 104}) {
            byte[] bent = SAMPLE_REQUEST.clone();
            bent[i] ^= 1;
            StunBinding.Request r = StunBinding.read(bent, 0, bent.length);
            assertTrue(r == null || !StunBinding.verify(bent, 0, bent.length, r, PASSWORD), "byte " + i);
        }
    }

    @Test
    void theRfcSampleResponseVerifiesAndItsAddressReads() throws Exception {
        StunBinding.Request r = StunBinding.read(SAMPLE_RESPONSE, 0, SAMPLE_RESPONSE.length);
        assertNotNull(r);
        assertTrue(StunBinding.verify(SAMPLE_RESPONSE, 0, SAMPLE_RESPONSE.length, r, PASSWORD));
        assertEquals(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853),
                StunBinding.mappedAddress(SAMPLE_RESPONSE, 0, SAMPLE_RESPONSE.length));
    }

    @Test
    void aWrittenSuccessVerifiesAndIce4jReadsItsMappedAddress() throws Exception {
        byte[] tid = Arrays.copyOfRange(SAMPLE_REQUEST, 8, 20);
        for (String ip : new String[] {"192.0.2.1", "2001:db8:1234:5678:11:2233:4455:6677"}) {
            InetSocketAddress mapped = new InetSocketAddress(InetAddress.getByName(ip), 32853);
            byte[] out = new byte[StunBinding.MAX_RESPONSE];
            int n = StunBinding.writeSuccess(out, tid, mapped, PASSWORD);
            StunBinding.Request r = StunBinding.read(out, 0, n);
            assertNotNull(r, ip);
            assertEquals(StunBinding.BINDING_SUCCESS, r.type());
            assertArrayEquals(tid, r.transactionId());
            assertTrue(StunBinding.verify(out, 0, n, r, PASSWORD), ip);
            assertEquals(mapped, StunBinding.mappedAddress(out, 0, n));

            Message decoded = Message.decode(out, 0, n);
            XorMappedAddressAttribute xma = (XorMappedAddressAttribute) decoded.getAttribute(Attribute.XOR_MAPPED_ADDRESS);
            assertEquals(mapped.getAddress(), xma.getAddress(tid).getAddress(), "ice4j reads the same address");
            assertEquals(mapped.getPort(), xma.getAddress(tid).getPort());
        }
    }

    @Test
    void anErrorResponseCarriesItsCodeAndAFingerprint() throws Exception {
        byte[] out = new byte[StunBinding.MAX_RESPONSE];
        int n = StunBinding.writeError(out, new byte[12], 487, "Role Conflict", PASSWORD);
        StunBinding.Request r = StunBinding.read(out, 0, n);
        assertEquals(StunBinding.BINDING_ERROR, r.type());
        assertTrue(StunBinding.verify(out, 0, n, r, PASSWORD));
        Message decoded = Message.decode(out, 0, n);
        org.ice4j.attribute.ErrorCodeAttribute e = (org.ice4j.attribute.ErrorCodeAttribute) decoded.getAttribute(Attribute.ERROR_CODE);
        assertEquals(487, e.getErrorCode());
    }

    @Test
    void garbageAndTruncationAreNotStun() {
        assertFalse(StunBinding.isStun(new byte[] {(byte) 0x80, 0, 0, 0}, 0, 4), "RTP");
        assertNull(StunBinding.read(new byte[19], 0, 19));
        assertNull(StunBinding.read(SAMPLE_REQUEST, 0, SAMPLE_REQUEST.length - 4), "length field disagrees");
        byte[] longAttr = SAMPLE_REQUEST.clone();
        longAttr[22] = 0x7F; // SOFTWARE claims to run past the end
        assertNull(StunBinding.read(longAttr, 0, longAttr.length));
        byte[] noIntegrity = Arrays.copyOf(SAMPLE_REQUEST, 76);
        noIntegrity[3] = 56; // the body without MESSAGE-INTEGRITY and FINGERPRINT
        StunBinding.Request r = StunBinding.read(noIntegrity, 0, noIntegrity.length);
        assertNotNull(r);
        assertFalse(StunBinding.verify(noIntegrity, 0, noIntegrity.length, r, PASSWORD), "no integrity, no trust");
    }
}
