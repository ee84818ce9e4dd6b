package io.livedesk.media.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConferenceNamesTest {
    @Test
    void aMeetingIsNamedAsABareJidOnTheInternalDomain() {
        assertEquals("r-7f3a@livedesk.internal", ConferenceNames.of(new MeetingId("r-7f3a")));
        assertEquals("live.b1@livedesk.internal", ConferenceNames.of(new MeetingId("live.b1")));
        // '@' and ':' may be in a meeting id, not in a JID's local part: escaped as XEP-0106 does.
        assertEquals("a\\40b\\3ac@livedesk.internal", ConferenceNames.of(new MeetingId("a@b:c")));
        for (String id : new String[]{"r-7f3a", "a@b:c", "x+y_z.1"}) {
            assertTrue(ConferenceNames.isBareJid(ConferenceNames.of(new MeetingId(id))), id);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"room1@example", "11111111-2222-3333-4444-555555555555@livedesk.internal",
            "a\\40b@conference.meet.example.org"})
    void bareJidsAreTaken(String name) {
        assertTrue(ConferenceNames.isBareJid(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"call r-1", "room", "@example", "room@", "a@b@c", "a@b/resource", "a b@c", "a:b@c",
            "a<b@c", "a@b c", "a\u0000@b"})
    void whatJitsiVideobridgeRefusesIsRefused(String name) {
        assertFalse(ConferenceNames.isBareJid(name), name);
    }
}
