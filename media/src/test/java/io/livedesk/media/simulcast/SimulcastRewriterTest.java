package io.livedesk.media.simulcast;

import io.livedesk.media.rtp.RtpPacket;
import io.livedesk.media.rtp.Vp8Descriptor;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three layers of a VP8 simulcast sender, each with its own SSRC, sequence numbers, timestamps and picture ids,
 * through one receiver's rewriter: one continuous stream out, layer changes only at the new layer's keyframe.
 */
class SimulcastRewriterTest {
    private static final int OUT_SSRC = 0xABCDEF01;
    private static final int PACKETS_PER_FRAME = 3;

    /** One layer's sender: its own numbering, as a browser's encoder would have it. */
    private static final class LayerSender {
        final int layer;
        final int ssrc;
        int seq;
        long ts;
        int pid;
        int tl0;

        LayerSender(int layer, int seq, long ts, int pid, int tl0) {
            this.layer = layer;
            this.ssrc = 0x1000 + layer;
            this.seq = seq;
            this.ts = ts;
            this.pid = pid;
            this.tl0 = tl0;
        }

        /** The packets of its next frame (3000 ticks later), the first carrying the keyframe bit if asked. */
        List<byte[]> frame(boolean keyframe) {
            List<byte[]> out = new ArrayList<>();
            for (int i = 0; i < PACKETS_PER_FRAME; i++) {
                ByteBuffer b = ByteBuffer.allocate(12 + 6 + 20);
                b.put((byte) 0x80).put((byte) (96 | (i == PACKETS_PER_FRAME - 1 ? 0x80 : 0)))
                        .putShort((short) seq).putInt((int) ts).putInt(ssrc);
                b.put((byte) (0x80 | (i == 0 ? 0x10 : 0))).put((byte) 0xC0)
                        .put((byte) (0x80 | ((pid >> 8) & 0x7F))).put((byte) pid).put((byte) tl0)
                        .put((byte) (keyframe ? 0x00 : 0x01)); // the frame's first byte: P bit
                out.add(b.array());
                seq = (seq + 1) & 0xFFFF;
            }
            ts = (ts + 3000) & 0xFFFFFFFFL;
            pid = (pid + 1) & 0x7FFF;
            tl0 = (tl0 + 1) & 0xFF;
            return out;
        }
    }

    private record Out(int seq, long ts, int ssrc, int pid, int tl0) {
    }

    private final SimulcastRewriter rewriter = new SimulcastRewriter(OUT_SSRC);
    private final List<Out> forwarded = new ArrayList<>();
    private long now = 1_000;

    /** Sends the frames of the senders interleaved, as they arrive, 33 ms apart. */
    private void frames(int count, LayerSender[] senders, int keyframeLayer) {
        for (int f = 0; f < count; f++) {
            for (LayerSender s : senders) {
                for (byte[] p : s.frame(f == 0 && s.layer == keyframeLayer)) {
                    if (rewriter.accept(p, 0, p.length, s.layer, now)) {
                        RtpPacket rtp = new RtpPacket();
                        assertTrue(rtp.wrap(p, 0, p.length));
                        Vp8Descriptor d = new Vp8Descriptor();
                        assertTrue(d.read(p, rtp.payloadOffset(), rtp.payloadLength()));
                        forwarded.add(new Out(rtp.sequenceNumber(), rtp.timestamp() & 0xFFFFFFFFL, rtp.ssrc(),
                                Vp8Descriptor.pictureId(p, d.pictureIdOffset(), d.pictureIdBits()),
                                p[d.tl0PicIdxOffset()] & 0xFF));
                    }
                }
            }
            now += 33;
        }
    }

