package io.livedesk.signaling.live;

import io.livedesk.signaling.auth.Subject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@link ChatStore} contract; subclasses only provide the store. */
public abstract class ChatStoreContract {

    static final long T0 = 1_700_000_000_000L;
    static final BroadcastId B = BroadcastId.of("b1");
    static final BroadcastId OTHER = BroadcastId.of("b2");

    private ChatStore store;

    /** A fresh, empty store for each test. */
    protected abstract ChatStore createStore();

    /** Releases what {@link #createStore} opened. */
    protected void closeStore() {
    }

    @BeforeEach
    void setUp() {
        store = createStore();
    }

    @AfterEach
    void tearDown() {
        closeStore();
    }

    static Subject v(String id) {
        return Subject.of(id);
    }

    /** A message as a node hands it to the store: any id, which the store replaces. */
    static ChatMessage draft(String text) {
        return new ChatMessage("draft", v("viewer-1"), "Ann", text, false, T0);
    }

    static List<String> ids(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::messageId).toList();
    }

    /** Appends {@code n} messages "1".."n" to the broadcast; returns them as kept. */
    static List<ChatMessage> appendMany(ChatStore store, BroadcastId broadcastId, int n) {
        List<ChatMessage> kept = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            kept.add(store.append(broadcastId, draft(Integer.toString(i))));
        }
        return kept;
    }

    @Test
    void appendNumbersEachBroadcastsMessagesFromOneAndReturnsThemAsKept() {
        ChatMessage host = new ChatMessage("", v("host-7"), "The host", "Welcome!", true, T0 + 5);

        assertEquals(new ChatMessage("m-1", v("host-7"), "The host", "Welcome!", true, T0 + 5), store.append(B, host));
        assertEquals("m-2", store.append(B, draft("hi")).messageId());
        assertEquals("m-1", store.append(OTHER, draft("elsewhere")).messageId(), "numbered per broadcast");
        assertEquals("m-3", store.append(B, draft("again")).messageId());

        assertEquals(List.of(new ChatMessage("m-1", v("host-7"), "The host", "Welcome!", true, T0 + 5),
                new ChatMessage("m-2", v("viewer-1"), "Ann", "hi", false, T0),
                new ChatMessage("m-3", v("viewer-1"), "Ann", "again", false, T0)), store.recent(B));
        assertEquals(List.of("m-1"), ids(store.recent(OTHER)));
    }

    @Test
    void recentKeepsOnlyTheLatestOnesOldestFirst() {
        List<ChatMessage> appended = appendMany(store, B, ChatStore.KEPT + 5);

        List<ChatMessage> recent = store.recent(B);

        assertEquals(appended.subList(5, appended.size()), recent);
        assertEquals("m-6", recent.get(0).messageId());
        assertEquals("m-" + (ChatStore.KEPT + 5), recent.get(ChatStore.KEPT - 1).messageId());
        assertEquals(ChatStore.KEPT + 5 + "", recent.get(ChatStore.KEPT - 1).text());
    }

    @Test
    void anyTextRoundTripsExactly() {
        List<String> texts = List.of(
                "固定利率是多少？", "👍🏽🎉 家族 👨‍👩‍👧", "He said \"hi\", then 'bye' \\ and left",
                "line one\nline two\r\n\ttabbed\u2028after a line separator", "", " leading and trailing ",
                "{\"messageId\":\"m-99\",\"text\":\"not me\"}", "nul \u0000 and bell \u0007",
                "x".repeat(ChatMessage.MAX_TEXT));
        String name = "李华 \"Li\" 🙂";
        List<ChatMessage> appended = new ArrayList<>();
        for (String text : texts) {
            appended.add(store.append(B, new ChatMessage("draft", v("viewer-1"), name, text, false, T0)));
        }

        assertEquals(texts, store.recent(B).stream().map(ChatMessage::text).toList());
        assertEquals(appended, store.recent(B));
        assertEquals(name, store.recent(B).get(0).name());
    }

    @Test
    void deleteRemovesAKeptMessageOnce() {
        appendMany(store, B, 3);
        appendMany(store, OTHER, 3);

        assertTrue(store.delete(B, "m-2"));

        assertEquals(List.of("m-1", "m-3"), ids(store.recent(B)));
        assertFalse(store.delete(B, "m-2"), "already deleted");
        assertEquals(List.of("m-1", "m-2", "m-3"), ids(store.recent(OTHER)), "the other broadcast is untouched");
        assertEquals("m-4", store.append(B, draft("next")).messageId(), "a number is never given again");
        assertEquals(List.of("m-1", "m-3", "m-4"), ids(store.recent(B)));
    }

    @Test
    void deleteOfAnUnknownOrNoLongerKeptMessageIsFalse() {
        appendMany(store, B, ChatStore.KEPT + 1);

        assertFalse(store.delete(B, "m-1"), "trimmed away");
        assertFalse(store.delete(B, "m-" + (ChatStore.KEPT + 2)), "not written yet");
        for (String notAnId : List.of("", "m-", "m-0", "m-02", "2", "m-2 ", "M-2", "m-2\",",
                "m-2\",\"from\":\"viewer-1\",\"name\":\"Ann")) { // the last: how m-2's stored JSON begins
            assertFalse(store.delete(B, notAnId), notAnId);
        }
        assertFalse(store.delete(BroadcastId.of("nope"), "m-2"));
        assertEquals(ChatStore.KEPT, store.recent(B).size(), "nothing deleted");
        assertTrue(store.delete(B, "m-2"), "the oldest kept one");
    }

    @Test
    void aDeletedMessageFreesItsPlaceAndNeverComesBack() {
        appendMany(store, B, ChatStore.KEPT);
        assertTrue(store.delete(B, "m-" + ChatStore.KEPT));
        assertTrue(store.delete(B, "m-3"));

        store.append(B, draft("a"));
        store.append(B, draft("b"));

        // Two deleted, two appended: a late joiner still gets KEPT messages, m-1 among them.
        List<String> expected = new ArrayList<>();
        IntStream.rangeClosed(1, ChatStore.KEPT - 1).filter(i -> i != 3).forEach(i -> expected.add("m-" + i));
        expected.add("m-" + (ChatStore.KEPT + 1));
        expected.add("m-" + (ChatStore.KEPT + 2));
        assertEquals(expected, ids(store.recent(B)));

        store.append(B, draft("c"));
        assertEquals("m-2", store.recent(B).get(0).messageId(), "then the oldest kept one goes");
        assertFalse(ids(store.recent(B)).contains("m-3"));
    }

    @Test
    void muteAndUnmuteReportWhetherTheyChangedAnything() {
        assertFalse(store.isMuted(B, v("a")));
        assertFalse(store.mute(B, v("a"), false), "not muted");

        assertTrue(store.mute(B, v("a"), true));
        assertTrue(store.isMuted(B, v("a")));
        assertFalse(store.mute(B, v("a"), true), "already muted");
        assertFalse(store.isMuted(B, v("b")), "per viewer");
        assertFalse(store.isMuted(OTHER, v("a")), "per broadcast");

        assertTrue(store.mute(B, v("a"), false));
        assertFalse(store.isMuted(B, v("a")));
        assertFalse(store.mute(B, v("a"), false));
    }

    @Test
    void removeForgetsTheBroadcastsChatAndMutesOnly() {
        appendMany(store, B, 3);
        store.mute(B, v("a"), true);
        appendMany(store, OTHER, 2);
        store.mute(OTHER, v("a"), true);

        store.remove(B);

        assertEquals(List.of(), store.recent(B));
        assertFalse(store.isMuted(B, v("a")));
        assertFalse(store.delete(B, "m-1"));
        assertEquals(List.of("m-1", "m-2"), ids(store.recent(OTHER)), "the other broadcast is untouched");
        assertTrue(store.isMuted(OTHER, v("a")));
        // Nothing of the ended broadcast is left, its numbering included.
        assertEquals("m-1", store.append(B, draft("x")).messageId());
    }

    @Test
    void anUnknownBroadcastIsEmpty() {
        BroadcastId nope = BroadcastId.of("nope");
        assertEquals(List.of(), store.recent(nope));
        assertFalse(store.delete(nope, "m-1"));
        assertFalse(store.isMuted(nope, v("a")));
        store.remove(nope);
        assertEquals(List.of(), store.recent(nope));
    }

    @Test
    void missingArgumentsAreRefused() {
        assertThrows(NullPointerException.class, () -> store.append(null, draft("x")));
        assertThrows(NullPointerException.class, () -> store.append(B, null));
        assertThrows(NullPointerException.class, () -> store.recent(null));
        assertThrows(NullPointerException.class, () -> store.delete(B, null));
        assertThrows(NullPointerException.class, () -> store.mute(B, null, true));
        assertEquals(List.of(), store.recent(B), "nothing stored");
    }

    @Test
    void concurrentAppendsGetEveryNumberOnceInTheOrderKept() throws Exception {
        int threads = 8;
        int perThread = 40;
        List<List<ChatMessage>> byThread = appendConcurrently(List.of(store), threads, perThread);

        assertNumberedOnceAndKeptInOrder(store.recent(B), byThread, threads * perThread);
    }

    /**
     * Appends from {@code threads} threads at once, spread over the given stores (nodes); each thread's
     * messages say which thread wrote them. Returns each thread's messages as kept, in its order.
     */
    static List<List<ChatMessage>> appendConcurrently(List<ChatStore> nodes, int threads, int perThread)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<ChatMessage>>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                ChatStore node = nodes.get(t % nodes.size());
                Subject writer = v("t" + t);
                done.add(pool.submit(() -> {
                    start.await();
                    List<ChatMessage> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        ChatMessage draft = new ChatMessage("draft", writer, writer.value(), "#" + i, false, T0 + i);
                        mine.add(node.append(B, draft));
                    }
                    return mine;
                }));
            }
            start.countDown();
            List<List<ChatMessage>> byThread = new ArrayList<>();
            for (Future<List<ChatMessage>> f : done) {
                byThread.add(f.get(30, TimeUnit.SECONDS));
            }
            return byThread;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The writers got every number from 1 to {@code total} once, each writer's rising in the order it wrote;
     * the kept messages are the latest {@link ChatStore#KEPT}, in number order, each the one its writer got.
     */
    static void assertNumberedOnceAndKeptInOrder(List<ChatMessage> recent, List<List<ChatMessage>> byThread,
                                                 int total) {
        List<String> all = byThread.stream().flatMap(List::stream).map(ChatMessage::messageId)
                .sorted(Comparator.comparingInt(id -> Integer.parseInt(id.substring(2)))).toList();
        assertEquals(IntStream.rangeClosed(1, total).mapToObj(i -> "m-" + i).toList(), all);
        assertEquals(IntStream.rangeClosed(total - ChatStore.KEPT + 1, total).mapToObj(i -> "m-" + i).toList(),
                ids(recent));
        List<ChatMessage> returned = byThread.stream().flatMap(List::stream).toList();
        assertTrue(returned.containsAll(recent), "kept as returned to its writer");
        for (List<ChatMessage> mine : byThread) {
            List<Integer> numbers = mine.stream().map(m -> Integer.parseInt(m.messageId().substring(2))).toList();
            assertEquals(numbers.stream().sorted().toList(), numbers);
        }
    }
}
