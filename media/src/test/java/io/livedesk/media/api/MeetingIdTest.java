package io.livedesk.media.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MeetingIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"m", "11111111-2222-3333-4444-555555555555", "r-1.a_b@c:d+e"})
    void acceptsWhatTheColibri2CodecAccepts(String value) throws Exception {
        assertEquals(value, new MeetingId(value).value());
        assertEquals(value, MeetingId.parse(value, "meeting-id").value());
    }

    @Test
    void isBoundedTo128Characters() {
        new MeetingId("x".repeat(128));
        assertThrows(IllegalArgumentException.class, () -> new MeetingId("x".repeat(129)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", " m", "-m", "../x", "a/b", "a b", "m\n", "é"})
    void refusesAnythingElse(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MeetingId(value));
        assertTrue(e.getMessage().startsWith("meeting-id must match "), e.getMessage());
        BridgeException.BadRequest bad = assertThrows(BridgeException.BadRequest.class,
                () -> MeetingId.parse(value, "meeting-id in the path"));
        assertTrue(bad.getMessage().startsWith("meeting-id in the path must match "), bad.getMessage());
    }

    @Test
    void refusesNull() {
        assertThrows(IllegalArgumentException.class, () -> new MeetingId(null));
        assertThrows(BridgeException.BadRequest.class, () -> MeetingId.parse(null, "meeting-id"));
    }

    @Test
    void printsAsTheIdItself() {
        assertEquals("call-7", new MeetingId("call-7").toString());
        assertEquals("conference call-7", "conference " + new MeetingId("call-7"));
    }
}
