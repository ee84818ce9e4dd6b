package io.livedesk.media.tap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts one speaker's packets in order and turns what is missing into the right kind of fill, so the
 * PCM keeps the sender's timing (Jitsi's and WebRTC's jitter buffers, reduced to what transcription
 * needs: no playout clock, only order and gaps):
 * <ul>
 *   <li>duplicates and packets older than what was already played are dropped ({@code late});</li>
 *   <li>a missing packet is waited for while up to {@code reorderPackets} later ones are held;</li>
 *   <li>a gap in the RTP timestamps with packets missing (or undecodable) and no longer than
 *       {@code maxConcealSamples} is concealed (Opus PLC, FEC from the next packet);</li>
 *   <li>any other gap (DTX: sequence numbers continue but timestamps jump; long loss; a pause) is
 *       silence up to {@code maxSilenceSamples}; media time jumps over the rest;</li>
 *   <li>a second SSRC takes over only after the current one has been quiet for a second, and a
 *       restarted numbering is followed once {@value #RESYNC_RUN} packets confirm it; either way
 *       the decoder is reset and the pause is measured by arrival time.</li>
 * </ul>
 *
 * <p>Not thread-safe: one tap's worker uses it. Counters are written by that one thread and read by
 * any, hence volatile without atomics.
 */
final class PacketSequencer {
    /** Further ahead than this (RFC 3550 A.1's MAX_DROPOUT) is not loss but a jump in numbering. */
    static final int MAX_DROPOUT = 3000;
    /** Further behind than this (A.1's MAX_MISORDER) is not a late packet but a jump. */
    static final int MAX_MISORDER = 100;
    /** Consecutive packets that confirm a jump in numbering. */
    static final int RESYNC_RUN = 4;
    /** Late packets in a row that mean the numbering restarted just behind the old one. */
    static final int LATE_RESYNC_RUN = 50;
    /** How long the current SSRC must have been quiet before another one takes over. */
    static final long SSRC_SWITCH_NANOS = 1_000_000_000L;

    private final int reorderPackets;
    private final int maxConcealSamples;
    private final int maxSilenceSamples;
    /** Packets waiting for their turn, by extended sequence number; at most reorderPackets + 1. */
    private final TreeMap<Long, TapPacket> held = new TreeMap<>();

    private boolean started;
    private int ssrc;
    /** Extended sequence number of the packet to play next. */
    private long nextSeq;
    /** RTP timestamp where the last played packet started, and the samples it covered. */
    private int lastTs;
    private int lastSamples;
    private boolean lastFailed;
    private long lastArrivalNanos;
    private long lastPlayedArrivalNanos;
    /** Packets in a row far outside the sequence, each following the one before: kept, to play if they are a restart. */
    private final List<TapPacket> strays = new ArrayList<>(RESYNC_RUN);
    private int lateRun;

    private volatile long lost;
    private volatile long concealed;
    private volatile long late;
    private volatile long ignored;

    /**
     * @param maxConcealSamples longest gap (48 kHz samples) to conceal rather than fill with silence
     * @param maxSilenceSamples most silence (48 kHz samples) to insert for one gap
     */
    PacketSequencer(int reorderPackets, int maxConcealSamples, int maxSilenceSamples) {
        this.reorderPackets = reorderPackets;
        this.maxConcealSamples = maxConcealSamples;
        this.maxSilenceSamples = maxSilenceSamples;
    }

    void push(TapPacket p, Playout out) {
        if (!started) {
            started = true;
            begin(p);
        } else if (p.ssrc() != ssrc) {
            if (p.arrivalNanos() - lastArrivalNanos < SSRC_SWITCH_NANOS) {
                ignored++;
                return;
            }
            restart(p, out);
        }
        lastArrivalNanos = p.arrivalNanos();
        int diff = (short) (p.sequence() - (int) nextSeq);
        if (diff < -MAX_MISORDER || diff > MAX_DROPOUT) {
            stray(p, out);
            return;
        }
        dropStrays();
        if (diff < 0) {
            late++;
            if (++lateRun >= LATE_RESYNC_RUN) {
                restart(p, out);
                accept(p, out);
            }
            return;
        }
        lateRun = 0;
        if (held.putIfAbsent(nextSeq + diff, p) != null) {
            late++;
            return;
        }
        drain(out, false);
    }

    /**
     * A packet far outside the sequence: set aside, unless it and the ones before it show the
     * numbering restarted; then the stream restarts at the first of them and none is lost.
     */
    private void stray(TapPacket p, Playout out) {
        if (!strays.isEmpty() && p.sequence() != ((strays.get(strays.size() - 1).sequence() + 1) & 0xFFFF)) {
            dropStrays();
        }
        strays.add(p);
        if (strays.size() < RESYNC_RUN) {
            return;
        }
        List<TapPacket> run = List.copyOf(strays);
        strays.clear();
        restart(run.get(0), out);
        for (TapPacket q : run) {
            held.put(nextSeq + (short) (q.sequence() - (int) nextSeq), q);
        }
        drain(out, false);
    }

    private void accept(TapPacket p, Playout out) {
        held.put(nextSeq, p);
        drain(out, false);
    }

    private void begin(TapPacket p) {
        ssrc = p.ssrc();
        nextSeq = p.sequence();
        lastTs = p.timestamp();
        lastSamples = 0;
        lastFailed = false;
        lastPlayedArrivalNanos = p.arrivalNanos();
        dropStrays();
        lateRun = 0;
    }

    private void dropStrays() {
        ignored += strays.size();
        strays.clear();
    }

    /**
     * A new stream starts with {@code p}: what was held is played, the pause since the last packet
     * played (by arrival time; the new timestamps say nothing about the old ones) becomes silence.
     */
    private void restart(TapPacket p, Playout out) {
        drain(out, true);
        long elapsed = (p.arrivalNanos() - lastPlayedArrivalNanos) * 48 / 1_000_000L - lastSamples;
        fill(Math.max(0, elapsed), out);
        out.reset();
        begin(p);
    }

    /** Plays held packets in order: all of them, or while the next is there or the window is full. */
    private void drain(Playout out, boolean all) {
        while (!held.isEmpty()) {
            long first = held.firstKey();
            if (!all && first != nextSeq && held.size() <= reorderPackets) {
                return;
            }
            Map.Entry<Long, TapPacket> e = held.pollFirstEntry();
            play(e.getValue(), first - nextSeq, out);
            nextSeq = first + 1;
        }
    }

    private void play(TapPacket p, long missing, Playout out) {
        lost += missing;
        int gap = p.timestamp() - (lastTs + lastSamples);
        // A negative gap (timestamps stepped back) is ignored: media time never goes backwards.
        if (gap > 0) {
            if ((missing > 0 || lastFailed) && gap <= maxConcealSamples) {
                out.conceal(gap, p);
                concealed += missing;
            } else {
                fill(gap, out);
            }
        }
        int samples = out.play(p);
        lastFailed = samples < 0;
        lastSamples = Math.max(0, samples);
        lastTs = p.timestamp();
        lastPlayedArrivalNanos = p.arrivalNanos();
    }

    private void fill(long gap, Playout out) {
        int silence = (int) Math.min(gap, maxSilenceSamples);
        if (silence > 0) {
            out.silence(silence);
        }
        if (gap > silence) {
            out.skip(gap - silence);
        }
    }

    int held() {
        return held.size();
    }

    long lost() {
        return lost;
    }

    long concealed() {
        return concealed;
    }

    long late() {
        return late;
    }

    long ignored() {
        return ignored;
    }
}
