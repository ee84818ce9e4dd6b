package io.livedesk.signaling.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.redis.LuaScript;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chat in Redis, shared by every node, so that a viewer joining on any of them gets the same latest
 * messages. Per broadcast: a list of the kept messages as JSON, oldest first ({@link RedisKeys#chat}), the
 * number of the last message ({@link RedisKeys#chatSeq}) and a set of muted subjects
 * ({@link RedisKeys#chatMuted}). Appending numbers, pushes and trims in one script ({@code chat_append.lua}):
 * one round trip, and no two nodes get the same number. Deleting is a script too, as it reads the list
 * before it removes from it; a deleted message leaves the list, so a late joiner still gets the latest
 * {@link ChatStore#KEPT} of those left. Reads and mutes touch one key: plain commands.
 */
public final class RedisChatStore implements ChatStore {

    /** The ids {@link #append} gives (group 1 the number); any other id names no kept message. */
    private static final Pattern MESSAGE_ID = Pattern.compile("m-([1-9][0-9]{0,18})");

    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;
    private final ObjectMapper json;
    /** Lenient, so that a message written by a newer node with more fields still reads. */
    private final ObjectReader reader;
    private final LuaScript append = LuaScript.load("chat_append");
    private final LuaScript delete = LuaScript.load("chat_delete");

    /** @param json writes and reads the stored messages (shared with the rest of the node) */
    public RedisChatStore(RedisConnections connections, RedisKeys keys, ObjectMapper json) {
        this.redis = connections.sync();
        this.keys = keys;
        this.json = json;
        this.reader = json.readerFor(ChatMessage.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        for (LuaScript s : List.of(append, delete)) {
            s.preload(redis);
        }
    }

    @Override
    public ChatMessage append(BroadcastId broadcastId, ChatMessage draft) {
        BroadcastId b = Objects.requireNonNull(broadcastId, "broadcastId");
        Long number = append.run(redis, keys.broadcastTag(b), ScriptOutputType.INTEGER, keys.chat(b), b.value(),
                withoutId(Objects.requireNonNull(draft, "draft")), Integer.toString(KEPT));
        return draft.withMessageId("m-" + number);
    }

    @Override
    public List<ChatMessage> recent(BroadcastId broadcastId) {
        List<String> entries = redis.lrange(keys.chat(Objects.requireNonNull(broadcastId, "broadcastId")), 0, -1);
        List<ChatMessage> out = new ArrayList<>(entries.size());
        for (String entry : entries) {
            out.add(read(entry));
        }
        return out;
    }

    @Override
    public boolean delete(BroadcastId broadcastId, String messageId) {
        BroadcastId b = Objects.requireNonNull(broadcastId, "broadcastId");
        Matcher id = MESSAGE_ID.matcher(Objects.requireNonNull(messageId, "messageId"));
        // Only a number reaches the script, which matches it inside the stored JSON.
        return id.matches() && delete.run(redis, keys.broadcastTag(b), ScriptOutputType.INTEGER, keys.chat(b), b.value(),
                id.group(1)).equals(1L);
    }

    @Override
    public boolean mute(BroadcastId broadcastId, Subject viewer, boolean muted) {
        String key = keys.chatMuted(Objects.requireNonNull(broadcastId, "broadcastId"));
        String subject = Objects.requireNonNull(viewer, "viewer").value();
        return (muted ? redis.sadd(key, subject) : redis.srem(key, subject)) == 1L;
    }

    @Override
    public boolean isMuted(BroadcastId broadcastId, Subject viewer) {
        return redis.sismember(keys.chatMuted(Objects.requireNonNull(broadcastId, "broadcastId")),
                Objects.requireNonNull(viewer, "viewer").value());
    }

    @Override
    public void remove(BroadcastId broadcastId) {
        BroadcastId b = Objects.requireNonNull(broadcastId, "broadcastId");
        // One DEL of every key: atomic without a script.
        redis.del(keys.chat(b), keys.chatSeq(b), keys.chatMuted(b));
    }

    /** The draft as a JSON object without its id, which the script splices in first. */
    private String withoutId(ChatMessage draft) {
        ObjectNode node = json.valueToTree(draft);
        node.remove("messageId");
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ChatMessage read(String entry) {
        try {
            return reader.readValue(entry);
        } catch (JsonProcessingException e) {
            // Never the entry itself in the message: it holds what a viewer wrote.
            throw new IllegalStateException("unreadable chat message stored (" + e.getClass().getSimpleName() + ")");
        }
    }
}
