package io.livedesk.signaling.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transcription messages as written on the wire (the examples of docs/protocol.md, "Transcription"). */
class TranscriptMessagesTest {

    private final MessageCodec codec = new MessageCodec();

    @Test
    void writesAPartialCaptionWithoutTheFinalsFields() throws Exception {
        String json = codec.write(new ServerMessage.CallCaption(CallId.of("r-1"), "customer", Subject.of("cust-42"), "I lost my", false,
                null, null, null));
        assertJson("{\"type\":\"call.caption\",\"callId\":\"r-1\",\"speaker\":\"customer\",\"speakerId\":\"cust-42\","
                + "\"text\":\"I lost my\",\"final\":false}", json);
    }

    @Test
    void writesAFinalCaptionWithItsTimesAndNumber() throws Exception {
        String json = codec.write(new ServerMessage.CallCaption(CallId.of("r-1"), "staff", Subject.of("staff-7"), "我来帮您冻结", true,
                1_764_144_012_000L, 1_764_144_013_500L, 4L));
        assertJson("{\"type\":\"call.caption\",\"callId\":\"r-1\",\"speaker\":\"staff\",\"speakerId\":\"staff-7\","
                + "\"text\":\"我来帮您冻结\",\"final\":true,\"startedAt\":1764144012000,\"endedAt\":1764144013500,\"seq\":4}", json);
        JsonNode tree = codec.mapper().readTree(json);
        assertTrue(tree.path("final").isBoolean(), "final is a JSON boolean named final: " + json);
        assertEquals(false, tree.has("isFinal"), json);
    }

    @Test
    void writesACaptionStatus() throws Exception {
        assertJson("{\"type\":\"call.caption.status\",\"callId\":\"r-1\",\"speaker\":\"customer\",\"status\":\"shed\","
                        + "\"detail\":\"speech service overloaded\"}",
                codec.write(new ServerMessage.CallCaptionStatus(CallId.of("r-1"), "customer", "shed", "speech service overloaded")));
        assertJson("{\"type\":\"call.caption.status\",\"callId\":\"r-1\",\"status\":\"unavailable\"}",
                codec.write(new ServerMessage.CallCaptionStatus(CallId.of("r-1"), null, "unavailable", null)));
    }

    @Test
    void writesAnAlert() throws Exception {
        String json = codec.write(new ServerMessage.Alert("a-1", CallId.of("r-1"), "rule-1", "password", "my password is 1234",
                "customer", 1_764_144_012_000L, 3L, new ServerMessage.AlertParty("Zhang Min"),
                new ServerMessage.AlertParty("Li Wei")));
        assertJson("{\"type\":\"alert\",\"alertId\":\"a-1\",\"callId\":\"r-1\",\"ruleId\":\"rule-1\",\"rule\":\"password\","
                + "\"text\":\"my password is 1234\",\"speaker\":\"customer\",\"at\":1764144012000,\"seq\":3,"
                + "\"staff\":{\"name\":\"Zhang Min\"},\"customer\":{\"name\":\"Li Wei\"}}", json);
        assertTrue(json.startsWith("{\"type\":\"alert\""), "type first, as every message: " + json);
    }

    private void assertJson(String expected, String actual) throws Exception {
        assertEquals(codec.mapper().readTree(expected), codec.mapper().readTree(actual), actual);
    }
}
