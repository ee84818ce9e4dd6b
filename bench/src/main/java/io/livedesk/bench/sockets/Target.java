package io.livedesk.bench.sockets;

import java.util.List;

/**
 * A media server under test: one process, whose CPU time the run measures, and how a scenario's endpoints
 * join it. Closing it stops the process.
 */
interface Target extends AutoCloseable {
    /** As in the report: a LiveDesk bridge's media I/O, or {@code janus}. */
    String name();

    /** The server process whose user + system time is measured. */
    long pid();

    /**
     * Sets up the scenario's meetings and connects every endpoint (ICE, DTLS, SRTP keys), each receiver told
     * which SSRCs to expect; returns once media can flow.
     *
     * @param peers makes the endpoints, and closes them after the run
     */
    List<Flow> connect(Scenario scenario, Peers peers) throws Exception;

    /** Bytes the server's JVM allocated so far, or {@link AllocatedBytes#UNKNOWN} when it cannot tell. */
    default long allocatedBytes() throws InterruptedException {
        return AllocatedBytes.UNKNOWN;
    }

    /** What went wrong on the server's side during the run, for the report; null if nothing did. */
    default String problems() {
        return null;
    }
}
