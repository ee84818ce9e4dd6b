package io.livedesk.media.bridge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** An {@link EndpointLink} that records what the bridge sends, for tests without a network. */
final class FakeLink implements EndpointLink {
    final List<byte[]> rtp = new ArrayList<>();
    final List<byte[]> rtcp = new ArrayList<>();
    volatile boolean secure = true;
    volatile boolean failed;
    volatile boolean closed;

    @Override
    public synchronized boolean sendRtp(byte[] buf, int off, int len) {
        rtp.add(Arrays.copyOfRange(buf, off, off + len));
        return true;
    }

    @Override
    public synchronized boolean sendRtcp(byte[] buf, int off, int len) {
        rtcp.add(Arrays.copyOfRange(buf, off, off + len));
        return true;
    }

    @Override
    public boolean isSecure() {
        return secure && !closed;
    }

    @Override
    public boolean isFailed() {
        return failed;
    }

    @Override
    public void close() {
        closed = true;
    }

    synchronized void clear() {
        rtp.clear();
        rtcp.clear();
    }
}
