package io.livedesk.bench.media;

import io.livedesk.media.api.MeetingId;
import io.livedesk.media.rtp.PacketKind;
import io.livedesk.media.transport.MediaPacketListener;
import io.livedesk.media.transport.PacketBuffer;
import io.livedesk.media.transport.SrtpKeys;
import io.livedesk.media.transport.SrtpSession;
import org.jitsi.srtp.SrtpErrorStatus;

import java.security.GeneralSecurityException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One participant: its "browser" (SRTP keyed as the DTLS client, writing VP8-sized video frames and
 * Opus-sized audio with one-byte header extensions) and the bridge's side of its transport (SRTP keyed
 * as the DTLS server, the endpoint's packet listener, its {@link BenchLink}).
 */
final class SyntheticEndpoint {
    static final int VIDEO_PT = 96;
    static final int AUDIO_PT = 111;
    static final int HEADER = 24;
    private static final byte[] TEMPLATE = new byte[2048];

    static {
        new SplittableRandom(7).nextBytes(TEMPLATE);
    }

    final Worker worker;
    final int index;
    final MeetingId meetingId;
    final String id;
    /** The bridge's SRTP session for this endpoint (decrypts what it sends, encrypts what it gets). */
    final SrtpSession bridgeSide;
    /** The browser's: the same keys with the halves swapped. */
    final SrtpSession browserSide;
    final BenchLink link;
    final List<SyntheticEndpoint> conference;
    final int videoSsrc;
    final int audioSsrc;
    final int fps;
    final int packetsPerFrame;
    volatile MediaPacketListener listener;
    private final SplittableRandom random;

    private int videoSeq;
    private int videoTs;
    private int audioSeq;
    private int audioTs;
    private int twcc;
    long verifiedOk;
    long verifyFailed;
    long srtpFailed;

    SyntheticEndpoint(Worker worker, int index, MeetingId meetingId, String id, SrtpKeys keys, int videoSsrc,
                      int audioSsrc, List<SyntheticEndpoint> conference, int fps, int packetsPerFrame, long seed) {
        this.worker = worker;
        this.index = index;
        this.meetingId = meetingId;
        this.id = id;
        this.bridgeSide = new SrtpSession(keys, "fwdbench.bridge." + meetingId + "." + id);
        this.browserSide = new SrtpSession(
                new SrtpKeys(keys.serverKey(), keys.serverSalt(), keys.clientKey(), keys.clientSalt()),
                "fwdbench.browser." + meetingId + "." + id);
        this.link = new BenchLink(this);
        this.conference = conference;
        this.videoSsrc = videoSsrc;
        this.audioSsrc = audioSsrc;
        this.fps = fps;
        this.packetsPerFrame = packetsPerFrame;
        this.random = new SplittableRandom(seed);
        this.videoSeq = random.nextInt(1 << 16);
        this.audioSeq = random.nextInt(1 << 16);
        this.videoTs = random.nextInt();
        this.audioTs = random.nextInt();
    }

    /** Writes the plain RTP of the {@code k}-th packet of the current video frame; returns its length. */
    int writeVideo(byte[] b, int k) {
        boolean last = k == packetsPerFrame - 1;
        int payload = last ? 576 + random.nextInt(600) : 1076 + random.nextInt(100);
        int len = header(b, last, VIDEO_PT, videoSeq, videoTs, videoSsrc, false, payload);
        videoSeq = (videoSeq + 1) & 0xFFFF;
        if (last) {
            videoTs += 90_000 / fps;
        }
        return len;
    }

    /** Writes one 20 ms Opus packet's plain RTP; returns its length. */
    int writeAudio(byte[] b) {
        int len = header(b, false, AUDIO_PT, audioSeq, audioTs, audioSsrc, true, 60 + random.nextInt(40));
        audioSeq = (audioSeq + 1) & 0xFFFF;
        audioTs += 960;
        return len;
    }

    private int header(byte[] b, boolean marker, int pt, int seq, int ts, int ssrc, boolean audio, int payload) {
        b[0] = (byte) 0x90; // V=2, X=1
        b[1] = (byte) ((marker ? 0x80 : 0) | pt);
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        putInt(b, 4, ts);
        putInt(b, 8, ssrc);
        b[12] = (byte) 0xBE;
        b[13] = (byte) 0xDE;
        b[14] = 0;
        b[15] = 2;
        int abs = (int) (System.nanoTime() >>> 12);
        if (audio) {
            b[16] = 0x10; // ssrc-audio-level, 1 byte
            b[17] = (byte) (0x80 | random.nextInt(127));
            b[18] = 0x32; // abs-send-time, 3 bytes
            b[19] = (byte) (abs >>> 16);
            b[20] = (byte) (abs >>> 8);
            b[21] = (byte) abs;
            b[22] = 0;
            b[23] = 0;
        } else {
            b[16] = 0x32;
            b[17] = (byte) (abs >>> 16);
            b[18] = (byte) (abs >>> 8);
            b[19] = (byte) abs;
            b[20] = 0x51; // transport-wide-cc, 2 bytes
            b[21] = (byte) (twcc >>> 8);
            b[22] = (byte) twcc;
            b[23] = 0;
            twcc = (twcc + 1) & 0xFFFF;
        }
        System.arraycopy(TEMPLATE, random.nextInt(TEMPLATE.length - payload), b, HEADER, payload);
        return HEADER + payload;
    }

    /** The browser protects in place; returns the SRTP length, or -1. */
    int protect(byte[] b, int len) {
        PacketBuffer p = new PacketBuffer(b, 0, len);
        try {
            if (browserSide.protectRtp(p) != SrtpErrorStatus.OK || p.getBuffer() != b) {
                return -1;
            }
        } catch (GeneralSecurityException e) {
            return -1;
        }
        return p.getLength();
    }

    /**
     * The bridge transport's receive thread for one datagram, as {@code EndpointTransport} does it:
     * classify (RFC 7983), SRTP unprotect in place, hand the RTP to the endpoint's listener.
     */
    void bridgeReceive(byte[] b, int off, int len) {
        if (PacketKind.classify(b, off, len) != PacketKind.RTP) {
            srtpFailed++;
            return;
        }
        PacketBuffer p = new PacketBuffer(b, off, len);
        SrtpErrorStatus status;
        try {
            status = bridgeSide.unprotectRtp(p);
        } catch (GeneralSecurityException | RuntimeException e) {
            status = SrtpErrorStatus.FAIL;
        }
        if (status != SrtpErrorStatus.OK) {
            srtpFailed++;
            return;
        }
        listener.onRtp(p.getBuffer(), p.getOffset(), p.getLength());
    }

    /** The receiving browser decrypts what the bridge sent it (only with --verify). */
    void verify(PacketBuffer packet) {
        try {
            if (browserSide.unprotectRtp(packet) == SrtpErrorStatus.OK) {
                verifiedOk++;
            } else {
                verifyFailed++;
            }
        } catch (GeneralSecurityException e) {
            verifyFailed++;
        }
    }

    private static void putInt(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }
}
