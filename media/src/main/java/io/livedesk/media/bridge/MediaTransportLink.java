package io.livedesk.media.bridge;

import io.livedesk.media.transport.MediaTransport;
import io.livedesk.media.transport.TransportCounters;

/**
 * An {@link EndpointLink} that is one {@link MediaTransport}: what an endpoint's link and a relay's link share (sending,
 * security, failure, close and counters all come from the transport); they differ in how they describe and connect it.
 */
abstract class MediaTransportLink implements EndpointLink {
    protected final MediaTransport transport;

    protected MediaTransportLink(MediaTransport transport) {
        this.transport = transport;
    }

    /** The transport's own counters (SRTP drops by reason etc.). */
    TransportCounters.Snapshot counters() {
        return transport.counters();
    }

    @Override
    public final boolean sendRtp(byte[] buf, int off, int len) {
        return transport.sendRtp(buf, off, len);
    }

    @Override
    public final boolean sendRtcp(byte[] buf, int off, int len) {
        return transport.sendRtcp(buf, off, len);
    }

    @Override
    public final boolean isSecure() {
        return transport.isSecure();
    }

    @Override
    public final boolean isFailed() {
        return transport.isFailed();
    }

    @Override
    public final void close() {
        transport.close();
    }
}
