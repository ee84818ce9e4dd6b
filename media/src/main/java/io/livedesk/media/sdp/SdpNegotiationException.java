package io.livedesk.media.sdp;

/**
 * A well-formed offer the bridge cannot answer, e.g. one without BUNDLE, rtcp-mux or a DTLS
 * fingerprint, which the bridge's single transport per endpoint depends on.
 */
public final class SdpNegotiationException extends Exception {
    private static final long serialVersionUID = 1L;

    public SdpNegotiationException(String message) {
        super(message);
    }
}
