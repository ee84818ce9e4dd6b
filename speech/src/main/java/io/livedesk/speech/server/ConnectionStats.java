package io.livedesk.speech.server;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of the WebSocket endpoint, for metrics. */
public final class ConnectionStats {
    final AtomicLong opened = new AtomicLong();
    final AtomicInteger active = new AtomicInteger();
    final AtomicLong protocolErrors = new AtomicLong();

    public long opened() {
        return opened.get();
    }

    public int active() {
        return active.get();
    }

    /** Connections closed by the server for bad input, an unknown language, overload or failure. */
    public long errors() {
        return protocolErrors.get();
    }
}
