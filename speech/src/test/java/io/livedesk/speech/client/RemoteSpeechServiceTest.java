package io.livedesk.speech.client;

import static io.livedesk.testkit.audio.SyntheticAudio.silence;
import static io.livedesk.testkit.audio.SyntheticAudio.voiced;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.livedesk.speech.api.ResultMode;
import io.livedesk.speech.api.SpeechService;
import io.livedesk.speech.api.SpeechStatus;
import io.livedesk.speech.api.SpeechStream;
import io.livedesk.speech.api.SpeechUnavailableException;
import io.livedesk.speech.api.StreamSpec;
import io.livedesk.speech.api.TranscriptEvent.Final;
import io.livedesk.speech.api.TranscriptEvent.Partial;
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

/** Our client against our real endpoint (Tyrus on both sides, real libvosk behind). */
class RemoteSpeechServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int RATE = 16000;
    private static LocalSpeechService local;
    private static SpeechServer server;
    private static String url;
    private final SyntheticAudio audio = new SyntheticAudio(RATE, 9);

    @BeforeAll
    static void start() throws Exception {
        local = LocalSpeechService.start(TestModels.modelsDir(), TestModels.english(),
                EngineSettings.defaults().withWorkers(2));
        server = SpeechServer.start(local, ServerSettings.defaults("en").withPort(0));
        url = "ws://127.0.0.1:" + server.port() + "/{language}";
    }

    @AfterAll
    static void stop() {
        server.close();
        local.close();
    }

    private Recorder transcribe(SpeechService service, StreamSpec spec, short[] pcm) throws Exception {
        Recorder r = new Recorder();
        try (SpeechStream s = service.open(spec, r)) {
            for (short[] c : audio.chunks(pcm, 100)) {
                assertTrue(s.accept(c, 0, c.length));
            }
            s.finish();
            r.awaitStatus(WAIT);
        }
        return r;
    }

    @Test
    void givesTheSameResultsAsTheLocalEngine() throws Exception {
        short[] pcm = audio.render(silence(500), voiced(1000), silence(1500), voiced(800), silence(1200));
        StreamSpec spec = StreamSpec.captions("en", RATE, "remote-test");
        Recorder viaLocal = transcribe(local, spec, pcm);
        Recorder viaRemote;
        try (RemoteSpeechService remote = new RemoteSpeechService(RemoteSettings.of(url))) {
            viaRemote = transcribe(remote, spec, pcm);
            assertEquals(0, remote.status().activeStreams());
        }
        assertEquals(new Status(StreamState.ENDED, "finished"), viaRemote.status());
        List<Final> expected = viaLocal.nonEmptyFinals();
        assertEquals(2, expected.size(), () -> "local: " + viaLocal.events);
        assertEquals(expected, viaRemote.nonEmptyFinals(), () -> "remote: " + viaRemote.events);
        assertTrue(viaRemote.finals().stream().noneMatch(Final::isEmpty), "captions mode: no empty finals");
        // Partials: the caption showed the word before the final, and only changes are reported.
        int partial = viaRemote.events.indexOf(new Partial("speech"));
        assertTrue(partial >= 0 && partial < viaRemote.events.indexOf(expected.get(0)), () -> "" + viaRemote.events);
        assertTrue(viaRemote.threads.stream().allMatch(t -> t.startsWith("ld-speech-client")), viaRemote.threads::toString);
    }

    @Test
    void perChunkModeGivesOneEventPerFrameSent() throws Exception {
        short[] pcm = audio.render(voiced(600), silence(1400));
        try (RemoteSpeechService remote = new RemoteSpeechService(RemoteSettings.of(url))) {
            Recorder r = transcribe(remote, StreamSpec.captions("en", RATE, "t").withMode(ResultMode.PER_CHUNK), pcm);
            // 20 frames of 100 ms, the reply to eof, the end.
            assertEquals(22, r.events.size(), () -> "" + r.events);
            assertEquals(1, r.nonEmptyFinals().size());
        }
    }

    @Test
    void anUnreachableNodeFailsTheStreamNotTheCaller() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (RemoteSpeechService remote = new RemoteSpeechService(
                RemoteSettings.of("ws://127.0.0.1:" + port + "/").withConnectTimeout(Duration.ofSeconds(2)))) {
            Recorder r = new Recorder();
            SpeechStream s = remote.open(StreamSpec.captions("en", RATE, "t"), r);
            s.accept(new short[1600], 0, 1600);
            Status status = r.awaitStatus(WAIT);
            assertEquals(StreamState.FAILED, status.state());
            assertTrue(status.reason().contains("cannot connect"), status.reason());
            assertFalse(s.accept(new short[1600], 0, 1600));
            assertEquals(1, remote.status().failed());
        }
    }

    @Test
    void theNodesErrorsBecomeStatuses() throws Exception {
        try (RemoteSpeechService remote = new RemoteSpeechService(RemoteSettings.of(url))) {
            Recorder r = new Recorder();
            remote.open(StreamSpec.captions("fr", RATE, "t"), r).accept(new short[1600], 0, 1600);
            Status status = r.awaitStatus(WAIT);
            assertEquals(StreamState.FAILED, status.state());
            assertTrue(status.reason().contains("closed the connection"), status.reason());
            // The node refuses in its onOpen and closes at once; when that close races the client's first
            // writes, Tyrus reports 1006 and the node's words may be lost. When the close handshake completes,
            // its code and message are what the status carries.
            if (status.reason().contains("(1008")) {
                assertTrue(status.reason().contains("unsupported language 'fr'"), status.reason());
            } else {
                assertTrue(status.reason().contains("(1006"), status.reason());
            }
        }
    }

    @Test
    void anOverloadedNodeShedsTheStream() throws Exception {
        try (LocalSpeechService one = LocalSpeechService.start(TestModels.modelsDir(), TestModels.english(),
                EngineSettings.defaults().withWorkers(1).withMaxStreams(1));
             SpeechServer small = SpeechServer.start(one, ServerSettings.defaults("en").withPort(0));
             RemoteSpeechService remote = new RemoteSpeechService(
                     RemoteSettings.of("ws://127.0.0.1:" + small.port() + "/{language}"))) {
            Recorder first = new Recorder();
            SpeechStream a = remote.open(StreamSpec.captions("en", RATE, "a"), first);
            a.accept(new short[1600], 0, 1600);
            await().atMost(WAIT).until(() -> one.status().activeStreams() == 1);
            Recorder second = new Recorder();
            remote.open(StreamSpec.captions("en", RATE, "b"), second).accept(new short[1600], 0, 1600);
            Status status = second.awaitStatus(WAIT);
            assertEquals(StreamState.SHED, status.state());
            assertTrue(status.reason().startsWith("overloaded"), status.reason());
            assertNull(first.status(), "the first stream goes on");
            a.close();
        }
    }

    @Test
    void aNodeThatStopsAnsweringTimesOut() throws Exception {
        try (SilentServer silent = SilentServer.start();
             RemoteSpeechService remote = new RemoteSpeechService(
                     RemoteSettings.of("ws://127.0.0.1:" + silent.port() + "/").withReplyTimeout(Duration.ofMillis(500)))) {
            Recorder r = new Recorder();
            SpeechStream s = remote.open(StreamSpec.captions("en", RATE, "t"), r);
            s.accept(new short[3200], 0, 3200);
            Status status = r.awaitStatus(WAIT);
            assertEquals(StreamState.FAILED, status.state());
            assertTrue(status.reason().contains("no reply"), status.reason());
        }
    }

    @Test
    void closingTheServiceClosesItsConnections() throws Exception {
        RemoteSpeechService remote = new RemoteSpeechService(RemoteSettings.of(url));
        Recorder r = new Recorder();
        SpeechStream s = remote.open(StreamSpec.captions("en", RATE, "t"), r);
        s.accept(new short[3200], 0, 3200);
        await().atMost(WAIT).until(() -> server.stats().active() >= 1);
        remote.close();
        await().atMost(WAIT).until(() -> server.stats().active() == 0 && local.status().activeStreams() == 0);
        assertEquals(SpeechStatus.State.CLOSED, remote.status().state());
        assertNull(r.status(), "closed by its owner: no status");
        SpeechUnavailableException e = assertThrows(SpeechUnavailableException.class,
                () -> remote.open(StreamSpec.captions("en", RATE, "t"), new Recorder()));
        assertEquals(SpeechUnavailableException.Reason.CLOSED, e.reason());
    }

    @Test
    void aLanguageWithoutANodeIsRefused() {
        try (RemoteSpeechService zhOnly = new RemoteSpeechService(new RemoteSettings("", Map.of("zh", url),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(100), 1, 1, Duration.ofSeconds(1)))) {
            SpeechUnavailableException e = assertThrows(SpeechUnavailableException.class,
                    () -> zhOnly.open(StreamSpec.captions("en", RATE, "t"), new Recorder()));
            assertEquals(SpeechUnavailableException.Reason.UNSUPPORTED, e.reason());
            assertEquals(List.of("zh"), zhOnly.status().languages());
        }
    }
}
