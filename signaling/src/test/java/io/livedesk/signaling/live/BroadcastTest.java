package io.livedesk.signaling.live;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.protocol.MessageCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A broadcast's state machine, its stage, and what makes a valid broadcast. */
class BroadcastTest {

    private static final long T0 = 1_764_000_000_000L;
    private static final Subject HOST = Subject.of("staff-7");

    /** The state machine as documented: anything not listed here must be refused. */
    private static final Map<BroadcastState, Set<BroadcastState>> ALLOWED = Map.of(
            BroadcastState.SCHEDULED, EnumSet.of(BroadcastState.LIVE, BroadcastState.ENDED),
            BroadcastState.LIVE, EnumSet.of(BroadcastState.ENDED),
            BroadcastState.ENDED, EnumSet.noneOf(BroadcastState.class));

    /** The record method that moves a record into each state (nothing moves one back to SCHEDULED). */
    private static final Map<BroadcastState, UnaryOperator<Broadcast>> MOVE_TO = Map.of(
            BroadcastState.LIVE, b -> b.wentLive(T0 + 1_000, "node-t"),
            BroadcastState.ENDED, b -> b.ended(T0 + 5_000));

    private static Broadcast scheduled() {
        return Broadcast.scheduled(BroadcastId.of("b-1"), HOST, "Fund launch", "What the fund buys", "en", "investments",
                T0, null);
    }

    /** A broadcast in the given state, reached by the transitions. */
    private static Broadcast in(BroadcastState state) {
        return switch (state) {
            case SCHEDULED -> scheduled();
            case LIVE -> scheduled().wentLive(T0 + 1_000, "node-t");
            case ENDED -> scheduled().wentLive(T0 + 1_000, "node-t").ended(T0 + 5_000);
        };
    }

    /** A valid record with one component replaced, to test the constructor's checks one at a time. */
    private static Broadcast with(String title, String description, String language, String topic, long scheduledAt,
                                  String cover) {
        return new Broadcast(BroadcastId.of("b-1"), HOST, title, description, language, topic, scheduledAt, cover,
                BroadcastState.SCHEDULED, List.of(), 0, 0, 0, 0, BroadcastCounts.NONE, 0, null, null);
    }

    /** A record built directly in a state, with its stage and times. */
    private static Broadcast built(BroadcastState state, List<Subject> coHosts, long started, long ended) {
        return new Broadcast(BroadcastId.of("b-1"), HOST, "t", "", "en", "loans", T0, null, state, coHosts, started, ended,
                0, 0, BroadcastCounts.NONE, 0, null, null);
    }

