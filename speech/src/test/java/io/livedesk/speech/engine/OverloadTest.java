package io.livedesk.speech.engine;

import static io.livedesk.testkit.audio.SyntheticAudio.silence;
import static io.livedesk.testkit.audio.SyntheticAudio.voiced;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.livedesk.speech.api.SpeechStream;
import io.livedesk.speech.api.SpeechUnavailableException;
import io.livedesk.speech.api.StreamSpec;
import io.livedesk.speech.api.TranscriptEvent.Status;
import io.livedesk.speech.api.TranscriptEvent.StreamState;
import io.livedesk.speech.testing.CountingDecoders;
import io.livedesk.speech.testing.Recorder;
import io.livedesk.speech.testing.SlowDecoders;
import io.livedesk.speech.testing.TestModels;
import io.livedesk.testkit.audio.SyntheticAudio;
import org.junit.jupiter.api.Test;

/**
 * More streams than one worker can serve: the newest are shed, the oldest keep real time, and the
 * node takes new work once the load fits again. The worker is made as slow as a real model (RTF 0.1)
 * and audio is fed at 4 x real time, so four streams need 1.6 workers and the test takes seconds.
 */
class OverloadTest {
    private static final int RATE = 16000;
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final SyntheticAudio audio = new SyntheticAudio(RATE, 11);

    @Test
    void theNewestStreamsAreShedAndTheOldestKeepGoing() throws Exception {
        CountingDecoders counting = new CountingDecoders(
                new SlowDecoders(SpeechModels.load(TestModels.modelsDir(), TestModels.english()), 0.1));
        EngineSettings settings = EngineSettings.defaults().withWorkers(1).withQueueLimit(Duration.ofMillis(1000));
        LocalSpeechService service = new LocalSpeechService(counting, settings);
        ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
        try {
            // 12 s of audio per stream: an utterance every 2 s.
            List<SyntheticAudio.Segment> script = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                script.add(voiced(1000));
                script.add(silence(1000));
            }
            List<short[]> chunks = audio.chunks(audio.render(script), 100);
            int n = 4;
            List<Recorder> recorders = new ArrayList<>();
            List<SpeechStream> streams = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Recorder r = new Recorder();
                recorders.add(r);
                streams.add(service.open(StreamSpec.captions("en", RATE, "load-" + i), r));
            }

            // One 100 ms chunk to every stream every 25 ms, and note the worst lag the service reports.
            AtomicInteger tick = new AtomicInteger();
            AtomicLong worstLag = new AtomicLong();
            boolean[] stopped = new boolean[n];
            CountDownLatch fed = new CountDownLatch(1);
            feeder.scheduleAtFixedRate(() -> {
                int t = tick.getAndIncrement();
                if (t > chunks.size()) {
                    return;
                }
                for (int i = 0; i < n; i++) {
                    if (stopped[i]) {
                        continue;
                    }
                    if (t == chunks.size()) {
                        streams.get(i).finish();
                    } else if (!streams.get(i).accept(chunks.get(t), 0, chunks.get(t).length)) {
                        stopped[i] = true;
                    }
                }
                worstLag.accumulateAndGet(service.status().maxLagMillis(), Math::max);
                if (t == chunks.size()) {
                    fed.countDown();
                }
            }, 0, 25, TimeUnit.MILLISECONDS);
            assertTrue(fed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "feeding did not finish");

            List<Status> ends = new ArrayList<>();
            for (Recorder r : recorders) {
                ends.add(r.awaitStatus(WAIT));
            }
            // Shed streams are the newest ones: once one is shed, every newer one is too.
            int shed = 0;
            for (int i = 0; i < n; i++) {
                if (ends.get(i).state() == StreamState.SHED) {
                    assertEquals("overloaded", ends.get(i).reason());
                    shed++;
                } else {
                    assertEquals(StreamState.ENDED, ends.get(i).state(), "stream " + i + ": " + ends);
                    for (int j = 0; j < i; j++) {
                        assertEquals(StreamState.ENDED, ends.get(j).state(), "older stream " + j + " shed: " + ends);
                    }
                }
            }
            String summary = "ends " + ends + ", worst lag " + worstLag + " ms";
            assertTrue(shed >= 1, "nothing shed: " + summary);
            // Two streams fit (0.8 workers); how many go depends on how fast the backlog drains on a
            // shared machine, but never the oldest.
            assertTrue(shed <= n - 1, "the oldest stream was shed: " + summary);
            assertTrue(worstLag.get() > 500, "lag reported: " + summary);
            assertEquals(shed, service.status().shed());
            // The oldest stream kept up: all six utterances.
            assertEquals(6, recorders.get(0).nonEmptyFinals().size(), () -> "oldest: " + recorders.get(0).events);

