package io.livedesk.bench.sockets;

import java.util.List;

/**
 * One sent stream and the peers that must receive it: what the sender threads pace and what the expected
 * forwarded count is made of.
 *
 * @param layer the simulcast layer it is (its receivers: those that should end up on it), or null for a plain stream
 */
record Flow(SrtpPeer sender, long ssrc, List<SrtpPeer> receivers, SimulcastLayers.Layer layer) {
    Flow {
        receivers = List.copyOf(receivers);
    }

    Flow(SrtpPeer sender, long ssrc, List<SrtpPeer> receivers) {
        this(sender, ssrc, receivers, null);
    }
}
