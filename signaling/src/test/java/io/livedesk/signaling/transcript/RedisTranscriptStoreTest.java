package io.livedesk.signaling.transcript;

import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisTranscriptStoreTest extends TranscriptStoreContract {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private RedisConnections connections;

    @Override
    protected TranscriptStore createStore(TranscriptLimits limits) {
        redis.flushAll();
        connections = new RedisConnections(redis.url(), Duration.ofSeconds(5));
        return new RedisTranscriptStore(connections, new RedisKeys("test"), limits);
    }

    @Override
    protected void closeStore() {
        if (connections != null) {
            connections.close();
        }
    }

    @Test
    void bothKeysOfATranscriptExpireWithTheRetention() {
        TranscriptStore store = createStore(new TranscriptLimits(Duration.ofHours(2), 10, 10));
        store.append(line("c1", "customer", T0, "hello"));
        RedisKeys keys = new RedisKeys("test");
        long listTtl = connections.sync().pttl(keys.transcript(CallId.of("c1")));
        long seqTtl = connections.sync().pttl(keys.transcriptSeq(CallId.of("c1")));
        assertTrue(listTtl > Duration.ofMinutes(119).toMillis() && listTtl <= Duration.ofHours(2).toMillis(), "list ttl " + listTtl);
        assertTrue(seqTtl > Duration.ofMinutes(119).toMillis() && seqTtl <= Duration.ofHours(2).toMillis(), "seq ttl " + seqTtl);
    }
}