            // With the load gone, a new stream is admitted and transcribed.
            Recorder late = new Recorder();
            try (SpeechStream s = service.open(StreamSpec.captions("en", RATE, "after"), late)) {
                for (short[] c : audio.chunks(audio.render(voiced(1000), silence(1000)), 100)) {
                    assertTrue(s.accept(c, 0, c.length));
                }
                s.finish();
                assertEquals(StreamState.ENDED, late.awaitStatus(WAIT).state());
            }
            assertEquals("speech", late.nonEmptyFinals().get(0).text());
        } finally {
            feeder.shutdownNow();
            service.close();
        }
        assertEquals(counting.opened.get(), counting.closed.get(), "every recognizer freed, shed ones too");
        assertEquals(0, service.unreleasedStreams());
    }

    @Test
    void admissionRefusesAStreamThePoolCannotCarry() throws Exception {
        // RTF 0.3 on one worker with 80 % target load: two real-time streams fit (0.6), a third (0.9) does not.
        LocalSpeechService service = new LocalSpeechService(
                new SlowDecoders(SpeechModels.load(TestModels.modelsDir(), TestModels.english()), 0.3),
                EngineSettings.defaults().withWorkers(1));
        try {
            short[] pcm = audio.render(voiced(1500));
            SpeechStream first = service.open(StreamSpec.captions("en", RATE, "a"), new Recorder());
            SpeechStream second = service.open(StreamSpec.captions("en", RATE, "b"), new Recorder());
            first.accept(pcm, 0, pcm.length);
            second.accept(pcm, 0, pcm.length);
            // Both measured: demand 0.6 of capacity 0.8.
            await().atMost(WAIT).until(() -> service.status().load() > 0.7);

            SpeechUnavailableException e = assertThrows(SpeechUnavailableException.class,
                    () -> service.open(StreamSpec.captions("en", RATE, "c"), new Recorder()));
            assertEquals(SpeechUnavailableException.Reason.OVERLOADED, e.reason());
            assertTrue(e.getMessage().startsWith("overloaded"), e.getMessage());
            assertEquals(1, service.status().rejected());

            first.close();
            await().atMost(WAIT).until(() -> service.unreleasedStreams() == 1);
            SpeechStream third = service.open(StreamSpec.captions("en", RATE, "c"), new Recorder());
            assertFalse(third.id().isEmpty());
        } finally {
            service.close();
        }
    }

    @Test
    void afterAStreamSlowerThanRealTimeTheIdleNodeAdmitsAgainAndTheEstimateRecovers() throws Exception {
        // Two workers at 80 %: capacity 1.6. The machine is slow (RTF 2) for one stream, then fast.
        SlowDecoders slow = new SlowDecoders(SpeechModels.load(TestModels.modelsDir(), TestModels.english()), 2.0);
        LocalSpeechService service = new LocalSpeechService(slow, EngineSettings.defaults().withWorkers(2));
        try {
            short[] pcm = audio.render(voiced(1100));
            Recorder first = new Recorder();
            SpeechStream a = service.open(StreamSpec.captions("en", RATE, "a"), first);
            a.accept(pcm, 0, pcm.length);
            // Measured while open: a second stream does not fit, and the readiness check says so.
            await().atMost(WAIT).until(() -> service.status().load() > 1.0);
            String busy = service.refusal("en").orElseThrow();
            assertTrue(busy.startsWith("overloaded: load "), busy);
            assertThrows(SpeechUnavailableException.class,
                    () -> service.open(StreamSpec.captions("en", RATE, "refused"), new Recorder()));
            a.finish();
            assertEquals(StreamState.ENDED, first.awaitStatus(WAIT).state());
            await().atMost(WAIT).until(() -> service.unreleasedStreams() == 0);

            // Issue 13: from here every stream was refused ("load 0.00 + 2.0.. is over capacity 1.60")
            // until a restart. A node with nothing open admits, and so re-measures.
            assertEquals(java.util.Optional.empty(), service.refusal("en"));
            slow.setRtf(0.05);
            SpeechStream b = service.open(StreamSpec.captions("en", RATE, "b"), new Recorder());
            b.accept(pcm, 0, pcm.length);
            // Before b is measured its estimate is the old 2.0 and a second stream would not fit; once
            // b has a second of audio measured, the estimate moves (mean of 2.0 and b's ~0.05) and it does.
            await().atMost(WAIT).until(() -> service.refusal("en").isEmpty());
            SpeechStream c = service.open(StreamSpec.captions("en", RATE, "c"), new Recorder());
            assertFalse(c.id().isEmpty());
            b.close();
            c.close();
        } finally {
            service.close();
        }
    }
}
