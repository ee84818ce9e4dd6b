package io.livedesk.signaling.server;

import io.livedesk.signaling.call.CallStore;
import io.livedesk.signaling.call.InMemoryCallStore;
import io.livedesk.signaling.callback.CallbackStore;
import io.livedesk.signaling.callback.InMemoryCallbackStore;
import io.livedesk.signaling.cluster.ClusterBus;
import io.livedesk.signaling.cluster.InMemoryNodeRegistry;
import io.livedesk.signaling.cluster.InMemorySessionStore;
import io.livedesk.signaling.cluster.LocalClusterBus;
import io.livedesk.signaling.cluster.NodeRegistry;
import io.livedesk.signaling.cluster.SessionStore;
import io.livedesk.signaling.live.BroadcastStore;
import io.livedesk.signaling.live.ChatStore;
import io.livedesk.signaling.live.InMemoryBroadcastStore;
import io.livedesk.signaling.live.InMemoryChatStore;
import io.livedesk.signaling.live.InMemoryViewerPresenceStore;
import io.livedesk.signaling.live.InMemoryWatchHistory;
import io.livedesk.signaling.live.ViewerPresenceStore;
import io.livedesk.signaling.live.WatchHistory;
import io.livedesk.signaling.media.CallMediaStore;
import io.livedesk.signaling.media.InMemoryCallMediaStore;
import io.livedesk.signaling.presence.InMemoryPresenceStore;
import io.livedesk.signaling.presence.InMemorySupervisorIndex;
import io.livedesk.signaling.presence.PresenceStore;
import io.livedesk.signaling.presence.SupervisorIndex;
import io.livedesk.signaling.routing.InMemoryRoutingStore;
import io.livedesk.signaling.routing.RoutingSteps;
import io.livedesk.signaling.routing.RoutingStore;
import io.livedesk.signaling.routing.SeparateRoutingSteps;
import io.livedesk.signaling.transcript.InMemoryTranscriptStore;
import io.livedesk.signaling.transcript.TranscriptLimits;
import io.livedesk.signaling.transcript.TranscriptStore;
import io.livedesk.signaling.wallboard.DayStatsStore;
import io.livedesk.signaling.wallboard.InMemoryDayStatsStore;

import java.time.Clock;
import java.time.Duration;

/** The stores of a single node, in this JVM. */
record InMemoryStores(PresenceStore presence, RoutingStore routing, CallStore calls, RoutingSteps routingSteps,
                      SupervisorIndex supervisors,
                      TranscriptStore transcripts, SessionStore sessions, NodeRegistry nodes, ClusterBus bus,
                      BroadcastStore broadcasts, ViewerPresenceStore viewers, ChatStore chat, WatchHistory watchHistory,
                      DayStatsStore dayStats, CallbackStore callbacks, CallMediaStore callMedia)
        implements Stores {

    static InMemoryStores create(TranscriptLimits limits, Clock clock, Duration dayStatsRetention,
                                 Duration callbackRetention) {
        // Routing shares the presence store's lock, so an offer and the load it adds change together.
        InMemoryPresenceStore presence = new InMemoryPresenceStore();
        InMemoryRoutingStore routing = new InMemoryRoutingStore(presence);
        InMemoryCallStore calls = new InMemoryCallStore();
        return new InMemoryStores(presence, routing, calls, new SeparateRoutingSteps(routing, calls, presence),
                new InMemorySupervisorIndex(), new InMemoryTranscriptStore(limits, clock), new InMemorySessionStore(),
                new InMemoryNodeRegistry(), new LocalClusterBus(), new InMemoryBroadcastStore(),
                new InMemoryViewerPresenceStore(), new InMemoryChatStore(), new InMemoryWatchHistory(),
                new InMemoryDayStatsStore((int) Math.max(1, dayStatsRetention.toDays())),
                new InMemoryCallbackStore(clock, callbackRetention), new InMemoryCallMediaStore());
    }

    @Override
    public boolean ready() {
        return true;
    }

    @Override
    public String description() {
        return "in-process";
    }

    @Override
    public void close() {
        bus.close();
    }
}
