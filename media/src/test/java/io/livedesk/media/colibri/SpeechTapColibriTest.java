package io.livedesk.media.colibri;

import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.SpeechTapEvents;
import io.livedesk.media.api.SpeechTapRequest;
import io.livedesk.media.bridge.BridgeConfig;
import io.livedesk.media.bridge.LocalBridge;
import io.livedesk.media.speechtap.FakeSpeech;
import io.livedesk.media.speechtap.SpeechTapRelay;
import io.livedesk.speech.api.TranscriptEvent;
import io.livedesk.speech.api.Word;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The speech tap resources of a bridge node: {@code /livedesk/taps} and {@code /livedesk/tap-events}. */
class SpeechTapColibriTest {
    private static final String JSON = "application/json";
    private final Colibri2BridgeCodec server = new Colibri2BridgeCodec();
    private final Colibri2ClientCodec client = new Colibri2ClientCodec();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String tapRequest(String urls) {
        return "{\"meeting-id\":\"call-1\",\"endpoint-id\":\"customer\",\"language\":\"en\",\"sample-rate\":16000,"
                + "\"speech-urls\":" + urls + "}";
    }

    @Test
    void aTapRequestReadsBackAsTheClientWroteIt() throws Exception {
        SpeechTapRequest request = new SpeechTapRequest(new MeetingId("call-1"), "staff-2", "zh", 16000,
                List.of(URI.create("ws://speech-1:2700/zh"), URI.create("wss://speech-2.bank.example/zh")));
        assertEquals(request, server.parseSpeechTapRequest(client.writeSpeechTapRequest(request)));
        Map<String, Long> cursors = new LinkedHashMap<>();
        cursors.put("t1-ab", 0L);
        cursors.put("t2-cd", 17L);
        assertEquals(cursors, server.parseTapEventsRequest(client.writeTapEventsRequest(cursors)));
    }

    @Test
    void eventsReadBackAsTheBridgeWroteThem() throws Exception {
        TranscriptEvent.Final fin = new TranscriptEvent.Final("my card", List.of(new Word("my", 1.7e9, 1.7e9 + 0.2, 0.9),
                new Word("card", 1.7e9 + 0.2, 1.7e9 + 0.6, 0.8)), 1.7e9, 1.7e9 + 0.6);
        SpeechTapEvents events = new SpeechTapEvents(List.of(
                new SpeechTapEvents.Tap("t1-ab", 3, 120, false, List.of(new TranscriptEvent.Partial("my"), fin,
                        new TranscriptEvent.Status(TranscriptEvent.StreamState.FAILED, "no speech node answers"))),
                SpeechTapEvents.Tap.gone("t2-cd", 5)));
        assertEquals(events, client.parseTapEvents(server.writeTapEvents(events)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "http scheme            | [\"http://speech-1:2700/en\"]           | speech-urls[0] is refused",
            "script                 | [\"javascript:alert(1)\"]                | speech-urls[0] is refused",
            "no host                | [\"ws:///en\"]                           | speech-urls[0] is refused",
            "user info              | [\"ws://user:pw@speech-1/en\"]           | speech-urls[0] is refused",
            "not a URL              | [\"ws://speech 1/en\"]                   | speech-urls[0] is not a URL",
            "not a string           | [42]                                     | speech-urls[0] must be a string",
            "none                   | []                                       | speech-urls needs at least one",
            "nine                   | [\"ws://a/\",\"ws://a/\",\"ws://a/\",\"ws://a/\",\"ws://a/\",\"ws://a/\",\"ws://a/\",\"ws://a/\",\"ws://a/\"] | speech-urls has more than 8"})
    void hostileSpeechUrlsAreRefusedNamingTheField(String name, String urls, String expected) {
        BridgeException.BadRequest e = assertThrows(BridgeException.BadRequest.class,
                () -> server.parseSpeechTapRequest(utf8(tapRequest(urls))));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }

    @Test
    void otherHostileTapRequestsAreRefused() {
        String longUrl = "[\"ws://speech-1/" + "a".repeat(SpeechTapRequest.MAX_URL_LENGTH) + "\"]";
        for (String[] c : new String[][] {
                {tapRequest(longUrl), "speech-urls[0] must be a string of at most"},
                {tapRequest("[\"ws://a/\"]").replace("}", ",\"debug\":true}"), "debug is not a supported field"},
                {tapRequest("[\"ws://a/\"]").replace("16000", "7000"), "sample-rate"},
                {tapRequest("[\"ws://a/\"]").replace("\"en\"", "\"../en\""), "language must match"},
                {tapRequest("[\"ws://a/\"]").replace("\"customer\"", "\"a b\""), "endpoint-id must match"},
                {"{\"endpoint-id\":\"customer\"}", "meeting-id is required"}}) {
            BridgeException.BadRequest e = assertThrows(BridgeException.BadRequest.class,
                    () -> server.parseSpeechTapRequest(utf8(c[0])));
            assertTrue(e.getMessage().contains(c[1]), c[1] + " / " + e.getMessage());
        }
        byte[] huge = new byte[Colibri2Documents.MAX_DOCUMENT_BYTES + 1];
        assertThrows(BridgeException.BadRequest.class, () -> server.parseSpeechTapRequest(huge));
        StringBuilder many = new StringBuilder("{\"taps\":{");
        for (int i = 0; i <= 1000; i++) {
            many.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":0");
        }
        many.append("}}");
        assertThrows(BridgeException.BadRequest.class, () -> server.parseTapEventsRequest(utf8(many.toString())));
        assertThrows(BridgeException.BadRequest.class, () -> server.parseTapEventsRequest(utf8("{\"taps\":{\"t1\":-1}}")));
        assertThrows(BridgeException.BadRequest.class, () -> server.parseTapEventsRequest(utf8("{\"taps\":{\"../x\":0}}")));
    }

