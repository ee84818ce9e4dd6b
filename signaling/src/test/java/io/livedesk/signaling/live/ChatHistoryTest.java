package io.livedesk.signaling.live;

import io.livedesk.signaling.auth.Subject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChatHistoryTest {
    private static ChatMessage m(int n) {
        return new ChatMessage("m-" + n, Subject.of("v-" + n), "Viewer " + n, "text " + n, false, n);
    }

    private static List<String> ids(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::messageId).toList();
    }

    @Test
    void nothingIsServedUntilTheStoresPartWasLoaded() {
        ChatHistory h = new ChatHistory(50);
        h.posted(m(3));
        assertEquals(Optional.empty(), h.recent());
    }

    @Test
    void whatTheBusBroughtAndWhatTheStoreHeldMergeInTheStoresOrderWithoutDuplicates() {
        ChatHistory h = new ChatHistory(50);
        h.posted(m(12));
        h.posted(m(11)); // events from two nodes may cross
        assertEquals(List.of("m-9", "m-10", "m-11", "m-12"), ids(h.load(List.of(m(9), m(10), m(11)))));
        h.posted(m(13));
        assertEquals(List.of("m-9", "m-10", "m-11", "m-12", "m-13"), ids(h.recent().orElseThrow()));
    }

    @Test
    void aMessageDeletedWhileTheStoreWasReadDoesNotComeBack() {
        ChatHistory h = new ChatHistory(50);
        h.deleted("m-10");
        assertEquals(List.of("m-9"), ids(h.load(List.of(m(9), m(10)))));
        h.deleted("m-9");
        assertEquals(List.of(), ids(h.recent().orElseThrow()));
    }

    @Test
    void onlyTheLatestAreKeptAndALaterLoadChangesNothing() {
        ChatHistory h = new ChatHistory(3);
        h.load(List.of(m(1), m(2)));
        h.posted(m(3));
        h.posted(m(4));
        assertEquals(List.of("m-2", "m-3", "m-4"), ids(h.recent().orElseThrow()));
        assertEquals(List.of("m-2", "m-3", "m-4"), ids(h.load(List.of(m(1)))));
    }

    @Test
    void idsTheStoreDidNotGiveAreIgnored() {
        assertEquals(-1, ChatHistory.number("m-"));
        assertEquals(-1, ChatHistory.number("x-5"));
        assertEquals(-1, ChatHistory.number("m-5x"));
        assertEquals(7, ChatHistory.number("m-7"));
    }
}
