package io.livedesk.signaling.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * SDP offers in the shape a browser sends to the bridge: BUNDLE over every section, one ICE ufrag for
 * the page, Opus audio and VP8 video with RTX. The first audio and video sections send the page's own
 * tracks (when it has them); extra sections are receive-only, as the client adds them after a
 * {@code call.renegotiate}.
 *
 * <p>SSRCs derive from {@code seed}, so each participant's tracks are tellable apart in an answer:
 * audio {@code seed * 10 + 1}, video {@code seed * 10 + 2}, video RTX {@code seed * 10 + 3}.
 *
 * @param transport the page's ICE password, DTLS fingerprint and candidate port: made up unless a real
 *                  (synthetic) peer stands behind the offer
 */
public record BrowserOffer(String ufrag, int seed, boolean sendsAudio, boolean sendsVideo, int audioSections,
                           int videoSections, Transport transport) {

    /** What the offer says of the page's transport besides its ufrag. */
    public record Transport(String pwd, String fingerprint, int port) {
        static Transport madeUp(int seed) {
            return new Transport("browserpassword0123456789",
                    "3A:1F:0C:6E:55:21:9B:7D:1C:2E:8A:4F:90:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33",
                    40000 + seed);
        }
    }

    /** A page with camera and microphone: one section of each kind, both sending. */
    public static BrowserOffer of(String ufrag, int seed) {
        return new BrowserOffer(ufrag, seed, true, true, 1, 1, Transport.madeUp(seed));
    }

    /** A page that only receives (a livestream viewer's): recvonly sections, no tracks of its own. */
    public static BrowserOffer receiveOnly(String ufrag, int seed) {
        return new BrowserOffer(ufrag, seed, false, false, 1, 1, Transport.madeUp(seed));
    }

    /** The same page offering at least this many sections of each kind (after a renegotiate). */
    public BrowserOffer receiving(int audio, int video) {
        return new BrowserOffer(ufrag, seed, sendsAudio, sendsVideo, Math.max(1, audio), Math.max(1, video), transport);
    }

    /** The same page after an ICE restart or a reload: new credentials. */
    public BrowserOffer withUfrag(String newUfrag) {
        return new BrowserOffer(newUfrag, seed, sendsAudio, sendsVideo, audioSections, videoSections, transport);
    }

    /** The page's camera was replaced: new video SSRCs. */
    public BrowserOffer withSeed(int newSeed) {
        return new BrowserOffer(ufrag, newSeed, sendsAudio, sendsVideo, audioSections, videoSections, transport);
    }

    /** The same page on a real transport: these credentials, fingerprint and loopback port. */
    public BrowserOffer withTransport(String newUfrag, Transport newTransport) {
        return new BrowserOffer(newUfrag, seed, sendsAudio, sendsVideo, audioSections, videoSections, newTransport);
    }

    public long audioSsrc() {
        return seed * 10L + 1;
    }

    public long videoSsrc() {
        return seed * 10L + 2;
    }

    public String sdp() {
        List<String> mids = new ArrayList<>();
        List<String> sections = new ArrayList<>();
        int mid = 0;
        for (int i = 0; i < audioSections; i++, mid++) {
            mids.add(Integer.toString(mid));
            sections.add(audio(mid, i == 0 && sendsAudio));
        }
        for (int i = 0; i < videoSections; i++, mid++) {
            mids.add(Integer.toString(mid));
            sections.add(video(mid, i == 0 && sendsVideo));
        }
        List<String> lines = new ArrayList<>(List.of(
                "v=0",
                "o=- " + (4611731400430051336L + seed) + " 2 IN IP4 127.0.0.1",
                "s=-",
                "t=0 0",
                "a=group:BUNDLE " + String.join(" ", mids),
                "a=msid-semantic: WMS " + stream()));
        sections.forEach(lines::add);
        return String.join("\r\n", lines) + "\r\n";
    }

    private String stream() {
        return "stream-" + seed;
    }

    private String transport(int mid) {
        return String.join("\r\n",
                "c=IN IP4 127.0.0.1",
                "a=rtcp:9 IN IP4 0.0.0.0",
                "a=candidate:1 1 udp 2113937151 127.0.0.1 " + transport.port() + " typ host generation 0",
                "a=ice-ufrag:" + ufrag,
                "a=ice-pwd:" + transport.pwd(),
                "a=ice-options:trickle",
                "a=fingerprint:sha-256 " + transport.fingerprint(),
                "a=setup:actpass",
                "a=mid:" + mid);
    }

    private String audio(int mid, boolean sending) {
        List<String> l = new ArrayList<>(List.of(
                "m=audio 9 UDP/TLS/RTP/SAVPF 111",
                transport(mid),
                sending ? "a=sendrecv" : "a=recvonly"));
        if (sending) {
            l.add("a=msid:" + stream() + " audio-" + seed);
        }
        l.addAll(List.of(
                "a=rtcp-mux",
                "a=rtpmap:111 opus/48000/2",
                "a=rtcp-fb:111 transport-cc",
                "a=fmtp:111 minptime=10;useinbandfec=1"));
        if (sending) {
            l.add("a=ssrc:" + audioSsrc() + " cname:cname-" + seed);
            l.add("a=ssrc:" + audioSsrc() + " msid:" + stream() + " audio-" + seed);
        }
        return String.join("\r\n", l);
    }

    private String video(int mid, boolean sending) {
        long rtx = seed * 10L + 3;
        List<String> l = new ArrayList<>(List.of(
                "m=video 9 UDP/TLS/RTP/SAVPF 96 97",
                transport(mid),
                sending ? "a=sendrecv" : "a=recvonly"));
        if (sending) {
            l.add("a=msid:" + stream() + " video-" + seed);
        }
        l.addAll(List.of(
                "a=rtcp-mux",
                "a=rtcp-rsize",
                "a=rtpmap:96 VP8/90000",
                "a=rtcp-fb:96 nack",
                "a=rtcp-fb:96 nack pli",
                "a=rtcp-fb:96 transport-cc",
                "a=rtpmap:97 rtx/90000",
                "a=fmtp:97 apt=96"));
        if (sending) {
            l.add("a=ssrc-group:FID " + videoSsrc() + " " + rtx);
            l.add("a=ssrc:" + videoSsrc() + " cname:cname-" + seed);
            l.add("a=ssrc:" + videoSsrc() + " msid:" + stream() + " video-" + seed);
            l.add("a=ssrc:" + rtx + " cname:cname-" + seed);
            l.add("a=ssrc:" + rtx + " msid:" + stream() + " video-" + seed);
        }
        return String.join("\r\n", l);
    }
}
