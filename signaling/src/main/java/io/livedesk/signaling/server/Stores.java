package io.livedesk.signaling.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.call.CallStore;
import io.livedesk.signaling.callback.CallbackStore;
import io.livedesk.signaling.cluster.ClusterBus;
import io.livedesk.signaling.cluster.NodeRegistry;
import io.livedesk.signaling.cluster.SessionStore;
import io.livedesk.signaling.config.LiveDeskConfig;
import io.livedesk.signaling.live.BroadcastStore;
import io.livedesk.signaling.live.ChatStore;
import io.livedesk.signaling.live.ViewerPresenceStore;
import io.livedesk.signaling.live.WatchHistory;
import io.livedesk.signaling.media.CallMediaStore;
import io.livedesk.signaling.presence.PresenceStore;
import io.livedesk.signaling.presence.SupervisorIndex;
import io.livedesk.signaling.routing.RoutingSteps;
import io.livedesk.signaling.routing.RoutingStore;
import io.livedesk.signaling.transcript.TranscriptLimits;
import io.livedesk.signaling.transcript.TranscriptStore;
import io.livedesk.signaling.wallboard.DayStatsStore;

import java.time.Clock;
import java.time.Duration;

/**
 * Every piece of state a node shares with others, chosen once: in this JVM for one node, or in Redis, the
 * only copy, when {@code redis.url} is set. Nothing else in the node knows which.
 */
public interface Stores extends AutoCloseable {
    PresenceStore presence();

    RoutingStore routing();

    CallStore calls();

    /** The steps of a routed call that change routing and call records together (see RoutingSteps). */
    RoutingSteps routingSteps();

    SupervisorIndex supervisors();

    TranscriptStore transcripts();

    SessionStore sessions();

    NodeRegistry nodes();

    ClusterBus bus();

    BroadcastStore broadcasts();
    /** Who is watching each livestream broadcast. */
    ViewerPresenceStore viewers();

    /** The latest chat messages and the mutes of each livestream broadcast. */
    ChatStore chat();

    /** The broadcasts identified viewers watched (their brief on the desk). */
    WatchHistory watchHistory();

    /** The day's service counters (the wallboard's). */
    DayStatsStore dayStats();

    /** Customers' callback requests, open, taken and recently closed. */
    CallbackStore callbacks();

    /** Bridged calls' media state, so that another node can take a call over when its media node dies. */
    CallMediaStore callMedia();

    /** Whether the stores answer now (Redis: a PING); always true in memory. */
    boolean ready();

    /** What they are, for the start-up log line. */
    String description();

    @Override
    void close();

    static Stores create(LiveDeskConfig config, ObjectMapper json, Clock clock) {
        LiveDeskConfig.Speech speech = config.speech();
        TranscriptLimits limits = new TranscriptLimits(speech.transcriptRetention(), speech.transcriptMaxLines(),
                speech.transcriptMemoryCalls());
        Duration retention = config.wallboard().retention();
        Duration callbacks = config.routing().callbackRetention();
        return config.redis().enabled() ? RedisStores.connect(config.redis(), json, limits, retention, callbacks)
                : InMemoryStores.create(limits, clock, retention, callbacks);
    }
}
