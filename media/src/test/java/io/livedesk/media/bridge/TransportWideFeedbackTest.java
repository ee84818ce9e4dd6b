package io.livedesk.media.bridge;

import io.livedesk.media.api.HeaderExtension;
import io.livedesk.media.api.Media;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.rtp.RtcpCompound;
import io.livedesk.media.rtp.RtcpPacket;
import io.livedesk.media.rtp.RtpPacket;
import io.livedesk.media.rtp.TransportCcFeedback;
import io.livedesk.media.sdp.Extmap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transport-wide feedback toward a sender: every packet's transport-wide sequence number and arrival reported back
 * each housekeeping round (lost ones as not received), and the number blanked to padding before the packet reaches
 * a receiver, whose own path it has nothing to do with.
 */
class TransportWideFeedbackTest {
    private static final int BRIDGE = 0x0B0B0B0B;
    private static final int TCC_EXT = 3;
    private static final int AUDIO = 1001;
    private static final long MS = 1_000_000L;

    private final AtomicLong now = new AtomicLong(5_000 * MS);
    private Conference conference;
    private Endpoint sender;
    private FakeLink senderLink;
    private FakeLink receiverLink;

    @BeforeEach
    void setUp() throws Exception {
        conference = new Conference(new MeetingId("m1"), "room", new ForwardingContext(now::get, BRIDGE,
                BridgeConfig.defaults("127.0.0.1", 10000)));
        senderLink = new FakeLink();
        receiverLink = new FakeLink();
        sender = new Endpoint("a", "a", conference, now.get());
        sender.attach(senderLink);
        conference.add(sender);
        Endpoint receiver = new Endpoint("b", "b", conference, now.get());
        receiver.attach(receiverLink);
        conference.add(receiver);
        sender.medias(List.of(new Media(MediaType.AUDIO, List.of(),
                List.of(new HeaderExtension(TCC_EXT, Extmap.TRANSPORT_WIDE_CC)))));
        conference.setSources(sender, List.of(new MediaSource(MediaType.AUDIO, "mic",
                List.of(new MediaSource.Ssrc(AUDIO, "mic")), List.of())));
        sender.markSecureHandled();
        receiver.markSecureHandled();
    }

    /** RTP with one one-byte extension element: the transport-wide sequence number. */
    private static byte[] rtp(int seq, int transportSeq) {
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + 20);
        b.put((byte) 0x90).put((byte) 111).putShort((short) seq).putInt(seq * 960).putInt(AUDIO);
        b.putShort((short) 0xBEDE).putShort((short) 1);
        b.put((byte) (TCC_EXT << 4 | 1)).putShort((short) transportSeq).put((byte) 0);
        b.put(new byte[20]);
        return b.array();
    }

    private List<TransportCcFeedback> feedbackTo(FakeLink link) {
        List<TransportCcFeedback> out = new ArrayList<>();
        for (byte[] datagram : link.rtcp) {
            RtcpCompound compound = new RtcpCompound();
            assertTrue(compound.wrap(datagram, 0, datagram.length));
            RtcpPacket p = new RtcpPacket();
            while (compound.next(p)) {
                if (p.kind() == io.livedesk.media.rtp.RtcpKind.TRANSPORT_CC) {
                    out.add(TransportCcFeedback.parse(p.buffer(), p.offset(), p.length()));
                }
            }
        }
        return out;
    }

    @Test
    void arrivalsAreReportedEachRoundWithTheGapsNotReceived() {
        for (int i = 0; i < 5; i++) {
            if (i != 2) { // transport seq 102 never arrives
                byte[] p = rtp(i, 100 + i);
                sender.receiver.onRtp(p, 0, p.length);
            }
            now.addAndGet(20 * MS);
        }
        conference.sendTransportFeedback(new byte[2048]);
        List<TransportCcFeedback> feedback = feedbackTo(senderLink);
        assertEquals(1, feedback.size());
        TransportCcFeedback f = feedback.get(0);
        assertEquals(BRIDGE, f.senderSsrc());
        assertEquals(100, f.baseSequence());
        assertEquals(5, f.size());
        assertEquals(4, f.receivedCount());
        assertFalse(f.received(2));
        assertEquals(20_000, f.arrivalDeltaMicros(1), "20 ms apart, as they arrived");
        assertEquals(40_000, f.arrivalDeltaMicros(3));
        assertEquals(1, sender.counters.transportFeedbacksToSender());

        senderLink.rtcp.clear();
        conference.sendTransportFeedback(new byte[2048]);
        assertTrue(feedbackTo(senderLink).isEmpty(), "nothing new arrived: nothing to say");
        byte[] next = rtp(5, 105);
        sender.receiver.onRtp(next, 0, next.length);
        conference.sendTransportFeedback(new byte[2048]);
        TransportCcFeedback second = feedbackTo(senderLink).get(0);
        assertEquals(105, second.baseSequence());
        assertEquals(1, second.feedbackCount(), "the feedback packet count goes on");
    }

    @Test
    void theForwardedPacketCarriesPaddingWhereTheNumberWas() {
        byte[] p = rtp(7, 4242);
        sender.receiver.onRtp(p, 0, p.length);
        assertEquals(1, receiverLink.rtp.size());
        byte[] forwarded = receiverLink.rtp.get(0);
        RtpPacket out = new RtpPacket();
        assertTrue(out.wrap(forwarded, 0, forwarded.length));
        assertEquals(-1, out.extensionOffset(TCC_EXT), "no transport-wide number reaches the receiver");
        assertEquals(0, forwarded[16] | forwarded[17] | forwarded[18], "blanked to padding bytes");
        assertEquals(7, out.sequenceNumber());
        assertEquals(p.length, forwarded.length, "nothing else changed in size");
    }
}
