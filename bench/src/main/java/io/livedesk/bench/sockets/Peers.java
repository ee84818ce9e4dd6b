package io.livedesk.bench.sockets;

import org.HdrHistogram.Recorder;

import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The synthetic endpoints of one run: made here, sharing its latency recorder, summed and closed here. */
final class Peers implements AutoCloseable {
    private final Recorder latency;
    /** Reads every endpoint's media once connected; null: each endpoint reads its own socket. */
    private final SharedReceiver shared;
    private final List<SrtpPeer> all = new ArrayList<>();

    Peers(Recorder latency, SharedReceiver shared) {
        this.latency = latency;
        this.shared = shared;
    }

    /** A new endpoint on its own loopback socket; thread-safe, as targets connect endpoints in parallel. */
    SrtpPeer create(String name) throws SocketException {
        SrtpPeer peer = new SrtpPeer(name, latency, shared);
        synchronized (all) {
            all.add(peer);
        }
        return peer;
    }

    /** Endpoints, i.e. sockets with their own ICE and DTLS (peer connections). */
    int count() {
        synchronized (all) {
            return all.size();
        }
    }

    long received() {
        return snapshot().stream().mapToLong(SrtpPeer::received).sum();
    }

    long bad() {
        return snapshot().stream().mapToLong(SrtpPeer::bad).sum();
    }

    /** Why the first bad packet any endpoint saw was bad; null if none. */
    String firstBadReason() {
        return snapshot().stream().map(SrtpPeer::firstBadReason).filter(Objects::nonNull).findFirst().orElse(null);
    }

    /** Every receiver's simulcast check, for the report. */
    List<LayerCheck> layerChecks() {
        return snapshot().stream().flatMap(p -> p.layerChecks().stream()).toList();
    }

    /** Every endpoint made so far. */
    List<SrtpPeer> snapshot() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    @Override
    public void close() {
        snapshot().forEach(SrtpPeer::close);
    }
}
