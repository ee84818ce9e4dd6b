package io.livedesk.bench.sockets;

/**
 * One receiver's check of the simulcast track it gets on one SSRC: every packet must be one of the layers'
 * (told by the SSRC in its payload), rewritten the same way as the packet before it while the layer stays, and a
 * change of layer must come at a keyframe with the numbering going on forward (the receiver's decoder sees one
 * stream). Counts what it got per layer, and what came of a layer other than the one it should end up on (a viewer
 * climbs to its layer one step at a time, so early packets may be of a lower one). Only the receiver's reader thread
 * calls it; the counts are read at the end.
 */
final class LayerCheck {
    /** How far forward the numbering may jump across a switch (packets lost on the way). */
    private static final int MAX_SEQUENCE_STEP = 1000;

    private final SimulcastLayers.Layer expected;
    private final long[] perLayer = new long[SimulcastLayers.LAYERS.size()];
    private volatile int current = -1;
    private int sequenceOffset;
    private int timestampOffset;
    private int lastWireSequence;
    private int lastWireTimestamp;
    private boolean started;
    private volatile long switches;
    private volatile long offLayer;

    LayerCheck(SimulcastLayers.Layer expected) {
        this.expected = expected;
    }

    /**
     * @param keyframe the packet starts a keyframe
     * @return null if it is as it should be, else why not
     */
    String accept(long sentSsrc, int sentSequence, int sentTimestamp, int wireSequence, int wireTimestamp,
                  boolean keyframe) {
        SimulcastLayers.Layer layer = SimulcastLayers.bySsrc(sentSsrc);
        if (layer == null) {
            return "simulcast SSRC carried stream " + sentSsrc + ", not a layer";
        }
        int seqOffset = (wireSequence - sentSequence) & 0xFFFF;
        int tsOffset = wireTimestamp - sentTimestamp;
        if (layer.index() != current) {
            if (!keyframe) {
                return "layer " + layer.rid() + " began without a keyframe";
            }
            if (current >= 0) {
                int step = (wireSequence - lastWireSequence) & 0xFFFF;
                if (step == 0 || step > MAX_SEQUENCE_STEP) {
                    return "sequence numbers jumped by " + step + " at the switch to layer " + layer.rid();
                }
                if (wireTimestamp - lastWireTimestamp <= 0) {
                    return "timestamp went back at the switch to layer " + layer.rid();
                }
                switches++;
            }
            current = layer.index();
            sequenceOffset = seqOffset;
            timestampOffset = tsOffset;
        } else if (seqOffset != sequenceOffset || tsOffset != timestampOffset) {
            return "layer " + layer.rid() + " rewritten inconsistently";
        }
        if (!started || ((wireSequence - lastWireSequence) & 0xFFFF) < 0x8000) {
            started = true;
            lastWireSequence = wireSequence;
            lastWireTimestamp = wireTimestamp;
        }
        perLayer[layer.index()]++;
        if (layer != expected) {
            offLayer++;
        }
        return null;
    }

    /** The layer of the last packet, or null before the first. */
    SimulcastLayers.Layer current() {
        int c = current;
        return c < 0 ? null : SimulcastLayers.LAYERS.get(c);
    }

    SimulcastLayers.Layer expected() {
        return expected;
    }

    long received(int layer) {
        return perLayer[layer];
    }

    long switches() {
        return switches;
    }

    /** Packets of a layer other than {@link #expected}. */
    long offLayer() {
        return offLayer;
    }
}
