package io.livedesk.media.bridge;

import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Forwarding RTP and answering NACKs allocates nothing per packet once caches are warm, with each receiver's copy
 * numbered on its own transport-wide sequence (two of the three negotiated transport-cc, one gets padding).
 */
class HotPathAllocationTest {
    @Test
    void forwardingAndNackAnsweringDoNotAllocatePerPacket() throws Exception {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assertTrue(bean instanceof com.sun.management.ThreadMXBean, "allocation is measured with HotSpot's ThreadMXBean");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;

        AtomicLong now = new AtomicLong(1_000_000_000L);
        Conference conference = new Conference(new MeetingId("m"), "r",
                new ForwardingContext(now::get, 42, BridgeConfig.defaults("127.0.0.1", 10000)));
        CountingLink[] links = new CountingLink[4];
        Endpoint[] endpoints = new Endpoint[4];
        for (int i = 0; i < 4; i++) {
            links[i] = new CountingLink();
            endpoints[i] = new Endpoint("e" + i, "e" + i, conference, now.get());
            endpoints[i].attach(links[i]);
            endpoints[i].markSecureHandled();
            conference.add(endpoints[i]);
            if (i < 3) {
                endpoints[i].medias(List.of(new io.livedesk.media.api.Media(MediaType.VIDEO, List.of(),
                        List.of(new io.livedesk.media.api.HeaderExtension(3,
                                io.livedesk.media.sdp.Extmap.TRANSPORT_WIDE_CC)))));
            }
        }
        conference.setSources(endpoints[0], List.of(new MediaSource(MediaType.VIDEO, "v",
                List.of(new MediaSource.Ssrc(5000, "v")), List.of())));
        byte[][] packets = new byte[4096][];
        for (int i = 0; i < packets.length; i++) {
            packets[i] = Packets.rtpNumbered(5000, i, 96, 1000, 3, i);
        }
        byte[] nack = Packets.nack(7, 5000, 4090, 4091, 4093);

        Runnable round = () -> {
            for (byte[] p : packets) {
                endpoints[0].receiver.onRtp(p, 0, p.length);
            }
            for (int i = 0; i < 100; i++) {
                endpoints[1].receiver.onRtcp(nack, 0, nack.length);
            }
        };
        for (int i = 0; i < 5; i++) {
            round.run(); // warm up: JIT, cache slots, LongAdder cells
        }
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        round.run();
        long allocated = threads.getThreadAllocatedBytes(id) - before;

        assertEquals(6 * packets.length, links[1].rtp.get() - 6 * 300, "forwarded plus 3 resent per NACK");
        assertEquals(links[1].rtp.get(), endpoints[1].sentPackets.recorded(), "every packet to it numbered");
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes for " + packets.length
                + " packets x 3 receivers and 100 NACKs");
    }
}
