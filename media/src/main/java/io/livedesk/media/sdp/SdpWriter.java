package io.livedesk.media.sdp;

import java.util.List;

/**
 * Writes a {@link SessionDescription} as SDP text with CRLF line ends, in the line order
 * Chromium itself produces (its parser accepts other orders, but matching it makes diffs against
 * browser SDP readable). Lines RFC 8866 places before {@code c=}, between {@code c=} and
 * {@code t=}, or after {@code t=} are placed there. Every m-section gets a {@code c=} line when
 * the session has none, as RFC 8866 section 5.7 requires. Stateless and thread-safe.
 */
public final class SdpWriter {
    private static final String CRLF = "\r\n";

    public String write(SessionDescription sdp) {
        StringBuilder out = new StringBuilder(4096);
        line(out, 'v', "0");
        line(out, 'o', sdp.origin().lineValue());
        line(out, 's', sdp.sessionName());
        extraLines(out, sdp.extraLines(), "iuep");
        if (sdp.connection() != null) {
            line(out, 'c', sdp.connection());
        }
        extraLines(out, sdp.extraLines(), "b");
        line(out, 't', sdp.timing());
        extraLines(out, sdp.extraLines(), "rzk");
        for (Group group : sdp.groups()) {
            attribute(out, "group", group.mids().isEmpty() ? group.semantics()
                    : group.semantics() + " " + String.join(" ", group.mids()));
        }
        if (sdp.extmapAllowMixed()) {
            attribute(out, "extmap-allow-mixed", null);
        }
        sdp.otherAttributes().forEach(a -> attribute(out, a.name(), a.value()));
        for (MediaSection m : sdp.media()) {
            section(out, m);
        }
        return out.toString();
    }

    private void section(StringBuilder out, MediaSection m) {
        line(out, 'm', m.media() + " " + m.port() + " " + m.protocol() + " " + String.join(" ", m.formats()));
        extraLines(out, m.extraLines(), "i");
        if (m.connection() != null) {
            line(out, 'c', m.connection());
        }
        extraLines(out, m.extraLines(), "bk");
        m.candidates().forEach(c -> attribute(out, "candidate", c.attributeValue()));
        if (m.endOfCandidates()) {
            attribute(out, "end-of-candidates", null);
        }
        if (m.ice() != null) {
            attribute(out, "ice-ufrag", m.ice().ufrag());
            attribute(out, "ice-pwd", m.ice().pwd());
            if (!m.ice().options().isEmpty()) {
                attribute(out, "ice-options", String.join(" ", m.ice().options()));
            }
        }
        if (m.fingerprint() != null) {
            attribute(out, "fingerprint", m.fingerprint().attributeValue());
        }
        if (m.setup() != null) {
            attribute(out, "setup", m.setup().attributeValue());
        }
        if (m.mid() != null) {
            attribute(out, "mid", m.mid());
        }
        m.headerExtensions().forEach(e -> attribute(out, "extmap", e.attributeValue()));
        attribute(out, m.direction().attributeName(), null);
        m.msids().forEach(id -> attribute(out, "msid", id.attributeValue()));
        if (m.rtcpMux()) {
            attribute(out, "rtcp-mux", null);
        }
        if (m.rtcpReducedSize()) {
            attribute(out, "rtcp-rsize", null);
        }
        for (RtpCodec codec : m.codecs()) {
            attribute(out, "rtpmap", codec.payloadType() + " " + codec.rtpmapText());
            codec.feedback().forEach(fb -> attribute(out, "rtcp-fb", codec.payloadType() + " " + fb.attributeText()));
            if (!codec.parameters().isEmpty()) {
                attribute(out, "fmtp", codec.payloadType() + " " + codec.fmtpText());
            }
        }
        m.otherAttributes().forEach(a -> attribute(out, a.name(), a.value()));
        for (SourceGroup group : m.sourceGroups()) {
            StringBuilder value = new StringBuilder(group.semantics());
            group.ssrcs().forEach(s -> value.append(' ').append(s));
            attribute(out, "ssrc-group", value.toString());
        }
        for (Source source : m.sources()) {
            if (source.cname() != null) {
                attribute(out, "ssrc", source.ssrc() + " cname:" + source.cname());
            }
            if (source.msid() != null) {
                attribute(out, "ssrc", source.ssrc() + " msid:" + source.msid().attributeValue());
            }
            for (Attribute a : source.otherAttributes()) {
                attribute(out, "ssrc", source.ssrc() + " " + (a.value() == null ? a.name() : a.name() + ":" + a.value()));
            }
        }
    }

    private static void extraLines(StringBuilder out, List<SdpLine> lines, String types) {
        for (SdpLine l : lines) {
            if (types.indexOf(l.type()) >= 0) {
                line(out, l.type(), l.value());
            }
        }
    }

    private static void attribute(StringBuilder out, String name, String value) {
        line(out, 'a', value == null ? name : name + ":" + value);
    }

    private static void line(StringBuilder out, char type, String value) {
        out.append(type).append('=').append(value).append(CRLF);
    }
}
