package io.livedesk.media.colibri;

import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.livedesk.media.colibri.Samples.MEETING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LiveDesk's Colibri2 extensions for simulcast: a source's layer rids, and an endpoint's maximum video height. */
class Colibri2SimulcastTest {
    private final Colibri2BridgeCodec bridgeSide = new Colibri2BridgeCodec();
    private final Colibri2ClientCodec clientSide = new Colibri2ClientCodec();

    private static MediaSource ridSource(List<String> rids) {
        return new MediaSource(MediaType.VIDEO, "camera", List.of(new MediaSource.Ssrc(0xFEEDBEEFL, "camera")), List.of(),
                rids);
    }

    @Test
    void ridsAndTheMaximumHeightCrossTheWire() throws Exception {
        ConferenceRequest request = ConferenceRequest.modifying(new MeetingId(MEETING)).endpoint(
                EndpointRequest.updating("host").sources(List.of(ridSource(List.of("f", "h", "q")))).maxVideoHeight(180))
                .build();
        byte[] written = clientSide.writeRequest(request);
        String json = new String(written, StandardCharsets.UTF_8);
        assertTrue(json.contains("\"rids\":[\"f\",\"h\",\"q\"]"), json);
        assertTrue(json.contains("\"max-video-height\":180"), json);
        ConferenceRequest read = bridgeSide.parseModify(MEETING, written);
        assertEquals(request.endpoints().get(0).sources(), read.endpoints().get(0).sources());
        assertEquals(List.of("f", "h", "q"), read.endpoints().get(0).sources().get(0).rids());
        assertEquals(180, read.endpoints().get(0).maxVideoHeight());
    }

    @Test
    void withoutThemNothingIsWrittenAndNothingChanges() throws Exception {
        ConferenceRequest request = ConferenceRequest.modifying(new MeetingId(MEETING))
                .endpoint(EndpointRequest.updating("viewer")).build();
        String json = new String(clientSide.writeRequest(request), StandardCharsets.UTF_8);
        assertTrue(!json.contains("rids") && !json.contains("max-video-height"), json);
        assertEquals(null, bridgeSide.parseModify(MEETING, json.getBytes(StandardCharsets.UTF_8))
                .endpoints().get(0).maxVideoHeight());
    }

    @Test
    void badRidsAndHeightsAreRefusedSayingWhy() {
        String base = "{\"endpoints\":[{\"id\":\"e\",\"sources\":[{\"type\":\"%s\",\"id\":\"s\","
                + "\"sources\":[{\"ssrc\":1}%s],\"rids\":%s}]}]}";
        assertBad(String.format(base, "video", "", "[\"f\"]"), "two or more");
        assertBad(String.format(base, "video", "", "[\"f\",\"f\"]"), "repeats rid");
        assertBad(String.format(base, "video", "", "[\"f\",\"bad rid\"]"), "must match");
        assertBad(String.format(base, "video", "", "[\"f\",7]"), "must match");
        assertBad(String.format(base, "video", "", "[\"a\",\"b\",\"c\",\"d\",\"e\"]"), "rids");
        assertBad(String.format(base, "audio", "", "[\"f\",\"h\"]"), "video source with exactly one SSRC");
        assertBad(String.format(base, "video", ",{\"ssrc\":2}", "[\"f\",\"h\"]"), "video source with exactly one SSRC");
        assertBad("{\"endpoints\":[{\"id\":\"e\",\"max-video-height\":-1}]}", "max-video-height");
        assertBad("{\"endpoints\":[{\"id\":\"e\",\"max-video-height\":100000}]}", "max-video-height");
        assertBad("{\"endpoints\":[{\"id\":\"e\",\"max-video-height\":\"tall\"}]}", "max-video-height");
    }

    private void assertBad(String body, String expected) {
        BridgeException.BadRequest e = assertThrows(BridgeException.BadRequest.class,
                () -> bridgeSide.parseModify(MEETING, body.getBytes(StandardCharsets.UTF_8)), body);
        assertTrue(e.getMessage().contains(expected), e.getMessage() + " should mention " + expected);
    }
}
