package io.livedesk.media.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every malformed or hostile input is a {@link SdpParseException} whose message names the line and the problem. */
class HostileSdpTest {
    private static final String FINGERPRINT = "AB:".repeat(31) + "AB";
    private static final List<String> VALID = List.of(
            "v=0",                                          // 1
            "o=- 1 1 IN IP4 127.0.0.1",                     // 2
            "s=-",                                          // 3
            "t=0 0",                                        // 4
            "a=group:BUNDLE 0 1",                           // 5
            "m=audio 9 UDP/TLS/RTP/SAVPF 111",              // 6
            "c=IN IP4 0.0.0.0",                             // 7
            "a=mid:0",                                      // 8
            "a=ice-ufrag:abcd",                             // 9
            "a=ice-pwd:0123456789012345678901",             // 10
            "a=fingerprint:sha-256 " + FINGERPRINT,         // 11
            "a=setup:actpass",                              // 12
            "a=rtcp-mux",                                   // 13
            "a=rtpmap:111 opus/48000/2",                    // 14
            "m=video 9 UDP/TLS/RTP/SAVPF 96 97",            // 15
            "a=mid:1",                                      // 16
            "a=rtpmap:96 VP8/90000",                        // 17
            "a=rtpmap:97 rtx/90000",                        // 18
            "a=fmtp:97 apt=96");                            // 19

    private final SdpParser parser = new SdpParser();

    /** The valid description with line {@code number} (1-based) replaced. */
    private static String replace(int number, String line) {
        List<String> lines = new ArrayList<>(VALID);
        lines.set(number - 1, line);
        return String.join("\r\n", lines) + "\r\n";
    }

