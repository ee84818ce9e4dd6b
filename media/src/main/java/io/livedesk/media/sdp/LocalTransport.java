package io.livedesk.media.sdp;

import io.livedesk.media.api.SetupRole;

import java.util.List;

/**
 * What the bridge advertises about its side of one endpoint's transport: ICE credentials, the
 * DTLS certificate fingerprint and its candidates (one host candidate on the configured address), and whether
 * it is an ICE-lite agent (the answer then says {@code a=ice-lite}).
 */
public record LocalTransport(IceParameters ice, Fingerprint fingerprint, List<Candidate> candidates, boolean iceLite) {
    public LocalTransport(IceParameters ice, Fingerprint fingerprint, List<Candidate> candidates) {
        this(ice, fingerprint, candidates, false);
    }

    public LocalTransport {
        if (ice == null || fingerprint == null) {
            throw new IllegalArgumentException("ICE parameters and fingerprint are required");
        }
        candidates = List.copyOf(candidates);
    }

    /**
     * Applies the transport to an m-section: port and {@code c=} from the first (default)
     * candidate as JSEP section 5.2.1 asks, or the placeholder 9 / 0.0.0.0 when there is none.
     */
    void applyTo(MediaSection.Builder section, SetupRole setup) {
        if (candidates.isEmpty()) {
            section.port(9).connection("IN IP4 0.0.0.0");
        } else {
            Candidate first = candidates.get(0);
            String addressType = first.address().contains(":") ? "IP6" : "IP4";
            section.port(first.port()).connection("IN " + addressType + " " + first.address());
            candidates.forEach(section::candidate);
            section.endOfCandidates(true);
        }
        section.ice(ice).fingerprint(fingerprint).setup(setup).rtcpMux(true);
    }
}
