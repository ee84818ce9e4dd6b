package io.livedesk.media.sdp;

import io.livedesk.media.api.SetupRole;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the value of one attribute into the model. Pure functions; a malformed value throws
 * {@link IllegalArgumentException}, which {@link SdpParser} reports with the line it came from.
 */
final class AttributeValues {
    /** A payload type, or {@link #ALL_PAYLOAD_TYPES} for {@code a=rtcp-fb:*}, with what follows it. */
    record PayloadTypeLine(int payloadType, String rest) {
    }

    record SsrcLine(long ssrc, String name, String value) {
    }

    static final int ALL_PAYLOAD_TYPES = -1;

    private AttributeValues() {
    }

    /** Splits on runs of spaces; tabs and other whitespace stay inside fields and fail token checks. */
    static List<String> fields(String value) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = value.length();
        while (i < n) {
            while (i < n && value.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < n && value.charAt(i) != ' ') {
                i++;
            }
            if (i > start) {
                out.add(value.substring(start, i));
            }
        }
        return out;
    }

    static Candidate candidate(String value) {
        List<String> f = fields(value);
        if (f.size() < 8 || !f.get(6).equals("typ")) {
            throw new IllegalArgumentException("candidate needs '<foundation> <component> <transport> <priority> <address> <port> typ <type>'");
        }
        String relatedAddress = null;
        int relatedPort = -1;
        Map<String, String> extensions = new LinkedHashMap<>();
        if ((f.size() - 8) % 2 != 0) {
            throw new IllegalArgumentException("candidate extensions must be name/value pairs");
        }
        for (int i = 8; i < f.size(); i += 2) {
            String name = f.get(i);
            String v = f.get(i + 1);
            boolean repeated;
            if (name.equals("raddr")) {
                repeated = relatedAddress != null;
                relatedAddress = v;
            } else if (name.equals("rport")) {
                repeated = relatedPort >= 0;
                relatedPort = SdpSyntax.unsignedInt("candidate rport", v, 65535);
            } else {
                repeated = extensions.putIfAbsent(name, v) != null;
            }
            if (repeated) {
                throw new IllegalArgumentException("candidate repeats '" + SdpParseException.quote(name) + "'");
            }
        }
        return new Candidate(f.get(0),
                SdpSyntax.unsignedInt("candidate component", f.get(1), 256),
                f.get(2),
                SdpSyntax.unsigned("candidate priority", f.get(3), SdpSyntax.MAX_UINT32),
                f.get(4),
                SdpSyntax.unsignedInt("candidate port", f.get(5), 65535),
                f.get(7), relatedAddress, relatedPort, extensions);
    }

    static Extmap extmap(String value) {
        List<String> f = fields(value);
        if (f.size() < 2) {
            throw new IllegalArgumentException("extmap needs '<id>[/<direction>] <uri>'");
        }
        String idPart = f.get(0);
        Direction direction = null;
        int slash = idPart.indexOf('/');
        if (slash >= 0) {
            String dir = idPart.substring(slash + 1);
            direction = Direction.fromAttributeName(dir)
                    .orElseThrow(() -> new IllegalArgumentException("extmap direction '" + SdpParseException.quote(dir) + "' is unknown"));
            idPart = idPart.substring(0, slash);
        }
        int id = SdpSyntax.unsignedInt("extmap id", idPart, 255);
        String attributes = f.size() > 2 ? String.join(" ", f.subList(2, f.size())) : null;
        return new Extmap(id, direction, f.get(1), attributes);
    }

    static Fingerprint fingerprint(String value) {
        List<String> f = fields(value);
        if (f.size() != 2) {
            throw new IllegalArgumentException("fingerprint needs '<hash-function> <hex:hex:…>'");
        }
        return new Fingerprint(f.get(0), f.get(1));
    }

    static SetupRole setup(String value) {
        return SetupRole.fromAttributeValue(value).orElseThrow(() -> new IllegalArgumentException(
                "setup must be active, passive, actpass or holdconn"));
    }

    /** {@code <pt> <name>/<clock>[/<channels>]}; fmtp and rtcp-fb are attached later. */
    static RtpCodec rtpmap(String value) {
        List<String> f = fields(value);
        if (f.size() != 2) {
            throw new IllegalArgumentException("rtpmap needs '<payload type> <name>/<clock rate>[/<channels>]'");
        }
        int pt = SdpSyntax.unsignedInt("payload type", f.get(0), 127);
        String[] parts = f.get(1).split("/", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("rtpmap encoding must be '<name>/<clock rate>[/<channels>]'");
        }
        int clock = SdpSyntax.unsignedInt("clock rate", parts[1], Integer.MAX_VALUE);
        int channels = parts.length == 3 ? SdpSyntax.unsignedInt("channels", parts[2], 255) : 1;
        return new RtpCodec(pt, parts[0], clock, channels);
    }

    static PayloadTypeLine payloadTypeLine(String attribute, String value, boolean allowWildcard) {
        int space = value.indexOf(' ');
        if (space <= 0 || value.substring(space + 1).isBlank()) {
            throw new IllegalArgumentException(attribute + " needs '<payload type> <value>'");
        }
        String pt = value.substring(0, space);
        int payloadType = allowWildcard && pt.equals("*") ? ALL_PAYLOAD_TYPES : SdpSyntax.unsignedInt("payload type", pt, 127);
        return new PayloadTypeLine(payloadType, value.substring(space + 1).strip());
    }

    /** {@code key=value;key=value}; a part without '=' becomes a key with an empty value. */
    static Map<String, String> fmtpParameters(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : text.split(";", -1)) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String key = eq < 0 ? p : p.substring(0, eq).strip();
            String v = eq < 0 ? "" : p.substring(eq + 1).strip();
            if (key.isEmpty() || out.put(key, v) != null) {
                throw new IllegalArgumentException("fmtp parameter '" + SdpParseException.quote(p) + "' is empty or repeated");
            }
        }
        return out;
    }

    static RtcpFeedback rtcpFeedback(String text) {
        List<String> f = fields(text);
        return new RtcpFeedback(f.get(0), f.size() > 1 ? String.join(" ", f.subList(1, f.size())) : null);
    }

    /** {@code <ssrc> <name>[:<value>]}. */
    static SsrcLine ssrc(String value) {
        int space = value.indexOf(' ');
        if (space <= 0) {
            throw new IllegalArgumentException("ssrc needs '<ssrc> <attribute>[:<value>]'");
        }
        long ssrc = SdpSyntax.unsigned("ssrc", value.substring(0, space), SdpSyntax.MAX_UINT32);
        String rest = value.substring(space + 1);
        int colon = rest.indexOf(':');
        String name = colon < 0 ? rest : rest.substring(0, colon);
        String v = colon < 0 ? null : rest.substring(colon + 1);
        SdpSyntax.token("ssrc attribute name", name);
        return new SsrcLine(ssrc, name, v);
    }

    static SourceGroup ssrcGroup(String value) {
        List<String> f = fields(value);
        if (f.size() < 2) {
            throw new IllegalArgumentException("ssrc-group needs '<semantics> <ssrc>…'");
        }
        List<Long> ssrcs = new ArrayList<>();
        for (String s : f.subList(1, f.size())) {
            ssrcs.add(SdpSyntax.unsigned("ssrc", s, SdpSyntax.MAX_UINT32));
        }
        return new SourceGroup(f.get(0), ssrcs);
    }

    static Msid msid(String value) {
        List<String> f = fields(value);
        if (f.isEmpty() || f.size() > 2) {
            throw new IllegalArgumentException("msid needs '<stream id> [<track id>]'");
        }
        return new Msid(f.get(0), f.size() == 2 ? f.get(1) : null);
    }

    static Group group(String value) {
        List<String> f = fields(value);
        if (f.isEmpty()) {
            throw new IllegalArgumentException("group needs '<semantics> <mid>…'");
        }
        return new Group(f.get(0), f.subList(1, f.size()));
    }

    static List<String> iceOptions(String value) {
        List<String> f = fields(value);
        if (f.isEmpty()) {
            throw new IllegalArgumentException("ice-options lists nothing");
        }
        return f;
    }

    static Origin origin(String value) {
        List<String> f = fields(value);
        if (f.size() != 6) {
            throw new IllegalArgumentException("o= needs '<username> <sess-id> <sess-version> <nettype> <addrtype> <address>'");
        }
        return new Origin(f.get(0), f.get(1), SdpSyntax.unsigned("session version", f.get(2), Long.MAX_VALUE),
                f.get(3), f.get(4), f.get(5));
    }
}
