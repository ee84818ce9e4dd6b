package io.livedesk.media.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.TransportDescription;
import io.livedesk.media.sdp.Candidate;
import io.livedesk.media.sdp.Fingerprint;
import io.livedesk.media.sdp.ForwardedTrack;
import io.livedesk.media.sdp.IceParameters;
import io.livedesk.media.sdp.LocalTransport;
import io.livedesk.media.sdp.MediaKind;
import io.livedesk.media.sdp.MediaSection;
import io.livedesk.media.sdp.SessionDescription;
import io.livedesk.media.sdp.Source;
import io.livedesk.media.sdp.SourceGroup;

/** Test-side signaling: between a browser's SDP and the bridge API's transport and sources. */
final class BrowserSdp {
    private BrowserSdp() {
    }

    /** The browser's ICE/DTLS parameters (BUNDLE: the first section's). */
    static TransportDescription transport(SessionDescription sdp) {
        MediaSection first = sdp.media().get(0);
        List<TransportDescription.Candidate> candidates = new ArrayList<>();
        for (Candidate c : first.candidates()) {
            candidates.add(new TransportDescription.Candidate(c.foundation(), c.component(), c.transport(), c.priority(),
                    c.address(), c.port(), c.type()));
        }
        return new TransportDescription(first.ice().ufrag(), first.ice().pwd(),
                List.of(new TransportDescription.Fingerprint(first.fingerprint().hashFunction(),
                        first.fingerprint().value(), first.setup().attributeValue())),
                candidates, first.rtcpMux());
    }

    /** What the browser sends: one source per sending section, its SSRCs and groups. */
    static List<MediaSource> sources(SessionDescription sdp) {
        List<MediaSource> out = new ArrayList<>();
        for (MediaSection m : sdp.media()) {
            if (m.isRejected() || m.sources().isEmpty() || !m.direction().sends()) {
                continue;
            }
            MediaType type = m.media().equals("audio") ? MediaType.AUDIO : MediaType.VIDEO;
            String id = m.msids().isEmpty() ? "mid-" + m.mid() : m.msids().get(0).trackId();
            List<MediaSource.Ssrc> ssrcs = new ArrayList<>();
            for (Source s : m.sources()) {
                ssrcs.add(new MediaSource.Ssrc(s.ssrc(), id));
            }
            List<MediaSource.SsrcGroup> groups = new ArrayList<>();
            for (SourceGroup g : m.sourceGroups()) {
                groups.add(new MediaSource.SsrcGroup(g.semantics(), g.ssrcs()));
            }
            out.add(new MediaSource(type, id, ssrcs, groups));
        }
        return out;
    }

    /** The bridge's side for the answer. */
    static LocalTransport local(TransportDescription bridge) {
        List<Candidate> candidates = new ArrayList<>();
        for (TransportDescription.Candidate c : bridge.candidates()) {
            candidates.add(new Candidate(c.foundation(), c.component(), c.protocol(), c.priority(), c.ip(), c.port(),
                    c.type(), null, -1, Map.of()));
        }
        TransportDescription.Fingerprint fp = bridge.fingerprints().get(0);
        return new LocalTransport(new IceParameters(bridge.ufrag(), bridge.pwd()), new Fingerprint(fp.hash(), fp.fingerprint()),
                candidates);
    }

    /** Another browser's track of this kind, to forward on a section of this browser. */
    static ForwardedTrack track(SessionDescription other, MediaKind kind) {
        for (MediaSection m : other.media()) {
            if (!kind.matches(m.media()) || m.sources().isEmpty()) {
                continue;
            }
            long ssrc = m.sources().get(0).ssrc();
            Long rtx = null;
            for (SourceGroup g : m.sourceGroups()) {
                if (g.semantics().equals(SourceGroup.FID) && g.ssrcs().size() == 2) {
                    ssrc = g.ssrcs().get(0);
                    rtx = g.ssrcs().get(1);
                }
            }
            String cname = m.sources().get(0).cname();
            return new ForwardedTrack(kind, m.msids().get(0).streamId(), m.msids().get(0).trackId(), cname, ssrc, rtx);
        }
        throw new IllegalArgumentException("no " + kind + " section with sources");
    }
}
