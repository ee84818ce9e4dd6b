package io.livedesk.media.bridge;

import io.livedesk.media.api.MediaType;
import io.livedesk.media.rtp.RtcpCompound;
import io.livedesk.media.rtp.RtcpPacket;
import io.livedesk.media.rtp.RtpPacket;
import io.livedesk.media.tap.AudioTap;
import io.livedesk.media.transport.MediaPacketListener;

/**
 * The start of the packet path for everything one endpoint sends (Jitsi Videobridge's receive
 * pipeline, reduced to its nodes): account, classify by SSRC, then hand RTP to the
 * {@link RtpForwarder} and each RTCP packet to the {@link FeedbackRouter}.
 *
 * <p>Holds the endpoint's scratch views and buffers, so nothing is allocated per packet here. The
 * transport calls it from ice4j's receive thread, and once from the DTLS thread for packets that
 * beat the keys; the lock makes those two never overlap and is otherwise uncontended.
 */
final class EndpointReceiver implements MediaPacketListener {
    private final Endpoint endpoint;
    private final RtpPacket rtp = new RtpPacket();
    private final RtcpCompound compound = new RtcpCompound();
    private final RtcpPacket rtcp = new RtcpPacket();
    private final Scratch scratch = new Scratch();

    EndpointReceiver(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public synchronized void onRtp(byte[] buf, int off, int len) {
        long now = arrived(len);
        if (!rtp.wrap(buf, off, len)) {
            endpoint.counters.drop(ForwardingDrop.MALFORMED_RTP);
            return;
        }
        Conference conference = endpoint.conference;
        SenderStream stream = conference.stream(rtp.ssrc());
        if (stream == null || stream.owner != endpoint) {
            endpoint.counters.drop(ForwardingDrop.UNKNOWN_SSRC);
            return;
        }
        stream.onReceived(rtp, now / 1_000_000L);
        conference.context.forwarder.forward(endpoint, conference.endpoints(), buf, off, len);
        // After forwarding, so a tap never delays the other endpoints; forwarding leaves buf as it was.
        if (stream.type == MediaType.AUDIO) {
            tap(now);
        }
    }

    /** Hands the packet to the endpoint's audio taps, if any (they copy it and decode elsewhere). */
    private void tap(long now) {
        AudioTap[] taps = endpoint.audioTaps();
        if (taps != null) {
            for (AudioTap tap : taps) {
                tap.offer(rtp, now);
            }
        }
    }

    @Override
    public synchronized void onRtcp(byte[] buf, int off, int len) {
        long now = arrived(len);
        if (!compound.wrap(buf, off, len)) {
            endpoint.counters.drop(ForwardingDrop.MALFORMED_RTCP);
            return;
        }
        FeedbackRouter router = endpoint.conference.context.feedback;
        while (compound.next(rtcp)) {
            router.route(endpoint, rtcp, now, scratch);
        }
    }

    /** Counts the packet, marks activity and, on the first packet ever, asks senders for keyframes. */
    private long arrived(int len) {
        long now = endpoint.conference.context.nanoClock.getAsLong();
        endpoint.counters.in(len);
        endpoint.active(now);
        if (endpoint.markSecureHandled()) {
            endpoint.conference.requestKeyframesFor(endpoint, scratch.packet);
        }
        return now;
    }

    /** Per-endpoint working memory of the packet path. */
    static final class Scratch {
        /** Room for a cached packet or an originated feedback packet (a NACK of all {@link #lost}). */
        final byte[] packet = new byte[4096];
        /** Sequence numbers of one NACK. */
        final int[] lost = new int[512];
        /** The ones no cache held. */
        final int[] missing = new int[512];
        /** Distinct owners when fanning out a receiver report. */
        final Endpoint[] owners = new Endpoint[8];
    }
}