    private static String insertAfter(int number, String line) {
        List<String> lines = new ArrayList<>(VALID);
        lines.add(number, line);
        return String.join("\r\n", lines) + "\r\n";
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("missing v=", replace(1, "x=0"), 1, "must start with v=0"),
                Arguments.of("v= not first", String.join("\n", VALID.subList(1, VALID.size())), 1, "must start with v=0"),
                Arguments.of("wrong version", replace(1, "v=1"), 1, "must start with v=0"),
                Arguments.of("o= missing", replace(2, "s=-"), 2, "expected the o= line"),
                Arguments.of("o= malformed", replace(2, "o=- 1 IN IP4"), 2, "o= needs"),
                Arguments.of("not a type=value line", replace(4, "hello"), 4, "not a '<letter>=<value>' line"),
                Arguments.of("unknown line type", insertAfter(4, "x=1"), 5, "unknown line type"),
                Arguments.of("port too large", replace(6, "m=audio 70000 UDP/TLS/RTP/SAVPF 111"), 6, "larger than 65535"),
                Arguments.of("port negative", replace(6, "m=audio -9 UDP/TLS/RTP/SAVPF 111"), 6, "is not a number"),
                Arguments.of("port absurd", replace(6, "m=audio 99999999999999999999999 UDP/TLS/RTP/SAVPF 111"), 6, "port"),
                Arguments.of("port range", replace(6, "m=audio 9/2 UDP/TLS/RTP/SAVPF 111"), 6, "port ranges"),
                Arguments.of("m= without formats", replace(6, "m=audio 9 UDP/TLS/RTP/SAVPF"), 6, "m= needs"),
                Arguments.of("payload type listed twice", replace(6, "m=audio 9 UDP/TLS/RTP/SAVPF 111 111"), 6, "listed twice"),
                Arguments.of("payload type too large", replace(15, "m=video 9 UDP/TLS/RTP/SAVPF 96 97 200"), 15, "payload type"),
                Arguments.of("unknown hash", replace(11, "a=fingerprint:sha-257 " + FINGERPRINT), 11, "unsupported fingerprint hash function 'sha-257'"),
                Arguments.of("md5 hash", replace(11, "a=fingerprint:md5 " + FINGERPRINT), 11, "unsupported fingerprint hash function"),
                Arguments.of("short fingerprint", replace(11, "a=fingerprint:sha-256 AB:CD"), 11, "must be 32 colon-separated hex bytes"),
                Arguments.of("non-hex fingerprint", replace(11, "a=fingerprint:sha-256 " + FINGERPRINT.replace("AB:AB:AB", "AB:ZZ:AB")), 11, "hex"),
                Arguments.of("fingerprint without hash", replace(11, "a=fingerprint:" + FINGERPRINT), 11, "fingerprint needs"),
                Arguments.of("duplicate mid", replace(16, "a=mid:0"), 15, "mid '0' is already used by the m-section on line 6"),
                Arguments.of("second mid in a section", insertAfter(8, "a=mid:x"), 9, "second a=mid"),
                Arguments.of("m-line without mid in BUNDLE", replace(16, "a=rtcp-mux").replace("BUNDLE 0 1", "BUNDLE 0"), 15,
                        "has no a=mid but the session uses BUNDLE"),
                Arguments.of("BUNDLE names unknown mid", replace(5, "a=group:BUNDLE 0 1 7"), 5, "no m-section has a=mid:7"),
                Arguments.of("BUNDLE names a mid twice", replace(5, "a=group:BUNDLE 0 1 0"), 5, "twice"),
                Arguments.of("stray CR", replace(3, "s=-\rx"), 3, "stray CR"),
                Arguments.of("NUL", replace(3, "s=\0"), 3, "NUL"),
                Arguments.of("no t=", replace(4, "c=IN IP4 0.0.0.0"), 0, "no t= line"),
                Arguments.of("rtpmap for a payload type not on the m-line", replace(14, "a=rtpmap:112 opus/48000/2"), 14, "not on the m= line"),
                Arguments.of("rtpmap twice", insertAfter(14, "a=rtpmap:111 opus/48000/2"), 15, "second a=rtpmap"),
                Arguments.of("bad clock rate", replace(14, "a=rtpmap:111 opus/fast/2"), 14, "clock rate"),
                Arguments.of("fmtp without rtpmap", insertAfter(14, "a=fmtp:120 x=1"), 6, "a=fmtp for payload type 120 which has no a=rtpmap"),
                Arguments.of("rtx without apt", replace(19, "a=fmtp:97 x=1"), 15, "rtx payload type 97 has no a=fmtp apt="),
                Arguments.of("rtx repairing nothing", replace(19, "a=fmtp:97 apt=100"), 15, "repairs payload type 100"),
                Arguments.of("extmap id 0", insertAfter(14, "a=extmap:0 urn:x"), 15, "extmap id 0 is outside 1..255"),
                Arguments.of("extmap id 256", insertAfter(14, "a=extmap:256 urn:x"), 15, "larger than 255"),
                Arguments.of("extmap id reused", insertAfter(14, "a=extmap:1 urn:x\r\na=extmap:1 urn:y"), 6, "extmap id 1 is used twice"),
                Arguments.of("extmap bad direction", insertAfter(14, "a=extmap:1/sideways urn:x"), 15, "direction"),
                Arguments.of("short ufrag", replace(9, "a=ice-ufrag:ab"), 6, "ice-ufrag must be 4 to 256 characters"),
                Arguments.of("pwd with bad chars", replace(10, "a=ice-pwd:0123456789012345678901;;"), 6, "ice-pwd may only contain"),
                Arguments.of("ufrag without pwd", replace(10, "a=rtcp-rsize"), 6, "must be given together"),
                Arguments.of("bad setup", replace(12, "a=setup:sometimes"), 12, "setup must be"),
                Arguments.of("candidate without typ", insertAfter(14, "a=candidate:1 1 udp 2122260223 127.0.0.1 5000 host"), 15, "candidate needs"),
                Arguments.of("candidate port", insertAfter(14, "a=candidate:1 1 udp 2122260223 127.0.0.1 70000 typ host"), 15, "candidate port"),
                Arguments.of("candidate odd extensions", insertAfter(14, "a=candidate:1 1 udp 1 127.0.0.1 5000 typ host generation"), 15, "pairs"),
                Arguments.of("ssrc too large", insertAfter(14, "a=ssrc:4294967296 cname:x"), 15, "larger than 4294967295"),
                Arguments.of("ssrc without attribute", insertAfter(14, "a=ssrc:5"), 15, "ssrc needs"),
                Arguments.of("two directions", insertAfter(14, "a=sendonly\r\na=recvonly"), 16, "second direction"),
                Arguments.of("attribute name with a space", insertAfter(14, "a=bad name:1"), 15, "single token"),
                Arguments.of("mid without value", replace(8, "a=mid"), 8, "a=mid needs a value"),
                Arguments.of("session line inside media", insertAfter(14, "o=- 1 1 IN IP4 1.1.1.1"), 15, "not allowed inside an m-section"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectedWithLineAndReason(String name, String sdp, int line, String reason) {
        SdpParseException e = assertThrows(SdpParseException.class, () -> parser.parse(sdp));
        assertTrue(e.getMessage().contains(reason), () -> "message '" + e.getMessage() + "' lacks '" + reason + "'");
        assertEquals(line, e.lineNumber(), e::getMessage);
        if (line > 0) {
            assertTrue(e.getMessage().startsWith("SDP line " + line + " ("), e::getMessage);
        }
    }

    @Test
    void theValidBaseParses() throws Exception {
        assertEquals(2, parser.parse(String.join("\r\n", VALID)).media().size());
    }

    @Test
    void emptyInput() {
        assertThrows(SdpParseException.class, () -> parser.parse(""));
        assertThrows(SdpParseException.class, () -> parser.parse(null));
        assertThrows(SdpParseException.class, () -> parser.parse("\r\n\r\n"));
    }

    @Test
    void hugeLineCountIsRefusedQuickly() {
        String many = "v=0\r\n" + "a=x\r\n".repeat(1_000_000);
        SdpParser bounded = new SdpParser(10_000_000, 1000);
        SdpParseException e = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> assertThrows(SdpParseException.class, () -> bounded.parse(many)));
        assertTrue(e.getMessage().contains("more than the limit of 1000 lines"), e.getMessage());
    }

    @Test
    void hugeInputIsRefusedBeforeParsing() {
        String huge = "v=0\r\ns=" + "x".repeat(300_000);
        SdpParseException e = assertThrows(SdpParseException.class, () -> parser.parse(huge));
        assertTrue(e.getMessage().contains("more than the limit of " + SdpParser.DEFAULT_MAX_CHARS), e.getMessage());
    }

    @Test
    void manyMediaSectionsWithinLimitsStayFast() {
        StringBuilder sdp = new StringBuilder("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n");
        for (int i = 0; i < 4000; i++) {
            sdp.append("m=audio 9 RTP/AVP 0\r\n");
        }
        SdpParser big = new SdpParser(1_000_000, 5000);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertEquals(4000, big.parse(sdp.toString()).media().size()));
    }

    @Test
    void longLinesAreQuotedShortInMessages() {
        String sdp = replace(14, "a=rtpmap:111 opus/" + "9".repeat(5000) + "/2");
        SdpParseException e = assertThrows(SdpParseException.class, () -> parser.parse(sdp));
        assertTrue(e.getMessage().length() < 400, e.getMessage());
    }
}
