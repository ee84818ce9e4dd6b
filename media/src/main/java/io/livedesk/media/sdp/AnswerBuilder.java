package io.livedesk.media.sdp;

import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.SetupRole;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds the bridge's answer to a browser's offer (JSEP section 5.3): the same m-sections in the
 * same order with the same mids; codecs and header extensions the bridge supports, under the
 * offer's payload types and ids; the bridge's ICE and DTLS parameters with {@code a=setup:passive}
 * (the browser then starts DTLS, MEDIA-NOTES.md); everything accepted in one BUNDLE group with
 * rtcp-mux. Sections the bridge cannot take (data channels, unknown media, no common codec, not
 * in the offer's BUNDLE group) are rejected with port 0, as RFC 8843 section 7.3.3 allows.
 */
public final class AnswerBuilder {
    private static final String WEBRTC_PROTOCOL = "UDP/TLS/RTP/SAVPF";

    private final CodecPolicy policy;

    public AnswerBuilder(CodecPolicy policy) {
        this.policy = policy;
    }

    /**
     * @param intents per mid; a section without an entry is answered {@link AnswerIntent#receiveOnly()}
     */
    public SessionDescription answer(SessionDescription offer, Origin origin, LocalTransport local,
                                     Map<String, AnswerIntent> intents) throws SdpNegotiationException {
        return answer(offer, origin, local, intents, AnswerIntent.receiveOnly());
    }

    /**
     * @param intents   per mid
     * @param otherwise the intent for a section without an entry: {@link AnswerIntent#inactive()} for a
     *                  browser that must never send to the bridge (a livestream viewer)
     */
    public SessionDescription answer(SessionDescription offer, Origin origin, LocalTransport local,
                                     Map<String, AnswerIntent> intents, AnswerIntent otherwise)
            throws SdpNegotiationException {
        Set<String> offeredBundle = Set.copyOf(offer.bundleMids());
        if (offeredBundle.isEmpty()) {
            throw new SdpNegotiationException("the offer has no a=group:BUNDLE; the bridge needs one transport per endpoint");
        }
        List<MediaSection> sections = new ArrayList<>();
        for (MediaSection offered : offer.media()) {
            Optional<MediaType> kind = acceptableKind(offered, offeredBundle);
            Optional<MediaSection> accepted = kind.isEmpty() ? Optional.empty()
                    : accept(offered, kind.get(), local, intents.getOrDefault(offered.mid(), otherwise));
            sections.add(accepted.orElseGet(() -> reject(offered)));
        }
        List<String> bundle = offer.bundleMids().stream()
                .filter(mid -> sections.stream().anyMatch(s -> mid.equals(s.mid()) && !s.isRejected()))
                .collect(Collectors.toList());
        if (bundle.isEmpty()) {
            throw new SdpNegotiationException("the offer has no audio or video section the bridge can accept");
        }
        List<Attribute> session = local.iceLite()
                ? List.of(new Attribute("ice-lite", null), new Attribute("msid-semantic", " WMS"))
                : List.of(new Attribute("msid-semantic", " WMS"));
        return new SessionDescription(origin, "-", "0 0", null, List.of(), List.of(new Group(Group.BUNDLE, bundle)),
                offer.extmapAllowMixed(), session, sections);
    }

    /**
     * The codecs and header extensions the answer to {@code offer} takes, per section it accepts, before the
     * bridge's transport is known: what the bridge must be told the endpoint negotiated. A bridge told of more
     * than the browser was answered acts on it (Jitsi Videobridge told of transport-cc ignores the REMB that a
     * browser answered without it sends, and its estimate collapses), so both come from here.
     */
    public List<MediaSection> negotiatedSections(SessionDescription offer) {
        Set<String> offeredBundle = Set.copyOf(offer.bundleMids());
        List<MediaSection> sections = new ArrayList<>();
        for (MediaSection offered : offer.media()) {
            Optional<MediaType> kind = acceptableKind(offered, offeredBundle);
            if (kind.isEmpty()) {
                continue;
            }
            List<RtpCodec> codecs = intersectCodecs(kind.get(), offered.codecs());
            if (!codecs.isEmpty()) {
                boolean simulcast = offered.direction().sends() && Simulcast.of(offered).filter(Simulcast::byRid).isPresent();
                sections.add(MediaSection.builder(offered.media(), offered.protocol()).mid(offered.mid())
                        .direction(offered.direction()).codecs(codecs)
                        .headerExtensions(intersectExtensions(kind.get(), offered.headerExtensions(), simulcast)).build());
            }
        }
        return sections;
    }

    private static Optional<MediaType> acceptableKind(MediaSection offered, Set<String> bundle) {
        if (offered.isRejected() || offered.mid() == null || !WEBRTC_PROTOCOL.equals(offered.protocol())
                || !bundle.contains(offered.mid())) {
            return Optional.empty();
        }
        for (MediaType kind : MediaType.values()) {
            if (kind.matches(offered.media())) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    private Optional<MediaSection> accept(MediaSection offered, MediaType kind, LocalTransport local,
                                          AnswerIntent intent) throws SdpNegotiationException {
        requireTransport(offered);
        List<RtpCodec> codecs = intersectCodecs(kind, offered.codecs());
        if (codecs.isEmpty()) {
            return Optional.empty();
        }
        Direction direction = intent.direction().answerTo(offered.direction());
        // Simulcast is taken where the bridge receives: the browser then sends every layer, each receiver gets one.
        Optional<Simulcast> simulcast = direction.receives() ? Simulcast.of(offered).filter(Simulcast::byRid)
                : Optional.empty();
        MediaSection.Builder answer = MediaSection.builder(offered.media(), offered.protocol())
                .mid(offered.mid())
                .direction(direction)
                .rtcpReducedSize(offered.rtcpReducedSize())
                .codecs(codecs)
                .headerExtensions(intersectExtensions(kind, offered.headerExtensions(), simulcast.isPresent()));
        simulcast.ifPresent(s -> s.applyAnswer(answer));
        local.applyTo(answer, SetupRole.PASSIVE);
        if (direction.sends() && intent.sending() != null) {
            intent.sending().applyTo(answer);
        }
        return Optional.of(answer.build());
    }

    /** Without these the bridge's single DTLS-SRTP transport cannot come up at all. */
    private static void requireTransport(MediaSection offered) throws SdpNegotiationException {
        String where = "m-section '" + offered.mid() + "' of the offer ";
        if (offered.ice() == null) {
            throw new SdpNegotiationException(where + "has no a=ice-ufrag/a=ice-pwd");
        }
        if (offered.fingerprint() == null) {
            throw new SdpNegotiationException(where + "has no a=fingerprint");
        }
        if (offered.setup() != SetupRole.ACTPASS && offered.setup() != SetupRole.ACTIVE) {
            throw new SdpNegotiationException(where + "must offer a=setup:actpass or active for the bridge to be passive");
        }
        if (!offered.rtcpMux()) {
            throw new SdpNegotiationException(where + "has no a=rtcp-mux, which BUNDLE requires");
        }
    }

    /**
     * Offered codecs the bridge supports, in the offer's order and under its payload types; the
     * bridge's fmtp and feedback except for H.264, whose fmtp is echoed so the browser sends the
     * profile it offered. RTX is kept when the codec it repairs is kept.
     */
    private List<RtpCodec> intersectCodecs(MediaType kind, List<RtpCodec> offered) {
        List<RtpCodec> kept = new ArrayList<>();
        for (RtpCodec codec : offered) {
            if (codec.isRtx()) {
                continue;
            }
            policy.match(kind, codec).ifPresent(supported -> kept.add(new RtpCodec(codec.payloadType(), codec.name(),
                    codec.clockRate(), codec.channels(),
                    supported.name().equalsIgnoreCase("H264") ? codec.parameters() : supported.parameters(),
                    codec.feedback().stream().filter(supported.feedback()::contains).collect(Collectors.toList()))));
        }
        boolean bridgeDoesRtx = policy.codecs(kind).stream().anyMatch(RtpCodec::isRtx);
        List<RtpCodec> result = new ArrayList<>();
        for (RtpCodec codec : offered) {
            if (codec.isRtx()) {
                if (bridgeDoesRtx && codec.associatedPayloadType().isPresent()
                        && kept.stream().anyMatch(k -> k.payloadType() == codec.associatedPayloadType().getAsInt())) {
                    result.add(new RtpCodec(codec.payloadType(), codec.name(), codec.clockRate(), codec.channels(),
                            Map.of("apt", Integer.toString(codec.associatedPayloadType().getAsInt())), List.of()));
                }
            } else {
                kept.stream().filter(k -> k.payloadType() == codec.payloadType()).findFirst().ifPresent(result::add);
            }
        }
        return result;
    }

    /**
     * Offered extensions whose URI the bridge supports, under the offer's ids (RFC 8285 section 7); the rid
     * extensions only on a section whose simulcast the answer takes (elsewhere nothing would read them).
     */
    private List<Extmap> intersectExtensions(MediaType kind, List<Extmap> offered, boolean simulcast) {
        Set<String> supported = policy.extensions(kind).stream().map(Extmap::uri).collect(Collectors.toSet());
        return offered.stream().filter(e -> supported.contains(e.uri()))
                .filter(e -> simulcast || !(Simulcast.RTP_STREAM_ID.equals(e.uri())
                        || Simulcast.REPAIRED_RTP_STREAM_ID.equals(e.uri())))
                .map(e -> new Extmap(e.id(), e.uri()))
                .collect(Collectors.toList());
    }

    /** A rejected section keeps media, protocol, formats and mid, with port 0 (JSEP section 5.3.1). */
    private static MediaSection reject(MediaSection offered) {
        return MediaSection.builder(offered.media(), offered.protocol())
                .port(0)
                .formats(offered.formats())
                .connection("IN IP4 0.0.0.0")
                .mid(offered.mid())
                .direction(Direction.INACTIVE)
                .build();
    }
}