    private static void assertContinuous(List<Out> out) {
        for (int i = 1; i < out.size(); i++) {
            Out a = out.get(i - 1);
            Out b = out.get(i);
            assertEquals((a.seq() + 1) & 0xFFFF, b.seq(), "sequence continuous at " + i + ": " + a + " -> " + b);
            long dts = (b.ts() - a.ts()) & 0xFFFFFFFFL;
            assertTrue(dts < 0x80000000L, "timestamp never goes back at " + i + ": " + a + " -> " + b);
            int dpid = (b.pid() - a.pid()) & 0x7FFF;
            assertTrue(dpid == 0 || dpid == 1, "picture id goes on by one frame at a time at " + i + ": " + a + " -> " + b);
            assertEquals(OUT_SSRC, b.ssrc());
        }
    }

    @Test
    void nothingGoesOutBeforeAKeyframeOfTheTargetLayerThenOnlyThatLayer() {
        LayerSender[] layers = {new LayerSender(0, 100, 5_000, 10, 1), new LayerSender(1, 30_000, 900_000, 2_000, 50),
                new LayerSender(2, 65_000, 4_294_960_000L, 32_760, 250)};
        rewriter.target(0);
        assertTrue(rewriter.wantsKeyframe());
        frames(3, layers, -1);
        assertEquals(List.of(), forwarded, "no keyframe yet: nothing decodable to forward");
        frames(5, layers, 0);
        assertEquals(5 * PACKETS_PER_FRAME, forwarded.size(), "layer 0 only");
        assertFalse(rewriter.wantsKeyframe());
        assertEquals(0, rewriter.current());
        assertContinuous(forwarded);
    }

    @Test
    void aSwitchUpWaitsForTheNewLayersKeyframeAndTheStreamGoesOnWithoutAGap() {
        LayerSender[] layers = {new LayerSender(0, 100, 5_000, 10, 1), new LayerSender(1, 30_000, 900_000, 2_000, 50),
                new LayerSender(2, 65_530, 4_294_960_000L, 32_760, 250)}; // layer 2 wraps seq, ts and picture id
        rewriter.target(0);
        frames(4, layers, 0);
        int before = forwarded.size();
        rewriter.target(2);
        frames(3, layers, -1);
        assertEquals(0, rewriter.current(), "no keyframe of layer 2 yet: layer 0 goes on");
        assertEquals(before + 3 * PACKETS_PER_FRAME, forwarded.size());
        assertTrue(rewriter.wantsKeyframe(), "the caller should ask layer 2 for a keyframe");
        frames(6, layers, 2);
        assertEquals(2, rewriter.current());
        assertFalse(rewriter.wantsKeyframe());
        // In the keyframe's round layer 0's frame came first and still went out; then layer 2 only.
        int switchAt = before + 4 * PACKETS_PER_FRAME;
        assertEquals(switchAt + 6 * PACKETS_PER_FRAME, forwarded.size(), "layer 2 only from its keyframe on");
        assertContinuous(forwarded);
        Out last0 = forwarded.get(switchAt - 1);
        Out first2 = forwarded.get(switchAt);
        long dts = (first2.ts() - last0.ts()) & 0xFFFFFFFFL;
        assertTrue(dts >= 1 && dts <= 33 * 90, "the timestamp moves on by the time that passed, at least a tick: " + dts);
        assertEquals((last0.tl0() + 1) & 0xFF, first2.tl0(), "TL0PICIDX goes on too");
    }

    @Test
    void aSwitchDownAndBackUpKeepsOneContinuousStream() {
        LayerSender[] layers = {new LayerSender(0, 100, 5_000, 10, 1), new LayerSender(1, 30_000, 900_000, 2_000, 50),
                new LayerSender(2, 200, 77_000, 500, 9)};
        rewriter.target(2);
        frames(3, layers, 2);
        rewriter.target(1);
        frames(3, layers, 1);
        rewriter.target(2);
        frames(3, layers, 2);
        rewriter.target(0);
        frames(3, layers, 0);
        // Each switch happens in its keyframe's round, after the layers that come before it in that round:
        // 3 frames of layer 2, 3 of layer 1, one more of layer 1 and 3 of layer 2, 3 of layer 0.
        assertEquals(13 * PACKETS_PER_FRAME, forwarded.size());
        assertEquals(0, rewriter.current());
        assertContinuous(forwarded);
    }

