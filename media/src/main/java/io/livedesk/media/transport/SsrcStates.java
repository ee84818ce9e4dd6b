package io.livedesk.media.transport;

/**
 * The {@link SrtpStreamIndex} of each SSRC of one SRTP session direction, looked up by the SSRC without boxing it
 * (a map keyed by {@code Integer} allocated an Integer for most SSRCs on every packet): open addressing over
 * parallel arrays, grown at half full, never shrunk (a session has a handful of SSRCs, as jitsi-srtp's contexts
 * do). Not thread-safe: its owner serialises calls.
 */
final class SsrcStates {
    private int[] ssrcs = new int[8];
    private SrtpStreamIndex[] states = new SrtpStreamIndex[8];
    private int size;

    /** The SSRC's index, or null if it has none yet. */
    SrtpStreamIndex find(int ssrc) {
        int mask = states.length - 1;
        for (int i = mix(ssrc) & mask; ; i = (i + 1) & mask) {
            SrtpStreamIndex s = states[i];
            if (s == null || ssrcs[i] == ssrc) {
                return s;
            }
        }
    }

    /** The SSRC's index, made (ROC 0: a new stream) on first use. */
    SrtpStreamIndex get(int ssrc) {
        int mask = states.length - 1;
        for (int i = mix(ssrc) & mask; ; i = (i + 1) & mask) {
            SrtpStreamIndex s = states[i];
            if (s == null) {
                return add(ssrc);
            }
            if (ssrcs[i] == ssrc) {
                return s;
            }
        }
    }

    private SrtpStreamIndex add(int ssrc) {
        if (2 * (size + 1) > states.length) {
            grow();
        }
        SrtpStreamIndex s = new SrtpStreamIndex();
        put(ssrc, s);
        size++;
        return s;
    }

    private void put(int ssrc, SrtpStreamIndex s) {
        int mask = states.length - 1;
        int i = mix(ssrc) & mask;
        while (states[i] != null) {
            i = (i + 1) & mask;
        }
        ssrcs[i] = ssrc;
        states[i] = s;
    }

    private void grow() {
        int[] oldSsrcs = ssrcs;
        SrtpStreamIndex[] oldStates = states;
        ssrcs = new int[oldSsrcs.length * 2];
        states = new SrtpStreamIndex[oldStates.length * 2];
        for (int i = 0; i < oldStates.length; i++) {
            if (oldStates[i] != null) {
                put(oldSsrcs[i], oldStates[i]);
            }
        }
    }

    /** SSRCs are random, but tests and tools use sequential ones: spread them. */
    private static int mix(int ssrc) {
        int h = ssrc * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
