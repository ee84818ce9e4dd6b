package io.livedesk.signaling.live;

import io.livedesk.signaling.auth.ApiAuth;
import io.livedesk.signaling.auth.Permission;
import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.auth.TokenService;
import io.livedesk.signaling.config.LiveDeskConfig;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.server.HttpCall;
import io.livedesk.signaling.server.HttpReply;
import io.livedesk.signaling.server.HttpRoutes;
import io.livedesk.signaling.server.StaticFiles;
import io.livedesk.signaling.testing.MutableClock;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BroadcastsApi} without a node: the mapping of a create body's fields and of the list's states,
 * and a state change that loses its compare-and-set to another change (which over HTTP cannot be timed).
 */
class BroadcastsApiTest {
    /** reference.conf's topics (accounts, cards, loans, …) and languages (en, zh). */
    private static final LiveDeskConfig.Routing ROUTING = LiveDeskConfig.withOverrides(Map.of()).routing();
    private static final BroadcastId ID = BroadcastId.of("b-1");
    private static final Subject HOST = Subject.of("staff-1");

    private static BroadcastsApi.CreateRequest request(String language, String topic, String scheduledAt, String cover) {
        return new BroadcastsApi.CreateRequest("Saving for a home", "Mortgages explained", language, topic, scheduledAt, cover);
    }

    private static ProtocolException refused(BroadcastsApi.CreateRequest r) {
        return assertThrows(ProtocolException.class, () -> r.toBroadcast(ID, HOST, ROUTING));
    }

    @Test
    void aValidRequestMakesAScheduledBroadcastHostedByTheCaller() {
        Broadcast b = request("en", "loans", "2026-12-01T09:00:00Z", "https://cdn.bank.example/c.jpg")
                .toBroadcast(ID, HOST, ROUTING);
        assertEquals(HOST, b.host());
        assertEquals(BroadcastState.SCHEDULED, b.state());
        assertEquals(Instant.parse("2026-12-01T09:00:00Z").toEpochMilli(), b.scheduledAtMs());
        assertEquals("https://cdn.bank.example/c.jpg", b.coverImageUrl());
    }

