package io.livedesk.bench.sockets;

import java.util.List;

import io.livedesk.media.bridge.BridgeSdp;

/**
 * What the synthetic simulcast sender of {@code --simulcast} sends, as a browser does: three VP8 layers by rid, each
 * on its own SSRC with the rid header extension, each a keyframe a second carrying its size. The bridge is told the
 * rids and the one SSRC its receivers get ({@link BridgeSdp#receiverSsrc}), learns each layer's SSRC from the rid and
 * its height from its keyframes. Every layer sends the same packets per second with the same payload size, so
 * whichever layer a receiver gets, it expects as many packets.
 */
final class SimulcastLayers {
    /** The track id signaling would take from the offer's msid; it names the receivers' SSRC. */
    static final String TRACK_ID = "host-v0";
    /** The id the sender's offer would give the rid extension ({@code urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id}). */
    static final int RID_EXTENSION_ID = 10;
    /**
     * The id Chromium gives the mid extension ({@code urn:ietf:params:rtp-hdrext:sdes:mid}). Janus sends it along with
     * the rid on the layers' packets when told to ({@link SrtpPeer#sendMid}): Janus ties an SSRC it does not know to an
     * m-line by the mid, and only then to a layer by the rid.
     */
    static final int MID_EXTENSION_ID = 4;
    /** RTP timestamp ticks per frame (90 kHz, 30 frames a second), as the sender steps them. */
    static final int TICKS_PER_FRAME = 3000;
    /** Frames between keyframes (30 frames a second: one a second, so a receiver's switch waits at most that). */
    static final int KEYFRAME_INTERVAL_FRAMES = 30;
    /** The height a capped viewer shows video at ({@code maxVideoHeight}): the quarter layer. */
    static final int CAPPED_HEIGHT = 180;

    /** One layer: its rid (in the offer's order), its SSRC and the size its keyframes carry. */
    record Layer(int index, String rid, long ssrc, int width, int height) {
    }

    static final List<Layer> LAYERS = List.of(
            new Layer(0, "f", Scenario.LIVE_SSRC + 1, 1280, 720),
            new Layer(1, "h", Scenario.LIVE_SSRC + 2, 640, 360),
            new Layer(2, "q", Scenario.LIVE_SSRC + 3, 320, 180));

    private SimulcastLayers() {
    }

    static long receiverSsrc() {
        return BridgeSdp.receiverSsrc(TRACK_ID);
    }

    static List<String> rids() {
        return LAYERS.stream().map(Layer::rid).toList();
    }

    /** Janus's substream index of a layer: 0 is the lowest, so f (its first rid, order "hml") is 2. */
    static int janusSubstream(Layer layer) {
        return LAYERS.size() - 1 - layer.index();
    }

    /**
     * The picture id the sender gave the frame of a packet it sent with {@code sentTimestamp}: both start at 0 and
     * step once per frame ({@link #TICKS_PER_FRAME}), the picture id in 15 bits.
     */
    static int sentPictureId(int sentTimestamp) {
        return (int) (Integer.toUnsignedLong(sentTimestamp) / TICKS_PER_FRAME) & 0x7FFF;
    }

    /**
     * The simulcast sender's flows: one per layer, its receivers those that should end up on it (what the expected
     * forwarded count is made of); every layer is sent whether or not anyone should end up on it.
     */
    static List<Flow> flows(SrtpPeer sender, java.util.Map<SrtpPeer, Layer> receivers) {
        List<Flow> flows = new java.util.ArrayList<>();
        for (Layer layer : LAYERS) {
            List<SrtpPeer> on = receivers.entrySet().stream().filter(e -> e.getValue() == layer)
                    .map(java.util.Map.Entry::getKey).toList();
            flows.add(new Flow(sender, layer.ssrc(), on, layer));
        }
        return flows;
    }

    /** The layer sent on {@code ssrc}, or null. */
    static Layer bySsrc(long ssrc) {
        for (Layer l : LAYERS) {
            if (l.ssrc() == ssrc) {
                return l;
            }
        }
        return null;
    }

    /**
     * The layer a viewer showing video {@code maxVideoHeight} high (0: not said) ends up on: the highest not above
     * it, the lowest when all are; the highest when not capped (the bridge moves an uncongested one up step by step).
     */
    static Layer expectedFor(int maxVideoHeight) {
        Layer best = LAYERS.get(LAYERS.size() - 1);
        if (maxVideoHeight <= 0) {
            return LAYERS.get(0);
        }
        for (Layer l : LAYERS) {
            if (l.height() <= maxVideoHeight && l.height() > best.height()) {
                best = l;
            }
        }
        return best;
    }
}
