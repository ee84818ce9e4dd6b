package io.livedesk.media.sdp;

/**
 * A non-attribute line the model has no field for ({@code b=}, {@code i=}, {@code k=}, {@code r=},
 * …), kept so parsing and writing loses nothing.
 */
public record SdpLine(char type, String value) {
    public SdpLine {
        if (type < 'a' || type > 'z') {
            throw new IllegalArgumentException("SDP line type must be a lower-case letter");
        }
        SdpSyntax.text("line value", value);
    }
}
