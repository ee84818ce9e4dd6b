package io.livedesk.media.bwe;

/**
 * The bitrate the receiver acknowledged receiving: the bytes of the packets its feedback reported as received, over
 * their arrival times (the receiver's clock) within the last {@link #WINDOW_NANOS}. It is what the path carried
 * lately, the ground for a decrease ({@code 0.85 x} this on overuse) and the bound of an increase. A ring of
 * primitive arrays; not thread-safe (one receiver's feedback is read on one thread).
 */
public final class AcknowledgedBitrate {
    static final long WINDOW_NANOS = 1_000_000_000L;
    /** Shorter spans say little (a burst of a few packets): no rate until the packets span this much. */
    static final long MIN_SPAN_NANOS = 150_000_000L;
    private static final int CAPACITY = 1024;

    private final long[] arrivals = new long[CAPACITY];
    private final int[] sizes = new int[CAPACITY];
    /** Index of the oldest entry and the number held. */
    private int head;
    private int count;
    private long bytesInWindow;

    /** One received packet, in arrival order (feedback reports them in sequence order, nearly the same). */
    public void add(long arrivalNanos, int bytes) {
        if (count == CAPACITY) {
            drop();
        }
        int slot = (head + count) % CAPACITY;
        arrivals[slot] = arrivalNanos;
        sizes[slot] = bytes;
        count++;
        bytesInWindow += bytes;
        long latest = arrivalNanos;
        while (count > 1 && latest - arrivals[head] > WINDOW_NANOS) {
            drop();
        }
    }

    private void drop() {
        bytesInWindow -= sizes[head];
        head = (head + 1) % CAPACITY;
        count--;
    }

    /** Bits per second over the window, or 0 while too little was acknowledged to tell. */
    public long bps() {
        if (count < 2) {
            return 0;
        }
        long first = arrivals[head];
        long last = arrivals[(head + count - 1) % CAPACITY];
        long span = last - first;
        if (span < MIN_SPAN_NANOS) {
            return 0;
        }
        // The first packet's bytes arrived before the span began: they do not count toward it.
        return (bytesInWindow - sizes[head]) * 8L * 1_000_000_000L / span;
    }
}