    @Test
    void theRoutesAnswer404ForAnUnknownEndpointAndForgetNothingTheyDidNotHave() throws Exception {
        int udpPort;
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            udpPort = probe.getLocalPort();
        }
        try (LocalBridge bridge = new LocalBridge(BridgeConfig.defaults("127.0.0.1", udpPort).withId("tap-test")
                .withWarmUpSrtp(false));
             SpeechTapRelay relay = new SpeechTapRelay(bridge::tapAudio, SpeechTapRelay.Settings.defaults(),
                     Clock.systemUTC(), urls -> new FakeSpeech())) {
            Colibri2Routes routes = new Colibri2Routes(bridge, server, "test", relay);
            Colibri2Routes.Reply unknown = routes.handle("POST", "/livedesk/taps", JSON, utf8(tapRequest("[\"ws://a/\"]")));
            assertEquals(404, unknown.status(), new String(unknown.body(), StandardCharsets.UTF_8));
            assertEquals(400, routes.handle("POST", "/livedesk/taps", JSON,
                    utf8(tapRequest("[\"http://a/\"]"))).status());
            assertEquals(415, routes.handle("POST", "/livedesk/taps", "text/plain", utf8("{}")).status());
            assertEquals(405, routes.handle("GET", "/livedesk/taps", null, null).status());
            assertEquals(200, routes.handle("DELETE", "/livedesk/taps/t9-gone", null, null).status(),
                    "closing a tap that is gone is not an error");
            assertEquals(404, routes.handle("DELETE", "/livedesk/taps/..%2F", null, null).status());
            Colibri2Routes.Reply events = routes.handle("POST", "/livedesk/tap-events", JSON,
                    utf8("{\"taps\":{\"t9-gone\":4}}"));
            assertEquals(200, events.status());
            SpeechTapEvents.Tap gone = client.parseTapEvents(events.body()).taps().get(0);
            assertTrue(gone.gone());
            assertEquals(4, gone.next());

            Colibri2Routes plain = new Colibri2Routes(bridge, server, "test");
            Colibri2Routes.Reply none = plain.handle("POST", "/livedesk/taps", JSON, utf8(tapRequest("[\"ws://a/\"]")));
            assertEquals(404, none.status(), "a bridge without speech taps has no such resource");
            assertTrue(new String(none.body(), StandardCharsets.UTF_8).contains(Colibri2Routes.NO_SUCH_RESOURCE));
        }
    }
}
