package io.livedesk.signaling.transcript;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisConnectionException;
import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.cluster.InMemorySessionStore;
import io.livedesk.signaling.cluster.LocalClusterBus;
import io.livedesk.signaling.cluster.MessageRouter;
import io.livedesk.signaling.cluster.SessionLocation;
import io.livedesk.signaling.presence.InMemoryPresenceStore;
import io.livedesk.signaling.presence.InMemorySupervisorIndex;
import io.livedesk.signaling.presence.PresenceService;
import io.livedesk.signaling.presence.SupervisorIndex;
import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.server.LocalConnections;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service on its own, messages recorded at a fake node: who gets what, and that failures of the store
 * or of the supervisor list never reach the speech thread. The real thing on sockets: {@code TranscriptIT}.
 */
class TranscriptServiceTest {
    private static final String RECORDER = "recorder";
    private static final long T0 = 1_700_000_000_000L;

    private final MessageCodec codec = new MessageCodec();
    private final Map<String, List<JsonNode>> delivered = new ConcurrentHashMap<>();
    private final InMemorySessionStore sessions = new InMemorySessionStore();
    private final InMemoryPresenceStore presenceStore = new InMemoryPresenceStore();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TranscriptMetrics metrics = new TranscriptMetrics();
    private MessageRouter router;

    private final CallRecord call = CallRecord.queued(CallId.of("r-1"), Subject.of("cust-1"), "Li Wei", "cards", "en", 0, T0)
            .offered(Subject.of("staff-1"), "Zhang Min", T0 + 1).answered(T0 + 2).connected(T0 + 3)
            .withSupervisor(Subject.of("sup-in"), false);

    private TranscriptService service(TranscriptStore store, SupervisorIndex index) {
        LocalClusterBus bus = new LocalClusterBus();
        bus.subscribe(RECORDER, (subject, json) -> delivered.computeIfAbsent(subject, s -> new ArrayList<>()).add(parse(json)));
        router = new MessageRouter("this-node", new LocalConnections(), sessions, bus, codec);
        PresenceService presence = new PresenceService(presenceStore, index, router, Clock.systemUTC());
        for (String s : List.of("cust-1", "staff-1", "sup-in", "sup-out", "staff-other")) {
            Role role = s.startsWith("cust") ? Role.CUSTOMER : s.startsWith("sup") ? Role.SUPERVISOR : Role.STAFF;
            sessions.bind(new SessionLocation(Subject.of(s), role, RECORDER, "conn-" + s), T0);
            if (role.serves()) {
                presence.connect(new Principal(Subject.of(s), role, s, Set.of(), Set.of(), 1, 0));
            }
        }
        metrics.bindTo(registry);
        return new TranscriptService(store, AlertRules.of(List.of("password", "验证码")), router, presence, metrics);
    }

    private TranscriptService service() {
        return service(new InMemoryTranscriptStore(new TranscriptLimits(Duration.ofDays(1), 100, 100), Clock.systemUTC()),
                new InMemorySupervisorIndex());
    }

    private List<JsonNode> of(String subject, String type) {
        return delivered.getOrDefault(subject, List.of()).stream().filter(m -> type.equals(m.path("type").asText())).toList();
    }

    @Test
    void captionsGoToTheStaffMemberAndTheCallsSupervisorsOnly() {
        TranscriptService s = service();
        s.partial(call, Speaker.CUSTOMER, Subject.of("cust-1"), "I lost");
        s.finalResult(call, Speaker.CUSTOMER, Subject.of("cust-1"), T0 + 10, T0 + 900, " I lost my card ", List.of());
        for (String to : List.of("staff-1", "sup-in")) {
            List<JsonNode> captions = of(to, "call.caption");
            assertEquals(2, captions.size(), to + ": " + captions);
            assertFalse(captions.get(0).path("final").asBoolean());
            assertEquals("I lost", captions.get(0).path("text").asText());
            assertTrue(captions.get(1).path("final").asBoolean());
            assertEquals("I lost my card", captions.get(1).path("text").asText(), "trimmed");
            assertEquals(1, captions.get(1).path("seq").asLong());
        }
        assertEquals(List.of(), delivered.getOrDefault("cust-1", List.of()), "the customer gets nothing");
        assertEquals(List.of(), delivered.getOrDefault("sup-out", List.of()), "captions are for the call's supervisors");
        assertEquals(1, registry.get("livedesk.transcript.captions").tag("kind", "final").counter().count());
    }

    @Test
    void blankResultsAreIgnored() {
        TranscriptService s = service();
        s.partial(call, Speaker.STAFF, Subject.of("staff-1"), "  ");
        assertTrue(s.finalResult(call, Speaker.STAFF, Subject.of("staff-1"), T0, T0, "", List.of()).isEmpty());
        assertTrue(s.finalResult(call, Speaker.STAFF, Subject.of("staff-1"), T0, T0, null, null).isEmpty());
        assertEquals(Map.of(), delivered);
        assertEquals(List.of(), s.lines(CallId.of("r-1")));
    }

