package io.livedesk.media.bridge;

import java.nio.charset.StandardCharsets;

import io.livedesk.media.rtp.RtcpCompound;
import io.livedesk.media.rtp.RtcpPacket;
import io.livedesk.media.rtp.RtpPacket;
import io.livedesk.media.transport.MediaPacketListener;

/**
 * The start of the packet path for everything one endpoint sends (Jitsi Videobridge's receive
 * pipeline, reduced to its nodes): account, classify by SSRC, then hand RTP to the stages of the
 * {@link PacketPath} it was given (forwarding, then the audio taps) and each RTCP packet to its
 * feedback stage. RTP of an endpoint that declared no sources (receive-only: a livestream viewer)
 * goes no further than the count, whatever its SSRC; its RTCP (receiver reports, NACK, PLI) is taken
 * as any receiver's. A transport-wide sequence number is recorded for the sender's feedback first
 * ({@link TransportWideFeedback}); each receiver's copy gets its own number on the way out.
 *
 * <p>Holds the endpoint's scratch views and buffers, so nothing is allocated per packet here. The
 * transport calls it from ice4j's receive thread, and once from the DTLS thread for packets that
 * beat the keys; the lock makes those two never overlap and is otherwise uncontended.
 */
final class EndpointReceiver implements MediaPacketListener {
    private final Endpoint endpoint;
    private final PacketPath path;
    private final RtpPacket rtp = new RtpPacket();
    private final RtcpCompound compound = new RtcpCompound();
    private final RtcpPacket rtcp = new RtcpPacket();
    private final Scratch scratch = new Scratch();

    EndpointReceiver(Endpoint endpoint, PacketPath path) {
        this.endpoint = endpoint;
        this.path = path;
    }

    @Override
    public synchronized void onRtp(byte[] buf, int off, int len) {
        long now = arrived(len);
        if (!rtp.wrap(buf, off, len)) {
            endpoint.counters.drop(ForwardingDrop.MALFORMED_RTP);
            return;
        }
        if (endpoint.transportCcExtension() > 0) {
            endpoint.transportFeedback.arrived(rtp, endpoint.transportCcExtension(), now);
        }
        if (endpoint.streams().isEmpty() && endpoint.simulcasts().isEmpty()) {
            endpoint.counters.drop(ForwardingDrop.RECEIVE_ONLY);
            return;
        }
        SenderStream stream = path.routing().stream(rtp.ssrc());
        if (stream == null && !endpoint.simulcasts().isEmpty()) {
            stream = learnLayer(buf);
        }
        if (stream == null || stream.owner != endpoint) {
            endpoint.counters.drop(ForwardingDrop.UNKNOWN_SSRC);
            return;
        }
        stream.onReceived(rtp, now / 1_000_000L);
        path.forwarding().onRtp(endpoint, stream, rtp, now);
        path.audioTaps().onRtp(endpoint, stream, rtp, now);
    }

    /**
     * A new SSRC of a rid-simulcast track, told by its rid (or, for a layer's RTX, its repaired rid) header
     * extension: the browser sends these on a stream's first packets. Only packets of unknown SSRCs come here.
     */
    private SenderStream learnLayer(byte[] buf) {
        boolean repair = true;
        int at = endpoint.repairedRidExtension() > 0 ? rtp.extensionOffset(endpoint.repairedRidExtension()) : -1;
        if (at < 0) {
            repair = false;
            at = endpoint.ridExtension() > 0 ? rtp.extensionOffset(endpoint.ridExtension()) : -1;
        }
        if (at < 0) {
            return null;
        }
        String rid = new String(buf, at, rtp.extensionLength(at), StandardCharsets.US_ASCII);
        return path.routing().learn(endpoint, rtp.ssrc(), rid, repair);
    }

    @Override
    public synchronized void onRtcp(byte[] buf, int off, int len) {
        long now = arrived(len);
        if (!compound.wrap(buf, off, len)) {
            endpoint.counters.drop(ForwardingDrop.MALFORMED_RTCP);
            return;
        }
        RtcpStage feedback = path.feedback();
        while (compound.next(rtcp)) {
            feedback.onRtcp(endpoint, rtcp, now, scratch);
        }
    }

    /** Counts the packet, marks activity and, on the first packet ever, asks senders for keyframes. */
    private long arrived(int len) {
        long now = path.clock().getAsLong();
        endpoint.counters.in(len);
        endpoint.active(now);
        if (endpoint.markSecureHandled()) {
            path.firstPacket().onFirstPacket(endpoint, scratch.packet);
        }
        return now;
    }

    /** Per-endpoint working memory of the packet path. */
    static final class Scratch {
        /** Room for a cached packet or an originated feedback packet (a NACK of all {@link #lost}). */
        final byte[] packet = new byte[4096];
        /** A cached packet wrapped as RTX. */
        final byte[] rtx = new byte[4096 + io.livedesk.media.rtp.Rtx.OVERHEAD];
        /** Sequence numbers of one NACK. */
        final int[] lost = new int[512];
        /** The ones no cache held. */
        final int[] missing = new int[512];
        /** For a simulcast receiver's NACK: the layer SSRC each of {@link #missing} belongs to. */
        final int[] missingSsrcs = new int[512];
        /** One packet of a transport-cc feedback, as the bridge sent it. */
        final io.livedesk.media.bwe.SentPackets.Sent sent = new io.livedesk.media.bwe.SentPackets.Sent();
        /** Distinct owners when fanning out a receiver report. */
        final Endpoint[] owners = new Endpoint[8];
    }
}
