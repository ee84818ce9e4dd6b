package io.livedesk.signaling.transcript;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.redis.LuaScript;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;

import java.util.ArrayList;
import java.util.List;

/**
 * Transcripts in Redis: per call a list of JSON lines ({@link RedisKeys#transcript}) and a sequence
 * counter ({@link RedisKeys#transcriptSeq}). One Lua script appends, numbers, trims to
 * {@link TranscriptLimits#maxLines()} and sets both keys to expire {@link TranscriptLimits#retention()}
 * after this last line, so every node sees the same transcript and nothing outlives the retention.
 */
public final class RedisTranscriptStore implements TranscriptStore {

    /** What one list entry holds (the call id is the key's). Unknown fields are skipped on reading. */
    private record Stored(long seq, String speaker, Subject speakerId, long startedAt, long endedAt, String text,
                          List<TranscriptLine.Word> words) {
    }

    /** The same without seq, which the script puts in front. */
    private record Unnumbered(String speaker, Subject speakerId, long startedAt, long endedAt, String text,
                              List<TranscriptLine.Word> words) {
    }

    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;
    private final TranscriptLimits limits;
    private final ObjectMapper json = new ObjectMapper();
    /** Lenient, so that a line written by a newer node with more fields still reads. */
    private final ObjectReader reader = json.readerFor(Stored.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final LuaScript append = LuaScript.load("transcript_append");

    public RedisTranscriptStore(RedisConnections connections, RedisKeys keys, TranscriptLimits limits) {
        this.redis = connections.sync();
        this.keys = keys;
        this.limits = limits;
        append.preload(redis);
    }

    @Override
    public TranscriptLine append(TranscriptLine line) {
        String body = write(new Unnumbered(line.speaker(), line.speakerId(), line.startedAtMs(), line.endedAtMs(),
                line.text(), line.words()));
        Long seq = append.run(redis, keys.transcriptTag(line.callId()), ScriptOutputType.INTEGER, keys.transcript(line.callId()),
                line.callId().value(), body, Integer.toString(limits.maxLines()),
                Long.toString(limits.retention().toMillis()));
        return line.withSeq(seq);
    }

    @Override
    public List<TranscriptLine> lines(CallId callId) {
        List<String> raw = redis.lrange(keys.transcript(callId), 0, -1);
        List<TranscriptLine> out = new ArrayList<>(raw.size());
        for (String entry : raw) {
            Stored s = read(entry);
            out.add(new TranscriptLine(callId, s.seq(), s.speaker(), s.speakerId(), s.startedAt(), s.endedAt(),
                    s.text(), s.words()));
        }
        return out;
    }

    private String write(Unnumbered u) {
        try {
            return json.writeValueAsString(u); // an object with fields, as the script's splice needs
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Stored read(String entry) {
        try {
            return reader.readValue(entry);
        } catch (JsonProcessingException e) {
            // Never the entry itself in the message: it holds what a customer said.
            throw new IllegalStateException("unreadable transcript line stored (" + e.getClass().getSimpleName() + ")");
        }
    }
}
