package io.livedesk.bench.sockets;

import io.livedesk.media.api.SetupRole;
import io.livedesk.media.api.TransportDescription;
import io.livedesk.media.sdp.Attribute;
import io.livedesk.media.sdp.Candidate;
import io.livedesk.media.sdp.Direction;
import io.livedesk.media.sdp.Extmap;
import io.livedesk.media.sdp.Fingerprint;
import io.livedesk.media.sdp.Group;
import io.livedesk.media.sdp.IceParameters;
import io.livedesk.media.sdp.MediaSection;
import io.livedesk.media.sdp.Msid;
import io.livedesk.media.sdp.Origin;
import io.livedesk.media.sdp.RtcpFeedback;
import io.livedesk.media.sdp.RtpCodec;
import io.livedesk.media.sdp.SdpParseException;
import io.livedesk.media.sdp.SdpParser;
import io.livedesk.media.sdp.SdpWriter;
import io.livedesk.media.sdp.SessionDescription;
import io.livedesk.media.sdp.Simulcast;
import io.livedesk.media.sdp.Source;
import io.livedesk.media.sdp.SourceGroup;
import io.livedesk.testkit.peer.SyntheticPeer.DtlsRole;
import io.livedesk.testkit.peer.SyntheticPeer.IceRole;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The SDP a synthetic endpoint exchanges with Janus, written and read with the media module's SDP classes:
 * a publisher's offer (one sendonly VP8 m-line with its SSRC, {@code a=setup:actpass}, as a browser offers),
 * the subscriber's answer to Janus's offer (every offered m-line received, {@code a=setup:active}), and what
 * the endpoint needs of Janus's SDP: its ICE credentials, fingerprint, setup role and candidates, and per
 * m-line the SSRC and payload type Janus will send with. Both sides bundle on one transport with rtcp-mux and
 * no trickle (the candidates are in the SDP).
 */
final class JanusSdp {
    private static final String PROTOCOL = "UDP/TLS/RTP/SAVPF";
    private static final String VP8 = "VP8";
    private static final int VP8_CLOCK = 90_000;
    /** What Chromium negotiates for VP8 short of transport-cc, which would need a header extension. */
    private static final List<RtcpFeedback> FEEDBACK = List.of(RtcpFeedback.GOOG_REMB, RtcpFeedback.CCM_FIR,
            RtcpFeedback.NACK, RtcpFeedback.NACK_PLI);

    /** One m-line Janus sends on: the receiver is told to expect {@code ssrc} with {@code payloadType}. */
    record Stream(String mid, long ssrc, int payloadType) {
    }

    /** Janus's side of a transport and what it sends on it. */
    record Remote(TransportDescription transport, List<Stream> streams, SessionDescription sdp) {
    }

    private JanusSdp() {
    }

    /** A browser's offer to publish one VP8 stream on {@code ssrc}. */
    static String publisherOffer(TransportDescription local, long ssrc, String cname) {
        MediaSection video = section(local, SetupRole.ACTPASS, "0", Direction.SENDONLY)
                .codec(new RtpCodec(SrtpPeer.VIDEO_PT, VP8, VP8_CLOCK, 1, Map.of(), FEEDBACK))
                .msid(new Msid(cname, cname + "-v0"))
                .source(new Source(ssrc, cname, null))
                .build();
        return write(List.of(video));
    }

    /**
     * A browser's offer to publish one VP8 track simulcast by rid, as Chromium offers {@code sendEncodings} with rids:
     * {@code a=rid:<rid> send} per layer and {@code a=simulcast:send f;h;q} (highest first, Janus's default
     * {@code rid_order} "hml"), the mid and rid header extensions at Chromium's ids, and no {@code a=ssrc} (the layers'
     * SSRCs are learnt from the packets: Janus maps an unknown SSRC to the m-line by its mid extension, then to a
     * substream by its rid extension, so both must be negotiated and on every packet).
     */
    static String publisherSimulcastOffer(TransportDescription local, String cname, List<String> rids) {
        MediaSection.Builder video = section(local, SetupRole.ACTPASS, "0", Direction.SENDONLY)
                .codec(new RtpCodec(SrtpPeer.VIDEO_PT, VP8, VP8_CLOCK, 1, Map.of(), FEEDBACK))
                .headerExtension(new Extmap(SimulcastLayers.MID_EXTENSION_ID, Extmap.MID))
                .headerExtension(new Extmap(SimulcastLayers.RID_EXTENSION_ID, Simulcast.RTP_STREAM_ID))
                .msid(new Msid(cname, cname + "-v0"));
        for (String rid : rids) {
            video.attribute(new Attribute("rid", rid + " send"));
        }
        video.attribute(new Attribute("simulcast", "send " + String.join(";", rids)));
        return write(List.of(video.build()));
    }

