package io.livedesk.media.colibri;

import io.livedesk.media.api.BridgeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;

import static io.livedesk.media.colibri.Samples.MEETING;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Whatever arrives, parsing ends in a result or a BadRequest that says what is wrong — nothing else. */
class Colibri2JsonHostileTest {

    private static final String EP = "\"id\":\"e1\",\"create\":true,\"capabilities\":[\"source-names\"]";
    private static final String TRANSPORT_OK = "\"ufrag\":\"abcd\",\"pwd\":\"abcdefghijklmnopqrstuvwxyz\","
            + "\"fingerprints\":[{\"hash\":\"sha-256\",\"setup\":\"active\",\"fingerprint\":\""
            + "BB:50:EE:83:47:4C:EB:04:4F:9E:32:5D:EC:42:9C:33:1E:E5:DF:17:46:C3:AA:20:E1:F5:C6:0B:E7:C4:78:BF\"}]";

    private final Colibri2BridgeCodec bridgeSide = new Colibri2BridgeCodec();
    private final Colibri2ClientCodec clientSide = new Colibri2ClientCodec();

    static Stream<Arguments> hostileCreates() {
        return Stream.of(
                Arguments.of("", "empty"),
                Arguments.of("not json", "malformed JSON"),
                Arguments.of("{", "malformed JSON"),
                Arguments.of("[]", "must be a JSON object"),
                Arguments.of("null", "must be a JSON object"),
                Arguments.of("42", "must be a JSON object"),
                Arguments.of("{\"meeting-id\":\"m\",\"create\":true} {}", "malformed JSON"),
                Arguments.of("{\"meeting-id\":\"m\",\"create\":true,\"create\":false}", "Duplicate field"),
                Arguments.of("[".repeat(5000) + "]".repeat(5000), "malformed JSON"),
                Arguments.of("{\"create\":true}", "meeting-id is required"),
                Arguments.of("{\"meeting-id\":\"../x\",\"create\":true}", "meeting-id must match"),
                Arguments.of("{\"meeting-id\":7,\"create\":true}", "meeting-id must be a string"),
                Arguments.of("{\"meeting-id\":\"m\"}", "must create"),
                Arguments.of("{\"meeting-id\":\"m\",\"create\":\"yes\"}", "create must be true or false"),
                Arguments.of("{\"meeting-id\":\"m\",\"create\":true,\"surprise\":1}", "surprise is not a supported field"),
                Arguments.of("{\"meeting-id\":\"m\",\"create\":true,\"relays\":[{\"id\":\"r\",\"create\":true}]}",
                        "relays[0].transport is required"),
                Arguments.of("{\"meeting-id\":\"m\",\"create\":true,\"endpoints\":{}}", "endpoints must be an array"),
                Arguments.of(create("{\"create\":true}"), "endpoints[0].id is required"),
                Arguments.of(create("{\"id\":\"e 1\",\"create\":true}"), "endpoints[0].id must match"),
                Arguments.of(create("{\"id\":\"e1\",\"create\":true}"), "source name support is mandatory"),
                Arguments.of(create("{\"id\":\"e1\",\"create\":true,\"capabilities\":[\"x\"]}"), "source-names"),
                Arguments.of(create("{\"id\":\"e1\",\"create\":true,\"capabilities\":[1]}"), "capabilities[0]"),
                Arguments.of(create("{" + EP + ",\"expire\":true}"), "both create and expire"),
                Arguments.of(create("{" + EP + "},{" + EP + "}"), "repeats endpoint e1"),
                Arguments.of(create("{" + EP + ",\"force-mute\":{\"audio\":true}}"), "force-mute is not supported"),
                Arguments.of(create("{" + EP + ",\"sctp\":{}}"), "sctp is not supported"),
                Arguments.of(create("{" + EP + ",\"transport\":{\"ice-restart\":true}}"), "ice-restart is not supported"),
                Arguments.of(create("{" + EP + ",\"transport\":{\"web-sockets\":[]}}"), "web-sockets is not supported"),
                Arguments.of(create("{" + EP + ",\"transport\":{\"ice-controlling\":1}}"), "ice-controlling must be true or false"),
                Arguments.of(create("{" + EP + ",\"medias\":[{\"type\":\"data\"}]}"), "medias[0].type must be \"audio\" or \"video\""),
                Arguments.of(create("{" + EP + ",\"medias\":[{\"type\":\"audio\"},{\"type\":\"audio\"}]}"), "repeats media type audio"),
                Arguments.of(create("{" + EP + ",\"medias\":[{\"type\":\"audio\",\"payload-types\":[{\"id\":\"128\",\"name\":\"x\",\"clockrate\":\"1\"}]}]}"),
                        "payload-types[0].id must be between 0 and 127"),
                Arguments.of(create("{" + EP + ",\"medias\":[{\"type\":\"audio\",\"payload-types\":[{\"id\":\"1.5\",\"name\":\"x\",\"clockrate\":\"1\"}]}]}"),
                        "payload-types[0].id must be an integer"),
                Arguments.of(create("{" + EP + ",\"medias\":[{\"type\":\"audio\",\"payload-types\":[{\"id\":1,\"name\":\"x\",\"clockrate\":1,\"parameters\":{\"a\":{}}}]}]}"),
                        "parameters.a must be a string"),
                Arguments.of(create("{" + EP + ",\"medias\":[{\"type\":\"audio\",\"rtp-hdrexts\":[{\"id\":0,\"uri\":\"u\"}]}]}"),
                        "rtp-hdrexts[0].id must be between 1 and 255"),
                Arguments.of(create("{" + EP + ",\"sources\":[{\"type\":\"audio\",\"id\":\"s\",\"sources\":[{\"ssrc\":-1}]}]}"),
                        "ssrc must be between 0 and 4294967295"),
                Arguments.of(create("{" + EP + ",\"sources\":[{\"type\":\"audio\",\"id\":\"s\",\"sources\":[{\"ssrc\":4294967296}]}]}"),
                        "ssrc must be between"),
                Arguments.of(create("{" + EP + ",\"sources\":[{\"type\":\"audio\",\"id\":\"s\",\"sources\":[{\"ssrc\":1e400}]}]}"),
                        "ssrc must be an integer"),
                Arguments.of(create("{" + EP + ",\"sources\":[{\"type\":\"audio\",\"id\":\"s\",\"sources\":[{\"ssrc\":" + "9".repeat(400) + "}]}]}"),
                        "malformed JSON"),
                Arguments.of(create("{" + EP + ",\"sources\":[{\"type\":\"audio\",\"id\":\"s\",\"sources\":[]}]}"),
                        "at least one SSRC"),
                Arguments.of(create("{" + EP + ",\"sources\":[{\"type\":\"audio\",\"id\":\"s\",\"sources\":[{\"ssrc\":1},{\"ssrc\":1}]}]}"),
                        "repeats SSRC 1"),
                Arguments.of(create("{" + EP + ",\"sources\":[{\"type\":\"video\",\"id\":\"s\",\"sources\":[{\"ssrc\":1}],"
                        + "\"ssrc-groups\":[{\"semantics\":\"FID\",\"sources\":[1,2]}]}]}"), "is not an SSRC of source s"),
                Arguments.of(create("{" + EP + ",\"transport\":{\"transport\":{\"ufrag\":\"abcd\"}}}"), "pwd is required"),
                Arguments.of(create("{" + EP + ",\"transport\":{\"transport\":{\"ufrag\":\"abcd\",\"pwd\":\"abcdefghijklmnopqrstuvwxyz\"}}}"),
                        "fingerprints must hold"),
                Arguments.of(create("{" + EP + ",\"transport\":{\"transport\":{\"xmlns\":\"urn:other\"," + TRANSPORT_OK + "}}}"),
                        "xmlns must be"),
                Arguments.of(create("{" + EP + ",\"transport\":{\"transport\":{" + TRANSPORT_OK.replace("active", "both") + "}}}"),
                        "setup must be actpass, active or passive"),
                Arguments.of(create("{" + EP + ",\"transport\":{\"transport\":{" + TRANSPORT_OK.replace("BB:50", "ZZ:50") + "}}}"),
                        "fingerprint must match"),
                Arguments.of(create("{" + EP + ",\"transport\":{\"transport\":{" + TRANSPORT_OK + ",\"candidates\":[{\"foundation\":\"1\","
                        + "\"component\":\"1\",\"protocol\":\"sctp\",\"priority\":\"1\",\"ip\":\"10.0.0.1\",\"port\":\"1\",\"type\":\"host\"}]}}}"),
                        "protocol must be udp or tcp"),
                Arguments.of(create("{" + EP + ",\"transport\":{\"transport\":{" + TRANSPORT_OK + ",\"candidates\":[{\"foundation\":\"1\","
                        + "\"component\":\"1\",\"protocol\":\"udp\",\"priority\":\"1\",\"ip\":\"10.0.0.1\",\"port\":\"70000\",\"type\":\"host\"}]}}}"),
                        "port must be between 0 and 65535"),
                Arguments.of(create(("{" + EP.replace("e1", "eX") + "},").repeat(101).replaceAll(",$", "")), "endpoints has more than 100"),
                Arguments.of(create("{" + EP + ",\"stats-id\":\"" + "x".repeat(300) + "\"}"), "stats-id is longer than 256"),
                Arguments.of("{\"meeting-id\":\"m\",\"create\":true,\"name\":\"" + "x".repeat(20_000) + "\"}", "malformed JSON"),
                Arguments.of("{\"meeting-id\":\"m\",\"create\":true,\"expire\":true}", "cannot be combined"),
                // Jitsi Videobridge's rule (400 "Invalid conference name (not a JID)"), kept by ours.
                Arguments.of("{\"meeting-id\":\"m\",\"create\":true,\"name\":\"call r-1\"}", "name is not a bare JID"),
                Arguments.of("{\"meeting-id\":\"m\",\"create\":true,\"name\":\"room\"}", "name is not a bare JID"),
                Arguments.of("{\"meeting-id\":\"m\",\"create\":true,\"name\":\"a@b/res\"}", "name is not a bare JID"));
    }

