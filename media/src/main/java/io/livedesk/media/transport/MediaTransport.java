package io.livedesk.media.transport;

import java.util.List;

/**
 * One browser's ICE + DTLS-SRTP transport to the bridge (BUNDLE and rtcp-mux: one component), on whichever
 * {@link MediaPort} the bridge runs: an ice4j agent ({@link EndpointTransport}) or the ICE-lite agent on the
 * bridge's own Netty port ({@link LiteEndpointTransport}).
 *
 * <p>Life cycle: the port makes it; its local ufrag, password, candidates and the bridge's fingerprint go in
 * the SDP answer; {@link #setRemote} with the browser's offer, then {@link #start()}; {@link #close()} frees it.
 */
public interface MediaTransport extends AutoCloseable {
    String id();

    String localUfrag();

    String localPassword();

    /** The bridge's candidates for {@code a=candidate} (one host candidate on the bridge port). */
    List<IceCandidateInfo> localCandidates();

    /** The bridge certificate's fingerprint for {@code a=fingerprint:sha-256}. */
    String localFingerprint();

    /** The browser's ICE credentials, candidates and certificate fingerprint from its SDP. */
    void setRemote(String ufrag, String password, List<IceCandidateInfo> candidates, DtlsFingerprint fingerprint);

    /**
     * An ICE restart on the running transport: the browser offered new ICE credentials with the same
     * certificate. New local credentials follow ({@link #localUfrag()}, {@link #localPassword()}); DTLS and SRTP
     * go on. False when this transport cannot restart (the bridge must then build a new endpoint).
     */
    default boolean restartIce(String remoteUfrag, String remotePassword) {
        return false;
    }

    /** Starts the DTLS server (waiting for the browser's ClientHello) and ICE. */
    void start();

    /**
     * Starts ICE and DTLS in {@code role}: {@link DtlsRole#CLIENT} only for a relay to another bridge, on a
     * transport with a full ICE agent; the ICE-lite port's transports are DTLS servers only.
     */
    default void start(DtlsRole role) {
        if (role != DtlsRole.SERVER) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " is a DTLS server only");
        }
        start();
    }

    /** True once DTLS completed and SRTP keys are in place. */
    boolean isSecure();

    /** ICE failed, or the browser's consent was lost: nothing more will arrive on this transport. */
    boolean isFailed();

    TransportCounters.Snapshot counters();

    /** Protects and sends one RTP packet; false (and counted) when it could not be sent. */
    boolean sendRtp(byte[] buf, int off, int len);

    /** Protects and sends one RTCP (compound) packet; false (and counted) when it could not be sent. */
    boolean sendRtcp(byte[] buf, int off, int len);

    @Override
    void close();
}
