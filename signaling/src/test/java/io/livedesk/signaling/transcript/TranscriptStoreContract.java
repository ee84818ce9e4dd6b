package io.livedesk.signaling.transcript;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@link TranscriptStore} contract; subclasses only provide the store. */
public abstract class TranscriptStoreContract {

    static final long T0 = 1_700_000_000_000L;
    static final TranscriptLimits ROOMY = new TranscriptLimits(Duration.ofDays(30), 5000, 10_000);

    /** A fresh, empty store with these limits. */
    protected abstract TranscriptStore createStore(TranscriptLimits limits);

    protected void closeStore() {
    }

    @AfterEach
    void tearDown() {
        closeStore();
    }

    static TranscriptLine line(String callId, String speaker, long at, String text) {
        return TranscriptLine.unsaved(CallId.of(callId), speaker, Subject.of(speaker.equals("customer") ? "cust-1" : "staff-1"), at, at + 900,
                text, List.of(new TranscriptLine.Word(text.split(" ")[0], 0, 300, 0.87)));
    }

    @Test
    void linesComeBackInOrderNumberedFromOne() {
        TranscriptStore store = createStore(ROOMY);
        TranscriptLine a = store.append(line("c1", "customer", T0, "hello I lost my card"));
        TranscriptLine b = store.append(line("c1", "staff", T0 + 1000, "let me block it for you"));
        TranscriptLine c = store.append(line("c1", "customer", T0 + 2000, "thank you"));
        assertEquals(List.of(1L, 2L, 3L), List.of(a.seq(), b.seq(), c.seq()));

        List<TranscriptLine> lines = store.lines(CallId.of("c1"));
        assertEquals(List.of(a, b, c), lines, "each line reads back whole, words and all");
        assertEquals(Subject.of("staff-1"), lines.get(1).speakerId());
        assertEquals(new TranscriptLine.Word("hello", 0, 300, 0.87), lines.get(0).words().get(0));
    }

    @Test
    void callsAreKeptApart() {
        TranscriptStore store = createStore(ROOMY);
        store.append(line("c1", "customer", T0, "one"));
        store.append(line("c2", "customer", T0, "two"));
        store.append(line("c1", "staff", T0 + 1, "three"));
        assertEquals(List.of("one", "three"), texts(store.lines(CallId.of("c1"))));
        assertEquals(List.of("two"), texts(store.lines(CallId.of("c2"))));
        assertEquals(1, store.lines(CallId.of("c2")).get(0).seq(), "each call numbers its own lines");
    }

    @Test
    void anUnknownCallHasNoLines() {
        TranscriptStore store = createStore(ROOMY);
        assertEquals(List.of(), store.lines(CallId.of("nobody-called")));
    }

    @Test
    void unicodeTextAndNullsRoundTrip() {
        TranscriptStore store = createStore(ROOMY);
        String text = "请告诉我验证码 \"quoted\" \\ back-slash, emoji 🙂, new\nline, ｆｕｌｌ width";
        TranscriptLine sent = TranscriptLine.unsaved(CallId.of("c-unicode"), "supervisor", null, T0, T0, text, List.of(
                new TranscriptLine.Word("验证码", 10, 20, 1.0), new TranscriptLine.Word("🙂", 20, 20, 0.0)));
        TranscriptLine stored = store.append(sent);
        assertEquals(List.of(stored), store.lines(CallId.of("c-unicode")));
        assertEquals(text, store.lines(CallId.of("c-unicode")).get(0).text());
        TranscriptLine noWords = store.append(TranscriptLine.unsaved(CallId.of("c-unicode"), "staff", Subject.of("s"), T0, T0 + 5, "x", null));
        assertEquals(List.of(), store.lines(CallId.of("c-unicode")).get(1).words());
        assertEquals(2, noWords.seq());
    }

    @Test
    void theOldestLinesGoBeyondTheLimitAndNumberingGoesOn() {
        TranscriptStore store = createStore(new TranscriptLimits(Duration.ofDays(1), 3, 10));
        for (int i = 1; i <= 5; i++) {
            store.append(line("c1", "customer", T0 + i, "line " + i));
        }
        List<TranscriptLine> lines = store.lines(CallId.of("c1"));
        assertEquals(List.of("line 3", "line 4", "line 5"), texts(lines));
        assertEquals(List.of(3L, 4L, 5L), lines.stream().map(TranscriptLine::seq).toList());
    }

    @Test
    void aTranscriptIsForgottenAfterTheRetention() {
        TranscriptStore store = createStore(new TranscriptLimits(Duration.ofMillis(1500), 100, 10));
        store.append(line("c1", "customer", T0, "soon gone"));
        assertEquals(1, store.lines(CallId.of("c1")).size(), "kept within the retention");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> store.lines(CallId.of("c1")).isEmpty());
        TranscriptLine again = store.append(line("c1", "customer", T0, "new start"));
        assertEquals(1, again.seq(), "a forgotten transcript starts over");
    }

    @Test
    void concurrentAppendsGetDistinctNumbers() throws Exception {
        TranscriptStore store = createStore(ROOMY);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<TranscriptLine>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                futures.add(pool.submit(() -> store.append(line("c1", n % 2 == 0 ? "customer" : "staff", T0 + n, "w" + n))));
            }
            List<Long> seqs = new ArrayList<>();
            for (Future<TranscriptLine> f : futures) {
                seqs.add(f.get().seq());
            }
            assertEquals(IntStream.rangeClosed(1, 200).mapToObj(i -> (long) i).toList(), seqs.stream().sorted().toList());
            List<TranscriptLine> lines = store.lines(CallId.of("c1"));
            assertEquals(200, lines.size());
            for (int i = 1; i < lines.size(); i++) {
                assertTrue(lines.get(i - 1).seq() < lines.get(i).seq(), "stored in numbering order");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static List<String> texts(List<TranscriptLine> lines) {
        return lines.stream().map(TranscriptLine::text).toList();
    }
}
