package io.livedesk.bench.sockets;

/**
 * One receiver's check of the simulcast track it gets on one SSRC: every packet must be one of the layers'
 * (told by the SSRC in its payload, whose check word also tells a corrupt payload), rewritten the same way as the
 * packet before it while the layer stays, and a change of layer must come at a keyframe with the numbering going on
 * forward (the receiver's decoder sees one stream). Counts what it got per layer, and what came of a layer other than
 * the one it should end up on (a viewer climbs to its layer one step at a time, so early packets may be of a lower
 * one). Only the receiver's reader thread calls it; the counts are read at the end.
 *
 * <p>What a correct SFU may do and the check lets pass: offset sequence numbers, timestamps and VP8 picture ids by
 * any amount, a new offset at each switch (LiveDesk keeps the sender's picture ids; Janus rewrites them to go on by
 * one across a switch), and jump forward at a switch by up to {@value #MAX_SEQUENCE_STEP} sequence numbers. What it
 * does not: another stream than a layer, a layer started other than at a keyframe, an offset changed while the layer
 * stays (sequence number, timestamp or picture id), numbering that goes back or stands still at a switch.
 */
final class LayerCheck {
    /** How far forward the numbering may jump across a switch (packets lost on the way). */
    private static final int MAX_SEQUENCE_STEP = 1000;
    /** A picture id the packet did not carry ({@link #accept} without one). */
    static final int NO_PICTURE_ID = -1;

    private final SimulcastLayers.Layer expected;
    private final long[] perLayer = new long[SimulcastLayers.LAYERS.size()];
    private volatile int current = -1;
    private int sequenceOffset;
    private int timestampOffset;
    /** The layer's picture id offset (15 bits), or {@link #NO_PICTURE_ID} until a packet carried one. */
    private int pictureIdOffset;
    private int lastWireSequence;
    private int lastWireTimestamp;
    private boolean started;
    private volatile long switches;
    private volatile long offLayer;

    LayerCheck(SimulcastLayers.Layer expected) {
        this.expected = expected;
    }

    /** {@link #accept(long, int, int, int, int, boolean, int)} for a packet whose picture id is not checked. */
    String accept(long sentSsrc, int sentSequence, int sentTimestamp, int wireSequence, int wireTimestamp,
                  boolean keyframe) {
        return accept(sentSsrc, sentSequence, sentTimestamp, wireSequence, wireTimestamp, keyframe, NO_PICTURE_ID);
    }

    /**
     * @param keyframe      the packet starts a keyframe
     * @param wirePictureId the 15-bit VP8 picture id it arrived with, or {@link #NO_PICTURE_ID}; the one it was sent
     *                      with is {@link SimulcastLayers#sentPictureId} of {@code sentTimestamp}
     * @return null if it is as it should be, else why not
     */
    String accept(long sentSsrc, int sentSequence, int sentTimestamp, int wireSequence, int wireTimestamp,
                  boolean keyframe, int wirePictureId) {
        SimulcastLayers.Layer layer = SimulcastLayers.bySsrc(sentSsrc);
        if (layer == null) {
            return "simulcast SSRC carried stream " + sentSsrc + ", not a layer";
        }
        int seqOffset = (wireSequence - sentSequence) & 0xFFFF;
        int tsOffset = wireTimestamp - sentTimestamp;
        int picOffset = wirePictureId == NO_PICTURE_ID ? NO_PICTURE_ID
                : (wirePictureId - SimulcastLayers.sentPictureId(sentTimestamp)) & 0x7FFF;
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
            pictureIdOffset = picOffset;
        } else if (seqOffset != sequenceOffset || tsOffset != timestampOffset) {
            return "layer " + layer.rid() + " rewritten inconsistently";
        } else if (picOffset != NO_PICTURE_ID) {
            if (pictureIdOffset == NO_PICTURE_ID) {
                pictureIdOffset = picOffset;
            } else if (picOffset != pictureIdOffset) {
                return "layer " + layer.rid() + "'s picture ids rewritten inconsistently";
            }
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
