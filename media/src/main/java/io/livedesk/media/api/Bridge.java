package io.livedesk.media.api;

import java.util.Collection;
import java.util.List;

/**
 * A media bridge as signaling drives it, in the Colibri2 vocabulary: conferences hold endpoints; each
 * endpoint has one ICE + DTLS-SRTP transport and the sources (SSRCs) it sends. The same interface is
 * implemented by the in-process bridge, and by a client of the Colibri2 REST interface that drives a
 * LiveDesk bridge node or a Jitsi Videobridge.
 *
 * <p>As in Colibri2, the bridge does not tell endpoints about each other's sources: the caller puts the
 * other participants' sources into each browser's SDP.
 */
public interface Bridge extends AutoCloseable {

    /** A stable id, for logs, metrics and bridge selection. */
    String id();

    /**
     * Creates the conference (when {@code request.create()}) or changes it: creates, updates or expires
     * the endpoints listed. Throws {@link BridgeException.NotFound} for an unknown conference that is not
     * being created, and {@link BridgeException.BadRequest} for a request the bridge cannot accept.
     */
    ConferenceReply apply(ConferenceRequest request) throws BridgeException;

    /** Expires a whole conference and every endpoint in it; no-op if unknown. */
    void expire(MeetingId meetingId) throws BridgeException;

    /** Load and health, as {@code /colibri/stats} reports them. */
    BridgeStats stats() throws BridgeException;

    /**
     * Per-endpoint statistics of one conference (packets and bytes each way, loss, RTT, bitrate).
     * Not part of Colibri2: bridges that cannot tell answer {@link BridgeException.BadRequest}.
     *
     * @throws BridgeException.NotFound for an unknown conference
     */
    default ConferenceStats conferenceStats(MeetingId meetingId) throws BridgeException {
        throw new BridgeException.BadRequest("this bridge does not report conference statistics");
    }

    /**
     * Whether media flows on every endpoint of the given conferences (unknown ones are left out), so that
     * signaling learns within seconds that a participant dropped, long before the endpoint is expired for
     * inactivity. Not part of Colibri2: bridges that cannot tell answer {@link BridgeException.BadRequest}.
     */
    default List<EndpointMedia> mediaStatus(Collection<MeetingId> meetingIds) throws BridgeException {
        throw new BridgeException.BadRequest("this bridge does not report media status");
    }

    /**
     * Drain mode, as Jitsi Videobridge's {@code POST /colibri/drain/enable|disable}: a draining bridge keeps
     * serving its conferences (they may still add endpoints) but callers should give it no new ones; its
     * {@link #stats()} say {@code draining}. The state lives on the bridge, so every caller sees it.
     * Bridges that cannot be drained answer {@link BridgeException.BadRequest}.
     */
    default void drain(boolean enable) throws BridgeException {
        throw new BridgeException.BadRequest("this bridge cannot be drained");
    }

    @Override
    void close();
}
