package io.livedesk.media.bridge;

import java.util.Collection;

/**
 * An immutable SSRC to {@link SenderStream} map with open addressing on a primitive {@code int[]}:
 * the lookup on every packet neither boxes nor allocates. A conference rebuilds and republishes
 * its table whenever sources change, which is rare.
 */
final class SsrcTable {
    static final SsrcTable EMPTY = new SsrcTable(new int[1], new SenderStream[1]);

    private final int[] keys;
    private final SenderStream[] values;
    private final int mask;

    private SsrcTable(int[] keys, SenderStream[] values) {
        this.keys = keys;
        this.values = values;
        this.mask = keys.length - 1;
    }

    static SsrcTable of(Collection<SenderStream> streams) {
        if (streams.isEmpty()) {
            return EMPTY;
        }
        int slots = Integer.highestOneBit(Math.max(streams.size() * 2, 2) - 1) << 1;
        int[] keys = new int[slots];
        SenderStream[] values = new SenderStream[slots];
        for (SenderStream s : streams) {
            int i = mix(s.ssrc) & (slots - 1);
            while (values[i] != null) {
                if (keys[i] == s.ssrc) {
                    throw new IllegalArgumentException("ssrc " + (s.ssrc & 0xFFFFFFFFL) + " twice");
                }
                i = (i + 1) & (slots - 1);
            }
            keys[i] = s.ssrc;
            values[i] = s;
        }
        return new SsrcTable(keys, values);
    }

    /** The stream with this SSRC, or null. */
    SenderStream get(int ssrc) {
        int i = mix(ssrc) & mask;
        SenderStream v;
        while ((v = values[i]) != null) {
            if (keys[i] == ssrc) {
                return v;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    private static int mix(int x) {
        x *= 0x9E3779B9;
        return x ^ (x >>> 16);
    }
}