    @Test
    void aRetransmissionOfTheCurrentLayerIsRewrittenLikeItsOriginal() {
        LayerSender layer = new LayerSender(0, 500, 9_000, 7, 3);
        rewriter.target(0);
        List<byte[]> first = layer.frame(true);
        List<byte[]> copies = new ArrayList<>();
        for (byte[] p : first) {
            copies.add(p.clone());
            assertTrue(rewriter.accept(p, 0, p.length, 0, now));
        }
        for (byte[] p : layer.frame(false)) {
            assertTrue(rewriter.accept(p, 0, p.length, 0, now));
        }
        byte[] again = copies.get(1);
        assertTrue(rewriter.accept(again, 0, again.length, 0, now));
        RtpPacket rtp = new RtpPacket();
        rtp.wrap(again, 0, again.length);
        RtpPacket original = new RtpPacket();
        original.wrap(first.get(1), 0, first.get(1).length);
        assertEquals(original.sequenceNumber(), rtp.sequenceNumber(), "same number as when it first went out");
    }

    @Test
    void garbageIsDropped() {
        rewriter.target(0);
        assertFalse(rewriter.accept(new byte[] {1, 2, 3}, 0, 3, 0, now));
        byte[] noDescriptor = new byte[12];
        noDescriptor[0] = (byte) 0x80;
        assertFalse(rewriter.accept(noDescriptor, 0, 12, 0, now), "a VP8 packet needs its descriptor");
    }

    @Test
    void paddingGoesOnlyAtAFrameBoundaryAndTheStreamContinuesPastIt() {
        LayerSender sender = new LayerSender(0, 100, 9000, 5, 1);
        rewriter.target(0);
        byte[] out = new byte[512];
        List<byte[]> first = sender.frame(true);
        assertTrue(rewriter.accept(first.get(0), 0, first.get(0).length, 0, now));
        assertEquals(-1, rewriter.padding(out, 255, 3), "not within a frame");
        for (byte[] p : first.subList(1, first.size())) {
            assertTrue(rewriter.accept(p, 0, p.length, 0, now));
        }
        int lastSeq = new RtpPacket().wrap(first.get(2), 0, first.get(2).length) ? seqOf(first.get(2)) : -1;

        int[] padded = new int[2];
        for (int k = 0; k < 2; k++) {
            int len = rewriter.padding(out, 255, 3);
            assertEquals(SimulcastRewriter.PADDING_OVERHEAD + 255, len);
            RtpPacket p = new RtpPacket();
            assertTrue(p.wrap(out, 0, len), "a valid RTP packet");
            assertTrue(p.hasPadding());
            assertEquals(0, p.payloadLength(), "padding only");
            assertEquals(255, p.paddingLength());
            assertEquals(OUT_SSRC, p.ssrc());
            assertEquals(9000, p.timestamp() & 0xFFFFFFFFL, "the last frame's timestamp");
            assertEquals(96, p.payloadType());
            assertFalse(p.marker());
            assertEquals(SimulcastRewriter.PADDING_TRANSPORT_WIDE_AT, p.extensionOffset(3));
            padded[k] = p.sequenceNumber();
        }
        assertEquals(lastSeq + 1, padded[0]);
        assertEquals(lastSeq + 2, padded[1]);

        List<byte[]> next = sender.frame(false);
        assertTrue(rewriter.accept(next.get(0), 0, next.get(0).length, 0, now));
        assertEquals(lastSeq + 3, seqOf(next.get(0)), "the next media packet follows the padding without a gap");
        assertTrue(rewriter.accept(next.get(1), 0, next.get(1).length, 0, now));
        assertEquals(lastSeq + 4, seqOf(next.get(1)));
    }

    @Test
    void noPaddingBeforeAnythingWasForwarded() {
        assertEquals(-1, rewriter.padding(new byte[512], 255, 3));
    }

    private static int seqOf(byte[] p) {
        return (p[2] & 0xFF) << 8 | (p[3] & 0xFF);
    }
}
