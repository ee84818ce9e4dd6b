package io.livedesk.media.bridge;

import io.livedesk.media.api.HeaderExtension;
import io.livedesk.media.api.Media;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.PayloadType;
import io.livedesk.media.api.SetupRole;
import io.livedesk.media.api.TransportDescription;
import io.livedesk.media.sdp.Candidate;
import io.livedesk.media.sdp.Extmap;
import io.livedesk.media.sdp.Fingerprint;
import io.livedesk.media.sdp.ForwardedTrack;
import io.livedesk.media.sdp.IceParameters;
import io.livedesk.media.sdp.LocalTransport;
import io.livedesk.media.sdp.MediaSection;
import io.livedesk.media.sdp.Msid;
import io.livedesk.media.sdp.RtcpFeedback;
import io.livedesk.media.sdp.RtpCodec;
import io.livedesk.media.sdp.SessionDescription;
import io.livedesk.media.sdp.Simulcast;
import io.livedesk.media.sdp.Source;
import io.livedesk.media.sdp.SourceGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Between a browser's SDP and the Bridge API: its transport and sources, the bridge's side for the answer. */
public final class BridgeSdp {
    private BridgeSdp() {
    }

    /**
     * The browser's ICE/DTLS parameters (BUNDLE: the first accepted section's), with the DTLS role it will take:
     * {@code active}, since the bridge answers {@code passive}. A bridge is never told the offer's {@code actpass}:
     * Jitsi Videobridge does not understand it and then never takes a DTLS role.
     */
    public static TransportDescription transport(SessionDescription sdp) {
        MediaSection first = sdp.media().stream().filter(m -> !m.isRejected()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the offer has no media section"));
        if (first.ice() == null || first.fingerprint() == null || first.setup() == null) {
            throw new IllegalArgumentException("the offer's first media section has no ICE credentials, fingerprint or setup");
        }
        if (first.setup() == SetupRole.PASSIVE) {
            throw new IllegalArgumentException("the offer's a=setup:passive leaves the bridge no DTLS role: offer actpass");
        }
        List<TransportDescription.Candidate> candidates = new ArrayList<>();
        for (Candidate c : first.candidates()) {
            candidates.add(new TransportDescription.Candidate(c.foundation(), c.component(), c.transport(), c.priority(),
                    c.address(), c.port(), c.type()));
        }
        return new TransportDescription(first.ice().ufrag(), first.ice().pwd(),
                List.of(new TransportDescription.Fingerprint(first.fingerprint().hashFunction(),
                        first.fingerprint().value(), SetupRole.ACTIVE)),
                candidates, first.rtcpMux());
    }

    /**
     * What the browser sends: one source per sending section, its SSRCs and groups. A video section simulcast by
     * rid lists no SSRCs: its source carries the rids and the one SSRC its receivers are told of
     * ({@link #receiverSsrc}).
     */
    public static List<MediaSource> sources(SessionDescription sdp) {
        List<MediaSource> out = new ArrayList<>();
        for (MediaSection m : sdp.media()) {
            if (m.isRejected() || !m.direction().sends() || kind(m).isEmpty()) {
                continue;
            }
            MediaType type = kind(m).get();
            String id = msid(m).map(Msid::trackId).orElse("mid-" + m.mid());
            Optional<Simulcast> byRid = simulcastByRid(m, type);
            if (byRid.isPresent()) {
                out.add(new MediaSource(type, id, List.of(new MediaSource.Ssrc(receiverSsrc(id), id)), List.of(),
                        byRid.get().rids()));
                continue;
            }
            if (m.sources().isEmpty()) {
                continue;
            }
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

    /**
     * The codecs and header extensions of a description's sections, per media type (its first section of each),
     * so the bridge knows the endpoint's payload types (the audio tap finds Opus by them: 111 in
     * Chromium, 109 in Firefox). Tell a bridge what was negotiated, not what was offered.
     */
    public static List<Media> medias(SessionDescription sdp) {
        return medias(sdp.media());
    }

    /** The same of sections (e.g. {@link io.livedesk.media.sdp.AnswerBuilder#negotiatedSections}). */
    public static List<Media> medias(List<MediaSection> sections) {
        List<Media> out = new ArrayList<>();
        for (MediaType kind : MediaType.values()) {
            sections.stream().filter(m -> !m.isRejected() && kind.matches(m.media())).findFirst().ifPresent(m -> {
                List<PayloadType> types = new ArrayList<>();
                for (RtpCodec c : m.codecs()) {
                    List<PayloadType.RtcpFeedback> feedback = new ArrayList<>();
                    for (RtcpFeedback f : c.feedback()) {
                        feedback.add(new PayloadType.RtcpFeedback(f.type(),
                                f.parameter() == null ? "" : f.parameter()));
                    }
                    types.add(new PayloadType(c.payloadType(), c.name(), c.clockRate(),
                            c.channels(), c.parameters(), feedback));
                }
                List<HeaderExtension> extensions = new ArrayList<>();
                for (Extmap e : m.headerExtensions()) {
                    extensions.add(new HeaderExtension(e.id(), e.uri()));
                }
                out.add(new Media(kind, types, extensions));
            });
        }
        return out;
    }

    /** The bridge's side of an endpoint's transport, for the answer. */
    public static LocalTransport local(TransportDescription bridge) {
        List<Candidate> candidates = new ArrayList<>();
        for (TransportDescription.Candidate c : bridge.candidates()) {
            candidates.add(new Candidate(c.foundation(), c.component(), c.protocol(), c.priority(), c.ip(), c.port(),
                    c.type(), null, -1, Map.of()));
        }
        TransportDescription.Fingerprint fp = bridge.fingerprints().get(0);
        return new LocalTransport(new IceParameters(bridge.ufrag(), bridge.pwd()),
                new Fingerprint(fp.hash(), fp.fingerprint()), candidates, bridge.iceLite());
    }

    /**
     * The other browser's sending track of this kind, to forward on a section of this browser; empty if none. A
     * simulcast track is forwarded as one stream (the layer the bridge chose) without RTX: on {@link #receiverSsrc}
     * when simulcast by rid, on the SIM group's first SSRC when by SSRC.
     */
    public static Optional<ForwardedTrack> track(SessionDescription other, MediaType kind) {
        if (other == null) {
            return Optional.empty();
        }
        for (MediaSection m : other.media()) {
            if (m.isRejected() || !kind.matches(m.media()) || !m.direction().sends()) {
                continue;
            }
            Optional<Msid> msid = msid(m);
            if (msid.isEmpty()) {
                continue;
            }
            if (simulcastByRid(m, kind).isPresent()) {
                String trackId = msid.get().trackId();
                return Optional.of(new ForwardedTrack(kind, msid.get().streamId(), trackId, cname(other, trackId),
                        receiverSsrc(trackId), null));
            }
            if (m.sources().isEmpty()) {
                continue;
            }
            long ssrc = m.sources().get(0).ssrc();
            Long rtx = null;
            Optional<Simulcast> bySsrc = Simulcast.of(m).filter(s -> !s.byRid());
            for (SourceGroup g : m.sourceGroups()) {
                if (bySsrc.isEmpty() && g.semantics().equals(SourceGroup.FID) && g.ssrcs().size() == 2) {
                    ssrc = g.ssrcs().get(0);
                    rtx = g.ssrcs().get(1);
                }
            }
            if (bySsrc.isPresent()) {
                ssrc = bySsrc.get().ssrcs().get(0);
            }
            String cname = m.sources().get(0).cname();
            return Optional.of(new ForwardedTrack(kind, msid.get().streamId(), msid.get().trackId(), cname, ssrc, rtx));
        }
        return Optional.empty();
    }

    /**
     * The SSRC the receivers of a track simulcast by rid get its chosen layer on: fixed by the track's id, so the
     * signaling that writes receivers' SDP and the bridge that rewrites the layers agree without asking each other.
     */
    public static long receiverSsrc(String trackId) {
        long h = 0xcbf29ce484222325L; // FNV-1a, 64 bits, folded
        for (int i = 0; i < trackId.length(); i++) {
            h = (h ^ trackId.charAt(i)) * 0x100000001b3L;
        }
        long ssrc = (h ^ (h >>> 32)) & 0xFFFF_FFFFL;
        return ssrc == 0 ? 1 : ssrc;
    }

    private static Optional<Simulcast> simulcastByRid(MediaSection m, MediaType kind) {
        return kind == MediaType.VIDEO ? Simulcast.of(m).filter(Simulcast::byRid) : Optional.empty();
    }

    /**
     * A rid-simulcast section has no a=ssrc lines and so no CNAME of its own: the browser's (one per peer
     * connection, so its audio section's), for lip sync; one derived from the track when it has none.
     */
    private static String cname(SessionDescription sdp, String trackId) {
        return sdp.media().stream().flatMap(m -> m.sources().stream()).map(Source::cname)
                .filter(java.util.Objects::nonNull).findFirst()
                .orElse("ld-" + Long.toHexString(receiverSsrc(trackId)));
    }

    public static Optional<MediaType> kind(MediaSection m) {
        for (MediaType k : MediaType.values()) {
            if (k.matches(m.media())) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    private static Optional<Msid> msid(MediaSection m) {
        if (!m.msids().isEmpty()) {
            return Optional.of(m.msids().get(0));
        }
        return m.sources().stream().map(Source::msid).filter(java.util.Objects::nonNull).findFirst();
    }
}
