package io.livedesk.media.tap;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.livedesk.media.rtp.RtpPacket;

/**
 * A sender's Opus: a continuous sine encoded by Concentus at 48 kHz mono, 20 ms frames, with in-band
 * FEC, wrapped in RTP with the sender's own sequence numbers and timestamps (random starts, like a
 * browser). {@link #lose} and {@link #pause} step the numbering as loss and DTX would.
 */
final class OpusSource {
    static final int FRAME = 960;

    private final OpusEncoder encoder;
    private final double hz;
    private final double dbfs;
    private final int ssrc;
    private final int payloadType;
    private final byte[] out = new byte[1500];
    private int seq;
    private int ts;
    /** Index of the next sine sample: follows the RTP timestamp, so the tone continues across gaps. */
    private long sample;

    OpusSource(int ssrc, int payloadType, double hz, double dbfs, int bitrate, long seed) {
        try {
            encoder = new OpusEncoder(48000, 1, OpusApplication.OPUS_APPLICATION_AUDIO);
        } catch (OpusException e) {
            throw new IllegalStateException(e);
        }
        encoder.setBitrate(bitrate);
        encoder.setUseInbandFEC(true);
        encoder.setPacketLossPercent(10);
        this.hz = hz;
        this.dbfs = dbfs;
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        this.seq = random.nextInt(1 << 16);
        this.ts = random.nextInt();
    }

    /** The next 20 ms as an Opus payload (advances sequence number and timestamp). */
    byte[] nextPayload() {
        short[] pcm = Tones.sine(hz, dbfs, 48000, sample, FRAME);
        int len;
        try {
            len = encoder.encode(pcm, 0, FRAME, out, 0, out.length);
        } catch (OpusException e) {
            throw new IllegalStateException(e);
        }
        return java.util.Arrays.copyOf(out, len);
    }

    /** The next packet as RTP (12-byte header, no extension). */
    byte[] nextRtp() {
        byte[] payload = nextPayload();
        byte[] rtp = rtp(payloadType, seq, ts, ssrc, payload);
        advance();
        return rtp;
    }

    /** The next packet as a {@link TapPacket}, as the receive path would queue it. */
    TapPacket nextTapPacket(long arrivalNanos) {
        TapPacket p = new TapPacket(ssrc, seq, ts, arrivalNanos, nextPayload());
        advance();
        return p;
    }

    private void advance() {
        seq = (seq + 1) & 0xFFFF;
        ts += FRAME;
        sample += FRAME;
    }

    /** Encodes and throws away {@code packets} packets: lost on the way. */
    void lose(int packets) {
        for (int i = 0; i < packets; i++) {
            nextPayload();
            advance();
        }
    }

    /** The sender stops for {@code samples} (48 kHz) and numbering continues: DTX or a pause. */
    void pause(int samples) {
        ts += samples;
        sample += samples;
    }

    static byte[] rtp(int pt, int seq, int ts, int ssrc, byte[] payload) {
        byte[] b = new byte[RtpPacket.FIXED_HEADER_LENGTH + payload.length];
        b[0] = (byte) 0x80;
        b[1] = (byte) pt;
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        b[4] = (byte) (ts >>> 24);
        b[5] = (byte) (ts >>> 16);
        b[6] = (byte) (ts >>> 8);
        b[7] = (byte) ts;
        b[8] = (byte) (ssrc >>> 24);
        b[9] = (byte) (ssrc >>> 16);
        b[10] = (byte) (ssrc >>> 8);
        b[11] = (byte) ssrc;
        System.arraycopy(payload, 0, b, RtpPacket.FIXED_HEADER_LENGTH, payload.length);
        return b;
    }
}
