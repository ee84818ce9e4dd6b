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
 *   <li>{@code goog-remb} and abs-send-time, not transport-cc: the bridge sends REMB and does not
 *       generate transport-cc feedback, and a Chromium that negotiated transport-cc would wait for
 *       feedback that never comes and stay at its start bitrate;</li>
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
        List<RtcpFeedback> videoFeedback = List.of(RtcpFeedback.GOOG_REMB, RtcpFeedback.CCM_FIR, RtcpFeedback.NACK,
                RtcpFeedback.NACK_PLI);
        return new CodecPolicy(
                Map.of(MediaType.AUDIO, List.of(new RtpCodec(111, "opus", 48000, 2, opus, List.of())),
                        MediaType.VIDEO, List.of(new RtpCodec(96, "VP8", 90000, 1, Map.of(), videoFeedback),
                                new RtpCodec(97, "rtx", 90000, 1, Map.of("apt", "96"), List.of()))),
                Map.of(MediaType.AUDIO, List.of(new Extmap(1, Extmap.AUDIO_LEVEL),
                                new Extmap(2, Extmap.ABS_SEND_TIME)),
                        MediaType.VIDEO, List.of(new Extmap(2, Extmap.ABS_SEND_TIME),
                                new Extmap(10, Simulcast.RTP_STREAM_ID), new Extmap(11, Simulcast.REPAIRED_RTP_STREAM_ID))));
    }
}
