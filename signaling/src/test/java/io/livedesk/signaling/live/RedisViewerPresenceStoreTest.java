package io.livedesk.signaling.live;

import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.livedesk.signaling.auth.Subject;
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

class RedisViewerPresenceStoreTest extends ViewerPresenceStoreContract {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private final List<RedisConnections> connections = new ArrayList<>();

    @Override
    protected ViewerPresenceStore createStore() {
        redis.flushAll();
        return node();
    }

    /** Another store on its own Redis connection, as a second signaling node has. */
    private ViewerPresenceStore node() {
        RedisConnections c = new RedisConnections(redis.url(), Duration.ofSeconds(5));
        connections.add(c);
        return new RedisViewerPresenceStore(c, new RedisKeys("test"));
    }

    @Override
    protected void closeStore() {
        connections.forEach(RedisConnections::close);
        connections.clear();
    }

    @Test
    void twoNodesAgreeOnTheCountAndAViewerSilentOnOneLeavesTheOthersCountAfterTheTtl() {
        ViewerPresenceStore a = node();
        ViewerPresenceStore b = node();

        assertEquals(JoinOutcome.JOINED, a.join(B, v("on-a"), null, T0));
        assertEquals(JoinOutcome.JOINED, b.join(B, v("on-b"), null, T0 + 100));
        assertEquals(JoinOutcome.REFRESHED, b.join(B, v("on-a"), null, T0 + 200), "present whichever node asks");
        assertBothCount(a, b, T0 + 200, 2);
        assertEquals(a.page(B, 0, 10, T0 + 200, TTL_MS), b.page(B, 0, 10, T0 + 200, TTL_MS));

        // on-b keeps heartbeating through B; on-a's last heartbeat through A is at T0 + 5 s.
        assertTrue(a.heartbeat(B, v("on-a"), T0 + HEARTBEAT_MS));
        long lastOfA = T0 + HEARTBEAT_MS;
        for (long t = T0 + HEARTBEAT_MS; t <= lastOfA + TTL_MS + HEARTBEAT_MS; t += HEARTBEAT_MS) {
            assertTrue(b.heartbeat(B, v("on-b"), t));
            assertBothCount(a, b, t, t <= lastOfA + TTL_MS ? 2 : 1);
        }
        long now = lastOfA + TTL_MS + 1;
        assertBothCount(a, b, now, 1);

        // The sweep, run on B, hands on-a to exactly one node; A then learns it must join again.
        assertEquals(List.of(new ViewerPresence(v("on-a"), null, T0, lastOfA)), b.expire(B, now - TTL_MS, 10));
        assertEquals(List.of(), a.expire(B, now - TTL_MS, 10));
        assertFalse(a.heartbeat(B, v("on-a"), now));
        assertEquals(2, a.uniqueViewers(B));
        assertEquals(b.watchTimeMs(B), a.watchTimeMs(B));
    }

    @Test
    void removeDeletesEveryKeyOfTheBroadcast() {
        ViewerPresenceStore store = node();
        store.join(B, v("a"), "Ann", T0);
        store.join(B, v("b"), null, T0);
        store.leave(B, v("b"), T0 + 10);
        store.ban(B, v("x"), T0);
        RedisKeys keys = new RedisKeys("test");
        assertEquals(6, connections.get(0).sync().exists(keys.viewersSeen(B), keys.viewersJoined(B),
                keys.viewerNames(B), keys.viewersEver(B), keys.viewerBans(B), keys.viewerWatchMs(B)));

        store.remove(B);

        assertEquals(List.of(), connections.get(0).sync().keys("*"));
    }

    @Test
    void heartbeatAllRunsOneScriptPerBatch() {
        ViewerPresenceStore store = node();
        List<Subject> viewers = new ArrayList<>();
        for (int i = 0; i < 2 * ViewerLimits.MAX_EXPIRE_BATCH + 1; i++) {
            viewers.add(v("v" + i));
            store.join(B, v("v" + i), null, T0);
        }
        RedisClusterCommands<String, String> admin = connections.get(0).sync();
        ScriptRuns.reset(admin);

        assertEquals(List.of(), store.heartbeatAll(B, viewers, T0 + 1));

        assertEquals(3, ScriptRuns.count(admin));
    }

    private static void assertBothCount(ViewerPresenceStore a, ViewerPresenceStore b, long now, long expected) {
        assertEquals(expected, a.count(B, now, TTL_MS), "node A at +" + (now - T0));
        assertEquals(expected, b.count(B, now, TTL_MS), "node B at +" + (now - T0));
    }
}
