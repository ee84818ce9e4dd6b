package io.livedesk.bench.live;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The chat messages the benchmark sends, and every time a viewer sees one in a {@code chat.batch}.
 *
 * <p>Message {@code seq} is sent once (its text starts {@code #seq}); the sender's {@code ack} means the
 * server accepted it (appended it to the chat and published it to every node). Each viewer's event loop
 * records each sighting in its own {@link Book} (histograms and per-message counts, no shared writes on
 * the hot path: 10,000 viewers see about 500,000 messages a second), merged by {@link #result} once the
 * event loops are quiet. Latencies are kept for messages <em>sent</em> inside the measured window; the
 * delivery count of each message tells whether the fan-out reached every viewer.
 */
final class ChatBook {
    static final long MAX_US = 120_000_000L;

    static final int PENDING = 0;
    static final int ACKED = 1;
    static final int REFUSED = 2;
    static final int SKIPPED = 3;

    private final int capacity;
    private final AtomicLongArray sentNs;
    private final AtomicLongArray ackNs;
    private final AtomicIntegerArray outcome;
    private final List<Book> books = new ArrayList<>();
    private final ThreadLocal<Book> book = ThreadLocal.withInitial(this::newBook);
    /** Send-to-ack, and a sample of send-to-seen for the per-second progress lines. */
    final Recorder sendToAck = new Recorder(MAX_US, 3);
    final Recorder progressSendToSeen = new Recorder(MAX_US, 3);
    private volatile long windowFromNs = Long.MAX_VALUE;
    private volatile long windowToNs = Long.MAX_VALUE;

    ChatBook(int capacity) {
        this.capacity = capacity;
        this.sentNs = new AtomicLongArray(capacity);
        this.ackNs = new AtomicLongArray(capacity);
        this.outcome = new AtomicIntegerArray(capacity);
    }

    int capacity() {
        return capacity;
    }

    /** Sightings so far (all threads; exact once they are quiet). */
    long deliveries() {
        long n = 0;
        synchronized (books) {
            for (Book b : books) {
                n += b.deliveries;
            }
        }
        return n;
    }

    /** Messages sent from {@code fromNs} (inclusive) to {@code toNs} (exclusive) are the measured ones. */
    void window(long fromNs, long toNs) {
        windowFromNs = fromNs;
        windowToNs = toNs;
    }

    void windowFrom(long fromNs) {
        windowFromNs = fromNs;
    }

    void windowTo(long toNs) {
        windowToNs = toNs;
    }

    /** Just before the frame is written. */
    void sent(int seq, long ns) {
        sentNs.set(seq, Math.max(1, ns));
    }

    /** No joined chatter to send it: never sent. */
    void skipped(int seq) {
        outcome.set(seq, SKIPPED);
    }

    void acked(int seq, long ns) {
        long s = sentNs.get(seq);
        ackNs.set(seq, Math.max(1, ns));
        outcome.compareAndSet(seq, PENDING, ACKED);
        if (s > 0) {
            sendToAck.recordValue(clampUs(ns - s));
        }
    }

    /** The server refused it ({@code error} with the message's id): counted, never delivered. */
    void refused(int seq) {
        outcome.set(seq, REFUSED);
    }

    /** A viewer saw message {@code seq} at {@code ns}; {@code sampled} viewers also feed the progress lines. */
    void seen(int seq, long ns, boolean sampled) {
        Book b = book.get();
        if (seq < 0 || seq >= capacity) {
            b.unknown++;
            return;
        }
        long s = sentNs.get(seq);
        if (s == 0) {
            b.unknown++;
            return;
        }
        b.deliveries++;
        b.seen[seq]++;
        long us = clampUs(ns - s);
        if (sampled) {
            progressSendToSeen.recordValue(us);
        }
        if (s < windowFromNs || s >= windowToNs) {
            b.outsideWindow.recordValue(us);
            return;
        }
        b.sendToSeen.recordValue(us);
        long a = ackNs.get(seq);
        if (a == 0 || a > ns) {
            b.seenBeforeAck++;
            b.ackToSeen.recordValue(0);
        } else {
            b.ackToSeen.recordValue(clampUs(ns - a));
        }
    }

    /**
     * Merges every thread's book: call once the event loops have stopped recording.
     *
     * @param viewers how many viewers were watching through the window (each should see every accepted
     *                message sent in it)
     */
    Result result(int viewers) {
        Histogram sendToSeen = new Histogram(MAX_US, 3);
        Histogram ackToSeen = new Histogram(MAX_US, 3);
        Histogram outside = new Histogram(MAX_US, 3);
        int[] seen = new int[capacity];
        long seenBeforeAck = 0;
        long unknown = 0;
        synchronized (books) {
            for (Book b : books) {
                sendToSeen.add(b.sendToSeen);
                ackToSeen.add(b.ackToSeen);
                outside.add(b.outsideWindow);
                for (int i = 0; i < capacity; i++) {
                    seen[i] += b.seen[i];
                }
                seenBeforeAck += b.seenBeforeAck;
                unknown += b.unknown;
            }
        }
        long sentInWindow = 0;
        long acked = 0;
        long refused = 0;
        long pending = 0;
        long delivered = 0;
        long seenByAll = 0;
        int minSeen = Integer.MAX_VALUE;
        long skipped = 0;
        for (int i = 0; i < capacity; i++) {
            if (outcome.get(i) == SKIPPED) {
                skipped++;
                continue;
            }
            long s = sentNs.get(i);
            if (s == 0 || s < windowFromNs || s >= windowToNs) {
                continue;
            }
            sentInWindow++;
            switch (outcome.get(i)) {
                case ACKED -> acked++;
                case REFUSED -> refused++;
                default -> pending++;
            }
            if (outcome.get(i) == REFUSED) {
                continue;
            }
            delivered += seen[i];
            minSeen = Math.min(minSeen, seen[i]);
            if (seen[i] >= viewers) {
                seenByAll++;
            }
        }
        long accepted = acked + pending; // unanswered ones count as expected: a missing ack is no excuse
        return new Result(sentInWindow, acked, refused, pending, skipped, delivered, accepted * (long) viewers,
                accepted == 0 ? 0 : minSeen, seenByAll, seenBeforeAck, unknown, sendToSeen, ackToSeen, outside);
    }

    record Result(long sentInWindow, long acked, long refused, long unanswered, long skippedNoChatter,
                  long deliveries, long expectedDeliveries, int minViewersPerMessage, long messagesSeenByAll,
                  long seenBeforeAck, long unknownSightings, Histogram sendToSeen, Histogram ackToSeen,
                  Histogram outsideWindow) {
    }

    private static long clampUs(long ns) {
        return Math.min(MAX_US, Math.max(0, ns / 1000));
    }

    private Book newBook() {
        Book b = new Book(capacity);
        synchronized (books) {
            books.add(b);
        }
        return b;
    }

    /** One thread's sightings. */
    private static final class Book {
        final Histogram sendToSeen = new Histogram(MAX_US, 3);
        final Histogram ackToSeen = new Histogram(MAX_US, 3);
        final Histogram outsideWindow = new Histogram(MAX_US, 3);
        final int[] seen;
        long seenBeforeAck;
        long unknown;
        /** Written by its thread only; others read it racily for the progress lines. */
        volatile long deliveries;

        Book(int capacity) {
            seen = new int[capacity];
        }
    }
}
