package io.livedesk.media.speechtap;

import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.SpeechTapEvents;
import io.livedesk.media.api.SpeechTapRequest;
import io.livedesk.media.tap.AudioSink;
import io.livedesk.speech.api.TranscriptEvent;
import io.livedesk.speech.api.TranscriptEvent.Partial;
import io.livedesk.speech.api.TranscriptEvent.Status;
import io.livedesk.speech.api.TranscriptEvent.StreamState;
import io.livedesk.speech.api.Word;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bridge node's side of speech taps without a bridge or speech nodes: their events, bounds and expiry. */
class SpeechTapRelayTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final SpeechTapRequest REQUEST = new SpeechTapRequest(new MeetingId("call-1"), "customer", "en",
            16000, List.of(URI.create("ws://speech-1:2700/en")));

    private final FakeSpeech speech = new FakeSpeech();
    private final List<AudioSink> sinks = new CopyOnWriteArrayList<>();
    private SpeechTapRelay relay;

    private SpeechTapRelay relay(SpeechTapRelay.Settings settings) {
        relay = new SpeechTapRelay((meeting, endpoint, rate, sink) -> {
            if (!endpoint.equals("customer")) {
                throw new BridgeException.NotFound("no endpoint " + endpoint);
            }
            sinks.add(sink);
            return null; // the test plays the tap through the sink
        }, settings, Clock.fixed(Instant.ofEpochMilli(T0), ZoneOffset.UTC), urls -> speech);
        return relay;
    }

    @AfterEach
    void close() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void finalsLeaveWithEpochTimesAndTheTapIsForgottenOnceItsEndWasCollected() throws Exception {
        SpeechTapRelay r = relay(SpeechTapRelay.Settings.defaults());
        String id = r.openTap(REQUEST);
        AudioSink sink = sinks.get(0);
        sink.onAudio(new short[1600], 0); // 100 ms from media time 0, at T0
        assertEquals(1600, speech.streams.get(0).samples, "a full batch went to the stream");
        FakeSpeech.Stream stream = speech.streams.get(0);
        stream.emit(new Partial("hello"));
        stream.emit(TranscriptEvent.Final.of("hello", List.of(new Word("hello", 0.5, 1.0, 0.9))));

        SpeechTapEvents.Tap tap = r.tapEvents(Map.of(id, 0L)).taps().get(0);
        assertEquals(2, tap.next());
        assertEquals(40, tap.lagMillis());
        TranscriptEvent.Final f = (TranscriptEvent.Final) tap.events().get(1);
        assertEquals((T0 + 500) / 1000.0, f.start(), 1e-6);
        assertEquals((T0 + 1000) / 1000.0, f.words().get(0).end(), 1e-6);
        assertEquals(2, r.eventsRelayed());

        sink.onClose(); // the endpoint expired: the stream is finished
        SpeechTapEvents.Tap end = r.tapEvents(Map.of(id, 2L)).taps().get(0);
        assertEquals(List.of(new Status(StreamState.ENDED, "finished")), end.events());
        assertEquals(1, r.activeTaps(), "kept until the end is acknowledged");
        SpeechTapEvents.Tap acked = r.tapEvents(Map.of(id, end.next())).taps().get(0);
        assertEquals(List.of(), acked.events());
        assertEquals(0, r.activeTaps());
        assertTrue(r.tapEvents(Map.of(id, end.next())).taps().get(0).gone());
    }

    @Test
    void oneReplyCarriesAtMostTheConfiguredEventsAcrossTaps() throws Exception {
        SpeechTapRelay r = relay(new SpeechTapRelay.Settings(10, 100, 3, Duration.ofSeconds(30),
                Duration.ofSeconds(30), 2, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)));
        String a = r.openTap(REQUEST);
        String b = r.openTap(REQUEST);
        for (int i = 0; i < 2; i++) {
            speech.streams.get(0).emit(new Partial("a" + i));
            speech.streams.get(1).emit(new Partial("b" + i));
        }
        Map<String, Long> cursors = new java.util.LinkedHashMap<>();
        cursors.put(a, 0L);
        cursors.put(b, 0L);
        List<SpeechTapEvents.Tap> taps = r.tapEvents(cursors).taps();
        assertEquals(2, taps.get(0).events().size());
        assertEquals(1, taps.get(1).events().size(), "the reply's budget was spent");
        assertEquals(1, taps.get(1).next());
        cursors.put(a, taps.get(0).next());
        cursors.put(b, taps.get(1).next());
        assertEquals(List.of(new Partial("b1")), r.tapEvents(cursors).taps().get(1).events(), "the rest come next");
    }

    @Test
    void aTapNobodyAsksAboutIsClosedAndOneForAnUnknownEndpointIsRefused() throws Exception {
        SpeechTapRelay r = relay(SpeechTapRelay.Settings.defaults().withAbandonAfter(Duration.ofSeconds(5)));
        String id = r.openTap(REQUEST);
        r.sweep(System.nanoTime() + Duration.ofSeconds(1).toNanos());
        assertEquals(1, r.activeTaps(), "not yet abandoned");
        r.sweep(System.nanoTime() + Duration.ofSeconds(6).toNanos());
        assertEquals(0, r.activeTaps());
        assertEquals(1, r.tapsAbandoned());
        assertTrue(speech.streams.get(0).closed, "its stream was closed");
        assertTrue(r.tapEvents(Map.of(id, 0L)).taps().get(0).gone());

        SpeechTapRequest stranger = new SpeechTapRequest(new MeetingId("call-1"), "nobody", "en", 16000,
                REQUEST.speechUrls());
        assertThrows(BridgeException.NotFound.class, () -> r.openTap(stranger));
        assertTrue(speech.streams.get(1).closed, "the stream opened for it was closed");
    }

    @Test
    void tooManyTapsAreRefused() throws Exception {
        SpeechTapRelay r = relay(SpeechTapRelay.Settings.defaults().withMaxTaps(1));
        r.openTap(REQUEST);
        assertThrows(BridgeException.Unavailable.class, () -> r.openTap(REQUEST));
    }
}
