package io.livedesk.media.bridge;

import io.livedesk.media.api.Bridge;
import io.livedesk.media.api.BridgeStats;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.SetupRole;
import io.livedesk.media.api.TransportDescription;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which addresses may be advertised, and how a reply's candidates are rewritten. */
class PublicAddressBridgeTest {
    private static final TransportDescription.Candidate HOST =
            new TransportDescription.Candidate("1", 1, "udp", 2130706431L, "10.0.0.5", 10000, "host");
    private static final TransportDescription.Candidate RELAY =
            new TransportDescription.Candidate("7", 1, "udp", 5L, "198.51.100.9", 3478, "relay");

    @Test
    void addressesMustBeIpLiteralsNotWildcardsNorRepeated() {
        assertEquals(List.of("203.0.113.7", "::1", "127.0.0.1"),
                PublicAddressBridge.validate(List.of(" 203.0.113.7", "::1", "127.0.0.1 ")));
        assertEquals(List.of(), PublicAddressBridge.validate(null));
        for (String bad : List.of("bridge.example.com", "", "300.1.1.1", "0.0.0.0", "::", "1.2.3", "fe80::1%eth0")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PublicAddressBridge.validate(List.of(bad)), bad);
            assertFalse(e.getMessage().isBlank());
        }
        assertThrows(IllegalArgumentException.class,
                () -> PublicAddressBridge.validate(List.of("203.0.113.7", "203.0.113.7")));
        assertTrue(PublicAddressBridge.isWildcard("0.0.0.0"));
        assertTrue(PublicAddressBridge.isWildcard("::"));
        assertFalse(PublicAddressBridge.isWildcard("127.0.0.1"));
        assertFalse(PublicAddressBridge.isWildcard("localhost"));
    }

    @Test
    void withoutPublicAddressesTheBridgeIsUnwrapped() {
        Bridge bridge = new Replying(null);
        assertSame(bridge, PublicAddressBridge.wrap(bridge, List.of()));
    }

    @Test
    void hostCandidatesAreReplacedOnePerPublicAddressOthersKept() throws Exception {
        TransportDescription transport = new TransportDescription("uf", "pw",
                List.of(new TransportDescription.Fingerprint("sha-256", "AB:CD", SetupRole.ACTPASS)), List.of(HOST, RELAY), true);
        Replying inner = new Replying(new ConferenceReply(List.of(
                new ConferenceReply.EndpointReply("ep1", transport, false),
                new ConferenceReply.EndpointReply("ep2", null, true)), List.of()));
        Bridge bridge = PublicAddressBridge.wrap(inner, List.of("203.0.113.7", "10.0.0.5"));

        ConferenceReply reply = bridge.apply(ConferenceRequest.creating(new MeetingId("m")).build());
        List<TransportDescription.Candidate> c = reply.endpoints().get(0).transport().candidates();
        assertEquals(List.of(
                new TransportDescription.Candidate("1", 1, "udp", 2130706431L, "203.0.113.7", 10000, "host"),
                new TransportDescription.Candidate("11", 1, "udp", 2130706430L, "10.0.0.5", 10000, "host"),
                RELAY), c);
        TransportDescription out = reply.endpoints().get(0).transport();
        assertEquals("uf", out.ufrag());
        assertEquals(transport.fingerprints(), out.fingerprints());
        assertNull(reply.endpoints().get(1).transport());
        assertTrue(reply.endpoints().get(1).expired());
        assertEquals("inner", bridge.id());
        bridge.close();
        assertTrue(inner.closed, "closing the wrapper closes the bridge");
    }

    /** A bridge that answers every request with one reply. */
    private static final class Replying implements Bridge {
        private final ConferenceReply reply;
        boolean closed;

        Replying(ConferenceReply reply) {
            this.reply = reply;
        }

        @Override
        public String id() {
            return "inner";
        }

        @Override
        public ConferenceReply apply(ConferenceRequest request) {
            return reply;
        }

        @Override
        public void expire(MeetingId meetingId) {
        }

        @Override
        public BridgeStats stats() {
            return new BridgeStats(0, 0, 0, true, false, false, 0, 0, 0, 0);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
