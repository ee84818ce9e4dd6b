package io.livedesk.speech.client;

import static io.livedesk.testkit.audio.SyntheticAudio.silence;
import static io.livedesk.testkit.audio.SyntheticAudio.voiced;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import io.livedesk.speech.api.SpeechStream;
import io.livedesk.speech.api.StreamSpec;
import io.livedesk.speech.api.TranscriptEvent.Final;
import io.livedesk.speech.api.TranscriptEvent.Status;
import io.livedesk.speech.api.TranscriptEvent.StreamState;
import io.livedesk.speech.engine.EngineSettings;
import io.livedesk.speech.engine.LocalSpeechService;
import io.livedesk.speech.server.ServerSettings;
import io.livedesk.speech.server.SpeechServer;
import io.livedesk.speech.testing.Recorder;
import io.livedesk.speech.testing.SilentServer;
import io.livedesk.speech.testing.TestModels;
import io.livedesk.testkit.audio.SyntheticAudio;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several speech nodes for one language: streams go to the least loaded node that answers, and a stream whose node
 * fails mid-call moves to another with the audio that node had not answered, so its results are the same as if
 * nothing had happened; a node that failed gets streams again once it answers a health check.
 */
@Timeout(60)
class RemoteSpeechFailoverTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int RATE = 16000;
    private static LocalSpeechService engine;
    private final SyntheticAudio audio = new SyntheticAudio(RATE, 9);

    @BeforeAll
    static void start() throws Exception {
        engine = LocalSpeechService.start(TestModels.modelsDir(), TestModels.english(),
                EngineSettings.defaults().withWorkers(2));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static SpeechServer node(int port) throws java.io.IOException {
        return SpeechServer.start(engine, ServerSettings.defaults("en").withPort(port));
    }

    private static String url(SpeechServer node) {
        return "ws://127.0.0.1:" + node.port() + "/{language}";
    }

    private short[] twoUtterances() {
        return audio.render(silence(500), voiced(1000), silence(1500), voiced(800), silence(1200));
    }

    /** What one node alone gives the same audio: the reference. */
    private List<Final> expected(short[] pcm) throws Exception {
        Recorder r = new Recorder();
        try (SpeechStream s = engine.open(StreamSpec.captions("en", RATE, "reference"), r)) {
            for (short[] c : audio.chunks(pcm, 100)) {
                s.accept(c, 0, c.length);
            }
            s.finish();
            r.awaitStatus(WAIT);
        }
        assertEquals(2, r.nonEmptyFinals().size(), () -> "reference: " + r.events);
        return r.nonEmptyFinals();
    }

    @Test
    void aNodeThatStopsAnsweringMidStreamHandsItsUnansweredAudioToAnotherAndNothingIsLost() throws Exception {
        short[] pcm = twoUtterances();
        List<Final> expected = expected(pcm);
        try (SilentServer hung = SilentServer.start();
             SpeechServer good = node(0);
             RemoteSpeechService remote = new RemoteSpeechService(RemoteSettings.of(List.of(
                     "ws://127.0.0.1:" + hung.port() + "/", url(good))).withReplyTimeout(Duration.ofMillis(500)))) {
            Recorder r = new Recorder();
            // The hung node is first in order and idle: the stream opens there, and everything it is sent waits.
            try (SpeechStream s = remote.open(StreamSpec.captions("en", RATE, "moved"), r)) {
                for (short[] c : audio.chunks(pcm, 100)) {
                    assertTrue(s.accept(c, 0, c.length));
                }
                s.finish();
                Status status = r.awaitStatus(WAIT);
                assertEquals(new Status(StreamState.ENDED, "finished"), status);
            }
            assertEquals(expected, r.nonEmptyFinals(), () -> "after the move: " + r.events);
            assertEquals(1, remote.streamsMoved());
            assertFalse(remote.isNodeUp(URI.create("ws://127.0.0.1:" + hung.port() + "/")));
            assertEquals(0, remote.status().failed());
        }
    }

    @Test
    void aNodeThatGoesAwayBetweenUtterancesLosesNothingAndNewStreamsAvoidItUntilItIsBack() throws Exception {
        short[] first = audio.render(silence(500), voiced(1000), silence(1500));
        short[] second = audio.render(voiced(800), silence(1200));
        SpeechServer a = node(0);
        int aPort = a.port();
        URI aUrl = URI.create("ws://127.0.0.1:" + aPort + "/en");
        try (SpeechServer b = node(0);
             RemoteSpeechService remote = new RemoteSpeechService(RemoteSettings.of(List.of(url(a), url(b)))
                     .withHealthInterval(Duration.ofMillis(200)))) {
            Recorder r = new Recorder();
            SpeechStream s = remote.open(StreamSpec.captions("en", RATE, "survivor"), r);
            for (short[] c : audio.chunks(first, 100)) {
                assertTrue(s.accept(c, 0, c.length));
            }
            await("the first utterance's final, every frame answered").atMost(WAIT)
                    .until(() -> r.nonEmptyFinals().size() == 1 && s.lagMillis() == 0);

            a.close(); // node a goes away mid-call
            await("the stream moved to b").atMost(WAIT).until(() -> remote.streamsMoved() == 1);
            for (short[] c : audio.chunks(second, 100)) {
                assertTrue(s.accept(c, 0, c.length));
            }
            s.finish();
            assertEquals(new Status(StreamState.ENDED, "finished"), r.awaitStatus(WAIT));
            assertEquals(2, r.nonEmptyFinals().size(), () -> "both utterances: " + r.events);
            s.close();
            assertFalse(remote.isNodeUp(aUrl));

            // While a is down, a new stream goes straight to b.
            Recorder other = new Recorder();
            SpeechStream onB = remote.open(StreamSpec.captions("en", RATE, "while-down"), other);
            onB.accept(new short[3200], 0, 3200);
            await().atMost(WAIT).until(() -> onB.lagMillis() == 0 && other.status() == null);
            assertEquals(1, remote.streamsMoved(), "no move needed: it opened on b");

            // a comes back on its port: a health check finds it, and the next stream (b is busy) goes there.
            try (SpeechServer back = node(aPort)) {
                await("a health check finds a again").atMost(WAIT).until(() -> remote.isNodeUp(aUrl));
                Recorder third = new Recorder();
                try (SpeechStream onA = remote.open(StreamSpec.captions("en", RATE, "back"), third)) {
                    for (short[] c : audio.chunks(second, 100)) {
                        assertTrue(onA.accept(c, 0, c.length));
                    }
                    await("the third stream is served by a").atMost(WAIT).until(() -> back.stats().active() == 1);
                    onA.finish();
                    assertEquals(StreamState.ENDED, third.awaitStatus(WAIT).state());
                }
                assertEquals(1, remote.streamsMoved());
            }
            assertNull(other.status(), "the stream on b went on throughout");
            onB.close();
        } finally {
            a.close();
        }
    }

    @Test
    void withNoNodeLeftTheStreamFailsAndSaysWhy() throws Exception {
        try (SilentServer hung = SilentServer.start();
             RemoteSpeechService remote = new RemoteSpeechService(RemoteSettings.of(List.of(
                     "ws://127.0.0.1:" + hung.port() + "/", "ws://127.0.0.1:1/")).withReplyTimeout(Duration.ofMillis(500))
                     .withConnectTimeout(Duration.ofSeconds(1)))) {
            Recorder r = new Recorder();
            SpeechStream s = remote.open(StreamSpec.captions("en", RATE, "nowhere"), r);
            s.accept(new short[3200], 0, 3200);
            Status status = r.awaitStatus(WAIT);
            assertEquals(StreamState.FAILED, status.state());
            assertTrue(status.reason().contains("127.0.0.1:1"), status.reason());
            assertTrue(remote.streamsMoved() >= 1, "it tried the other node");
            assertEquals(1, remote.status().failed());
        }
    }

    @Test
    void whenTheOnlyNodeRestartsWithinTheQueueLimitTheStreamWaitsForItAndLosesNoUtterance() throws Exception {
        short[] first = audio.render(silence(500), voiced(1000), silence(1500));
        short[] second = audio.render(voiced(800), silence(1200));
        SpeechServer node = node(0);
        int port = node.port();
        try (RemoteSpeechService remote = new RemoteSpeechService(RemoteSettings.of(url(node)))) {
            Recorder r = new Recorder();
            try (SpeechStream s = remote.open(StreamSpec.captions("en", RATE, "restart"), r)) {
                for (short[] c : audio.chunks(first, 100)) {
                    assertTrue(s.accept(c, 0, c.length));
                }
                await("the first utterance").atMost(WAIT).until(() -> r.nonEmptyFinals().size() == 1);
                node.close();
                // Audio while no node answers: the stream keeps it (within its 5 s queue limit).
                List<short[]> chunks = audio.chunks(second, 100);
                for (short[] c : chunks.subList(0, chunks.size() / 2)) {
                    assertTrue(s.accept(c, 0, c.length));
                }
                await("the stream found no node").atMost(WAIT).until(() -> !remote.isNodeUp(
                        URI.create("ws://127.0.0.1:" + port + "/en")));
                node = node(port);
                for (short[] c : chunks.subList(chunks.size() / 2, chunks.size())) {
                    assertTrue(s.accept(c, 0, c.length));
                }
                s.finish();
                assertEquals(new Status(StreamState.ENDED, "finished"), r.awaitStatus(WAIT));
            }
            assertEquals(2, r.nonEmptyFinals().size(), () -> "both utterances: " + r.events);
            assertEquals(0, remote.status().failed());
        } finally {
            node.close();
        }
    }
}