    @Test
    void aStoreFailureIsCountedAndTheCaptionAndAlertStillGoOut() {
        TranscriptStore broken = new TranscriptStore() {
            @Override
            public TranscriptLine append(TranscriptLine line) {
                throw new RedisConnectionException("Redis away");
            }

            @Override
            public List<TranscriptLine> lines(CallId callId) {
                throw new RedisConnectionException("Redis away");
            }
        };
        TranscriptService s = service(broken, new InMemorySupervisorIndex());
        var stored = s.finalResult(call, Speaker.CUSTOMER, Subject.of("cust-1"), T0, T0 + 5, "my password is 1234", List.of());
        assertTrue(stored.isEmpty());
        JsonNode caption = of("staff-1", "call.caption").get(0);
        assertTrue(caption.path("final").asBoolean());
        assertFalse(caption.has("seq"), "not stored, so no number: " + caption);
        assertEquals(1, of("sup-out", "alert").size(), "alerts do not depend on the store");
        assertEquals(1, registry.get("livedesk.transcript.store.failures").tag("op", "append").counter().count());
    }

    @Test
    void alertsGoToEveryConnectedSupervisorAndNeverToStaffOrCustomer() {
        TranscriptService s = service();
        s.finalResult(call, Speaker.CUSTOMER, Subject.of("cust-1"), T0 + 100, T0 + 900, "请告诉我验证码", List.of());
        for (String sup : List.of("sup-in", "sup-out")) {
            List<JsonNode> alerts = of(sup, "alert");
            assertEquals(1, alerts.size(), sup + ": " + delivered);
            JsonNode a = alerts.get(0);
            assertEquals("r-1", a.path("callId").asText());
            assertEquals("验证码", a.path("rule").asText());
            assertEquals("rule-2", a.path("ruleId").asText());
            assertEquals("请告诉我验证码", a.path("text").asText());
            assertEquals("customer", a.path("speaker").asText());
            assertEquals(T0 + 100, a.path("at").asLong());
            assertEquals("Zhang Min", a.path("staff").path("name").asText());
            assertEquals("Li Wei", a.path("customer").path("name").asText());
        }
        assertEquals(List.of(), of("staff-1", "alert"));
        assertEquals(List.of(), of("staff-other", "alert"));
        assertEquals(List.of(), delivered.getOrDefault("cust-1", List.of()));
        assertEquals(1, registry.get("livedesk.transcript.alerts").tag("rule", "rule-2").counter().count());
    }

    @Test
    void whenSupervisorsCannotBeListedTheCallsOwnStillGetTheAlert() {
        SupervisorIndex broken = new SupervisorIndex() {
            @Override
            public void add(Subject supervisorId) {
            }

            @Override
            public void remove(Subject supervisorId) {
            }

            @Override
            public Set<Subject> all() {
                throw new RedisConnectionException("Redis away");
            }
        };
        TranscriptService s = service(new InMemoryTranscriptStore(new TranscriptLimits(Duration.ofDays(1), 10, 10),
                Clock.systemUTC()), broken);
        s.finalResult(call, Speaker.STAFF, Subject.of("staff-1"), T0, T0, "what is your password", List.of());
        assertEquals(1, of("sup-in", "alert").size());
        assertEquals(List.of(), of("sup-out", "alert"));
        assertEquals(1, registry.get("livedesk.transcript.alert.lookup.failures").counter().count());
    }

    @Test
    void statusesReachTheStaffSideAndAreChecked() {
        TranscriptService s = service();
        s.status(call, Speaker.CUSTOMER, CaptionStatus.LAGGING, "x".repeat(500));
        s.status(call, null, CaptionStatus.UNAVAILABLE, null);
        List<JsonNode> statuses = of("staff-1", "call.caption.status");
        assertEquals(2, statuses.size());
        assertEquals("lagging", statuses.get(0).path("status").asText());
        assertEquals(200, statuses.get(0).path("detail").asText().length(), "detail is clipped");
        assertFalse(statuses.get(1).has("speaker"));
        assertEquals(2, of("sup-in", "call.caption.status").size());
        assertEquals(List.of(), delivered.getOrDefault("cust-1", List.of()));
    }

    @Test
    void contractBreachesAreClearErrors() {
        TranscriptService s = service();
        assertThrows(IllegalArgumentException.class, () -> s.finalResult(call, Speaker.STAFF, Subject.of("staff-1"), T0 + 10, T0, "hi", List.of()));
        assertThrows(IllegalArgumentException.class, () -> new TranscriptLine.Word("w", 5, 1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new TranscriptLine.Word("w", 0, 1, 1.5));
    }

    private JsonNode parse(String json) {
        try {
            return codec.mapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
