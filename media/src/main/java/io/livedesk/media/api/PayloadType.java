package io.livedesk.media.api;

import java.util.List;
import java.util.Map;

/** A codec as negotiated in SDP: {@code rtpmap} + {@code fmtp} + {@code rtcp-fb}. */
public record PayloadType(int id, String name, int clockRate, int channels, Map<String, String> parameters,
                          List<RtcpFeedback> rtcpFeedback) {
    public PayloadType {
        parameters = Map.copyOf(parameters);
        rtcpFeedback = List.copyOf(rtcpFeedback);
    }

    /** {@code subtype} is empty for a bare type such as {@code nack} or {@code transport-cc}. */
    public record RtcpFeedback(String type, String subtype) {
    }
}
