package io.livedesk.speech.engine;

import static io.livedesk.testkit.audio.SyntheticAudio.silence;
import static io.livedesk.testkit.audio.SyntheticAudio.voiced;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import io.livedesk.speech.api.RecognizerOptions;
import io.livedesk.speech.api.ResultMode;
import io.livedesk.speech.api.SpeechStatus;
import io.livedesk.speech.api.SpeechStream;
import io.livedesk.speech.api.SpeechUnavailableException;
import io.livedesk.speech.api.StreamSpec;
import io.livedesk.speech.api.TranscriptEvent;
import io.livedesk.speech.api.TranscriptEvent.Final;
import io.livedesk.speech.api.TranscriptEvent.Partial;
import io.livedesk.speech.api.TranscriptEvent.Status;
import io.livedesk.speech.api.TranscriptEvent.StreamState;
import io.livedesk.speech.api.Word;
import io.livedesk.speech.testing.CountingDecoders;
import io.livedesk.speech.testing.Recorder;
import io.livedesk.speech.testing.TestModels;
import io.livedesk.testkit.audio.SyntheticAudio;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The in-process engine with real libvosk and the synthetic energy model. */
class LocalSpeechServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int RATE = 16000;

    private final SyntheticAudio audio = new SyntheticAudio(RATE, 7);
    private CountingDecoders decoders;
    private LocalSpeechService service;

    @BeforeEach
    void start() {
        decoders = new CountingDecoders(SpeechModels.load(TestModels.modelsDir(), TestModels.english()));
        service = new LocalSpeechService(decoders, EngineSettings.defaults().withWorkers(2));
    }

    @AfterEach
    void stop() {
        service.close();
    }

    private Recorder transcribe(StreamSpec spec, short[] pcm) throws Exception {
        Recorder recorder = new Recorder();
        try (SpeechStream stream = service.open(spec, recorder)) {
            for (short[] chunk : audio.chunks(pcm, 100)) {
                assertTrue(stream.accept(chunk, 0, chunk.length));
            }
            stream.finish();
            assertEquals(StreamState.ENDED, recorder.awaitStatus(WAIT).state());
        }
        return recorder;
    }

    private static StreamSpec captions() {
        return StreamSpec.captions("en", RATE, "test");
    }

    @Test
    void speechGivesPartialsThenAFinalWithWordTimings() throws Exception {
        Recorder r = transcribe(captions(), audio.render(silence(500), voiced(1500), silence(1500)));

        List<Final> finals = r.nonEmptyFinals();
        assertEquals(1, finals.size(), () -> "finals: " + r.events);
        Final f = finals.get(0);
        assertEquals("speech", f.text());
        assertEquals(1, f.words().size());
        Word w = f.words().get(0);
        assertEquals("speech", w.word());
        assertTrue(w.end() > w.start(), () -> "word " + w);
        assertTrue(w.conf() > 0 && w.conf() <= 1, () -> "word " + w);
        assertEquals(w.start(), f.start());
        assertEquals(w.end(), f.end());

        // The caption shows "speech" before the utterance is final, and partials only change.
        int firstPartial = indexOf(r.events, new Partial("speech"));
        assertTrue(firstPartial >= 0 && firstPartial < r.events.indexOf(f), () -> "events: " + r.events);
        for (int i = 1; i < r.partials().size(); i++) {
            assertFalse(r.partials().get(i).equals(r.partials().get(i - 1)), "repeated partial in captions mode");
        }
        // Every event came on a speech worker, the last one being the end.
        assertTrue(r.threads.stream().allMatch(t -> t.startsWith("ld-speech-")), () -> "threads " + r.threads);
        assertTrue(r.events.get(r.events.size() - 1) instanceof Status);
        assertNull(decoders.foreignThread, "recognizer used off the worker pool");
    }

    @Test
    void silenceGivesNoText() throws Exception {
        Recorder r = transcribe(captions(), audio.render(silence(4000)));

        assertTrue(r.nonEmptyFinals().isEmpty(), () -> "events: " + r.events);
        assertTrue(r.finals().isEmpty(), "captions mode reports no empty finals");
        assertTrue(r.partials().stream().allMatch(p -> p.text().isEmpty()), () -> "events: " + r.events);
    }

    @Test
    void speechSilenceSpeechGivesTwoUtterancesWhereTheSpeechIs() throws Exception {
        Recorder r = transcribe(captions(),
                audio.render(silence(1000), voiced(1000), silence(3000), voiced(1000), silence(1500)));

        List<Final> finals = r.nonEmptyFinals();
        assertEquals(2, finals.size(), () -> "events: " + r.events);
        // The synthetic model's word boundaries are coarse: a word spans from the end of the previous
        // utterance to a point in or right after its voiced stretch. So: times are stream-relative,
        // each word overlaps its own voiced stretch, and nothing of the second lies in the first.
        assertOverlaps(finals.get(0).words().get(0), 1.0, 2.0);
        assertOverlaps(finals.get(1).words().get(0), 5.0, 6.0);
        assertTrue(finals.get(1).start() >= 2.0, () -> "second utterance starts at " + finals.get(1).start());
        assertTrue(finals.get(0).end() <= 2.3, () -> "first utterance ends at " + finals.get(0).end());
    }

    private static void assertOverlaps(Word w, double voicedStart, double voicedEnd) {
        double tolerance = 0.25;
        assertTrue(w.end() >= voicedStart - tolerance && w.start() <= voicedEnd + tolerance,
                () -> "word " + w + " misses the voiced stretch " + voicedStart + ".." + voicedEnd);
        assertTrue(w.end() <= voicedEnd + tolerance, () -> "word " + w + " ends after " + voicedEnd);
    }

    @Test
    void perChunkModeAnswersEveryChunkAndAlwaysSendsTheLastFinal() throws Exception {
        short[] pcm = audio.render(silence(300), voiced(1000), silence(1200));
        int chunks = audio.chunks(pcm, 100).size();
        Recorder r = transcribe(captions().withMode(ResultMode.PER_CHUNK), pcm);

        // One result per chunk, one for the end of audio, then the status.
        assertEquals(chunks + 2, r.events.size(), () -> "events: " + r.events);
        assertTrue(r.events.get(chunks) instanceof Final, "end of audio gives a final");
        assertTrue(((Final) r.events.get(chunks)).isEmpty(), "nothing left after the endpoint");
        assertEquals(1, r.nonEmptyFinals().size());
    }

    @Test
    void wordsCanBeLeftOut() throws Exception {
        Recorder r = transcribe(new StreamSpec("en", RATE, "t", false, ResultMode.CAPTIONS),
                audio.render(voiced(1000), silence(1200)));
        Final f = r.nonEmptyFinals().get(0);
        assertEquals("speech", f.text());
        assertTrue(f.words().isEmpty());
    }

    @Test
    void takesHigherSampleRatesAndRefusesWhatTheModelCannotUse() throws Exception {
        SyntheticAudio hi = new SyntheticAudio(48000, 3);
        Recorder r = new Recorder();
        try (SpeechStream s = service.open(StreamSpec.captions("en", 48000, "t"), r)) {
            for (short[] c : hi.chunks(hi.render(voiced(1000), silence(1200)), 100)) {
                s.accept(SyntheticAudio.toBytes(c), 0, c.length * 2);
            }
            s.finish();
            r.awaitStatus(WAIT);
        }
        assertEquals("speech", r.nonEmptyFinals().get(0).text());

        SpeechUnavailableException low = assertThrows(SpeechUnavailableException.class,
                () -> service.open(StreamSpec.captions("en", 8000, "t"), new Recorder()));
        assertEquals(SpeechUnavailableException.Reason.UNSUPPORTED, low.reason());
        assertTrue(low.getMessage().contains("16000"), low.getMessage());

        SpeechUnavailableException lang = assertThrows(SpeechUnavailableException.class,
                () -> service.open(StreamSpec.captions("fr", RATE, "t"), new Recorder()));
        assertEquals(SpeechUnavailableException.Reason.UNSUPPORTED, lang.reason());
        assertTrue(lang.getMessage().contains("'fr'") && lang.getMessage().contains("en"), lang.getMessage());
        assertEquals(2, service.status().rejected());
    }

    @Test
    void everyRecognizerAndModelIsFreed() throws Exception {
        short[] pcm = audio.render(voiced(800), silence(800));
        // Finished normally.
        transcribe(captions(), pcm);
        // Closed halfway.
        Recorder closed = new Recorder();
        SpeechStream half = service.open(captions(), closed);
        half.accept(pcm, 0, pcm.length / 2);
        half.close();
        assertFalse(half.accept(pcm, 0, 10), "a closed stream takes no audio");
        // Still open when the service closes.
        Recorder leftEvents = new Recorder();
        SpeechStream left = service.open(captions(), leftEvents);
        left.accept(pcm, 0, pcm.length);
        await().atMost(WAIT).until(() -> !leftEvents.events.isEmpty());
        // Opened but never fed: no recognizer is made for it.
        service.open(captions(), new Recorder());

        service.close();

        assertEquals(decoders.opened.get(), decoders.closed.get(), "recognizers freed");
        assertTrue(decoders.opened.get() >= 2);
        assertEquals(1, decoders.factoryClosed.get(), "models freed");
        assertEquals(0, service.unreleasedStreams());
        assertEquals(SpeechStatus.State.CLOSED, service.status().state());
        assertNull(closed.status(), "a stream closed by its caller reports nothing more");
        SpeechUnavailableException after = assertThrows(SpeechUnavailableException.class,
                () -> service.open(captions(), new Recorder()));
        assertEquals(SpeechUnavailableException.Reason.CLOSED, after.reason());
    }

    @Test
    void statusReportsTheEngine() throws Exception {
        SpeechStatus idle = service.status();
        assertEquals(SpeechStatus.State.READY, idle.state());
        assertEquals(List.of("en"), idle.languages());
        assertEquals(2, idle.workers());
        assertEquals(0, idle.activeStreams());

        SpeechStream s = service.open(captions(), new Recorder());
        assertEquals(1, service.status().activeStreams());
        s.close();
        assertEquals(0, service.status().activeStreams());
        assertEquals(1, service.status().opened());
    }

    private static int indexOf(List<TranscriptEvent> events, TranscriptEvent e) {
        return events.indexOf(e);
    }

    @Test
    void resetEndsTheUtteranceSoFarAndTheStreamGoesOn() throws Exception {
        Recorder r = new Recorder();
        try (SpeechStream stream = service.open(captions().withMode(ResultMode.PER_CHUNK), r)) {
            short[] voice = audio.render(voiced(600));
            stream.accept(voice, 0, voice.length);
            stream.reset();
            stream.reset();
            short[] more = audio.render(voiced(800), silence(1200));
            stream.accept(more, 0, more.length);
            stream.finish();
            assertEquals(StreamState.ENDED, r.awaitStatus(WAIT).state());
        }
        // audio, reset, reset, audio, finish: a final for each reset (the second empty), in place.
        assertEquals(6, r.events.size(), () -> "events: " + r.events);
        assertEquals("speech", ((Final) r.events.get(1)).text());
        assertTrue(((Final) r.events.get(2)).isEmpty());
        assertEquals(2, r.nonEmptyFinals().size(), () -> "events: " + r.events);
    }

    @Test
    void alternativesAndAPhraseListReachTheRecognizer() throws Exception {
        StreamSpec spec = new StreamSpec("en", RATE, "t", true, ResultMode.CAPTIONS,
                new RecognizerOptions(4, List.of("speech", "no speech")));
        Recorder r = transcribe(spec, audio.render(voiced(1000), silence(1200)));
        assertEquals(spec.recognizer(), decoders.lastOptions);
        Final f = r.nonEmptyFinals().get(0);
        assertEquals("speech", f.text());
        assertEquals("speech", f.alternatives().get(0).text());
        assertEquals("speech", f.words().get(0).word());
    }
}
