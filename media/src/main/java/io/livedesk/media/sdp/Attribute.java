package io.livedesk.media.sdp;

/**
 * An attribute the model has no field for, kept verbatim so that parsing and writing loses
 * nothing ({@code a=rtcp:9 IN IP4 0.0.0.0}, {@code a=msid-semantic: WMS}, {@code a=sctp-port:5000}).
 *
 * @param value everything after the first ':' exactly as written; null for a flag attribute
 */
public record Attribute(String name, String value) {
    public Attribute {
        SdpSyntax.token("attribute name", name);
        if (name.contains(":")) {
            throw new IllegalArgumentException("attribute name must not contain ':'");
        }
        if (value != null) {
            SdpSyntax.text("attribute value", value);
        }
    }

    public static Attribute flag(String name) {
        return new Attribute(name, null);
    }
}
