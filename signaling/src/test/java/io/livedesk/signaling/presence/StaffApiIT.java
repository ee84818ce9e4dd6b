package io.livedesk.signaling.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.ws.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /api/staff}: supervisors see everything; staff only what picking a colleague for a transfer needs. */
class StaffApiIT {
    private TestNode node;

    @BeforeEach
    void start() {
        node = TestNode.start(Map.of());
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private static List<String> fields(JsonNode staffEntry) {
        List<String> out = new ArrayList<>();
        staffEntry.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void staffSeeColleaguesWithoutTheirSkillsAndLanguagesWhileSupervisorsSeeAll() {
        String staffToken = node.staffToken("api-s1", "Zhang Min", List.of("mortgages"), List.of("en", "zh"), 2);
        try (WsClient colleague = node.signIn(node.staffToken("api-s2", "Wang Fang", List.of("cards"), List.of("en"), 1))) {
            colleague.requestOk(Map.of("type", "presence.set", "status", "available"));

            JsonNode asStaff = node.getJson("/api/staff", staffToken).path("staff");
            assertEquals(1, asStaff.size(), asStaff.toString());
            JsonNode seen = asStaff.get(0);
            assertEquals(List.of("id", "name", "status", "connected", "load", "capacity"), fields(seen));
            assertEquals("api-s2", seen.path("id").asText());
            assertEquals("available", seen.path("status").asText());
            assertTrue(seen.path("connected").asBoolean());
            assertFalse(asStaff.toString().contains("cards"), "a colleague's skills are not shown to staff");

            JsonNode asSupervisor = node.getJson("/api/staff", node.supervisorToken("api-sup", "Sup")).path("staff");
            JsonNode full = asSupervisor.get(0);
            assertEquals("cards", full.path("skills").get(0).asText());
            assertEquals("en", full.path("languages").get(0).asText());
            assertTrue(full.has("idleSince") && full.has("lastActivity"), full.toString());

            assertEquals(403, node.get("/api/staff", node.customerToken("api-c1", "Li Wei")).statusCode());
        }
    }
}
