package io.livedesk.media.sdp;

import io.livedesk.media.api.SetupRole;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One m-section. ICE and DTLS attributes written at session level are already folded in by the
 * parser, so each section carries its effective transport parameters.
 *
 * @param media {@code audio}, {@code video}, {@code application}, …
 * @param formats the m-line's format list in order; for RTP sections the payload types
 * @param connection the {@code c=} value (e.g. {@code IN IP4 0.0.0.0}); null when absent
 * @param mid null when the section has no {@code a=mid}
 * @param codecs the payload types that have an rtpmap, in m-line order
 * @param ice null when not given
 * @param fingerprint null when not given
 * @param setup null when not given
 */
public record MediaSection(String media, int port, String protocol, List<String> formats,
                           String connection, List<SdpLine> extraLines, String mid, Direction direction,
                           IceParameters ice, Fingerprint fingerprint, SetupRole setup,
                           List<Candidate> candidates, boolean endOfCandidates,
                           boolean rtcpMux, boolean rtcpReducedSize,
                           List<RtpCodec> codecs, List<Extmap> headerExtensions,
                           List<Msid> msids, List<SourceGroup> sourceGroups, List<Source> sources,
                           List<Attribute> otherAttributes) {

    public MediaSection {
        SdpSyntax.token("media", media);
        SdpSyntax.inRange("port", port, 0, 65535);
        SdpSyntax.token("protocol", protocol);
        formats = List.copyOf(formats);
        if (formats.isEmpty()) {
            throw new IllegalArgumentException("m-line lists no formats");
        }
        formats.forEach(f -> SdpSyntax.token("format", f));
        if (connection != null) {
            SdpSyntax.text("connection", connection);
        }
        extraLines = List.copyOf(extraLines);
        if (mid != null) {
            SdpSyntax.token("mid", mid);
            if (mid.length() > 64) {
                throw new IllegalArgumentException("mid is longer than 64 characters");
            }
        }
        if (direction == null) {
            throw new IllegalArgumentException("direction is missing");
        }
        candidates = List.copyOf(candidates);
        codecs = List.copyOf(codecs);
        headerExtensions = List.copyOf(headerExtensions);
        msids = List.copyOf(msids);
        sourceGroups = List.copyOf(sourceGroups);
        sources = List.copyOf(sources);
        otherAttributes = List.copyOf(otherAttributes);
        checkCodecsAreFormats(formats, codecs);
        checkUnique(headerExtensions);
        checkUniqueSsrcs(sources);
    }

    public boolean isRtp() {
        return protocol.contains("RTP/");
    }

    /** Port 0 marks a section the answerer rejected or the offerer stopped (RFC 8866 section 5.14). */
    public boolean isRejected() {
        return port == 0;
    }

    public Optional<RtpCodec> codec(int payloadType) {
        return codecs.stream().filter(c -> c.payloadType() == payloadType).findFirst();
    }

    public Optional<Extmap> headerExtension(String uri) {
        return headerExtensions.stream().filter(e -> e.uri().equals(uri)).findFirst();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder(String media, String protocol) {
        return new Builder(media, protocol);
    }

    private static void checkCodecsAreFormats(List<String> formats, List<RtpCodec> codecs) {
        Set<Integer> seen = new HashSet<>();
        for (RtpCodec codec : codecs) {
            if (!seen.add(codec.payloadType())) {
                throw new IllegalArgumentException("payload type " + codec.payloadType() + " is mapped twice");
            }
            if (!formats.contains(Integer.toString(codec.payloadType()))) {
                throw new IllegalArgumentException("payload type " + codec.payloadType() + " is not on the m-line");
            }
        }
    }

    private static void checkUnique(List<Extmap> extensions) {
        Set<Integer> ids = new HashSet<>();
        for (Extmap e : extensions) {
            if (!ids.add(e.id())) {
                throw new IllegalArgumentException("extmap id " + e.id() + " is used twice");
            }
        }
    }

    private static void checkUniqueSsrcs(List<Source> sources) {
        Set<Long> ssrcs = new HashSet<>();
        for (Source s : sources) {
            if (!ssrcs.add(s.ssrc())) {
                throw new IllegalArgumentException("ssrc " + s.ssrc() + " is described twice");
            }
        }
    }

    /** Assembles a section step by step; used by the parser and by the offer/answer builders. */
    public static final class Builder {
        private final String media;
        private final String protocol;
        private int port = 9;
        private List<String> formats = new ArrayList<>();
        private String connection;
        private final List<SdpLine> extraLines = new ArrayList<>();
        private String mid;
        private Direction direction = Direction.SENDRECV;
        private IceParameters ice;
        private Fingerprint fingerprint;
        private SetupRole setup;
        private final List<Candidate> candidates = new ArrayList<>();
        private boolean endOfCandidates;
        private boolean rtcpMux;
        private boolean rtcpReducedSize;
        private final List<RtpCodec> codecs = new ArrayList<>();
        private final List<Extmap> headerExtensions = new ArrayList<>();
        private final List<Msid> msids = new ArrayList<>();
        private final List<SourceGroup> sourceGroups = new ArrayList<>();
        private final List<Source> sources = new ArrayList<>();
        private final List<Attribute> otherAttributes = new ArrayList<>();

        private Builder(String media, String protocol) {
            this.media = media;
            this.protocol = protocol;
        }

        private Builder(MediaSection s) {
            this(s.media, s.protocol);
            port = s.port;
            formats = new ArrayList<>(s.formats);
            connection = s.connection;
            extraLines.addAll(s.extraLines);
            mid = s.mid;
            direction = s.direction;
            ice = s.ice;
            fingerprint = s.fingerprint;
            setup = s.setup;
            candidates.addAll(s.candidates);
            endOfCandidates = s.endOfCandidates;
            rtcpMux = s.rtcpMux;
            rtcpReducedSize = s.rtcpReducedSize;
            codecs.addAll(s.codecs);
            headerExtensions.addAll(s.headerExtensions);
            msids.addAll(s.msids);
            sourceGroups.addAll(s.sourceGroups);
            sources.addAll(s.sources);
            otherAttributes.addAll(s.otherAttributes);
        }

        public Builder port(int value) { port = value; return this; }
        public Builder formats(List<String> value) { formats = new ArrayList<>(value); return this; }
        public Builder connection(String value) { connection = value; return this; }
        public Builder extraLine(SdpLine value) { extraLines.add(value); return this; }
        public Builder mid(String value) { mid = value; return this; }
        public Builder direction(Direction value) { direction = value; return this; }
        public Builder ice(IceParameters value) { ice = value; return this; }
        public Builder fingerprint(Fingerprint value) { fingerprint = value; return this; }
        public Builder setup(SetupRole value) { setup = value; return this; }
        public Builder candidate(Candidate value) { candidates.add(value); return this; }
        public Builder endOfCandidates(boolean value) { endOfCandidates = value; return this; }
        public Builder rtcpMux(boolean value) { rtcpMux = value; return this; }
        public Builder rtcpReducedSize(boolean value) { rtcpReducedSize = value; return this; }
        public Builder headerExtension(Extmap value) { headerExtensions.add(value); return this; }
        public Builder msid(Msid value) { msids.add(value); return this; }
        public Builder sourceGroup(SourceGroup value) { sourceGroups.add(value); return this; }
        public Builder source(Source value) { sources.add(value); return this; }
        public Builder attribute(Attribute value) { otherAttributes.add(value); return this; }

        /** Adds a codec and, for RTP sections built from scratch, its payload type to the m-line. */
        public Builder codec(RtpCodec value) {
            codecs.add(value);
            String pt = Integer.toString(value.payloadType());
            if (!formats.contains(pt)) {
                formats.add(pt);
            }
            return this;
        }

        /** Replaces the codecs and makes the m-line list exactly their payload types. */
        public Builder codecs(List<RtpCodec> value) {
            codecs.clear();
            formats = new ArrayList<>();
            value.forEach(this::codec);
            return this;
        }

        public Builder headerExtensions(List<Extmap> value) {
            headerExtensions.clear();
            headerExtensions.addAll(value);
            return this;
        }

        public MediaSection build() {
            return new MediaSection(media, port, protocol, formats, connection, extraLines, mid, direction,
                    ice, fingerprint, setup, candidates, endOfCandidates, rtcpMux, rtcpReducedSize,
                    codecs, headerExtensions, msids, sourceGroups, sources, otherAttributes);
        }
    }
}
