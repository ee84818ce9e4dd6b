package io.livedesk.signaling.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisChatStoreTest extends ChatStoreContract {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    /** The node's own mapper, as the server wires it, so the stored format is tested as used. */
    private final ObjectMapper json = new MessageCodec().mapper();
    private final RedisKeys keys = new RedisKeys("test");
    private final List<RedisConnections> connections = new ArrayList<>();

    @Override
    protected ChatStore createStore() {
        redis.flushAll();
        return node();
    }

    /** Another store on its own Redis connection, as a second signaling node has. */
    private ChatStore node() {
        RedisConnections c = new RedisConnections(redis.url(), Duration.ofSeconds(5));
        connections.add(c);
        return new RedisChatStore(c, keys, json);
    }

    private RedisClusterCommands<String, String> admin() {
        return connections.get(0).sync();
    }

    @Override
    protected void closeStore() {
        connections.forEach(RedisConnections::close);
        connections.clear();
    }

    @Test
    void twoNodesAppendingAtOnceNeverShareANumber() throws Exception {
        ChatStore a = node();
        ChatStore b = node();
        int threads = 6;
        int perThread = 50;

        List<List<ChatMessage>> byThread = appendConcurrently(List.of(a, b), threads, perThread);

        assertNumberedOnceAndKeptInOrder(a.recent(B), byThread, threads * perThread);
        assertEquals(a.recent(B), b.recent(B));
    }

    @Test
    void aDeleteOrMuteOnOneNodeHoldsOnTheOther() {
        ChatStore a = node();
        ChatStore b = node();
        a.append(B, draft("one"));
        a.append(B, draft("two"));

        assertTrue(b.delete(B, "m-1"));
        assertFalse(a.delete(B, "m-1"));
        assertTrue(a.mute(B, v("x"), true));
        assertFalse(b.mute(B, v("x"), true));

        assertEquals(List.of("m-2"), ids(a.recent(B)));
        assertTrue(b.isMuted(B, v("x")));
    }

    @Test
    void anAppendIsOneScriptAndTheListNeverHoldsMoreThanKept() {
        ChatStore store = node();
        ScriptRuns.reset(admin());

        appendMany(store, B, ChatStore.KEPT + 10);

        assertEquals(ChatStore.KEPT + 10, ScriptRuns.count(admin()));
        assertEquals(ChatStore.KEPT, admin().llen(keys.chat(B)));
    }

    @Test
    void messagesAreStoredAsJsonWithTheSubjectAsAPlainString() throws Exception {
        ChatStore store = node();
        store.append(B, new ChatMessage("draft", v("viewer-1"), "Ann", "Hello \"you\"", true, T0));

        JsonNode stored = json.readTree(admin().lindex(keys.chat(B), 0));

        assertEquals("m-1", stored.get("messageId").textValue());
        assertEquals("viewer-1", stored.get("from").textValue());
        assertEquals("Hello \"you\"", stored.get("text").textValue());
        assertEquals(T0, stored.get("atMs").longValue());
        assertTrue(stored.get("fromStage").booleanValue());
        assertEquals(1, stored.findValues("messageId").size(), "the draft's id is not stored");
    }

    @Test
    void aMessageWrittenByANewerNodeWithMoreFieldsStillReads() {
        ChatStore store = node();
        admin().rpush(keys.chat(B), "{\"messageId\":\"m-1\",\"from\":\"v-1\",\"name\":\"Ann\",\"text\":\"hi\","
                + "\"fromStage\":false,\"atMs\":5,\"reactions\":{\"👍\":2}}");

        assertEquals(List.of(new ChatMessage("m-1", v("v-1"), "Ann", "hi", false, 5)), store.recent(B));
    }

    @Test
    void removeDeletesEveryKeyOfTheBroadcast() {
        ChatStore store = node();
        appendMany(store, B, 2);
        store.mute(B, v("a"), true);
        assertEquals(3, admin().exists(keys.chat(B), keys.chatSeq(B), keys.chatMuted(B)));

        store.remove(B);

        assertEquals(List.of(), admin().keys("*"));
    }
}
