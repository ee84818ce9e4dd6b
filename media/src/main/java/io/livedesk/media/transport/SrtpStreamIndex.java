package io.livedesk.media.transport;

/**
 * One SSRC's SRTP packet index in one direction (RFC 3711 section 3.3.1): the rollover counter, the highest
 * sequence number, and which of the 64 indices below it were seen. The same arithmetic as jitsi-srtp's
 * {@code SrtpCryptoContext} (guessIndex, checkReplay, update), which a sender uses as a consistency check (a
 * packet index is never protected twice: keystream reuse) and a receiver as replay protection. Not thread-safe:
 * its owner serialises calls.
 */
final class SrtpStreamIndex {
    static final int OK = 0;
    /** The index was seen already (jitsi-srtp's REPLAY_FAIL). */
    static final int SEEN = -1;
    /** The index is 64 or more behind the highest (jitsi-srtp's REPLAY_OLD). */
    static final int TOO_OLD = -2;
    private static final long WINDOW = 64;

    private boolean started;
    private int roc;
    private int highestSeq;
    private long window;

    /** Starts the stream at {@code seq} if nothing started it; true if this call did. */
    boolean startAt(int seq) {
        if (started) {
            return false;
        }
        started = true;
        highestSeq = seq;
        return true;
    }

    /** Back to a stream nothing was seen of. */
    void reset() {
        started = false;
        roc = 0;
        highestSeq = 0;
        window = 0;
    }

    /** The rollover counter {@code seq} most likely belongs to. */
    int guessRoc(int seq) {
        if (highestSeq < 32768) {
            return seq - highestSeq > 32768 ? roc - 1 : roc;
        }
        return highestSeq - 32768 > seq ? roc + 1 : roc;
    }

    static long index(int guessedRoc, int seq) {
        return ((long) guessedRoc << 16) | seq;
    }

    /** {@link #OK}, {@link #SEEN} or {@link #TOO_OLD}. */
    int check(long index) {
        long delta = index - index(roc, highestSeq);
        if (delta > 0) {
            return OK;
        }
        if (-delta >= WINDOW) {
            return TOO_OLD;
        }
        return ((window >>> -delta) & 1) != 0 ? SEEN : OK;
    }

    /** After a packet was accepted: the window, the highest sequence number, the rollover counter. */
    void update(int seq, long index, int guessedRoc) {
        long delta = index - index(roc, highestSeq);
        if (delta >= WINDOW) {
            window = 1;
        } else if (delta > 0) {
            window = (window << delta) | 1;
        } else {
            window |= 1L << -delta;
        }
        if (guessedRoc == roc) {
            if (seq > highestSeq) {
                highestSeq = seq;
            }
        } else if (guessedRoc == roc + 1) {
            highestSeq = seq;
            roc = guessedRoc;
        }
    }
}
