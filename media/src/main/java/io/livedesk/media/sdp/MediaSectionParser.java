package io.livedesk.media.sdp;

import io.livedesk.media.api.SetupRole;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the lines of one m-section and turns them into a {@link MediaSection}. Attributes may
 * come in any order (an fmtp before its rtpmap is legal), so codec pieces are gathered first and
 * joined in {@link #finish}. One instance per m-section of one parse; not shared.
 */
final class MediaSectionParser {
    /** Session-level values an m-section inherits when it does not set its own (RFC 8839, RFC 8122). */
    record SessionDefaults(String iceUfrag, String icePwd, List<String> iceOptions,
                           Fingerprint fingerprint, SetupRole setup) {
    }

    private final MediaSection.Builder section;
    private final boolean rtp;
    private final List<String> formats;
    private final int mLineNumber;
    private final String mLine;

    private boolean midSeen;
    private boolean directionSeen;
    private boolean connectionSeen;
    private String iceUfrag;
    private String icePwd;
    private List<String> iceOptions;
    private Fingerprint fingerprint;
    private SetupRole setup;
    private final Map<Integer, RtpCodec> rtpmaps = new LinkedHashMap<>();
    private final Map<Integer, Map<String, String>> fmtps = new HashMap<>();
    private final Map<Integer, List<RtcpFeedback>> feedback = new HashMap<>();
    private final List<RtcpFeedback> wildcardFeedback = new ArrayList<>();
    private final Map<Long, SourceParts> sources = new LinkedHashMap<>();

    /** The a=ssrc lines of one SSRC, joined into one {@link Source} at the end. */
    private static final class SourceParts {
        String cname;
        Msid msid;
        final List<Attribute> others = new ArrayList<>();
    }

    /** Parses {@code <media> <port> <proto> <fmt>…}. */
    MediaSectionParser(String mLineValue, int lineNumber, String line) {
        this.mLineNumber = lineNumber;
        this.mLine = line;
        List<String> f = AttributeValues.fields(mLineValue);
        if (f.size() < 4) {
            throw new IllegalArgumentException("m= needs '<media> <port> <proto> <format>…'");
        }
        if (f.get(1).contains("/")) {
            throw new IllegalArgumentException("port ranges ('<port>/<count>') are not supported");
        }
        int port = SdpSyntax.unsignedInt("port", f.get(1), 65535);
        String protocol = f.get(2);
        formats = List.copyOf(f.subList(3, f.size()));
        section = MediaSection.builder(f.get(0), protocol).port(port).formats(formats);
        rtp = protocol.contains("RTP/");
        if (rtp) {
            Set<String> seen = new HashSet<>();
            for (String format : formats) {
                SdpSyntax.unsignedInt("payload type", format, 127);
                if (!seen.add(format)) {
                    throw new IllegalArgumentException("payload type " + format + " is listed twice on the m= line");
                }
            }
        }
    }

    void line(char type, String value) {
        switch (type) {
            case 'c' -> {
                if (connectionSeen) {
                    throw new IllegalArgumentException("second c= line in one m-section");
                }
                connectionSeen = true;
                if (AttributeValues.fields(value).size() != 3) {
                    throw new IllegalArgumentException("c= needs '<nettype> <addrtype> <address>'");
                }
                section.connection(value);
            }
            case 'b', 'i', 'k' -> section.extraLine(new SdpLine(type, value));
            default -> throw new IllegalArgumentException(type + "= lines are not allowed inside an m-section");
        }
    }

    void attribute(String name, String value) {
        switch (name) {
            case "mid" -> {
                if (midSeen) {
                    throw new IllegalArgumentException("second a=mid in one m-section");
                }
                midSeen = true;
                section.mid(required(name, value));
            }
            case "sendrecv", "sendonly", "recvonly", "inactive" -> {
                if (directionSeen) {
                    throw new IllegalArgumentException("second direction attribute in one m-section");
                }
                directionSeen = true;
                section.direction(Direction.fromAttributeName(name).orElseThrow());
            }
            case "rtpmap" -> rtpmap(required(name, value));
            case "fmtp" -> fmtp(required(name, value));
            case "rtcp-fb" -> rtcpFeedback(required(name, value));
            case "extmap" -> section.headerExtension(AttributeValues.extmap(required(name, value)));
            case "ice-ufrag" -> iceUfrag = once(name, iceUfrag, required(name, value));
            case "ice-pwd" -> icePwd = once(name, icePwd, required(name, value));
            case "ice-options" -> iceOptions = once(name, iceOptions, AttributeValues.iceOptions(required(name, value)));
            case "fingerprint" -> fingerprint = once(name, fingerprint, AttributeValues.fingerprint(required(name, value)));
            case "setup" -> setup = once(name, setup, AttributeValues.setup(required(name, value)));
            case "candidate" -> section.candidate(AttributeValues.candidate(required(name, value)));
            case "end-of-candidates" -> section.endOfCandidates(true);
            case "rtcp-mux" -> section.rtcpMux(true);
            case "rtcp-rsize" -> section.rtcpReducedSize(true);
            case "msid" -> section.msid(AttributeValues.msid(required(name, value)));
            case "ssrc" -> ssrc(AttributeValues.ssrc(required(name, value)));
            case "ssrc-group" -> section.sourceGroup(AttributeValues.ssrcGroup(required(name, value)));
            default -> section.attribute(new Attribute(name, value));
        }
    }

    int lineNumber() {
        return mLineNumber;
    }

    String line() {
        return mLine;
    }

    MediaSection finish(SessionDefaults defaults) {
        joinCodecs();
        String ufrag = iceUfrag != null ? iceUfrag : defaults.iceUfrag();
        String pwd = icePwd != null ? icePwd : defaults.icePwd();
        if ((ufrag == null) != (pwd == null)) {
            throw new IllegalArgumentException("a=ice-ufrag and a=ice-pwd must be given together");
        }
        if (ufrag != null) {
            List<String> options = iceOptions != null ? iceOptions
                    : defaults.iceOptions() != null ? defaults.iceOptions() : List.of();
            section.ice(new IceParameters(ufrag, pwd, options));
        }
        section.fingerprint(fingerprint != null ? fingerprint : defaults.fingerprint());
        section.setup(setup != null ? setup : defaults.setup());
        sources.forEach((ssrc, parts) -> section.source(new Source(ssrc, parts.cname, parts.msid, parts.others)));
        return section.build();
    }

    /** Joins rtpmap, fmtp and rtcp-fb into codecs in m-line order, once all lines are in. */
    private void joinCodecs() {
        for (Integer pt : fmtps.keySet()) {
            requireMapped("a=fmtp", pt);
        }
        for (Integer pt : feedback.keySet()) {
            requireMapped("a=rtcp-fb", pt);
        }
        for (String format : formats) {
            RtpCodec codec = rtp ? rtpmaps.get(Integer.parseInt(format)) : null;
            if (codec == null) {
                continue;
            }
            List<RtcpFeedback> fb = new ArrayList<>(feedback.getOrDefault(codec.payloadType(), List.of()));
            fb.addAll(wildcardFeedback);
            codec = codec.withParameters(fmtps.getOrDefault(codec.payloadType(), Map.of())).withFeedback(fb);
            section.codec(codec);
        }
        for (RtpCodec codec : rtpmaps.values()) {
            if (codec.isRtx()) {
                requireRepairedCodec(codec.payloadType());
            }
        }
    }

    /** RTX is useless without knowing what it repairs (RFC 4588 section 8.6), so apt is required. */
    private void requireRepairedCodec(int rtxPayloadType) {
        String apt = fmtps.getOrDefault(rtxPayloadType, Map.of()).get("apt");
        if (apt == null) {
            throw new IllegalArgumentException("rtx payload type " + rtxPayloadType + " has no a=fmtp apt=");
        }
        int repaired = SdpSyntax.unsignedInt("apt", apt, 127);
        if (!rtpmaps.containsKey(repaired)) {
            throw new IllegalArgumentException("rtx payload type " + rtxPayloadType + " repairs payload type " + repaired + " which has no a=rtpmap");
        }
    }

    private void requireMapped(String what, int pt) {
        if (!rtpmaps.containsKey(pt)) {
            throw new IllegalArgumentException(what + " for payload type " + pt + " which has no a=rtpmap");
        }
    }

    private void rtpmap(String value) {
        if (!rtp) {
            throw new IllegalArgumentException("a=rtpmap in a non-RTP m-section");
        }
        RtpCodec codec = AttributeValues.rtpmap(value);
        if (!formats.contains(Integer.toString(codec.payloadType()))) {
            throw new IllegalArgumentException("a=rtpmap for payload type " + codec.payloadType() + " which is not on the m= line");
        }
        if (rtpmaps.putIfAbsent(codec.payloadType(), codec) != null) {
            throw new IllegalArgumentException("second a=rtpmap for payload type " + codec.payloadType());
        }
    }

    private void fmtp(String value) {
        AttributeValues.PayloadTypeLine l = AttributeValues.payloadTypeLine("fmtp", value, false);
        if (fmtps.putIfAbsent(l.payloadType(), AttributeValues.fmtpParameters(l.rest())) != null) {
            throw new IllegalArgumentException("second a=fmtp for payload type " + l.payloadType());
        }
    }

    private void rtcpFeedback(String value) {
        AttributeValues.PayloadTypeLine l = AttributeValues.payloadTypeLine("rtcp-fb", value, true);
        RtcpFeedback fb = AttributeValues.rtcpFeedback(l.rest());
        if (l.payloadType() == AttributeValues.ALL_PAYLOAD_TYPES) {
            wildcardFeedback.add(fb);
        } else {
            feedback.computeIfAbsent(l.payloadType(), pt -> new ArrayList<>()).add(fb);
        }
    }

    private void ssrc(AttributeValues.SsrcLine l) {
        SourceParts parts = sources.computeIfAbsent(l.ssrc(), s -> new SourceParts());
        switch (l.name()) {
            case "cname" -> parts.cname = once("ssrc cname", parts.cname, SdpSyntax.token("cname", l.value()));
            case "msid" -> parts.msid = once("ssrc msid", parts.msid, AttributeValues.msid(required("ssrc msid", l.value())));
            default -> parts.others.add(new Attribute(l.name(), l.value()));
        }
    }

    private static String required(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a=" + name + " needs a value");
        }
        return value;
    }

    private static <T> T once(String name, T previous, T value) {
        if (previous != null) {
            throw new IllegalArgumentException("a=" + name + " is given twice");
        }
        return value;
    }
}
