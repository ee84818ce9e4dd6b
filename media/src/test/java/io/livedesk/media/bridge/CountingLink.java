package io.livedesk.media.bridge;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for an endpoint's transport link: secure at once, counts what the bridge sends it and
 * forgets it (no copy, unlike a real transport, whose SRTP buffer is its own business).
 */
public final class CountingLink implements EndpointLink {
    /** The bridge's own link this one replaced, closed with it; null when there is none. */
    private final EndpointLink real;
    public final AtomicLong rtp = new AtomicLong();
    public final AtomicLong rtcp = new AtomicLong();

    public CountingLink() {
        this(null);
    }

    public CountingLink(EndpointLink real) {
        this.real = real;
    }

    @Override
    public boolean sendRtp(byte[] buf, int off, int len) {
        rtp.incrementAndGet();
        return true;
    }

    @Override
    public boolean sendRtcp(byte[] buf, int off, int len) {
        rtcp.incrementAndGet();
        return true;
    }

    @Override
    public boolean isSecure() {
        return true;
    }

    @Override
    public boolean isFailed() {
        return false;
    }

    @Override
    public void close() {
        if (real != null) {
            real.close();
        }
    }
}
