package io.livedesk.media.bridge;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Wraps a real link and loses every {@code n}th large RTP packet (video: Opus packets are far
 * smaller than {@link #MIN_VIDEO_LENGTH}) on the way to the browser, so NACK and keyframe repair
 * run against a real receiver.
 */
final class LossyLink implements EndpointLink {
    static final int MIN_VIDEO_LENGTH = 300;

    private final EndpointLink inner;
    private final int n;
    private final AtomicLong video = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();

    LossyLink(EndpointLink inner, int n) {
        this.inner = inner;
        this.n = n;
    }

    long lost() {
        return lost.get();
    }

    @Override
    public boolean sendRtp(byte[] buf, int off, int len) {
        if (len >= MIN_VIDEO_LENGTH && video.incrementAndGet() % n == 0) {
            lost.incrementAndGet();
            return true; // "sent", and lost on the way
        }
        return inner.sendRtp(buf, off, len);
    }

    @Override
    public boolean sendRtcp(byte[] buf, int off, int len) {
        return inner.sendRtcp(buf, off, len);
    }

    @Override
    public boolean isSecure() {
        return inner.isSecure();
    }

    @Override
    public boolean isFailed() {
        return inner.isFailed();
    }

    @Override
    public void close() {
        inner.close();
    }
}
