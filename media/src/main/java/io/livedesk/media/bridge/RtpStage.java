package io.livedesk.media.bridge;

import io.livedesk.media.rtp.RtpPacket;

/**
 * A node of the receive pipeline that consumes RTP already known to belong to one of the sender's
 * streams (mediasoup's consumer side of a producer). Called on the sender's receive thread: it must
 * not block, must not allocate, and must leave the packet's bytes as it found them, since the next
 * stage reads them too.
 */
interface RtpStage {
    void onRtp(Endpoint sender, SenderStream stream, RtpPacket packet, long nowNanos);
}
