package io.livedesk.media.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A payload type of an RTP m-section with its {@code a=rtpmap}, {@code a=fmtp} and
 * {@code a=rtcp-fb} lines gathered together, because every decision about a codec needs all three.
 *
 * @param channels 1 unless the rtpmap says otherwise
 * @param parameters fmtp parameters in order; a parameter without '=' (RED's {@code 111/111})
 *                   is kept as a key with an empty value
 */
public record RtpCodec(int payloadType, String name, int clockRate, int channels,
                       Map<String, String> parameters, List<RtcpFeedback> feedback) {

    public RtpCodec {
        SdpSyntax.inRange("payload type", payloadType, 0, 127);
        SdpSyntax.token("codec name", name);
        if (name.contains("/")) {
            throw new IllegalArgumentException("codec name must not contain '/'");
        }
        SdpSyntax.inRange("clock rate", clockRate, 1, Integer.MAX_VALUE);
        SdpSyntax.inRange("channels", channels, 1, 255);
        Map<String, String> copy = new LinkedHashMap<>();
        parameters.forEach((k, v) -> {
            SdpSyntax.token("fmtp parameter name", k);
            if (!v.isEmpty()) {
                SdpSyntax.token("fmtp parameter value", v);
            }
            // ';' separates parameters and the first '=' splits name from value (values may hold '=').
            if (k.contains(";") || k.contains("=") || v.contains(";")) {
                throw new IllegalArgumentException("fmtp parameter '" + SdpParseException.quote(k) + "' is malformed");
            }
            copy.put(k, v);
        });
        parameters = Collections.unmodifiableMap(copy);
        feedback = List.copyOf(feedback);
    }

    public RtpCodec(int payloadType, String name, int clockRate, int channels) {
        this(payloadType, name, clockRate, channels, Map.of(), List.of());
    }

    public boolean isRtx() {
        return "rtx".equalsIgnoreCase(name);
    }

    /** For an rtx codec, the payload type it repairs ({@code apt}, RFC 4588 section 8.6). */
    public OptionalInt associatedPayloadType() {
        String apt = parameters.get("apt");
        if (apt == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(SdpSyntax.unsignedInt("apt", apt, 127));
        } catch (IllegalArgumentException e) {
            return OptionalInt.empty();
        }
    }

    public boolean sameEncoding(RtpCodec other) {
        return name.toLowerCase(Locale.ROOT).equals(other.name.toLowerCase(Locale.ROOT))
                && clockRate == other.clockRate && channels == other.channels;
    }

    public RtpCodec withParameters(Map<String, String> newParameters) {
        return new RtpCodec(payloadType, name, clockRate, channels, newParameters, feedback);
    }

    public RtpCodec withFeedback(List<RtcpFeedback> newFeedback) {
        return new RtpCodec(payloadType, name, clockRate, channels, parameters, newFeedback);
    }

    /** The rtpmap value after the payload type: {@code opus/48000/2}, {@code VP8/90000}. */
    public String rtpmapText() {
        return channels == 1 ? name + "/" + clockRate : name + "/" + clockRate + "/" + channels;
    }

    /** The fmtp value after the payload type, {@code minptime=10;useinbandfec=1}; empty when none. */
    public String fmtpText() {
        StringBuilder out = new StringBuilder();
        parameters.forEach((k, v) -> {
            if (out.length() > 0) {
                out.append(';');
            }
            out.append(k);
            if (!v.isEmpty()) {
                out.append('=').append(v);
            }
        });
        return out.toString();
    }
}
