package io.livedesk.media.transport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.tls.DatagramTransport;

/**
 * BouncyCastle's view of the ICE path for DTLS records. Incoming records are pushed in by the
 * endpoint's demux (ice4j's receive thread) and queued for the DTLS thread; outgoing records go
 * straight to the ICE component.
 */
final class IceDatagramTransport implements DatagramTransport {
    /** A path MTU that fits loopback and ordinary Internet paths; DTLS fragments to it. */
    private static final int SEND_LIMIT = 1200;
    private static final int RECEIVE_LIMIT = 1500;
    /** A handshake flight is a handful of records; beyond this the peer retransmits anyway. */
    private static final int QUEUE_LIMIT = 64;
    /**
     * Chromium may send its ClientHello before ice4j has validated a pair; a send then fails with
     * "No valid pair." and BouncyCastle would turn that into a fatal internal_error. ICE
     * normally catches up within milliseconds, so sends are retried for this long.
     */
    private static final long NO_PATH_RETRY_MILLIS = 5_000;
    private static final long NO_PATH_RETRY_INTERVAL_MILLIS = 20;

    /** Where records go out; the ICE component in production. */
    @FunctionalInterface
    interface Sender {
        void send(byte[] buf, int off, int len) throws IOException;
    }

    private final BlockingQueue<byte[]> incoming = new LinkedBlockingQueue<>(QUEUE_LIMIT);
    private final Sender sender;
    private volatile boolean closed;
    private volatile boolean failFast;

    IceDatagramTransport(Sender sender) {
        this.sender = sender;
    }

    /** Queues one received DTLS record (copied: the caller's buffer is reused). */
    void deliver(byte[] buf, int off, int len) {
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        incoming.offer(copy); // when full, dropping is right: DTLS retransmits lost flights
    }

    @Override
    public int getReceiveLimit() {
        return RECEIVE_LIMIT;
    }

    @Override
    public int getSendLimit() {
        return SEND_LIMIT;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw new IOException("transport closed");
        }
        byte[] record;
        try {
            record = incoming.poll(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("DTLS receive interrupted");
        }
        if (record == null) {
            return -1;
        }
        int n = Math.min(len, record.length);
        System.arraycopy(record, 0, buf, off, n);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(NO_PATH_RETRY_MILLIS);
        while (true) {
            if (closed) {
                throw new IOException("transport closed");
            }
            try {
                sender.send(buf, off, len);
                return;
            } catch (IOException e) {
                if (failFast || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(NO_PATH_RETRY_INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("DTLS send interrupted");
            }
        }
    }

    /** From now on a failed send fails at once: used on shutdown, when waiting for ICE is pointless. */
    void failFast() {
        failFast = true;
    }

    @Override
    public void close() {
        closed = true;
        incoming.clear();
    }
}