    /** A browser's answer to Janus's subscriber offer: receives every video m-line, rejects anything else. */
    static String subscriberAnswer(TransportDescription local, SessionDescription offer) {
        List<MediaSection> sections = new ArrayList<>();
        for (MediaSection offered : offer.media()) {
            MediaSection.Builder answer = section(local, SetupRole.ACTIVE, offered.mid(), Direction.RECVONLY);
            RtpCodec vp8 = offered.codecs().stream().filter(c -> c.name().equalsIgnoreCase(VP8)).findFirst().orElse(null);
            if (!offered.media().equals("video") || vp8 == null || offered.isRejected()) {
                sections.add(MediaSection.builder(offered.media(), offered.protocol()).port(0).mid(offered.mid())
                        .formats(offered.formats()).direction(Direction.INACTIVE).build());
                continue;
            }
            sections.add(answer.codec(new RtpCodec(vp8.payloadType(), VP8, VP8_CLOCK, 1, Map.of(), FEEDBACK)).build());
        }
        return write(sections);
    }

    /** Janus's offer or answer: its transport (from its first m-line, all being bundled) and its streams. */
    static Remote parse(String sdp) throws SdpParseException {
        SessionDescription description = new SdpParser().parse(sdp);
        MediaSection first = description.media().get(0);
        boolean lite = description.otherAttributes().stream().anyMatch(a -> a.name().equals("ice-lite"));
        List<TransportDescription.Candidate> candidates = first.candidates().stream()
                .filter(c -> c.transport().equalsIgnoreCase("udp") && c.component() == 1)
                .map(c -> new TransportDescription.Candidate(c.foundation(), c.component(), c.transport(), c.priority(),
                        c.address(), c.port(), c.type()))
                .toList();
        if (first.ice() == null || first.fingerprint() == null || candidates.isEmpty()) {
            throw new SdpParseException("Janus's SDP lacks ICE credentials, a fingerprint or a UDP candidate");
        }
        TransportDescription transport = new TransportDescription(first.ice().ufrag(), first.ice().pwd(),
                List.of(new TransportDescription.Fingerprint(first.fingerprint().hashFunction(),
                        first.fingerprint().value(), first.setup() == null ? SetupRole.ACTPASS : first.setup())),
                candidates, first.rtcpMux(), lite);
        List<Stream> streams = new ArrayList<>();
        for (MediaSection m : description.media()) {
            if (m.isRejected() || !m.direction().sends() || m.sources().isEmpty()) {
                continue;
            }
            streams.add(new Stream(m.mid(), primarySsrc(m), m.codecs().isEmpty()
                    ? Integer.parseInt(m.formats().get(0)) : m.codecs().get(0).payloadType()));
        }
        return new Remote(transport, streams, description);
    }

    /** This side's DTLS role given the remote side's {@code a=setup} (RFC 5763: {@code active} is the client). */
    static DtlsRole dtlsRole(SetupRole remote) {
        // A remote actpass is an offer, which the endpoint answers active, as browsers do.
        return remote == SetupRole.ACTIVE ? DtlsRole.SERVER : DtlsRole.CLIENT;
    }

    /** This side's ICE role: the offerer controls, and a full agent always controls an ICE-lite one. */
    static IceRole iceRole(boolean remoteOffered, boolean remoteLite) {
        return remoteOffered && !remoteLite ? IceRole.CONTROLLED : IceRole.CONTROLLING;
    }

    /** The media SSRC of an m-line: the first of an FID group (the second is its retransmissions), else the first. */
    private static long primarySsrc(MediaSection m) {
        return m.sourceGroups().stream().filter(g -> g.semantics().equals(SourceGroup.FID)).findFirst()
                .map(g -> g.ssrcs().get(0)).orElse(m.sources().get(0).ssrc());
    }

    private static MediaSection.Builder section(TransportDescription local, SetupRole setup, String mid,
                                                Direction direction) {
        TransportDescription.Fingerprint fp = local.fingerprints().get(0);
        MediaSection.Builder b = MediaSection.builder("video", PROTOCOL).port(9).connection("IN IP4 0.0.0.0")
                .mid(mid).direction(direction).ice(new IceParameters(local.ufrag(), local.pwd()))
                .fingerprint(new Fingerprint(fp.hash(), fp.fingerprint())).setup(setup).rtcpMux(true)
                .endOfCandidates(true);
        for (TransportDescription.Candidate c : local.candidates()) {
            b.candidate(new Candidate(c.foundation(), c.component(), c.protocol(), c.priority(), c.ip(), c.port(),
                    c.type(), null, -1, Map.of()));
        }
        return b;
    }

    private static String write(List<MediaSection> media) {
        List<String> mids = media.stream().filter(m -> !m.isRejected()).map(MediaSection::mid).toList();
        SessionDescription sdp = new SessionDescription(
                Origin.of(Long.toString(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)), 2), "-", "0 0", null,
                List.of(), List.of(new Group(Group.BUNDLE, mids)), false,
                List.of(new Attribute("msid-semantic", " WMS *")), media);
        return new SdpWriter().write(sdp);
    }
}
