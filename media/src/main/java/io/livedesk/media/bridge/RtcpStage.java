package io.livedesk.media.bridge;

import io.livedesk.media.rtp.RtcpPacket;

/**
 * A node of the receive pipeline that consumes one RTCP packet of an endpoint's compound. Called on
 * the endpoint's receive thread with its scratch memory; it must not block or allocate.
 */
interface RtcpStage {
    void onRtcp(Endpoint from, RtcpPacket packet, long nowNanos, EndpointReceiver.Scratch scratch);
}