    private static String create(String endpoints) {
        return "{\"meeting-id\":\"m\",\"create\":true,\"endpoints\":[" + endpoints + "]}";
    }

    @ParameterizedTest
    @MethodSource("hostileCreates")
    void hostileCreateIsABadRequestThatSaysWhy(String body, String expected) {
        BridgeException.BadRequest e = assertThrows(BridgeException.BadRequest.class,
                () -> bridgeSide.parseCreate(body.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains(expected), () -> "'" + e.getMessage() + "' should mention '" + expected + "'");
    }

    @Test
    void patchRules() {
        assertBad(() -> bridgeSide.parseModify(MEETING, utf8("{\"create\":true}")), "POST");
        assertBad(() -> bridgeSide.parseModify(MEETING, utf8("{\"meeting-id\":\"other\"}")), "does not match");
        assertBad(() -> bridgeSide.parseModify("a/b", utf8("{}")), "meeting-id in the path");
        assertBad(() -> bridgeSide.parseModify(MEETING, utf8("{\"expire\":true,\"endpoints\":[{\"id\":\"e\"}]}")), "cannot be combined");
    }

    @Test
    void aBridgeReplyThatMakesNoSenseIsRejected() {
        assertThrows(BridgeException.BadRequest.class, () -> clientSide.parseReply("{\"endpoints\":[{}]}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(BridgeException.BadRequest.class, () -> clientSide.parseStats("{\"conferences\":1}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(BridgeException.BadRequest.class,
                () -> clientSide.parseStats("{\"stress_level\":\"high\",\"conferences\":1,\"endpoints\":1}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(BridgeException.BadRequest.class, () -> clientSide.parseStats(
                "{\"stress_level\":0,\"conferences\":1,\"endpoints\":1,\"relays\":4294967296}".getBytes(StandardCharsets.UTF_8)),
                "a relay count beyond an int");
    }

    /** Random corruption of the real samples: every outcome must be a parse or a BadRequest. */
    @Test
    void mutatedSamplesNeverThrowAnythingElse() {
        Random random = new Random(20261126);
        String[] samples = {"create-request.json", "patch-request.json", "create-reply.json"};
        byte[] alphabet = "{}[]\":,0123456789-.eE truefalsnl\\".getBytes(StandardCharsets.US_ASCII);
        for (int round = 0; round < 3000; round++) {
            byte[] body = Samples.bytes(samples[round % samples.length]).clone();
            int edits = 1 + random.nextInt(4);
            for (int i = 0; i < edits; i++) {
                body[random.nextInt(body.length)] = random.nextBoolean()
                        ? alphabet[random.nextInt(alphabet.length)] : (byte) random.nextInt(256);
            }
            try {
                bridgeSide.parseCreate(body);
                bridgeSide.parseModify(MEETING, body);
                clientSide.parseReply(body);
            } catch (BridgeException.BadRequest expected) {
                // fine
            } catch (RuntimeException e) {
                fail("round " + round + " threw " + e + " on " + new String(body, StandardCharsets.UTF_8), e);
            }
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private interface Parse {
        void run() throws BridgeException;
    }

    private static void assertBad(Parse parse, String expected) {
        try {
            parse.run();
            fail("expected a BadRequest mentioning " + expected);
        } catch (BridgeException.BadRequest e) {
            assertTrue(e.getMessage().contains(expected), () -> "'" + e.getMessage() + "' should mention '" + expected + "'");
        } catch (BridgeException e) {
            fail("expected a BadRequest, got " + e);
        }
    }
}
