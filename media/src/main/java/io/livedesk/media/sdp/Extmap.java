package io.livedesk.media.sdp;

/**
 * An RTP header extension mapping, {@code a=extmap:<id>[/<direction>] <uri> [<attributes>]}
 * (RFC 8285 section 8). Ids 1–14 fit the one-byte header form, 15–255 need two-byte headers
 * ({@code a=extmap-allow-mixed}); 0 and anything above 255 are invalid.
 *
 * @param direction null when the line has none
 * @param attributes null when the line has none
 */
public record Extmap(int id, Direction direction, String uri, String attributes) {
    public static final String AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    public static final String ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    public static final String TRANSPORT_WIDE_CC =
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    public static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";

    public Extmap {
        SdpSyntax.inRange("extmap id", id, 1, 255);
        SdpSyntax.token("extmap uri", uri);
        if (attributes != null && SdpSyntax.text("extmap attributes", attributes).isBlank()) {
            throw new IllegalArgumentException("extmap attributes are blank");
        }
    }

    public Extmap(int id, String uri) {
        this(id, null, uri, null);
    }

    /** The attribute value after {@code extmap:}. */
    public String attributeValue() {
        StringBuilder out = new StringBuilder().append(id);
        if (direction != null) {
            out.append('/').append(direction.attributeName());
        }
        out.append(' ').append(uri);
        if (attributes != null) {
            out.append(' ').append(attributes);
        }
        return out.toString();
    }
}
