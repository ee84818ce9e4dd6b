package io.livedesk.media.api;

import java.util.Map;

/**
 * Statistics of one endpoint as the bridge sees it. "In" is what the endpoint sent to the bridge,
 * "out" what the bridge sent to it (forwarded media, retransmissions, feedback).
 *
 * @param packetsLost       RTP packets the endpoint sent that never reached the bridge (from sequence gaps)
 * @param fractionLost      loss the endpoint reports (0..1) for the streams it receives; -1 when unknown
 * @param rttMs             round-trip time bridge to endpoint from its RTCP reports; -1 when unknown
 * @param bitrateInBps      recent receive bitrate from the endpoint
 * @param bitrateOutBps     recent send bitrate to the endpoint
 * @param estimateBps       the bandwidth estimate the bridge last sent it (REMB); 0 before the first
 * @param downlinkEstimateBps the bridge's estimate of its path to the endpoint: its own send-side estimate where the
 *                          endpoint sends transport-cc feedback, else the endpoint's fresh REMB; 0 when neither
 * @param transportFeedbacksIn transport-cc feedback messages about the bridge's numbering the endpoint sent so far
 * @param dropped           packets dropped by reason (e.g. {@code unknown-ssrc}), only non-zero ones
 */
public record EndpointStats(String id, String statsId, boolean connected, long packetsIn, long packetsOut,
                            long bytesIn, long bytesOut, long packetsLost, double fractionLost, double rttMs,
                            long bitrateInBps, long bitrateOutBps, long estimateBps, long downlinkEstimateBps,
                            long transportFeedbacksIn, Map<String, Long> dropped) {
    public EndpointStats {
        dropped = Map.copyOf(dropped);
    }
}
