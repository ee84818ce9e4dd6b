package io.livedesk.bench.sockets;

import java.util.List;

/**
 * One sent stream and the peers that must receive it: what the sender threads pace and what the expected
 * forwarded count is made of.
 */
record Flow(SrtpPeer sender, long ssrc, List<SrtpPeer> receivers) {
    Flow {
        receivers = List.copyOf(receivers);
    }
}
