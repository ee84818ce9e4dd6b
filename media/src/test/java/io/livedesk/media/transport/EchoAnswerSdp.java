package io.livedesk.media.transport;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Test-only SDP: reads what the transport needs from a Chromium offer and writes the smallest
 * answer Chromium accepts for an echo (MEDIA-NOTES.md): BUNDLE, rtcp-mux, setup:passive, the
 * bridge's ICE credentials, fingerprint and candidates, and per m-section its mid and one codec
 * (Opus, VP8) with its fmtp and keyframe/NACK feedback. The real SDP code lives in
 * {@code io.livedesk.media.sdp}.
 */
final class EchoAnswerSdp {
    /** One audio or video m-section of the offer. */
    record Section(String media, String mid, int payloadType, List<String> codecLines) {
    }

    final String iceUfrag;
    final String icePwd;
    final DtlsFingerprint fingerprint;
    final List<IceCandidateInfo> candidates;
    final List<Section> sections;

    private EchoAnswerSdp(String iceUfrag, String icePwd, DtlsFingerprint fingerprint,
                          List<IceCandidateInfo> candidates, List<Section> sections) {
        this.iceUfrag = iceUfrag;
        this.icePwd = icePwd;
        this.fingerprint = fingerprint;
        this.candidates = candidates;
        this.sections = sections;
    }

    static EchoAnswerSdp parseOffer(String offer) {
        String ufrag = null;
        String pwd = null;
        DtlsFingerprint fingerprint = null;
        Set<IceCandidateInfo> candidates = new LinkedHashSet<>();
        List<List<String>> mediaBlocks = new ArrayList<>();
        List<String> current = null;
        for (String line : offer.split("\r?\n")) {
            if (line.startsWith("m=")) {
                current = new ArrayList<>();
                mediaBlocks.add(current);
            }
            if (current != null) {
                current.add(line);
            }
            if (line.startsWith("a=ice-ufrag:") && ufrag == null) {
                ufrag = line.substring("a=ice-ufrag:".length());
            } else if (line.startsWith("a=ice-pwd:") && pwd == null) {
                pwd = line.substring("a=ice-pwd:".length());
            } else if (line.startsWith("a=fingerprint:") && fingerprint == null) {
                fingerprint = DtlsFingerprint.parse(line.substring("a=fingerprint:".length()));
            } else if (line.startsWith("a=candidate:")) {
                candidates.add(parseCandidate(line.substring("a=candidate:".length())));
            }
        }
        List<Section> sections = new ArrayList<>();
        for (List<String> block : mediaBlocks) {
            String media = block.get(0).substring(2, block.get(0).indexOf(' '));
            String codec = switch (media) {
                case "audio" -> "opus/48000";
                case "video" -> "VP8/90000";
                default -> throw new IllegalArgumentException("unexpected m-section " + media);
            };
            String mid = null;
            int pt = -1;
            for (String line : block) {
                if (line.startsWith("a=mid:")) {
                    mid = line.substring("a=mid:".length());
                } else if (pt < 0 && line.startsWith("a=rtpmap:") && line.contains(" " + codec)) {
                    pt = Integer.parseInt(line.substring("a=rtpmap:".length(), line.indexOf(' ')));
                }
            }
            List<String> codecLines = new ArrayList<>();
            for (String line : block) {
                if (line.startsWith("a=rtpmap:" + pt + " ") || line.startsWith("a=fmtp:" + pt + " ")
                        || line.equals("a=rtcp-fb:" + pt + " nack") || line.equals("a=rtcp-fb:" + pt + " nack pli")
                        || line.equals("a=rtcp-fb:" + pt + " ccm fir")) {
                    codecLines.add(line);
                }
            }
            sections.add(new Section(media, mid, pt, codecLines));
        }
        return new EchoAnswerSdp(ufrag, pwd, fingerprint, new ArrayList<>(candidates), sections);
    }

    /** {@code foundation component transport priority address port typ type ...}. */
    private static IceCandidateInfo parseCandidate(String value) {
        String[] f = value.trim().split("\\s+");
        return new IceCandidateInfo(f[0], Integer.parseInt(f[1]), f[2], Long.parseLong(f[3]), f[4],
                Integer.parseInt(f[5]), f[7]);
    }

    String answer(EndpointTransport transport) {
        StringBuilder sdp = new StringBuilder();
        line(sdp, "v=0");
        line(sdp, "o=- " + System.nanoTime() + " 2 IN IP4 127.0.0.1");
        line(sdp, "s=-");
        line(sdp, "t=0 0");
        StringBuilder bundle = new StringBuilder("a=group:BUNDLE");
        sections.forEach(s -> bundle.append(' ').append(s.mid()));
        line(sdp, bundle.toString());
        for (Section s : sections) {
            line(sdp, "m=" + s.media() + " 9 UDP/TLS/RTP/SAVPF " + s.payloadType());
            line(sdp, "c=IN IP4 0.0.0.0");
            line(sdp, "a=mid:" + s.mid());
            line(sdp, "a=sendrecv");
            line(sdp, "a=rtcp-mux");
            line(sdp, "a=setup:passive");
            line(sdp, "a=ice-ufrag:" + transport.localUfrag());
            line(sdp, "a=ice-pwd:" + transport.localPassword());
            line(sdp, "a=fingerprint:sha-256 " + transport.localFingerprint());
            for (IceCandidateInfo c : transport.localCandidates()) {
                line(sdp, "a=candidate:" + c.toSdpValue());
            }
            line(sdp, "a=end-of-candidates");
            s.codecLines().forEach(l -> line(sdp, l));
        }
        return sdp.toString();
    }

    private static void line(StringBuilder sdp, String line) {
        sdp.append(line).append("\r\n");
    }
}
