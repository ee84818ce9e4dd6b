package io.livedesk.signaling.media;

import io.livedesk.media.api.Bridge;
import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.BridgeStats;
import io.livedesk.media.api.ConferenceNames;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.SpeechTapEvents;
import io.livedesk.media.api.SpeechTapRequest;
import io.livedesk.media.api.SpeechTaps;
import io.livedesk.speech.api.StreamSpec;
import io.livedesk.speech.api.TranscriptEvent;
import io.livedesk.speech.api.TranscriptEvent.StreamState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * {@link RemoteAudioTaps} against a hand-written bridge node ({@link FakeTapBridge}: the {@link SpeechTaps} side
 * of {@code /livedesk/taps} and {@code /livedesk/tap-events}, cursors served as a bridge node does) placed in a
 * real {@link BridgePool}, with the real poll thread (every 20 ms) awaited with Awaitility. Over real HTTP, a
 * real bridge node and speech nodes: {@link RemoteBridgeTranscriptionIT}.
 */
@Timeout(30)
class RemoteAudioTapsTest {
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final MeetingId MEETING = new MeetingId("m1");
    private static final StreamSpec SPEC = StreamSpec.captions("en", 16000, "customer");
    private static final List<URI> SPEECH = List.of(URI.create("ws://speech-a:2700/en"),
            URI.create("ws://speech-b:2700/en"));

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** A pool whose only member is {@code bridge}, holding conference {@link #MEETING}. */
    private BridgePool poolHoldingMeeting(Bridge bridge) throws BridgeException {
        BridgePool pool = new BridgePool("test-pool", List.of(MemberBridge.inProcess(bridge)),
                new BridgePool.Options(Duration.ofSeconds(1), 3, Duration.ofSeconds(1)));
        open.add(pool::close);
        pool.checkAll();
        pool.apply(ConferenceRequest.creating(MEETING).name(ConferenceNames.of(MEETING))
                .endpoints(List.of(EndpointRequest.creating("ep0").statsId("ep0").sources(List.of()).build()))
                .build());
        assertEquals(bridge, pool.ownerBridge(MEETING).orElseThrow(), "the meeting is on the bridge");
        return pool;
    }

    private RemoteAudioTaps taps(BridgePool pool, Duration closeWait) {
        RemoteAudioTaps taps = new RemoteAudioTaps(pool, language -> "en".equals(language) ? SPEECH : List.of(),
                POLL, closeWait);
        open.add(taps);
        return taps;
    }

    private static List<Long> cursorsAskedFor(FakeTapBridge bridge, String tapId) {
        return bridge.polls.stream().filter(p -> p.containsKey(tapId)).map(p -> p.get(tapId)).toList();
    }

    @Test
    void eventsReachTheListenerInOrderAndTheCursorAdvancesWithNothingLostOrRepeatedWhenAReplyIsLost()
            throws Exception {
        FakeTapBridge bridge = new FakeTapBridge("node-a");
        bridge.perReply = 2; // three events take two replies: the cursor must move between them
        RemoteAudioTaps taps = taps(poolHoldingMeeting(bridge), Duration.ofSeconds(5));
        List<TranscriptEvent> heard = new CopyOnWriteArrayList<>();

        TappedLeg leg = taps.open(MEETING, "ep0", SPEC, heard::add);
        await("the tap is opened on the bridge").atMost(WAIT).until(() -> bridge.opened.size() == 1);
        assertEquals(new SpeechTapRequest(MEETING, "ep0", "en", 16000, SPEECH), bridge.opened.get(0));
        assertEquals(1, taps.openTaps());
        String tapId = "tap-1";

        // The first reply that carries events is lost on the way back (the bridge would send them again).
        bridge.loseRepliesWithEvents.set(1);
        TranscriptEvent p1 = new TranscriptEvent.Partial("hel");
        TranscriptEvent p2 = new TranscriptEvent.Partial("hello");
        TranscriptEvent f1 = new TranscriptEvent.Final("hello there", List.of(), 1.5, 2.5);
        bridge.say(tapId, p1, p2, f1);
        await("the three events").atMost(WAIT).until(() -> heard.size() >= 3);
        assertEquals(0, bridge.loseRepliesWithEvents.get(), "a reply was lost");

        TranscriptEvent f2 = new TranscriptEvent.Final("how can I help", List.of(), 3.0, 4.0);
        bridge.say(tapId, f2);
        await("the fourth event").atMost(WAIT).until(() -> heard.size() >= 4);
        await("the cursor moves past every event").atMost(WAIT)
                .until(() -> cursorsAskedFor(bridge, tapId).contains(4L));

        assertEquals(List.of(p1, p2, f1, f2), heard, "in order, none lost, none twice");
        List<Long> cursors = cursorsAskedFor(bridge, tapId);
        for (int i = 1; i < cursors.size(); i++) {
            assertTrue(cursors.get(i) >= cursors.get(i - 1), "the cursor never goes back: " + cursors);
        }
        // The lost reply's cursor was asked for again, then the cursor went 0 -> 2 -> 3 -> 4.
        long lostAt = bridge.lostAtCursor;
        assertEquals(0L, lostAt, "the lost reply was the first with events");
        assertTrue(cursors.stream().filter(c -> c == lostAt).count() >= 2, "asked again after the loss: " + cursors);
        assertEquals(List.of(0L, 2L, 3L, 4L), cursors.stream().distinct().toList());
        await("the bridge's lag reaches the leg").atMost(WAIT).until(() -> leg.lagMillis() == FakeTapBridge.LAG);
        assertEquals(1, bridge.opened.size(), "opened once");
    }

    @Test
    void afterTheFinalStatusTheTapIsConfirmedOnceMoreAndThenForgotten() throws Exception {
        FakeTapBridge bridge = new FakeTapBridge("node-a");
        RemoteAudioTaps taps = taps(poolHoldingMeeting(bridge), Duration.ofSeconds(5));
        List<TranscriptEvent> heard = new CopyOnWriteArrayList<>();
        List<TranscriptEvent> other = new CopyOnWriteArrayList<>();

        taps.open(MEETING, "ep0", SPEC, heard::add);
        await().atMost(WAIT).until(() -> bridge.opened.size() == 1);
        taps.open(MEETING, "ep1", SPEC, other::add); // keeps the bridge polled after tap-1 is gone
        await().atMost(WAIT).until(() -> bridge.opened.size() == 2);

        TranscriptEvent last = new TranscriptEvent.Final("goodbye", List.of(), 5.0, 6.0);
        TranscriptEvent status = new TranscriptEvent.Status(StreamState.ENDED, "finished");
        // Nothing follows a status; one that does anyway is not passed on.
        bridge.say("tap-1", last, status, new TranscriptEvent.Partial("stray"));
        await("the final status").atMost(WAIT).until(() -> heard.contains(status));
        await("tap-1 is forgotten").atMost(WAIT).until(() -> taps.openTaps() == 1);
        int pollsThen = bridge.polls.size();
        await("more polls for the other tap").atMost(WAIT).until(() -> bridge.polls.size() >= pollsThen + 5);

        assertEquals(List.of(last, status), heard);
        List<Long> cursors = cursorsAskedFor(bridge, "tap-1");
        assertEquals(3L, cursors.get(cursors.size() - 1), "the last request acknowledges every event: " + cursors);
        assertEquals(1, cursors.stream().filter(c -> c == 3L).count(), "acknowledged once, then never asked for: "
                + cursors);
        assertTrue(bridge.polls.subList(pollsThen, bridge.polls.size()).stream()
                .noneMatch(p -> p.containsKey("tap-1")), "no polls for a forgotten tap");
        assertEquals(List.of(), bridge.closed, "a tap that ended by itself needs no close");
        assertEquals(List.of(), other);
    }

    @Test
    void aBridgeThatCannotTapFailsTheLegWithItsReasonAndIsNotAskedAgain() throws Exception {
        FakeTapBridge jvb = new FakeTapBridge("jvb-1");
        // What the Colibri2 client makes of a 404/405 without LiveDesk's error body (a Jitsi Videobridge).
        jvb.openFailure = new BridgeException.BadRequest("bridge jvb-1 cannot tap audio for speech");
        RemoteAudioTaps taps = taps(poolHoldingMeeting(jvb), Duration.ofSeconds(5));
        List<TranscriptEvent> heard = new CopyOnWriteArrayList<>();

        taps.open(MEETING, "ep0", SPEC, heard::add);
        await("the leg's status").atMost(WAIT).until(() -> !heard.isEmpty());
        assertEquals(1, heard.size(), heard.toString());
        TranscriptEvent.Status status = assertInstanceOf(TranscriptEvent.Status.class, heard.get(0));
        assertEquals(StreamState.FAILED, status.state());
        assertTrue(status.reason().contains("jvb-1") && status.reason().contains("cannot tap"), status.reason());
        await().atMost(WAIT).until(() -> taps.openTaps() == 0);

        List<TranscriptEvent> second = new CopyOnWriteArrayList<>();
        BridgeException.Unavailable refused = assertThrows(BridgeException.Unavailable.class,
                () -> taps.open(MEETING, "ep1", SPEC, second::add));
        assertTrue(refused.getMessage().contains("cannot tap"), refused.getMessage());
        assertEquals(1, jvb.openCalls.get(), "the bridge was asked once");
        assertEquals(0, taps.openTaps());
        assertEquals(List.of(), jvb.polls, "nothing to poll");
        assertEquals(List.of(), second);
    }

    @Test
    void aParticipantTheBridgeDoesNotKnowFailsOnlyThatLeg() throws Exception {
        FakeTapBridge bridge = new FakeTapBridge("node-a");
        bridge.openFailure = new BridgeException.NotFound("no endpoint ep9 in conference m1");
        RemoteAudioTaps taps = taps(poolHoldingMeeting(bridge), Duration.ofSeconds(5));
        List<TranscriptEvent> heard = new CopyOnWriteArrayList<>();

        taps.open(MEETING, "ep9", SPEC, heard::add);
        await().atMost(WAIT).until(() -> !heard.isEmpty());
        TranscriptEvent.Status status = assertInstanceOf(TranscriptEvent.Status.class, heard.get(0));
        assertEquals(StreamState.FAILED, status.state());
        assertTrue(status.reason().contains("no longer on media bridge node-a"), status.reason());

        bridge.openFailure = null; // the bridge can tap: the next leg is asked for again
        taps.open(MEETING, "ep0", SPEC, e -> { });
        await().atMost(WAIT).until(() -> bridge.opened.size() == 1);
        assertEquals(2, bridge.openCalls.get());
        assertEquals(1, heard.size(), heard.toString());
    }

    @Test
    void aBridgeWithoutTapsAtAllIsRefusedAtOnce() throws Exception {
        Bridge plain = mock(Bridge.class);
        when(plain.id()).thenReturn("jvb-2");
        when(plain.stats()).thenReturn(new BridgeStats(0, 0, 0, true, false, false, 0, 0, 0, 0));
        when(plain.apply(org.mockito.ArgumentMatchers.any())).thenReturn(new ConferenceReply(List.of(), List.of()));
        RemoteAudioTaps taps = taps(poolHoldingMeeting(plain), Duration.ofSeconds(5));

        BridgeException.Unavailable e = assertThrows(BridgeException.Unavailable.class,
                () -> taps.open(MEETING, "ep0", SPEC, ev -> { }));
        assertTrue(e.getMessage().contains("jvb-2") && e.getMessage().contains("cannot tap"), e.getMessage());
        assertEquals(0, taps.openTaps());
    }

    @Test
    void closingALegSendsTheCloseAndItsLastWordsStillArrive() throws Exception {
        FakeTapBridge bridge = new FakeTapBridge("node-a");
        RemoteAudioTaps taps = taps(poolHoldingMeeting(bridge), Duration.ofSeconds(5));
        List<TranscriptEvent> heard = new CopyOnWriteArrayList<>();

        TappedLeg leg = taps.open(MEETING, "ep0", SPEC, heard::add);
        await().atMost(WAIT).until(() -> bridge.opened.size() == 1);
        leg.close();
        await("DELETE /livedesk/taps/tap-1").atMost(WAIT).until(() -> bridge.closed.contains("tap-1"));

        // The bridge finishes the stream: the last words and the status come after the close.
        TranscriptEvent last = new TranscriptEvent.Final("thanks, bye", List.of(), 7.0, 8.0);
        TranscriptEvent status = new TranscriptEvent.Status(StreamState.ENDED, "finished");
        bridge.say("tap-1", last, status);
        await("the last words").atMost(WAIT).until(() -> heard.contains(status));
        await("the leg is done").atMost(WAIT).until(() -> taps.openTaps() == 0);
        assertEquals(List.of(last, status), heard);
        assertEquals(List.of("tap-1"), bridge.closed, "closed once");
    }

    @Test
    void aClosedLegWhoseLastWordsNeverComeIsDroppedAfterTheCloseWait() throws Exception {
        FakeTapBridge bridge = new FakeTapBridge("node-a");
        RemoteAudioTaps taps = taps(poolHoldingMeeting(bridge), Duration.ofMillis(200));
        TappedLeg leg = taps.open(MEETING, "ep0", SPEC, e -> { });
        await().atMost(WAIT).until(() -> bridge.opened.size() == 1);
        leg.close();
        await("given up after the close wait").atMost(WAIT).until(() -> taps.openTaps() == 0);
        int pollsThen = bridge.polls.size();
        assertEquals(List.of("tap-1"), bridge.closed);
        assertTrue(pollsThen > 0);
        assertTrue(bridge.polls.stream().allMatch(p -> p.containsKey("tap-1")));
    }

    @Test
    void aMeetingWithNoOwnerBridgeIsRefusedWithAClearReason() throws Exception {
        FakeTapBridge bridge = new FakeTapBridge("node-a");
        RemoteAudioTaps taps = taps(poolHoldingMeeting(bridge), Duration.ofSeconds(5));
        List<TranscriptEvent> heard = new CopyOnWriteArrayList<>();

        BridgeException.NotFound e = assertThrows(BridgeException.NotFound.class,
                () -> taps.open(new MeetingId("m-elsewhere"), "ep0", SPEC, heard::add));
        assertEquals("no media bridge holds conference m-elsewhere", e.getMessage());
        assertEquals(0, taps.openTaps());
        assertEquals(0, bridge.openCalls.get());
        assertEquals(List.of(), heard);
    }

    /**
     * The bridge node's side of speech taps, served from memory as a bridge node serves it: per tap the events in
     * order, each request answered from the cursor it gives (at most {@link #perReply} events), unknown taps gone.
     */
    static final class FakeTapBridge implements Bridge, SpeechTaps {
        static final long LAG = 250;

        private final String id;
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<String, List<TranscriptEvent>> events = new ConcurrentHashMap<>();
        final List<SpeechTapRequest> opened = new CopyOnWriteArrayList<>();
        final AtomicInteger openCalls = new AtomicInteger();
        final List<String> closed = new CopyOnWriteArrayList<>();
        /** Every events request's cursors, in order. */
        final List<Map<String, Long>> polls = new CopyOnWriteArrayList<>();
        /** How many replies that carry events are to be lost (thrown away after the bridge made them). */
        final AtomicInteger loseRepliesWithEvents = new AtomicInteger();
        volatile long lostAtCursor = -1;
        volatile BridgeException openFailure;
        volatile int perReply = 100;

        FakeTapBridge(String id) {
            this.id = id;
        }

        void say(String tapId, TranscriptEvent... said) {
            events.get(tapId).addAll(List.of(said));
        }

        @Override
        public String openTap(SpeechTapRequest request) throws BridgeException {
            openCalls.incrementAndGet();
            BridgeException failure = openFailure;
            if (failure != null) {
                throw failure;
            }
            String tapId = "tap-" + ids.incrementAndGet();
            events.put(tapId, new CopyOnWriteArrayList<>());
            opened.add(request);
            return tapId;
        }

        @Override
        public void closeTap(String tapId) {
            closed.add(tapId);
        }

        @Override
        public SpeechTapEvents tapEvents(Map<String, Long> cursors) throws BridgeException {
            polls.add(new LinkedHashMap<>(cursors));
            List<SpeechTapEvents.Tap> reply = new ArrayList<>();
            boolean withEvents = false;
            for (Map.Entry<String, Long> c : cursors.entrySet()) {
                List<TranscriptEvent> all = events.get(c.getKey());
                if (all == null) {
                    reply.add(SpeechTapEvents.Tap.gone(c.getKey(), c.getValue()));
                    continue;
                }
                int from = (int) Math.min(c.getValue(), all.size());
                int to = Math.min(all.size(), from + perReply);
                withEvents |= to > from;
                reply.add(new SpeechTapEvents.Tap(c.getKey(), to, LAG, false, all.subList(from, to)));
            }
            if (withEvents && loseRepliesWithEvents.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                lostAtCursor = cursors.values().iterator().next();
                throw new BridgeException.Unavailable("bridge " + id + ": the reply was lost", null);
            }
            return new SpeechTapEvents(reply);
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public ConferenceReply apply(ConferenceRequest request) {
            return new ConferenceReply(List.of(), List.of());
        }

        @Override
        public void expire(MeetingId meetingId) {
        }

        @Override
        public BridgeStats stats() {
            return new BridgeStats(0, 0, 0, true, false, false, 0, 0, 0, 0);
        }

        @Override
        public void close() {
        }
    }
}
