package io.livedesk.media.bridge;

/**
 * An endpoint's transport as the forwarding code sees it: protect-and-send, and its state. The
 * real one is {@link TransportLink} (ICE + DTLS-SRTP); tests plug in fakes.
 */
public interface EndpointLink extends AutoCloseable {
    /** Protects and sends one RTP packet; the bytes are copied before this returns. */
    boolean sendRtp(byte[] buf, int off, int len);

    /** Protects and sends one RTCP packet; the bytes are copied before this returns. */
    boolean sendRtcp(byte[] buf, int off, int len);

    /** True once DTLS-SRTP keys are in place (packets can flow both ways). */
    boolean isSecure();

    /** True when ICE failed: the endpoint can never connect on this transport. */
    boolean isFailed();

    @Override
    void close();
}
