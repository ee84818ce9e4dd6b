package io.livedesk.media.api;

import java.util.List;

/**
 * One side of an ICE + DTLS transport, as exchanged in Colibri2 (and as it goes into SDP):
 * ICE credentials, candidates, the DTLS fingerprint with its setup role, rtcp-mux, and whether this side is
 * an ICE-lite agent (answers checks, sends none: the other side must control).
 */
public record TransportDescription(String ufrag, String pwd, List<Fingerprint> fingerprints,
                                   List<Candidate> candidates, boolean rtcpMux, boolean iceLite) {
    /** A full ICE agent's side (a browser's, or a bridge with an agent per endpoint). */
    public TransportDescription(String ufrag, String pwd, List<Fingerprint> fingerprints, List<Candidate> candidates,
                                boolean rtcpMux) {
        this(ufrag, pwd, fingerprints, candidates, rtcpMux, false);
    }

    public TransportDescription {
        fingerprints = List.copyOf(fingerprints);
        candidates = List.copyOf(candidates);
    }

    /** @param setup {@code actpass}, {@code active} or {@code passive} */
    public record Fingerprint(String hash, String fingerprint, SetupRole setup) {
    }

    /** As in SDP {@code a=candidate}: foundation, component, protocol, priority, ip, port, type. */
    public record Candidate(String foundation, int component, String protocol, long priority, String ip, int port,
                            String type) {
    }
}