    @ParameterizedTest
    @EnumSource(BroadcastState.class)
    void onlyTheDocumentedTransitionsAreAllowed(BroadcastState from) {
        Broadcast b = in(from);
        assertEquals(from, b.state());
        for (BroadcastState to : BroadcastState.values()) {
            boolean allowed = ALLOWED.get(from).contains(to);
            assertEquals(allowed, from.canMoveTo(to), from + " -> " + to);
            UnaryOperator<Broadcast> move = MOVE_TO.get(to);
            if (move != null && allowed) {
                Broadcast moved = move.apply(b);
                assertEquals(to, moved.state());
                assertEquals(b.revision() + 1, moved.revision());
            } else if (move != null) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> move.apply(b));
                assertEquals("broadcast cannot go from " + from + " to " + to, e.getMessage());
            }
        }
    }

    @Test
    void wireNamesAreLowerCase() {
        assertEquals(List.of("scheduled", "live", "ended"), Stream.of(BroadcastState.values()).map(BroadcastState::wire).toList());
    }

    @Test
    void goingLiveAndEndingKeepTheTimesAndTheRecord() {
        Broadcast s = scheduled().withCounters(10, 20, BroadcastCounts.like());
        Broadcast l = s.wentLive(T0 + 60_000, "node-t");
        Broadcast e = l.ended(T0 + 3_600_000);

        assertEquals(T0 + 60_000, l.startedAtMs());
        assertEquals(0, l.endedAtMs());
        assertEquals(T0 + 60_000, e.startedAtMs());
        assertEquals(T0 + 3_600_000, e.endedAtMs());
        assertEquals(2, e.revision());
        assertEquals(10, e.peakViewers());
        assertEquals(20, e.uniqueViewers());
        assertEquals(BroadcastCounts.like(), e.counts());
        assertFalse(e.cancelled());
    }

    @Test
    void endingAScheduledBroadcastCancelsIt() {
        Broadcast c = scheduled().ended(T0 - 1_000);
        assertEquals(BroadcastState.ENDED, c.state());
        assertTrue(c.cancelled());
        assertEquals(0, c.startedAtMs());
    }

    @Test
    void anEndBeforeTheStartIsRefused() {
        Broadcast l = scheduled().wentLive(T0 + 1_000, "node-t");
        assertThrows(IllegalArgumentException.class, () -> l.ended(T0 + 999));
    }

    @Test
    void coHostsJoinAndLeaveTheStageWhileLive() {
        Subject a = Subject.of("co-a");
        Subject b = Subject.of("co-b");
        Broadcast l = scheduled().wentLive(T0 + 1, "node-t");
        Broadcast both = l.withCoHost(a).withCoHost(b);
        assertEquals(List.of(a, b), both.coHosts());
        assertTrue(both.onStage(a) && both.onStage(HOST));
        assertEquals(l.revision() + 2, both.revision());

        Broadcast left = both.withoutCoHost(a);
        assertEquals(List.of(b), left.coHosts());
        assertFalse(left.onStage(a));
        assertEquals(List.of(), left.ended(T0 + 2).coHosts(), "the stage empties at the end");
    }

    @Test
    void theStageHasRulesOfItsOwn() {
        Broadcast l = scheduled().wentLive(T0 + 1, "node-t");
        Broadcast full = l.withCoHost(Subject.of("co-1")).withCoHost(Subject.of("co-2")).withCoHost(Subject.of("co-3"));

        assertEquals("the stage is full (3 co-hosts)",
                assertThrows(IllegalStateException.class, () -> full.withCoHost(Subject.of("co-4"))).getMessage());
        assertThrows(IllegalStateException.class, () -> l.withCoHost(HOST), "the host is on stage already");
        assertThrows(IllegalStateException.class, () -> full.withCoHost(Subject.of("co-2")));
        assertThrows(IllegalStateException.class, () -> l.withoutCoHost(Subject.of("co-1")));
        assertThrows(IllegalStateException.class, () -> scheduled().withCoHost(Subject.of("co-1")), "not before it is live");
        Broadcast ended = full.ended(T0 + 2);
        assertThrows(IllegalStateException.class, () -> ended.withCoHost(Subject.of("co-1")), "not after");
        assertThrows(IllegalStateException.class, () -> ended.withoutCoHost(Subject.of("co-1")));
    }

    @Test
    void theConstructorChecksTheStage() {
        List<Subject> four = List.of(Subject.of("a"), Subject.of("b"), Subject.of("c"), Subject.of("d"));
        assertThrows(IllegalArgumentException.class, () -> built(BroadcastState.LIVE, four, T0, 0));
        assertThrows(IllegalArgumentException.class, () -> built(BroadcastState.LIVE, List.of(Subject.of("a"), Subject.of("a")), T0, 0));
        assertThrows(IllegalArgumentException.class, () -> built(BroadcastState.LIVE, List.of(HOST), T0, 0));
        assertThrows(IllegalArgumentException.class, () -> built(BroadcastState.SCHEDULED, List.of(Subject.of("a")), 0, 0));
        assertEquals(List.of(), built(BroadcastState.LIVE, null, T0, 0).coHosts());
    }

    @Test
    void theTimesMustFitTheState() {
        assertThrows(IllegalArgumentException.class, () -> built(BroadcastState.SCHEDULED, List.of(), T0, 0));
        assertThrows(IllegalArgumentException.class, () -> built(BroadcastState.LIVE, List.of(), 0, 0));
        assertThrows(IllegalArgumentException.class, () -> built(BroadcastState.LIVE, List.of(), T0, T0 + 1));
        assertThrows(IllegalArgumentException.class, () -> built(BroadcastState.ENDED, List.of(), T0, 0));
        assertThrows(IllegalArgumentException.class, () -> built(BroadcastState.ENDED, List.of(), T0, T0 - 1));
        assertEquals(BroadcastState.ENDED, built(BroadcastState.ENDED, List.of(), 0, T0).state());
    }

    @Test
    void aTitleIsOneLineOf1To120Characters() {
        String emoji120 = "📈".repeat(120); // 240 UTF-16 units, 120 characters
        assertEquals(emoji120, with(emoji120, "", "en", "loans", T0, null).title());
        assertEquals("title must be 1-120 characters, not all blank",
                assertThrows(IllegalArgumentException.class, () -> with("x".repeat(121), "", "en", "loans", T0, null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> with("", "", "en", "loans", T0, null));
        assertThrows(IllegalArgumentException.class, () -> with("  \t", "", "en", "loans", T0, null));
        assertThrows(IllegalArgumentException.class, () -> with("two\nlines", "", "en", "loans", T0, null));
        assertEquals("title is required",
                assertThrows(IllegalArgumentException.class, () -> with(null, "", "en", "loans", T0, null)).getMessage());
    }

    @Test
    void aDescriptionIsOptionalAndAtMost2000Characters() {
        assertEquals("", with("t", null, "en", "loans", T0, null).description());
        String lines = "第一行\n".repeat(500); // 2000 characters
        assertEquals(lines, with("t", lines, "en", "loans", T0, null).description());
        assertEquals("description must be at most 2000 characters",
                assertThrows(IllegalArgumentException.class, () -> with("t", lines + "x", "en", "loans", T0, null)).getMessage());
    }

    @Test
    void languageTopicAndTimeAreChecked() {
        assertEquals("language must be 1-32 characters of a-z, 0-9, _ and -",
                assertThrows(IllegalArgumentException.class, () -> with("t", "", "EN", "loans", T0, null)).getMessage());
        assertEquals("topic must be 1-32 characters of a-z, 0-9, _ and -",
                assertThrows(IllegalArgumentException.class, () -> with("t", "", "en", "loans desk", T0, null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> with("t", "", "en", null, T0, null));
        assertThrows(IllegalArgumentException.class, () -> with("t", "", "en", "loans", 0, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://cdn.bank.example/cover.png", "http://img.example:8080/a/b.jpg?x=1#y", "HTTPS://CDN.EXAMPLE/x"})
    void aCoverImageIsAnHttpOrHttpsUrl(String url) {
        assertEquals(url, with("t", "", "en", "loans", T0, url).coverImageUrl());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "cover.png", "/img/cover.png", "ftp://files.example/c.png", "javascript:alert(1)",
            "data:image/png;base64,AAAA", "https://", "https://bank.example@evil.example/c.png", "https://a b.example/"})
    void anythingElseIsNotACoverImage(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> with("t", "", "en", "loans", T0, url));
        assertTrue(e.getMessage().startsWith("coverImageUrl"), e.getMessage());
    }

    @Test
    void aCoverImageUrlIsBounded() {
        String longUrl = "https://cdn.example/" + "a".repeat(Broadcast.MAX_URL);
        assertThrows(IllegalArgumentException.class, () -> with("t", "", "en", "loans", T0, longUrl));
    }

    @Test
    void countersCannotBeNegativeAndAddExactly() {
        assertThrows(IllegalArgumentException.class, () -> new BroadcastCounts(0, -1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> scheduled().withCounters(-1, 0, BroadcastCounts.NONE));
        assertEquals(new BroadcastCounts(10, 1, 1, 1, 1), BroadcastCounts.watched(10).plus(BroadcastCounts.chatMessage())
                .plus(BroadcastCounts.like()).plus(BroadcastCounts.consultationRequested()).plus(BroadcastCounts.consultationAnswered()));
        assertThrows(ArithmeticException.class, () -> BroadcastCounts.watched(Long.MAX_VALUE).plus(BroadcastCounts.watched(1)));
    }

    @Test
    void idsAreTypedAndGeneratedUnguessable() {
        BroadcastId id = BroadcastId.generate();
        assertTrue(id.value().matches("b-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), id.value());
        assertFalse(id.equals(BroadcastId.generate()));
        assertEquals(Optional.of(BroadcastId.of("b-1")), BroadcastId.parse("b-1"));
        assertEquals(Optional.empty(), BroadcastId.parse("b/1"));
        assertEquals(Optional.empty(), BroadcastId.parse(null));
        assertEquals("broadcastId is not a valid id",
                assertThrows(IllegalArgumentException.class, () -> BroadcastId.of("x".repeat(65))).getMessage());
    }

    @Test
    void asJsonARecordKeepsEveryPartAndIdsArePlainStrings() throws Exception {
        var mapper = new MessageCodec().mapper();
        Broadcast b = scheduled().wentLive(T0 + 1, "node-t").withCoHost(Subject.of("co-1")).withCounters(3, 4, BroadcastCounts.like());
        String json = mapper.writeValueAsString(b);
        assertTrue(json.contains("\"id\":\"b-1\"") && json.contains("\"coHosts\":[\"co-1\"]"), json);
        assertEquals(b, mapper.readValue(json, Broadcast.class));
    }
}
