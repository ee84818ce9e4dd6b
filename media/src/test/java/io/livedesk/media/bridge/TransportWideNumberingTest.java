package io.livedesk.media.bridge;

import io.livedesk.media.api.HeaderExtension;
import io.livedesk.media.api.Media;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.rtp.RtpPacket;
import io.livedesk.media.rtp.TransportCcFeedback;
import io.livedesk.media.sdp.Extmap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bridge's own transport-wide numbering toward each receiver: every receiver that negotiated transport-cc gets
 * consecutive numbers of its own under the id it negotiated, one that did not gets padding as before, and a
 * receiver's transport-cc feedback about those numbers feeds its send-side estimate, which then takes the place
 * of its REMB.
 */
class TransportWideNumberingTest {
    private static final int BRIDGE = 0x0B0B0B0B;
    private static final int SENDER_EXT = 3;
    private static final int VIDEO = 2002;
    private static final long MS = 1_000_000L;

    private final AtomicLong now = new AtomicLong(5_000 * MS);
    private Conference conference;
    private Endpoint sender;
    private Endpoint sameId;
    private Endpoint otherId;
    private Endpoint plain;
    private final FakeLink sameIdLink = new FakeLink();
    private final FakeLink otherIdLink = new FakeLink();
    private final FakeLink plainLink = new FakeLink();

    @BeforeEach
    void setUp() throws Exception {
        conference = new Conference(new MeetingId("m1"), "room", new ForwardingContext(now::get, BRIDGE,
                BridgeConfig.defaults("127.0.0.1", 10000)));
        sender = endpoint("s", new FakeLink(), SENDER_EXT);
        sameId = endpoint("r1", sameIdLink, SENDER_EXT);
        otherId = endpoint("r2", otherIdLink, 5);
        plain = endpoint("r3", plainLink, 0);
        conference.setSources(sender, List.of(new MediaSource(MediaType.VIDEO, "cam",
                List.of(new MediaSource.Ssrc(VIDEO, "cam")), List.of())));
    }

    private Endpoint endpoint(String id, FakeLink link, int transportCcId) {
        Endpoint e = new Endpoint(id, id, conference, now.get());
        e.attach(link);
        e.markSecureHandled();
        conference.add(e);
        e.medias(List.of(new Media(MediaType.VIDEO, List.of(), transportCcId == 0 ? List.of()
                : List.of(new HeaderExtension(transportCcId, Extmap.TRANSPORT_WIDE_CC)))));
        return e;
    }

    /** Video RTP with the sender's transport-wide number as its one one-byte extension element. */
    private static byte[] rtp(int seq, int transportSeq) {
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + 100);
        b.put((byte) 0x90).put((byte) 96).putShort((short) seq).putInt(seq * 3000).putInt(VIDEO);
        b.putShort((short) 0xBEDE).putShort((short) 1);
        b.put((byte) (SENDER_EXT << 4 | 1)).putShort((short) transportSeq).put((byte) 0);
        b.put(new byte[100]);
        return b.array();
    }

    private static int numberIn(byte[] packet, int id) {
        RtpPacket p = new RtpPacket();
        assertTrue(p.wrap(packet, 0, packet.length));
        int at = p.extensionOffset(id);
        return at < 0 ? -1 : (packet[at] & 0xFF) << 8 | (packet[at + 1] & 0xFF);
    }

    private void send(int packets) {
        for (int i = 0; i < packets; i++) {
            byte[] p = rtp(i, 900 + i);
            byte[] original = p.clone();
            sender.receiver.onRtp(p, 0, p.length);
            assertArrayEquals(original, p, "the sender's bytes are as they came (each receiver's copy differs)");
            now.addAndGet(10 * MS);
        }
    }

    @Test
    void eachReceiverGetsItsOwnConsecutiveNumbersUnderItsOwnId() {
        send(3);

        for (int i = 0; i < 3; i++) {
            assertEquals(i, numberIn(sameIdLink.rtp.get(i), SENDER_EXT));
            assertEquals(i, numberIn(otherIdLink.rtp.get(i), 5), "under the id that receiver negotiated");
            assertEquals(-1, numberIn(otherIdLink.rtp.get(i), SENDER_EXT));
        }
        assertEquals(3, sameId.sentPackets.recorded());
        assertEquals(3, otherId.sentPackets.recorded());
        assertEquals(null, plain.sentPackets, "nothing numbered for it, nothing kept");
    }

    @Test
    void aReceiverWithoutTransportCcGetsPaddingAsBefore() {
        send(2);

        byte[] forwarded = plainLink.rtp.get(1);
        assertEquals(-1, numberIn(forwarded, SENDER_EXT));
        assertEquals(0, forwarded[16] | forwarded[17] | forwarded[18], "blanked to padding bytes");
        assertEquals(rtp(1, 0).length, forwarded.length);
    }

    @Test
    void feedbackOnTheNumbersFeedsTheReceiversSendSideEstimate() {
        send(50); // 10 ms apart
        assertFalse(sameId.hasSendSideEstimate(now.get()));
        byte[] remb = Packets.remb(7, 300_000, VIDEO);
        sameId.receiver.onRtcp(remb, 0, remb.length);
        assertEquals(300_000, sameId.receiveEstimateBps(now.get()), "REMB until it sends transport-cc feedback");

        TransportCcFeedback.Builder builder = new TransportCcFeedback.Builder();
        for (int seq = 0; seq < 50; seq++) {
            if (seq != 7) { // one lost
                builder.add(seq, 1_000_000 + seq * 10_000L);
            }
        }
        byte[] feedback = new byte[2048];
        int len = builder.build(7, VIDEO, 0).write(feedback, 0);
        sameId.receiver.onRtcp(Arrays.copyOf(feedback, len), 0, len);

        assertEquals(1, sameId.sendSide.feedbacks());
        assertTrue(sameId.hasSendSideEstimate(now.get()));
        // 48 packets of 120 bytes after the first over 490 ms; the lost one counts in neither.
        assertEquals(48 * 120 * 8 * 1000 / 490, sameId.sendSide.acknowledgedBps(), 100);
        assertEquals(sameId.sendSide.estimateBps(), sameId.receiveEstimateBps(now.get()),
                "the send-side estimate takes REMB's place");
        assertEquals(1_000_000, sameId.receiveEstimateBps(now.get()), "the initial estimate, as yet unchanged");

        byte[] plainRemb = Packets.remb(8, 250_000, VIDEO);
        plain.receiver.onRtcp(plainRemb, 0, plainRemb.length);
        assertEquals(250_000, plain.receiveEstimateBps(now.get()), "without transport-cc: its REMB, as before");

        sameId.receiver.onRtcp(Arrays.copyOf(feedback, len), 0, len);
        assertEquals(48 * 120 * 8 * 1000 / 490, sameId.sendSide.acknowledgedBps(), 100,
                "a repeated report counts nothing twice");
    }
}
