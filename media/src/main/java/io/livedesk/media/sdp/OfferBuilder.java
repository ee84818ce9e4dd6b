package io.livedesk.media.sdp;

import io.livedesk.media.api.SetupRole;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the bridge's offer to a browser (JSEP section 5.2): one m-section per forwarded remote
 * track (unified plan: a browser receiving two parties' video needs two video sections) plus the
 * sections the browser sends on, all in one BUNDLE group with rtcp-mux, the bridge's ICE and DTLS
 * parameters and {@code a=setup:actpass} (RFC 8842 section 5.2).
 */
public final class OfferBuilder {
    private static final String WEBRTC_PROTOCOL = "UDP/TLS/RTP/SAVPF";

    private final CodecPolicy policy;

    public OfferBuilder(CodecPolicy policy) {
        this.policy = policy;
    }

    public SessionDescription offer(Origin origin, LocalTransport local, List<OfferSection> sections) {
        if (sections.isEmpty()) {
            throw new IllegalArgumentException("an offer needs at least one section");
        }
        Set<String> mids = new HashSet<>();
        List<MediaSection> media = new ArrayList<>();
        for (OfferSection s : sections) {
            if (!mids.add(s.mid())) {
                throw new IllegalArgumentException("mid '" + s.mid() + "' is used twice");
            }
            media.add(section(s, local));
        }
        List<String> bundle = sections.stream().map(OfferSection::mid).toList();
        return new SessionDescription(origin, "-", "0 0", null, List.of(), List.of(new Group(Group.BUNDLE, bundle)),
                true, List.of(new Attribute("msid-semantic", " WMS")), media);
    }

    private MediaSection section(OfferSection s, LocalTransport local) {
        MediaSection.Builder section = MediaSection.builder(s.kind().wire(), WEBRTC_PROTOCOL)
                .mid(s.mid())
                .direction(s.direction())
                .rtcpReducedSize(true)
                .codecs(policy.codecs(s.kind()))
                .headerExtensions(policy.extensions(s.kind()));
        local.applyTo(section, SetupRole.ACTPASS);
        if (s.track() != null) {
            s.track().applyTo(section);
        }
        return section.build();
    }
}
