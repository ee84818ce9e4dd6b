package io.livedesk.media.bridge;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.livedesk.media.sdp.CodecPolicy;
import io.livedesk.media.sdp.Extmap;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.sdp.RtcpFeedback;
import io.livedesk.media.sdp.RtpCodec;
import io.livedesk.media.sdp.Simulcast;

/**
 * What to negotiate with browsers that use this bridge, matching what it does with RTCP:
 * <ul>
 *   <li>transport-cc and its header extension: the bridge answers every sender's transport-wide sequence
 *       numbers with feedback ({@link TransportWideFeedback}), so a browser's send-side estimator sees its path
 *       to the bridge; the numbers are replaced before forwarding by the bridge's own numbering per receiver (or padding for a receiver without transport-cc), whose feedback feeds the bridge's send-side estimate of that receiver's path; receivers without it keep estimating their own path
 *       and telling it by {@code goog-remb} (with abs-send-time), which the bridge reads per receiver and
 *       answers senders with (a ceiling on what they send);</li>
 *   <li>NACK (answered from the bridge's cache), PLI and FIR (relayed to the sender), RTX;</li>
 *   <li>no {@code sdes:mid} header extension: the bridge forwards packets unchanged, and a receiver
 *       would route another sender's packets by that sender's mid instead of by the SSRCs listed in
 *       its own SDP;</li>
 *   <li>the rid header extensions (RFC 8852) on sections that send simulcast by rid, so the bridge can tell
 *       which layer each new SSRC is (the answer leaves them out elsewhere).</li>
 * </ul>
 */
public final class BridgeCodecPolicy {
    private BridgeCodecPolicy() {
    }

    public static CodecPolicy forForwarding() {
        Map<String, String> opus = new LinkedHashMap<>();
        opus.put("minptime", "10");
        opus.put("useinbandfec", "1");
        List<RtcpFeedback> videoFeedback = List.of(RtcpFeedback.GOOG_REMB, RtcpFeedback.TRANSPORT_CC,
                RtcpFeedback.CCM_FIR, RtcpFeedback.NACK, RtcpFeedback.NACK_PLI);
        return new CodecPolicy(
                Map.of(MediaType.AUDIO, List.of(new RtpCodec(111, "opus", 48000, 2, opus,
                                List.of(RtcpFeedback.TRANSPORT_CC))),
                        MediaType.VIDEO, List.of(new RtpCodec(96, "VP8", 90000, 1, Map.of(), videoFeedback),
                                new RtpCodec(97, "rtx", 90000, 1, Map.of("apt", "96"), List.of()))),
                Map.of(MediaType.AUDIO, List.of(new Extmap(1, Extmap.AUDIO_LEVEL),
                                new Extmap(2, Extmap.ABS_SEND_TIME), new Extmap(3, Extmap.TRANSPORT_WIDE_CC)),
                        MediaType.VIDEO, List.of(new Extmap(2, Extmap.ABS_SEND_TIME), new Extmap(3, Extmap.TRANSPORT_WIDE_CC),
                                new Extmap(10, Simulcast.RTP_STREAM_ID), new Extmap(11, Simulcast.REPAIRED_RTP_STREAM_ID))));
    }
}
