package io.livedesk.media.bridge;

import java.nio.ByteBuffer;

import io.livedesk.media.rtp.RtcpFeedbackWriter;

/** Builders of plain (decrypted) RTP and RTCP, as the transport hands them to the bridge. */
final class Packets {
    private Packets() {
    }

    static byte[] rtp(int ssrc, int seq, int payloadType, int payloadLength) {
        ByteBuffer b = ByteBuffer.allocate(12 + payloadLength);
        b.put((byte) 0x80).put((byte) payloadType).putShort((short) seq).putInt(seq * 3000).putInt(ssrc);
        for (int i = 0; i < payloadLength; i++) {
            b.put((byte) (seq + i));
        }
        return b.array();
    }

    /** As {@link #rtp}, with a transport-wide sequence number as its one one-byte extension element, id {@code ext}. */
    static byte[] rtpNumbered(int ssrc, int seq, int payloadType, int payloadLength, int ext, int transportSeq) {
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + payloadLength);
        b.put((byte) 0x90).put((byte) payloadType).putShort((short) seq).putInt(seq * 3000).putInt(ssrc);
        b.putShort((short) 0xBEDE).putShort((short) 1).put((byte) (ext << 4 | 1)).putShort((short) transportSeq)
                .put((byte) 0);
        for (int i = 0; i < payloadLength; i++) {
            b.put((byte) (seq + i));
        }
        return b.array();
    }

    static byte[] pli(int sender, int media) {
        byte[] b = new byte[RtcpFeedbackWriter.PLI_LENGTH];
        RtcpFeedbackWriter.writePli(b, 0, sender, media);
        return b;
    }

    static byte[] fir(int sender, int media, int seq) {
        byte[] b = new byte[RtcpFeedbackWriter.FIR_LENGTH];
        RtcpFeedbackWriter.writeFir(b, 0, sender, media, seq);
        return b;
    }

    static byte[] nack(int sender, int media, int... seqs) {
        byte[] b = new byte[RtcpFeedbackWriter.nackLength(seqs, 0, seqs.length)];
        RtcpFeedbackWriter.writeNack(b, 0, sender, media, seqs, 0, seqs.length);
        return b;
    }

    static byte[] remb(int sender, long bps, int... ssrcs) {
        byte[] b = new byte[RtcpFeedbackWriter.rembLength(ssrcs.length)];
        RtcpFeedbackWriter.writeRemb(b, 0, sender, bps, ssrcs, 0, ssrcs.length);
        return b;
    }

    /** An RR with one report block (fraction lost, LSR, DLSR) about {@code about}. */
    static byte[] receiverReport(int sender, int about, int fractionLost, long lsr, long dlsr) {
        ByteBuffer b = ByteBuffer.allocate(8 + 24);
        b.put((byte) 0x81).put((byte) 201).putShort((short) 7).putInt(sender);
        b.putInt(about).put((byte) fractionLost).put((byte) 0).putShort((short) 0).putInt(100).putInt(0)
                .putInt((int) lsr).putInt((int) dlsr);
        return b.array();
    }

    /** An SR without report blocks. */
    static byte[] senderReport(int sender, long ntp) {
        ByteBuffer b = ByteBuffer.allocate(28);
        b.put((byte) 0x80).put((byte) 200).putShort((short) 6).putInt(sender).putLong(ntp).putInt(1234)
                .putInt(10).putInt(1000);
        return b.array();
    }

    static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    static int i32(byte[] b, int i) {
        return ByteBuffer.wrap(b).getInt(i);
    }

    static int u16(byte[] b, int i) {
        return ByteBuffer.wrap(b).getShort(i) & 0xFFFF;
    }
}
