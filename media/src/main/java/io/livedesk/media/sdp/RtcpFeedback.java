package io.livedesk.media.sdp;

/**
 * One {@code a=rtcp-fb} capability of a codec (RFC 4585 section 4.2), e.g. {@code nack pli} is
 * type {@code nack} with parameter {@code pli}; {@code transport-cc} has no parameter.
 *
 * @param parameter null when absent; may hold spaces ({@code ccm tmmbr smaxpr=120})
 */
public record RtcpFeedback(String type, String parameter) {
    public static final RtcpFeedback NACK = new RtcpFeedback("nack", null);
    public static final RtcpFeedback NACK_PLI = new RtcpFeedback("nack", "pli");
    public static final RtcpFeedback CCM_FIR = new RtcpFeedback("ccm", "fir");
    public static final RtcpFeedback GOOG_REMB = new RtcpFeedback("goog-remb", null);
    public static final RtcpFeedback TRANSPORT_CC = new RtcpFeedback("transport-cc", null);

    public RtcpFeedback {
        SdpSyntax.token("rtcp-fb type", type);
        if (parameter != null && SdpSyntax.text("rtcp-fb parameter", parameter).isBlank()) {
            throw new IllegalArgumentException("rtcp-fb parameter is blank");
        }
    }

    /** The text after the payload type in {@code a=rtcp-fb:<pt> …}. */
    public String attributeText() {
        return parameter == null ? type : type + " " + parameter;
    }
}