    @Test
    void aTimeWithAnOffsetIsTheSameInstant() {
        Broadcast b = request("zh", "loans", "2026-12-01T17:00:00+08:00", null).toBroadcast(ID, HOST, ROUTING);
        assertEquals(Instant.parse("2026-12-01T09:00:00Z").toEpochMilli(), b.scheduledAtMs());
        assertNull(b.coverImageUrl());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "tomorrow", "2026-12-01", "2026-12-01 09:00", "1969-12-31T23:59:59Z",
            "+999999999-12-31T23:59:59Z"})
    void aBadTimeIsRefusedNamingScheduledAt(String time) {
        ProtocolException e = refused(request("en", "loans", time, null));
        assertEquals(ErrorCode.BAD_MESSAGE, e.code());
        assertTrue(e.getMessage().startsWith("scheduledAt "), e.getMessage());
    }

    @Test
    void aMissingTimeIsRefused() {
        assertTrue(refused(request("en", "loans", null, null)).getMessage().startsWith("scheduledAt "));
    }

    @Test
    void theBroadcastsOwnChecksAreBadMessagesNamingTheField() {
        ProtocolException title = refused(new BroadcastsApi.CreateRequest(" ", null, "en", "loans",
                "2026-12-01T09:00:00Z", null));
        assertEquals(ErrorCode.BAD_MESSAGE, title.code());
        assertTrue(title.getMessage().startsWith("title "), title.getMessage());
        ProtocolException cover = refused(request("en", "loans", "2026-12-01T09:00:00Z", "javascript:alert(1)"));
        assertEquals(ErrorCode.BAD_MESSAGE, cover.code());
        assertTrue(cover.getMessage().startsWith("coverImageUrl "), cover.getMessage());
        assertTrue(refused(request("en", null, "2026-12-01T09:00:00Z", null)).getMessage().startsWith("topic "));
    }

    @Test
    void aTopicOrLanguageThatIsNotConfiguredIsRefusedWithTheRoutingCodes() {
        ProtocolException topic = refused(request("en", "crypto", "2026-12-01T09:00:00Z", null));
        assertEquals(ErrorCode.UNKNOWN_TOPIC, topic.code());
        assertTrue(topic.getMessage().startsWith("topic "), topic.getMessage());
        ProtocolException language = refused(request("fr", "loans", "2026-12-01T09:00:00Z", null));
        assertEquals(ErrorCode.UNSUPPORTED_LANGUAGE, language.code());
        assertTrue(language.getMessage().startsWith("language "), language.getMessage());
    }

    @Test
    void theListShowsScheduledAndLiveUnlessItNamesStates() {
        assertEquals(EnumSet.of(BroadcastState.SCHEDULED, BroadcastState.LIVE), BroadcastsApi.states(null));
        assertEquals(EnumSet.of(BroadcastState.LIVE), BroadcastsApi.states("live"));
        assertEquals(EnumSet.of(BroadcastState.SCHEDULED, BroadcastState.LIVE), BroadcastsApi.states("live, scheduled"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ended", "live,ended", "LIVE", "live,", "upcoming"})
    void otherStatesAreRefused(String states) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> BroadcastsApi.states(states));
        assertEquals(ErrorCode.BAD_MESSAGE, e.code());
    }

    // ---- a lost compare-and-set ----

    private static final Instant NOW = Instant.parse("2026-12-01T09:05:00Z");

    /**
     * Before each of its first {@code races} compare-and-sets, another co-host steps on stage, as another
     * node's change would land first; otherwise the in-memory store.
     */
    private static final class RacingStore implements BroadcastStore {
        private final InMemoryBroadcastStore delegate = new InMemoryBroadcastStore();
        private int races;

        RacingStore(int races) {
            this.races = races;
        }

        @Override
        public void create(Broadcast broadcast) {
            delegate.create(broadcast);
        }

        @Override
        public Optional<Broadcast> get(BroadcastId id) {
            return delegate.get(id);
        }

        @Override
        public boolean compareAndSet(Broadcast expected, Broadcast updated) {
            if (races > 0) {
                Broadcast current = delegate.get(expected.id()).orElseThrow();
                assertTrue(delegate.compareAndSet(current, current.withCoHost(Subject.of("cohost-" + races--))));
            }
            return delegate.compareAndSet(expected, updated);
        }

        @Override
        public List<Broadcast> list(Set<BroadcastState> states, int limit) {
            return delegate.list(states, limit);
        }

        @Override
        public boolean addCounts(BroadcastId id, BroadcastCounts delta) {
            return delegate.addCounts(id, delta);
        }

        @Override
        public boolean notePeak(BroadcastId id, int viewers) {
            return delegate.notePeak(id, viewers);
        }

        @Override
        public boolean noteUnique(BroadcastId id, long unique) {
            return delegate.noteUnique(id, unique);
        }
    }

    /** Ends a live broadcast through the API's route, as its host, with {@code races} changes landing first. */
    private static HttpReply endWhileOthersChangeIt(RacingStore store) {
        MutableClock clock = new MutableClock(NOW);
        MessageCodec codec = new MessageCodec();
        TokenService tokens = new TokenService("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8),
                "livedesk", clock);
        HttpRoutes routes = new HttpRoutes(new StaticFiles(BroadcastsApiTest.class.getClassLoader()), codec.mapper());
        new BroadcastsApi(store, new InMemoryViewerPresenceStore(), ROUTING, new ApiAuth(tokens, 0), codec.mapper(), clock, new BroadcastChanges(store), "node-t").register(routes);
        Broadcast scheduled = request("en", "loans", "2026-12-01T09:00:00Z", null).toBroadcast(ID, HOST, ROUTING);
        store.delegate.create(scheduled);
        assertTrue(store.delegate.compareAndSet(scheduled, scheduled.wentLive(NOW.toEpochMilli() - 60_000, "node-t")));
        String token = tokens.mint(new Principal(HOST, Role.STAFF, "Zhang Min", Set.of(), Set.of(), 1, 0,
                Set.of(Permission.LIVESTREAM)), Duration.ofHours(1));
        return routes.handle(new HttpCall(HttpMethod.POST, "/api/broadcasts/" + ID + "/end", Map.of(),
                new DefaultHttpHeaders().add("Authorization", "Bearer " + token), ""));
    }

    @Test
    void aChangeThatLosesItsCompareAndSetOnceIsAppliedToTheNewerRecord() {
        RacingStore store = new RacingStore(1);
        HttpReply reply = endWhileOthersChangeIt(store);
        assertEquals(200, reply.status(), new String(reply.body(), StandardCharsets.UTF_8));
        Broadcast ended = store.get(ID).orElseThrow();
        assertEquals(BroadcastState.ENDED, ended.state());
        assertEquals(NOW.toEpochMilli(), ended.endedAtMs(), "by the API's clock");
        assertEquals(3, ended.revision(), "live, the co-host's change, then the end");
    }

    @Test
    void aChangeThatLosesTwiceIsAConflict() {
        RacingStore store = new RacingStore(2);
        HttpReply reply = endWhileOthersChangeIt(store);
        assertEquals(409, reply.status());
        assertTrue(new String(reply.body(), StandardCharsets.UTF_8).contains("\"invalid_state\""));
        assertEquals(BroadcastState.LIVE, store.get(ID).orElseThrow().state());
    }
}
