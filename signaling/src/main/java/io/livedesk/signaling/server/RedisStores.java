package io.livedesk.signaling.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.call.CallStore;
import io.livedesk.signaling.call.RedisCallStore;
import io.livedesk.signaling.callback.CallbackStore;
import io.livedesk.signaling.callback.RedisCallbackStore;
import io.livedesk.signaling.cluster.ClusterBus;
import io.livedesk.signaling.cluster.NodeRegistry;
import io.livedesk.signaling.cluster.RedisClusterBus;
import io.livedesk.signaling.cluster.RedisNodeRegistry;
import io.livedesk.signaling.cluster.RedisSessionStore;
import io.livedesk.signaling.cluster.SessionStore;
import io.livedesk.signaling.config.LiveDeskConfig;
import io.livedesk.signaling.live.BroadcastStore;
import io.livedesk.signaling.live.ChatStore;
import io.livedesk.signaling.live.RedisBroadcastStore;
import io.livedesk.signaling.live.RedisChatStore;
import io.livedesk.signaling.live.RedisViewerPresenceStore;
import io.livedesk.signaling.live.RedisWatchHistory;
import io.livedesk.signaling.live.ViewerPresenceStore;
import io.livedesk.signaling.live.WatchHistory;
import io.livedesk.signaling.media.CallMediaStore;
import io.livedesk.signaling.media.RedisCallMediaStore;
import io.livedesk.signaling.presence.PresenceStore;
import io.livedesk.signaling.presence.RedisPresenceStore;
import io.livedesk.signaling.presence.RedisSupervisorIndex;
import io.livedesk.signaling.presence.SupervisorIndex;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.routing.RedisRoutingSteps;
import io.livedesk.signaling.routing.RedisRoutingStore;
import io.livedesk.signaling.routing.RoutingSteps;
import io.livedesk.signaling.routing.RoutingStore;
import io.livedesk.signaling.transcript.RedisTranscriptStore;
import io.livedesk.signaling.transcript.TranscriptLimits;
import io.livedesk.signaling.transcript.TranscriptStore;
import io.livedesk.signaling.wallboard.DayStatsStore;
import io.livedesk.signaling.wallboard.RedisDayStatsStore;

import java.time.Duration;

/** The stores of a node of a cluster: all in Redis, over one set of connections. */
record RedisStores(RedisConnections redis, PresenceStore presence, RoutingStore routing, CallStore calls,
                   RoutingSteps routingSteps,
                   SupervisorIndex supervisors, TranscriptStore transcripts, SessionStore sessions, NodeRegistry nodes,
                   ClusterBus bus, BroadcastStore broadcasts, ViewerPresenceStore viewers, ChatStore chat,
                   WatchHistory watchHistory, DayStatsStore dayStats, CallbackStore callbacks,
                   CallMediaStore callMedia)
        implements Stores {

    static RedisStores connect(LiveDeskConfig.Redis config, ObjectMapper json, TranscriptLimits limits,
                               Duration dayStatsRetention, Duration callbackRetention) {
        RedisConnections redis = new RedisConnections(config.url(), config.timeout());
        RedisKeys keys = new RedisKeys(config.keyPrefix());
        RedisPresenceStore presence = new RedisPresenceStore(redis, keys);
        RedisRoutingStore routing = new RedisRoutingStore(redis, keys);
        RedisCallStore calls = new RedisCallStore(redis, keys, json);
        return new RedisStores(redis, presence, routing, calls,
                new RedisRoutingSteps(redis, keys, routing, calls, presence), new RedisSupervisorIndex(redis, keys),
                new RedisTranscriptStore(redis, keys, limits), new RedisSessionStore(redis, keys),
                new RedisNodeRegistry(redis, keys), new RedisClusterBus(redis, keys, json),
                new RedisBroadcastStore(redis, keys, json), new RedisViewerPresenceStore(redis, keys),
                new RedisChatStore(redis, keys, json), new RedisWatchHistory(redis, keys),
                new RedisDayStatsStore(redis, keys, dayStatsRetention),
                new RedisCallbackStore(redis, keys, json, callbackRetention), new RedisCallMediaStore(redis, keys, json));
    }

    @Override
    public boolean ready() {
        return redis.ping();
    }

    @Override
    public String description() {
        return "Redis";
    }

    @Override
    public void close() {
        bus.close();
        redis.close();
    }
}
